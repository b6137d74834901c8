using System.CommandLine;
using System.Diagnostics;
using ExclusivityEngine.Cli.Commands;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// Shell completion: the bash script, sourced in a real bash, asks the real CLI (an <c>exclusivity</c> on PATH) and
/// completes commands, options, option values and the rule set's ids; the other shells' scripts are printed.
/// </summary>
public sealed class CompletionTests
{
    private static readonly RootCommand Root = ExclusivityEngine.Cli.Cli.Build(new Io(Stream.Null, TextWriter.Null));

    private string _bin = "";

    [OneTimeSetUp]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PutTheCliOnPath()
    {
        // An `exclusivity` on PATH, as `dotnet tool install` leaves one: here, the CLI the tests were built with.
        _bin = Path.Combine(Path.GetTempPath(), "exclusivity-completion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_bin);
        var launcher = Path.Combine(_bin, "exclusivity");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "exclusivity.dll")}\" \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [OneTimeTearDown]
    public void RemoveIt() => Directory.Delete(_bin, recursive: true);

    [Test]
    public void Bash_ProductPrefix_CompletesToTheCatalogueProduct()
    {
        var replies = Bash("evaluate", "--product", "fr");

        Assert.That(replies, Is.EqualTo(new[] { "frontier" }));
    }

    [Test]
    public void Bash_NewWordAfterACommand_OffersItsOptions()
    {
        var replies = Bash("evaluate", "");

        Assert.That(replies, Is.SupersetOf(new[] { "--product", "--cloud", "--date", "--format", "--segment", "--rules", "--help" }));
        Assert.That(replies, Has.None.StartsWith("/"));
    }

    [Test]
    public void Bash_CommandPrefix_CompletesTheCommand() =>
        Assert.That(Bash("ev"), Is.EqualTo(new[] { "evaluate" }));

    [Test]
    public void Bash_OptionValue_OffersItsChoices()
    {
        Assert.That(Bash("evaluate", "--format", ""), Is.EquivalentTo(new[] { "json", "text" }));
        Assert.That(Bash("evaluate", "--segment", ""), Is.EquivalentTo(new[] { "general", "us-national-security" }));
        Assert.That(Bash("evaluate", "--microsoft-declined", "u"), Is.EqualTo(new[] { "unknown" }));
    }

    [Test]
    public void Complete_Cloud_OffersTheCataloguesClouds()
    {
        var engine = Engine.LoadEmbedded();

        var clouds = CompletionCommand.Complete(Root, ["why-not", "--cloud", ""]);

        Assert.That(clouds, Is.EquivalentTo(engine.Rules.Catalogue.Clouds.Select(c => c.Id)));
    }

    [Test]
    public void Complete_DiffArgument_OffersVersionsAndReadings()
    {
        var engine = Engine.LoadEmbedded();

        var rows = CompletionCommand.Complete(Root, ["diff", "msft-openai-2025-10"]);

        Assert.That(rows, Is.EquivalentTo(engine.Rules.Rows.Select(r => r.Id).Where(id => id.StartsWith("msft-openai-2025-10", StringComparison.Ordinal))));
        Assert.That(rows, Does.Contain("msft-openai-2025-10@microsoft-2026-02"));
    }

    [Test]
    public void Complete_WithRules_OffersThatRuleSetsProducts()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("catalogue.json", "\"id\": \"frontier\"", "\"id\": \"frontier-two\"");

        Assert.That(CompletionCommand.Complete(Root, ["evaluate", "--rules", rules.Directory, "--product", "fr"]), Is.EqualTo(new[] { "frontier-two" }));
        Assert.That(Bash("timeline", "--rules", rules.Directory, "--product", "fr"), Is.EqualTo(new[] { "frontier-two" }));
    }

    [Test]
    public void Complete_HiddenCommand_IsNotOffered() =>
        Assert.That(CompletionCommand.Complete(Root, ["comp"]), Is.EqualTo(new[] { "completion" }));

    [TestCase("bash", "complete -o default -F _exclusivity_complete exclusivity")]
    [TestCase("zsh", "compdef _exclusivity exclusivity")]
    [TestCase("fish", "complete -c exclusivity")]
    [TestCase("pwsh", "Register-ArgumentCompleter -Native -CommandName exclusivity")]
    public void Completion_EachShell_PrintsAScriptThatAsksTheCli(string shell, string registers)
    {
        var run = CliRun.Of("completion", shell);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(run.Stdout, Does.Contain(registers).And.Contain("exclusivity complete --"));
    }

    [Test]
    public void Completion_UnknownShell_ListsTheShells()
    {
        var run = CliRun.Of("completion", "tcsh");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("`tcsh` is not one of bash, fish, pwsh, zsh"));
    }

    /// <summary>Sources <c>exclusivity completion bash</c> in bash and completes the last of <paramref name="words"/>.</summary>
    private string[] Bash(params string[] words)
    {
        var quoted = string.Join(' ', words.Prepend("exclusivity").Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var script = $"source <(exclusivity completion bash) && COMP_WORDS=({quoted}) && COMP_CWORD={words.Length} && _exclusivity_complete && printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEnd();
        Assert.That(bash.WaitForExit(60_000), Is.True, "bash did not finish");
        Assert.That(bash.ExitCode, Is.Zero, stderr);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
