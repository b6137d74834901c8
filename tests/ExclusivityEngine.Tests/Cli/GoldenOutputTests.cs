namespace ExclusivityEngine.Tests.Cli;

/// <summary>What people and programs read, pinned as golden files.</summary>
public sealed class GoldenOutputTests
{
    [TestCase("evaluate-frontier-aws-2026-03-15.txt", "evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15")]
    [TestCase("evaluate-frontier-aws-2026-03-15.json", "evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json")]
    [TestCase("evaluate-stateful-runtime-azure-2026-05-01.txt", "evaluate", "--product", "stateful-runtime", "--cloud", "azure", "--date", "2026-05-01", "--microsoft-declined", "false")]
    [TestCase("evaluate-open-weight-model-aws-2025-12-01.json", "evaluate", "--product", "open-weight-model", "--cloud", "aws", "--date", "2025-12-01", "--agi-declared", "2025-11-01", "--format", "json")]
    [TestCase("evaluate-inline-aws-2026-05-01.json", "evaluate", "--product", "{\"id\":\"frontier\",\"interface\":\"app\",\"origin\":\"joint\",\"offeredBy\":\"openai\"}", "--cloud", "oracle", "--date", "2026-05-01", "--format", "json")]
    [TestCase("versions.txt", "versions")]
    [TestCase("versions.json", "versions", "--format", "json")]
    public void Command_Output_MatchesGoldenFile(string golden, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.That(exit, Is.EqualTo(0), stderr);
        GoldenFiles.AssertMatches(golden, stdout);
    }

    [TestCase("--product", "frontier", "--cloud", "aws", "--date", "2026-13-01", "--date")]
    [TestCase("--product", "frontier", "--cloud", "mars", "--date", "2026-01-01", "--cloud")]
    [TestCase("--product", "frontier", "--cloud", "aws", "--date", "2026-01-01", "--agi-verified", "2025-01-01", "--agi-verified")]
    [TestCase("--product", "frontier", "--cloud", "aws", "--date", "2026-01-01", "--segment", "defence", "--segment")]
    public void Evaluate_BadInput_Exits2NamingTheOption(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(["evaluate", .. args[..^1]]);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain(args[^1]));
    }

    [Test]
    public void Evaluate_TriStateOptionOutsideItsValues_Exits2()
    {
        var (exit, _, stderr) = CliRunner.Run("evaluate", "--product", "frontier", "--cloud", "aws", "--date", "2026-01-01", "--microsoft-declined", "maybe");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("maybe"));
    }
}
