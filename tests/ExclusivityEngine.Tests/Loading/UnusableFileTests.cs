using System.Diagnostics;

namespace ExclusivityEngine.Tests.Loading;

/// <summary>
/// Rule and test files are read only when they are regular files of a bounded size, and folders are walked without
/// following links to folders: whatever stands under <c>--rules</c> or <c>test DIR</c>, the answer is one sentence naming
/// the path and exit 2, never a hang, an exhausted memory or a stack trace.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnusableFileTests
{
    private static (int Exit, string Stdout, string Stderr) RunWithin(params string[] args)
    {
        var run = Task.Run(() => CliRunner.Run(args));
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "the command did not end");
        return run.Result;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero);
    }

    private static readonly (string Name, Action<string> Plant, string Named, string Says)[] Hostile =
    [
        ("fifo", dir => MakeFifo(Path.Combine(dir, "x.json")), "x.json", "is a FIFO"),
        ("dev-zero", dir => File.CreateSymbolicLink(Path.Combine(dir, "z.json"), "/dev/zero"), "z.json", "is a character device"),
        ("link-loop", dir => File.CreateSymbolicLink(Path.Combine(dir, "a.json"), "a.json"), "a.json", "too many levels of symbolic links"),
        ("folder-loop", dir => Directory.CreateSymbolicLink(Path.Combine(dir, "clauses", "up"), ".."), "up", "is a link to a folder"),
        ("proc-mem", dir => File.CreateSymbolicLink(Path.Combine(dir, "mem.json"), "/proc/self/mem"), "mem.json", "cannot read"),
        ("too-large", dir =>
        {
            using var file = File.Create(Path.Combine(dir, "huge.json"));
            file.SetLength(17L << 20);
        }, "huge.json", "larger than 16 MiB"),
    ];

    private static IEnumerable<string> HostileCases() => Hostile.Select(h => h.Name);

    [TestCaseSource(nameof(HostileCases))]
    public void Rules_HostileEntry_OneSentenceNamingItAndExit2(string name)
    {
        var (_, plant, named, says) = Hostile.Single(h => h.Name == name);
        using var rules = new RuleSetCopy();
        plant(rules.Directory);

        var (exit, stdout, stderr) = RunWithin("evaluate", "--rules", rules.Directory, "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15");

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain(named).And.Contain(says));
        Assert.That(stderr, Does.Not.Contain("   at "));
    }

    [TestCaseSource(nameof(HostileCases))]
    public void Validate_HostileEntryAskedForJson_IsAnUnreadableRuleFilesProblemOnStdout(string name)
    {
        // A program that asked for JSON got nothing on stdout; the service's reload reports the same problem this way.
        var (_, plant, named, _) = Hostile.Single(h => h.Name == name);
        using var rules = new RuleSetCopy();
        plant(rules.Directory);

        var (exit, stdout, stderr) = RunWithin("validate", "--rules", rules.Directory, "--format", "json");

        Assert.That(exit, Is.EqualTo(2), stderr);
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        var root = report.RootElement;
        Assert.That(root.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("ruleSet").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "no hash of files that could not be read");
        var problem = root.GetProperty("problems").EnumerateArray().Single();
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("unreadable-rule-files"));
        Assert.That(problem.GetProperty("message").GetString(), Does.Contain(named));
        // No place inside a file: 0 would read as a line number.
        Assert.That(problem.GetProperty("line").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), stdout);
        Assert.That(problem.GetProperty("column").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), stdout);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [TestCaseSource(nameof(HostileCases))]
    public void Test_HostileEntryInASuiteFolder_IsOneUnusableFileAndTheOthersStillRun(string name)
    {
        var (_, plant, named, says) = Hostile.Single(h => h.Name == name);
        var suite = Path.Combine(Path.GetTempPath(), "exclusivity-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(suite, "clauses"));
        File.Copy(Path.Combine(Repository.Root, "tests", "scenarios", Directory.GetFiles(Path.Combine(Repository.Root, "tests", "scenarios"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).First()!),
            Path.Combine(suite, "clauses", "good.json"));
        try
        {
            plant(suite);

            var (exit, stdout, stderr) = RunWithin("test", suite);

            Assert.That(exit, Is.EqualTo(2), stderr);
            var errors = stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            Assert.That(errors, Has.Count.EqualTo(1), stderr);
            Assert.That(errors[0], Does.Contain(named).And.Contain(says));
            Assert.That(stdout, Does.Match(@"[1-9][0-9]* passed, 0 failed"), "the good file still ran");
        }
        finally
        {
            Directory.Delete(suite, recursive: true);
        }
    }

    [Test]
    public void Rules_ProcSelf_IsNotARuleSetFolder()
    {
        var (exit, _, stderr) = RunWithin("validate", "--rules", "/proc/self");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("`/proc/self` is not a rule set folder"));
    }

    [Test]
    public void Test_FifoNamedDirectly_IsUnusableWithoutWaitingForAWriter()
    {
        var fifo = Path.Combine(Path.GetTempPath(), "exclusivity-fifo-" + Guid.NewGuid().ToString("N") + ".json");
        MakeFifo(fifo);
        try
        {
            var (exit, _, stderr) = RunWithin("test", fifo);

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("is a FIFO"));
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    /// <summary>
    /// A folder its reader may not list. Root reads any folder, so as root the real CLI runs without the capabilities
    /// that let it (setpriv, from util-linux, drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), for which a mode-000
    /// folder is closed as it is for any user. (Running as `nobody` instead failed in a clone under `mktemp -d`, whose
    /// mode-700 folder `nobody` cannot enter to reach the CLI.)
    /// </summary>
    [Test]
    public void Rules_FolderThatCannotBeListed_OneSentenceNamingItAndExit2()
    {
        using var rules = new RuleSetCopy();
        var locked = Path.Combine(rules.Directory, "clauses", "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            var cli = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");
            var withoutOverride = Environment.UserName == "root" ? new[] { "setpriv", "--bounding-set=-dac_override,-dac_read_search" } : [];
            var start = new ProcessStartInfo(withoutOverride.Length > 0 ? withoutOverride[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in withoutOverride.Skip(1).Concat(withoutOverride.Length > 0 ? ["dotnet"] : []).Concat([cli, "validate", "--rules", rules.Directory]))
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            Assert.That(process.WaitForExit(60_000), Is.True);

            Assert.That(process.ExitCode, Is.EqualTo(2), stderr);
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("cannot list the folder").And.Contain("locked"));
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
