using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Scenarios;
using static ExclusivityEngine.Tests.Questions.QuestionFixtures;

namespace ExclusivityEngine.Tests.Questions;

/// <summary>
/// Expected changes are worked out by hand from agreements.md; each comment gives the reasoning.
/// </summary>
public sealed class WhyNotTests
{
    private static string[] Changes(WhyNotAnswer answer) =>
        [.. answer.Changes.Select(c => $"{Text(c.Set)} -> {c.Verdict.Permission}")];

    [Test]
    public void Ask_OpenAiApiOnAwsJanuary2026_SegmentOrVerifiedAgi()
    {
        // 2025-10 forbids by stateless-api-exclusivity; national-security-exception or agi-verified-ends-exclusivity
        // override it, and Microsoft's reading forbids only general, unverified scenarios. A verification needs a
        // declaration, so both dates change. No other fact is read for a stateless API under 2025-10 or aws-2025-11.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "openai-api", "aws", "2026-01-15"), Permission.Permitted);

        Assert.That(answer.Assessment.Combined.Permission, Is.EqualTo(Permission.Prohibited));
        Assert.That(Changes(answer), Is.EqualTo(new[]
        {
            "segment=us-national-security -> Permitted",
            "agiDeclaredOn=2026-01-15, agiVerifiedOn=2026-01-15 -> Permitted",
        }));
        Assert.That(answer.Elsewhere, Is.Null);
    }

    [Test]
    public void Ask_DeclaredEarlier_VerificationAloneIsMinimal()
    {
        // Declared in 2025: verifying on the date is one change; changing both dates alters a superset of it.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "openai-api", "aws", "2026-01-15", s => s.AgiDeclaredOn = "2025-01-01"), Permission.Permitted);

        Assert.That(Changes(answer), Is.EqualTo(new[]
        {
            "segment=us-national-security -> Permitted",
            "agiVerifiedOn=2026-01-15 -> Permitted",
        }));
    }

    [Test]
    public void Ask_FrontierOnAwsMarch2026_MicrosoftsReadingIsLifted()
    {
        // Only Microsoft's reading forbids (first-party-products-on-azure: general and not verified).
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "frontier", "aws", "2026-03-15"), Permission.Permitted);

        Assert.That(answer.Assessment.Combined.Permission, Is.EqualTo(Permission.Prohibited));
        Assert.That(Changes(answer), Is.EqualTo(new[]
        {
            "segment=us-national-security -> Permitted",
            "agiDeclaredOn=2026-03-15, agiVerifiedOn=2026-03-15 -> Permitted",
        }));
        Assert.That(answer.Changes[0].Verdict.Decisive.Select(d => $"{d.Row.Id}/{d.Clause.Id}"),
            Is.EqualTo(new[] { "msft-openai-2025-10/non-api-any-cloud", "aws-openai-2026-02/aws-compute-capacity" }));
    }

    [Test]
    public void Ask_OpenAiApiOnAws2019_OnlyADeclaration()
    {
        // Under the 2019 terms alone, agi-declared-ends-exclusivity overrides azure-exclusive-hosting; the segment is not read.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "openai-api", "aws", "2019-07-22"), Permission.Permitted);

        Assert.That(Changes(answer), Is.EqualTo(new[] { "agiDeclaredOn=2019-07-22 -> Permitted" }));
    }

    [Test]
    public void Ask_StatefulRuntimeOnAws2027_DeclineOrShipFirst()
    {
        // 2026-04: azure-first-ship needs shippedOnAzureFirst (default false) or microsoftDeclined (unknown): Conditional.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "stateful-runtime", "aws", "2027-01-01"), Permission.Permitted);

        Assert.That(answer.Assessment.Combined.Permission, Is.EqualTo(Permission.Conditional));
        Assert.That(Changes(answer), Is.EqualTo(new[]
        {
            "microsoftDeclined=true -> Permitted",
            "shippedOnAzureFirst=true -> Permitted",
        }));
    }

    [Test]
    public void Ask_WantConditional_UnknownIsEnoughToo()
    {
        // Both facts false: the require fails (Prohibited). Making either true permits; making either unknown leaves
        // it unresolved (Conditional), which is not Prohibited.
        var scenario = Scenario(Shipped, "stateful-runtime", "aws", "2027-01-01", s => s.MicrosoftDeclined = TriStateInput.False);
        var answer = WhyNot.Ask(Shipped, scenario, Permission.Conditional);

        Assert.That(answer.Assessment.Combined.Permission, Is.EqualTo(Permission.Prohibited));
        Assert.That(Changes(answer), Is.EquivalentTo(new[]
        {
            "microsoftDeclined=true -> Permitted",
            "microsoftDeclined=null -> Conditional",
            "shippedOnAzureFirst=true -> Permitted",
            "shippedOnAzureFirst=null -> Conditional",
        }));
    }

    [Test]
    public void Ask_AlreadyReached_OneEmptyChange()
    {
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "chatgpt", "azure", "2026-01-15"), Permission.Permitted);

        Assert.That(answer.Changes, Has.Count.EqualTo(1));
        Assert.That(answer.Changes[0].Set, Is.Empty);
        Assert.That(answer.Changes[0].Verdict.Permission, Is.EqualTo(Permission.Permitted));
    }

    [Test]
    public void Ask_OpenWeightModel_OnlyTheCriteria()
    {
        // 2025-10: open-weight-criteria requires meetsOpenWeightCriteria on every cloud; nothing else is in the way.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "open-weight-model", "aws", "2026-01-15"), Permission.Permitted);

        Assert.That(Changes(answer), Is.EqualTo(new[] { "meetsOpenWeightCriteria=true -> Permitted" }));
    }

    [Test]
    public void Ask_StatefulRuntimeOnAzure2027_NoChangeSoElsewhere()
    {
        // aws-2026-02 forbids the stateful runtime on every cloud but AWS, whatever the facts. On AWS it is Conditional
        // (shippedOnAzureFirst false, microsoftDeclined unknown). On Azure it was last Permitted on 2026-02-26, before
        // aws-2026-02 took effect (2025-10's non-api-any-cloud); it never is again.
        var scenario = Scenario(Shipped, "stateful-runtime", "azure", "2027-01-01");

        var permitted = WhyNot.Ask(Shipped, scenario, Permission.Permitted);
        var conditional = WhyNot.Ask(Shipped, scenario, Permission.Conditional);

        Assert.That(permitted.Changes, Is.Empty);
        Assert.That(permitted.Elsewhere, Is.EqualTo(new Elsewhere([], D("2026-02-26"), null)).Using<Elsewhere>(SameElsewhere));
        Assert.That(conditional.Elsewhere, Is.EqualTo(new Elsewhere(["aws"], D("2026-02-26"), null)).Using<Elsewhere>(SameElsewhere));
    }

    [Test]
    public void Ask_MicrosoftProductAfter2032_LaterNever_EarlierEndOfLicence()
    {
        // 2026-04's license-term-ended forbids on every cloud after 2032-12-31; no fact is read for it.
        var answer = WhyNot.Ask(Shipped, Scenario(Shipped, "microsoft-copilot", "azure", "2034-06-01"), Permission.Permitted);

        Assert.That(answer.Changes, Is.Empty);
        Assert.That(answer.Elsewhere, Is.EqualTo(new Elsewhere([], D("2032-12-31"), null)).Using<Elsewhere>(SameElsewhere));
    }

    private static bool SameElsewhere(Elsewhere x, Elsewhere y) =>
        x.Clouds.SequenceEqual(y.Clouds) && x.Earlier == y.Earlier && x.Later == y.Later;
}
