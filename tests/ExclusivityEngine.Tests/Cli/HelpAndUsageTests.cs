using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;
using ExclusivityEngine.Cli.Commands;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// Help that teaches (what each command answers, its options with their choices and one default each, examples, exit
/// codes) and usage errors that help: one sentence per mistake, with the nearest correct spelling, exit 2.
/// </summary>
public sealed partial class HelpAndUsageTests
{
    private static readonly RootCommand Root = ExclusivityEngine.Cli.Cli.Build(new Io(Stream.Null, TextWriter.Null));

    private static IEnumerable<string> VisibleCommands() => Root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);

    private static IEnumerable<string> AllCommands() => Root.Subcommands.Select(c => c.Name);

    [TestCaseSource(nameof(AllCommands))]
    public void Build_ForACommandLineStartingWithACommand_HasThatCommandAlone(string name)
    {
        var root = ExclusivityEngine.Cli.Cli.Build(new Io(Stream.Null, TextWriter.Null), name);

        // `complete` completes any command line, so it gets the whole tree.
        var expected = name == "complete" ? [.. AllCommands()] : new[] { name };
        Assert.That(root.Subcommands.Select(c => c.Name), Is.EqualTo(expected));
        Assert.That(root.Options.Select(o => o.Name), Is.EqualTo(Root.Options.Select(o => o.Name)));
    }

    [TestCase(null)]
    [TestCase("--rules")]
    [TestCase("evalute")]
    public void Build_ForAnyOtherFirstWord_HasEveryCommand(string? first) =>
        Assert.That(ExclusivityEngine.Cli.Cli.Build(new Io(Stream.Null, TextWriter.Null), first).Subcommands.Select(c => c.Name).ToList(),
            Is.EqualTo(AllCommands()).And.Count.EqualTo(15));

    // Found by an adversarial run: response files were expanded, so `@a.rsp` holding `batch …` ran a batch that did not
    // stop when its reader left, and a test file named `@suite.json` would have been read as a list of words.
    [Test]
    public void Words_StartingWithAt_AreNotResponseFiles()
    {
        var directory = Directory.CreateTempSubdirectory("exclusivity-at-");
        try
        {
            var words = Path.Combine(directory.FullName, "a.rsp");
            File.WriteAllText(words, "versions\n");
            var suite = Path.Combine(directory.FullName, "@suite.json");
            File.Copy(Path.Combine(Repository.Root, "tests", "scenarios", "aws-openai.json"), suite);

            var (exit, _, stderr) = CliRunner.Run("@" + words);
            var (testExit, testOut, testErr) = CliRunner.Run("test", suite);

            Assert.That(exit, Is.EqualTo(2), stderr);
            Assert.That(stderr, Does.StartWith($"error: there is no command `@{words}`"));
            Assert.That(testExit, Is.Zero, testErr);
            Assert.That(testOut, Does.EndWith(" passed, 0 failed\n"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // An unset shell variable gives an empty path; the file system refuses it with an exception, which crashed
    // every command that takes a file or folder (exit 134) until the parse checked it.
    [TestCase("--rules", "versions", "--rules", "")]
    [TestCase("--rules", "--rules", "", "evaluate", "--product", "chatgpt", "--cloud", "aws", "--date", "2026-01-01")]
    [TestCase("--rules", "validate", "--rules", "")]
    [TestCase("--input", "batch", "--input", "")]
    [TestCase("--output", "batch", "--input", "-", "--output", "")]
    [TestCase("PATH", "test", "")]
    [TestCase("--junit", "test", "-", "--junit", "")]
    [TestCase("--html", "timeline", "--product", "chatgpt", "--html", "")]
    [TestCase("--input", "revenue", "--input", "", "--rate", "0.2")]
    [TestCase("--before", "impact", "--before", "")]
    [TestCase("--after", "impact", "--before", "rules", "--after", "")]
    [TestCase("--scenarios", "impact", "--before", "rules", "--scenarios", "")]
    [TestCase("--decision-log", "serve", "--decision-log", "")]
    [TestCase("--admin-token-file", "serve", "--admin-token-file", "")]
    public void Usage_EmptyPath_IsOneSentenceExit2(string option, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith($"error: `{option}` needs a path, not an empty string (see `exclusivity"));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    // Found by an adversarial run: these were System.CommandLine's own words ("Required argument missing for option:
    // '--format'", "Option '--product' expects a single argument but 2 were provided").
    [TestCase("error: `--format` needs a value (one of json, text) (see `exclusivity evaluate --help`)", "evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format")]
    [TestCase("error: `--input` needs a value (FILE|-) (see `exclusivity batch --help`)", "batch", "--input")]
    [TestCase("error: `--product` takes one value and was given 2 (`frontier`, `chatgpt`); give it once (see `exclusivity evaluate --help`)", "evaluate", "--product", "frontier", "--product", "chatgpt", "--cloud", "aws", "--date", "2026-03-15")]
    public void Usage_OptionWithoutItsValueOrTwice_IsSaidOfTheOption(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd(), Is.EqualTo(expected));
    }

    // Found by an adversarial run: each was "the inline product is not a JSON object", the first also when it was one.
    [TestCase("""{"id":"\ud800","interface":"app","origin":"first-party","offeredBy":"openai"}""", "is not one JSON object: a string in it holds an escape that stands for no character (a lone surrogate such as \\ud800) (invalid-product)")]
    [TestCase("""{"id":"x",""", "is not one JSON object: it is not valid JSON at byte 10 (expected start of a property name or value, but instead reached end of data) (invalid-product)")]
    [TestCase("""{"id":"x"} {}""", "is not one JSON object: it is not valid JSON at byte 12 ('{' is invalid after a single JSON value. Expected end of data) (invalid-product)")]
    public void Evaluate_InlineProductThatIsNotOneJsonObject_SaysWhy(string product, string expected)
    {
        var (exit, stdout, stderr) = CliRunner.Run("evaluate", "--product", product, "--cloud", "aws", "--date", "2026-03-15");

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd(), Is.EqualTo($"error: --product: the inline product {expected}"));
    }

    // Found by a review of the interface: an unknown option before a command's arguments was taken for one of them, so
    // `test` ran the suite before calling the option a missing file, and `diff` called a version id unexpected.
    [TestCase("exclusivity test", "--bogus", "test", "--bogus", "tests/scenarios")]
    [TestCase("exclusivity test", "--filtr", "test", "--filtr", "Frontier", "tests/scenarios")]
    [TestCase("exclusivity diff", "--bogus", "diff", "--bogus", "msft-openai-2019", "msft-openai-2025-10")]
    [TestCase("exclusivity schema", "--bogus", "schema", "--bogus", "rules")]
    public void Usage_UnknownOptionBeforeTheArguments_IsNamedAndNothingRuns(string command, string option, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run([.. args.Select(a => a == "tests/scenarios" ? Path.Combine(Repository.Root, a) : a)]);

        Assert.That(exit, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty, "nothing ran");
        Assert.That(stderr, Does.StartWith($"error: `{command}` has no option `{option}`"));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [Test]
    public void Usage_WordsAfterDoubleDash_AreArgumentsWhateverTheyLookLike()
    {
        var (exit, _, stderr) = CliRunner.Run(["test", "--", "--no-such-suite"]);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--no-such-suite: there is no such file or folder"));
    }

    // Found by an adversarial run: a folder was "access denied", and a read failure of a batch's input was reported as
    // a failure to write its output ("cannot write `-`: Is a directory").
    [TestCase("batch", "--input")]
    [TestCase("revenue", "--input", "--rate", "0.2")]
    public void Usage_FolderAsInputFile_SaysItIsAFolder(string command, params string[] options)
    {
        var folder = Directory.CreateTempSubdirectory("exclusivity-input-").FullName;
        try
        {
            var (exit, _, stderr) = CliRunner.Run([command, options[0], folder, .. options[1..]]);

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stderr, Is.EqualTo($"error: cannot read `{folder}`: it is a folder, not a file\n"));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Test]
    public void NamedInput_ReadThatFails_NamesTheInput()
    {
        using var input = new ExclusivityEngine.Cli.Commands.NamedInput(new FailingStream(), "standard input");

        var error = Assert.Throws<ExclusivityEngine.Cli.Commands.UsageException>(() => input.ReadByte());
        Assert.That(error!.Message, Is.EqualTo("cannot read standard input: Is a directory"));
        var asynchronous = Assert.ThrowsAsync<ExclusivityEngine.Cli.Commands.UsageException>(async () => _ = await input.ReadAsync(new byte[8]));
        Assert.That(asynchronous!.Message, Is.EqualTo("cannot read standard input: Is a directory"));
    }

    private sealed class FailingStream : MemoryStream
    {
        public override int Read(Span<byte> buffer) => throw new IOException("Is a directory");

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("Is a directory");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("Is a directory");
    }

    [TestCaseSource(nameof(VisibleCommands))]
    public void Help_EachCommand_SaysWhatItAnswersWithExamplesAndExitCodes(string name)
    {
        var run = CliRun.Of(name, "--help");

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var command = Root.Subcommands.Single(c => c.Name == name);
        Assert.That(command.Description, Is.Not.Null.And.Length.GreaterThan(20), "a line of what it answers");
        Assert.That(run.Stdout, Does.Contain(command.Description));
        var examples = Section(run.Stdout, "Examples:");
        Assert.That(examples, Has.Count.InRange(2, 4), run.Stdout);
        Assert.That(examples, Has.All.Contains("exclusivity "), "every example is a command line to copy");
        var exits = Section(run.Stdout, "Exit codes:");
        Assert.That(exits.Select(l => l.TrimStart()[0]), Does.Contain('0').And.Contain('2'), run.Stdout);
    }

    [TestCaseSource(nameof(VisibleCommands))]
    public void Help_EachOption_HasOneDefaultAtMostAndShowsItsChoices(string name)
    {
        var command = Root.Subcommands.Single(c => c.Name == name);
        var help = CliRun.Of(name, "--help").Stdout;

        foreach (var option in command.Options.Concat(Root.Options.Where(o => o.Recursive)))
        {
            var description = option.Description ?? "";
            Assert.That(description, Does.Not.Contain("(default"), $"{name} {option.Name}: defaults are written [default: X]");
            var stated = DefaultMarker().Matches(description).Count;
            Assert.That(stated + (option.HasDefaultValue ? 1 : 0), Is.LessThanOrEqualTo(1),
                $"{name} {option.Name} states its default twice: `{description}` and a default value that help also prints");

            var row = help.Split('\n').Single(l => l.TrimStart().StartsWith(option.Name + " ", StringComparison.Ordinal) || l.Contains($", {option.Name} ", StringComparison.Ordinal));
            Assert.That(DefaultMarker().Matches(row).Count, Is.LessThanOrEqualTo(1), row);
            var choices = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
            if (choices.Count is > 0 and < 8 && option.HelpName is null && option.ValueType != typeof(bool))
            {
                Assert.That(row, Does.Contain($"<{string.Join('|', choices)}>"), $"{name} {option.Name}: the choices are shown");
            }
        }
    }

    [Test]
    public void Help_FactOptions_ShowTheirChoicesAndOneDefault()
    {
        var help = CliRun.Of("evaluate", "--help").Stdout;

        Assert.That(help, Does.Match(@"--segment <general\|us-national-security>\s+the market segment \[default: general\]"));
        Assert.That(help, Does.Match(@"--microsoft-declined <false\|true\|unknown>\s+.*\[default: unknown\]"));
        Assert.That(help, Does.Match(@"--agi-declared <DATE>\s+.*\[default: never\]"));
        Assert.That(help, Does.Match(@"--format <json\|text>\s+.*\[default: text\]"));
    }

    [Test]
    public void MisspeltOption_OneErrorWithTheNearestSpelling_Exit2()
    {
        var run = CliRun.Of("evaluate", "--prodct", "frontier", "--cloud", "aws", "--date", "2026-03-15");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StdoutLines, Is.Empty);
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("`--prodct`").And.Contain("did you mean `--product`?").And.Contain("`exclusivity evaluate --help`"));
    }

    [TestCase("--fromat", "--format")]
    [TestCase("--rule", "--rules")]
    [TestCase("--agi-declard", "--agi-declared")]
    [TestCase("--stateless-calls-on-azur", "--stateless-calls-on-azure")]
    public void MisspeltOption_AnyOfTheCommand_IsNamed(string typed, string meant)
    {
        var run = CliRun.Of("evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", typed, "x");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain($"did you mean `{meant}`?"));
    }

    [Test]
    public void MisspeltCommand_OneErrorWithTheNearestCommand_Exit2()
    {
        var run = CliRun.Of("evaluat", "--product", "frontier");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("no command `evaluat`").And.Contain("did you mean `evaluate`?").And.Contain("`exclusivity --help`"));
    }

    [Test]
    public void UnknownOption_NothingNear_NamesItAndPointsAtHelp()
    {
        var run = CliRun.Of("versions", "--zzzzzzzz");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("has no option `--zzzzzzzz`").And.Not.Contain("did you mean").And.Contain("`exclusivity versions --help`"));
    }

    [Test]
    public void WrongValue_ListsTheAllowedValues_Exit2()
    {
        var run = CliRun.Of("versions", "--format", "xml");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("`--format`: `xml` is not one of json, text"));
    }

    [Test]
    public void WrongValue_NearAnAllowedOne_SuggestsIt()
    {
        var run = CliRun.Of("evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--microsoft-declined", "ture");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("`--microsoft-declined`: `ture` is not one of false, true, unknown; did you mean `true`?"));
    }

    [Test]
    public void MissingRequiredOptions_NamedInOneSentence()
    {
        var run = CliRun.Of("evaluate", "--cloud", "aws");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("`exclusivity evaluate` needs `--product` and `--date`"));
    }

    [Test]
    public void RulesOnAFile_SaysItIsNotAFolder()
    {
        var run = CliRun.Of("versions", "--rules", Path.Combine(Repository.Rules, "catalogue.json"));

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("is a file, not a folder"));
    }

    [TestCase("--prodct", "--product", 1)]
    [TestCase("--prodcut", "--product", 1)]
    [TestCase("--product", "--product", 0)]
    [TestCase("evalute", "evaluate", 1)]
    public void Distance_CountsInsertionsDeletionsReplacementsAndSwaps(string a, string b, int expected) =>
        Assert.That(UsageErrors.Distance(a, b), Is.EqualTo(expected));

    [Test]
    public void Nearest_FarFromEveryCandidate_IsNone() =>
        Assert.That(UsageErrors.Nearest("--colour", ["--product", "--cloud", "--date"]), Is.Null);

    [Test]
    public void Nearest_AnUnambiguousPrefix_IsTheCandidate() =>
        Assert.That(UsageErrors.Nearest("--stateless", ["--stateless-calls-on-azure", "--segment"]), Is.EqualTo("--stateless-calls-on-azure"));

    private static List<string> Section(string help, string title)
    {
        var lines = help.Split('\n');
        var start = Array.IndexOf(lines, title);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no `{title}` section in:\n{help}");
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
    }

    [GeneratedRegex(@"\[default: ")]
    private static partial Regex DefaultMarker();
}
