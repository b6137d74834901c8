using ExclusivityEngine.Explanation;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Revenue;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests;

/// <summary>
/// The library as a compliance tool calls it: an argument it cannot use is refused at the call with an
/// <see cref="ArgumentException"/> naming it, never a hang, a silently empty answer or a <see cref="NullReferenceException"/>
/// from deep inside (all found by an adversarial run against the public API).
/// </summary>
public sealed class LibraryArgumentTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    private static IEnumerable<TestCaseData> UnusableBatchOptions()
    {
        yield return new TestCaseData(new BatchOptions { Parallelism = -1 }).SetName("Parallelism -1 (hung forever)");
        yield return new TestCaseData(new BatchOptions { Parallelism = 0 }).SetName("Parallelism 0");
        yield return new TestCaseData(new BatchOptions { BlockLines = 0 }).SetName("BlockLines 0 (dropped every line)");
        yield return new TestCaseData(new BatchOptions { BlockLines = -5 }).SetName("BlockLines -5");
        yield return new TestCaseData(new BatchOptions { MaxLineBytes = -1 }).SetName("MaxLineBytes -1 (answered blank lines)");
        yield return new TestCaseData(new BatchOptions { Detail = (Detail)9 }).SetName("Detail not a level");
        yield return new TestCaseData(new BatchOptions { Parallelism = -1, SessionPerScenario = true }).SetName("Parallelism -1 per session");
    }

    [TestCaseSource(nameof(UnusableBatchOptions))]
    public void Batch_UnusableOptions_AreRefusedWhenTheBatchIsMade(BatchOptions options) =>
        Assert.That(() => new Batch(Engine, options), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void Batch_SmallestUsableOptions_AnswerEveryLine()
    {
        var input = new MemoryStream("{\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n\n{\"product\":\"chatgpt\",\"cloud\":\"azure\",\"date\":\"2026-05-01\"}\n"u8.ToArray());
        var output = new MemoryStream();

        var counts = new Batch(Engine, new BatchOptions { Parallelism = 1, BlockLines = 1 }).RunAsync(input, output).GetAwaiter().GetResult();

        Assert.That(counts, Is.EqualTo(new BatchCounts(3, 2, 0)));
        Assert.That(System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public void RevenueSchedule_NegativeRevenueBuiltByTheCaller_IsRefusedAsTheReadersRefuseIt()
    {
        var schedule = RevenueSchedule.Compute(Engine, new RevenueTerms(0.2m, 10m),
            [new RevenuePeriod(1, "q1", new DateOnly(2026, 5, 31), -1000m), new RevenuePeriod(2, "q2", new DateOnly(2026, 6, 30), 100m)], out var error);

        Assert.That(schedule, Is.Null);
        Assert.That((error!.Line, error.Field), Is.EqualTo((1L, "revenue")));
        Assert.That(error.Message, Does.Contain("-1000").And.Contain("negative"));
    }

    private static IEnumerable<TestCaseData> NullArguments()
    {
        var scenario = new Scenario(Engine.Rules.Catalogue.Products[0], "aws", new DateOnly(2026, 3, 15));
        yield return new TestCaseData((Action)(() => Engine.Evaluate((Scenario)null!))).SetName("Evaluate(Scenario)");
        yield return new TestCaseData((Action)(() => Engine.Evaluate((ScenarioInput)null!))).SetName("Evaluate(ScenarioInput)");
        yield return new TestCaseData((Action)(() => Engine.EvaluateInSession(null!))).SetName("EvaluateInSession");
        yield return new TestCaseData((Action)(() => Engine.Load((RuleFiles)null!))).SetName("Load(RuleFiles)");
        yield return new TestCaseData((Action)(() => Engine.Validate(null!))).SetName("Validate");
        yield return new TestCaseData((Action)(() => WhyNot.Ask(null!, scenario, Permission.Permitted))).SetName("WhyNot.Ask engine");
        yield return new TestCaseData((Action)(() => WhyNot.Ask(Engine, null!, Permission.Permitted))).SetName("WhyNot.Ask scenario");
        yield return new TestCaseData((Action)(() => _ = new Batch(null!, new BatchOptions()))).SetName("Batch engine");
        yield return new TestCaseData((Action)(() => _ = new Batch(Engine, null!))).SetName("Batch options");
        yield return new TestCaseData((Action)(() => new Batch(Engine, new BatchOptions()).RunAsync(null!, new MemoryStream()).GetAwaiter().GetResult())).SetName("RunAsync input");
        yield return new TestCaseData((Action)(() => RevenueSchedule.Compute(Engine, new RevenueTerms(0.2m), null!, out _))).SetName("RevenueSchedule periods");
        yield return new TestCaseData((Action)(() => RevenueSchedule.Compute(Engine, null!, [], out _))).SetName("RevenueSchedule terms");
        yield return new TestCaseData((Action)(() => RevenueSchedule.Compute(Engine, new RevenueTerms(0.2m), [null!], out _))).SetName("RevenueSchedule period");
        yield return new TestCaseData((Action)(() => new ScenarioInput().Resolve(null!, out _))).SetName("ScenarioInput.Resolve");
        yield return new TestCaseData((Action)(() => Engine.Rules.IsInForce(null!, default))).SetName("RuleSet.IsInForce");
        yield return new TestCaseData((Action)(() => RuleSetImpact.Compare(null!, Engine, default, default))).SetName("RuleSetImpact.Compare");
        yield return new TestCaseData((Action)(() => RuleSetChanges.Between(null!, Engine.Rules))).SetName("RuleSetChanges.Between");
        yield return new TestCaseData((Action)(() => VerdictSummary.Of(null!))).SetName("VerdictSummary.Of");
        yield return new TestCaseData((Action)(() => AssessmentText.Render(null!, ""))).SetName("AssessmentText.Render");
        yield return new TestCaseData((Action)(() => QuestionsText.Render((WhyNotAnswer)null!))).SetName("QuestionsText.Render");
    }

    [TestCaseSource(nameof(NullArguments))]
    public void PublicApi_NullArgument_IsArgumentNullException(Action call) =>
        Assert.That(call, Throws.InstanceOf<ArgumentNullException>());

    [Test]
    public void VersionDiff_RowOfAnotherEngine_IsRefusedNamingWhy()
    {
        var other = Engine.Load(RuleFiles.FromDirectory(Path.Combine(Repository.Root, "rules")));

        Assert.That(() => VersionDiff.Compare(Engine, other.Rules.Rows[0], Engine.Rules.Rows[1], new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)),
            Throws.ArgumentException.With.Message.Contains("rows of the engine's rule set"));
    }
}
