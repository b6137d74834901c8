namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// Text reports echo what their input named (a scenario's name, an inline product's id); a suite or a question from
/// someone else must not be able to rewrite the terminal it is read on, so control characters come out escaped.
/// </summary>
public sealed class TerminalEscapeTests
{
    private const string Shown = "\\u001B[2J\\u0007";
    private const string InlineProduct = """{"id":"x\u001b[2J\u0007y","interface":"app","origin":"first-party","offeredBy":"openai"}""";

    [TestCase("evaluate", "--product", InlineProduct, "--cloud", "aws", "--date", "2026-03-15")]
    [TestCase("timeline", "--product", InlineProduct, "--from", "2026-01-01", "--to", "2026-12-31")]
    [TestCase("why-not", "--product", InlineProduct, "--cloud", "aws", "--date", "2026-03-15", "--want", "Permitted")]
    public void Question_InlineProductIdWithControls_IsShownEscaped(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
        Assert.That(stdout, Does.StartWith($"x{Shown}y"));
    }

    [Test]
    public void Test_ScenarioNameWithControls_IsShownEscaped()
    {
        var folder = Directory.CreateTempSubdirectory("escapes").FullName;
        var file = Path.Combine(folder, "suite.json");
        // The JSON escapes \u001b and \u0007 stand for the controls themselves.
        File.WriteAllText(file, """
            {"scenarios": [{"name": "evil\u001b[2J\u0007name", "product": "frontier", "cloud": "aws", "date": "2026-03-15", "expect": {"combined": "Permitted"}}]}
            """);
        try
        {
            var (exit, stdout, _) = CliRunner.Run(["test", file]);

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stdout, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
            Assert.That(stdout, Does.Contain($"FAIL {file}:1: evil{Shown}name"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // An error is one line on stderr: a path, a typed value or a written field name with a line break forged a second.
    [Test]
    public void Errors_PathTypedValueOrFieldWithControls_StayOneEscapedLine()
    {
        var folder = Directory.CreateTempSubdirectory("escapes").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a\u001b[2J\nerror: forged.json"), """{"scenarios": [{"name": "x", "product": "frontier", "cloud": "aws", "date": "2026-02-30", "expect": {"combined": "Permitted"}}]}""");
            var periods = Path.Combine(folder, "periods.jsonl");
            File.WriteAllText(periods, "{\"date\":\"2026-01-01\",\"revenue\":1,\"\\u001b]0;x\\u0007\\nerror: forged\":1}\n");

            var runs = new[]
            {
                CliRunner.Run(["test", folder]),
                CliRunner.Run(["versions", "--format", "\u001b]0;x\u0007\njsn"]),
                CliRunner.Run(["revenue", "--input", periods, "--rate", "0.1"]),
                CliRunner.Run(["batch", "--input", Path.Combine(folder, "no\u001b\nsuch")]),
                CliRunner.Run(["batch", "--input", Path.Combine(folder, "x\nerror: forged")]),
            };

            foreach (var (exit, _, stderr) in runs)
            {
                Assert.That(exit, Is.EqualTo(2), stderr);
                Assert.That(stderr, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
                var lines = stderr.Split('\n');
                Assert.That(lines.Count(l => l.StartsWith("error:", StringComparison.Ordinal)), Is.EqualTo(1), stderr);
                Assert.That(lines.Where(l => l.StartsWith("error: forged", StringComparison.Ordinal)), Is.Empty, "no forged line");
                Assert.That(stderr, Does.Contain("\\u000A").Or.Contain("\\u001B"), stderr);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Found by a review: the valid-rule-set line and impact's header echoed the rule folder's path raw.
    [Test]
    public void Reports_RuleFolderPathWithControls_IsShownEscaped()
    {
        var parent = Directory.CreateTempSubdirectory("escapes").FullName;
        using var rules = new RuleSetCopy();
        var hostile = Path.Combine(parent, "r\u001b[2J\u0007s");
        try
        {
            CopyFolder(rules.Directory, hostile);

            var validate = CliRunner.Run(["validate", "--rules", hostile]);
            var impact = CliRunner.Run(["impact", "--before", hostile, "--after", rules.Directory]);

            Assert.That(validate.Exit, Is.Zero, validate.Stderr);
            Assert.That(validate.Stdout, Does.StartWith($"{parent}/r{Shown}s: the rule set is valid"));
            Assert.That(impact.Exit, Is.Zero, impact.Stderr);
            Assert.That(impact.Stdout, Does.StartWith($"impact of {parent}/r{Shown}s ("));
            Assert.That(validate.Stdout + impact.Stdout, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    // A zero-width joiner or non-joiner is part of a Persian word or an emoji; only what rewrites a line is escaped.
    [TestCase("\u062E\u0627\u0646\u0647\u200C\u0647\u0627", "\u062E\u0627\u0646\u0647\u200C\u0647\u0627")]
    [TestCase("\U0001F469\u200D\U0001F4BB team", "\U0001F469\u200D\U0001F4BB team")]
    [TestCase("a\u202Eb", "a\\u202Eb")]
    [TestCase("a\u2066b\u2069", "a\\u2066b\\u2069")]
    [TestCase("a\u2028b", "a\\u2028b")]
    [TestCase("a\u0085b\u007F", "a\\u0085b\\u007F")]
    [TestCase("a\tb\r\n", "a\\u0009b\\u000D\\u000A")]
    public void Quote_Escaped_EscapesWhatRewritesALineOnly(string value, string shown) =>
        Assert.That(ExclusivityEngine.Scenarios.Quote.Escaped(value), Is.EqualTo(shown));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    // Found by a review: escaping the whole message joined a broken rule set's problem lines with a literal \u000A.
    [Test]
    public void Errors_BrokenRuleSet_KeepsOneProblemALine()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", "\"forbid\"", "\"forbidd\"");

        var (exit, _, stderr) = CliRunner.Run(["evaluate", "--rules", rules.Directory, "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15"]);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Not.Contain("\\u000A"));
        var lines = stderr.TrimEnd().Split('\n');
        Assert.That(lines[0], Does.StartWith("error: the rule set cannot be used (1 problem(s)):"));
        Assert.That(lines[1], Does.Contain("forbidd"));
    }
}
