using ExclusivityEngine.Questions;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Questions;

/// <summary><c>diff</c> and <c>analyze</c> with <c>--exit-code</c> (as <c>git diff --exit-code</c>): 1 when they found something, for CI pipelines.</summary>
public sealed class ExitCodeOptionTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    [Test]
    public void Diff_VersionsThatDiffer_ExitOneWithTheOption_ZeroWithout()
    {
        var rows = Engine.Rules.RowsById;
        var regions = VersionDiff.Compare(Engine, rows["msft-openai-2025-10"], rows["msft-openai-2026-04"], new DateOnly(2019, 1, 1), new DateOnly(2035, 12, 31),
            Engine.Rules.Catalogue.ProductsById["openai-api"]).Regions;
        Assert.That(regions, Is.Not.Empty, "the April 2026 amendment changed what the OpenAI API may do");

        var with = CliRun.Of("diff", "msft-openai-2025-10", "msft-openai-2026-04", "--product", "openai-api", "--exit-code");
        var without = CliRun.Of("diff", "msft-openai-2025-10", "msft-openai-2026-04", "--product", "openai-api");

        Assert.That(with.ExitCode, Is.EqualTo(1), with.Stderr);
        Assert.That(without.ExitCode, Is.Zero, without.Stderr);
        Assert.That(with.Stdout, Is.EqualTo(without.Stdout), "the option changes the exit code only");
    }

    [Test]
    public void Diff_AVersionWithItself_ExitZeroWithTheOption()
    {
        var run = CliRun.Of("diff", "aws-openai-2026-02", "aws-openai-2026-02", "--exit-code");

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
    }

    [Test]
    public void Analyze_FindingsInTheShippedRuleSet_ExitOneWithTheOption_ZeroWithout()
    {
        var analysis = RuleSetAnalysis.Run(Engine, new DateOnly(2019, 1, 1), new DateOnly(2035, 12, 31));
        Assert.That(analysis.Dead.Count + analysis.Blocked.Count + analysis.Disputed.Count, Is.GreaterThan(0), "the shipped rule set has blocked and disputed periods");

        Assert.That(CliRun.Of("analyze", "--exit-code", "--format", "json").ExitCode, Is.EqualTo(1));
        Assert.That(CliRun.Of("analyze", "--format", "json").ExitCode, Is.Zero);
    }
}
