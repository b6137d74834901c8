using ExclusivityEngine.Questions;
using static ExclusivityEngine.Tests.Questions.QuestionFixtures;

namespace ExclusivityEngine.Tests.Questions;

public sealed class RuleSetAnalysisTests
{
    private static readonly DateOnly From = D("2019-01-01");
    private static readonly DateOnly To = D("2035-12-31");

    private static Analysis? _shipped;

    private static Analysis ShippedAnalysis => _shipped ??= RuleSetAnalysis.Run(Shipped, From, To);

    private static string Line(ProductRegion r) =>
        $"{r.Product}{(r.Cloud is null ? "" : "/" + r.Cloud)} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd} [{Text(r.Facts)}]";

    [Test]
    public void Run_ShippedRules_OnlyTheExpiredLicenceOf2025IsDead()
    {
        // msft-openai-2025-10 is in force until 2026-04-26, so its clause for dates after 2032-12-31 never applies.
        // Every other clause applies somewhere while in force (2026-04's license-term-ended from 2033 on).
        Assert.That(ShippedAnalysis.Dead.Select(c => $"{c.Version}/{c.Clause}"), Is.EqualTo(new[] { "msft-openai-2025-10/microsoft-license-expired" }));
    }

    [Test]
    public void Run_ShippedRules_NoClauseAlwaysOverridden()
    {
        // The overridden clauses (azure-exclusive-hosting, stateless-api-exclusivity, the revenue shares) all take
        // effect for a general, unverified scenario of some product.
        Assert.That(ShippedAnalysis.AlwaysOverridden, Is.Empty);
    }

    [Test]
    public void Run_ShippedRules_BlockedPeriods()
    {
        // stateful-runtime: aws-2026-02 forbids every cloud but AWS. On AWS, Microsoft's 2025-10 reading requires
        // statelessCallsOnAzure while unverified; from 2026-04-27, azure-first-ship requires shipped or declined.
        // open-weight-model: 2025-10's open-weight-criteria requires the criteria on every cloud.
        // Microsoft's products: 2026-04's license-term-ended forbids everywhere after 2032.
        Assert.That(ShippedAnalysis.Blocked.Select(Line), Is.EqualTo(new[]
        {
            "stateful-runtime 2026-02-27..2026-04-26 [agiVerified=false, statelessCallsOnAzure=false]",
            "stateful-runtime 2026-04-27..2035-12-31 [microsoftDeclined=false, shippedOnAzureFirst=false]",
            "open-weight-model 2025-10-28..2026-04-26 [meetsOpenWeightCriteria=false]",
            "azure-openai-service 2033-01-01..2035-12-31 []",
            "microsoft-copilot 2033-01-01..2035-12-31 []",
        }));
    }

    [Test]
    public void Run_ShippedRules_DisputedWhereMicrosoftsReadingDisagrees()
    {
        // Frontier: 2025-10 permits (non-api-any-cloud), the reading forbids off Azure for general unverified scenarios.
        // The stateful runtime: the reading's require is unmet (false) or unresolved (unknown) off Azure, unverified.
        // The OpenAI API is forbidden by both, so not disputed.
        string[] clouds = ["aws", "google-cloud", "oracle", "openai", "other"];
        var expected = clouds.Select(c => $"frontier/{c} 2025-10-28..2026-04-26 [segment=general, agiVerified=false]")
            .Concat(clouds.SelectMany(c => new[]
            {
                $"stateful-runtime/{c} 2025-10-28..2026-04-26 [agiVerified=false, statelessCallsOnAzure=false]",
                $"stateful-runtime/{c} 2025-10-28..2026-04-26 [agiVerified=false, statelessCallsOnAzure=null]",
            }));
        Assert.That(ShippedAnalysis.Disputed.Select(Line), Is.EqualTo(expected));
    }

    [Test]
    public void Run_RangeBefore2033_LicenceEndIsDeadToo()
    {
        var analysis = RuleSetAnalysis.Run(Shipped, From, D("2032-12-31"));

        Assert.That(analysis.Dead.Select(c => $"{c.Version}/{c.Clause}"), Is.EqualTo(new[]
        {
            "msft-openai-2025-10/microsoft-license-expired",
            "msft-openai-2026-04/license-term-ended",
        }));
        Assert.That(analysis.Blocked.Select(r => r.Product), Has.No.Member("microsoft-copilot"));
    }

    [Test]
    public void Run_AddedClauses_DeadAndAlwaysOverriddenFound()
    {
        // A forbid on ChatGPT on Oracle that an unconditional permit on Oracle always overrides, and a clause for a
        // product the catalogue does not have.
        var engine = WithExtraClauses("aws-openai-2026-02",
            """{"id": "test-forbid-oracle", "effect": "forbid", "when": "product.id == \"chatgpt\" and cloud == \"oracle\"", "source": "test"}""",
            """{"id": "test-permit-oracle", "effect": "permit", "when": "cloud == \"oracle\"", "overrides": ["test-forbid-oracle"], "source": "test"}""",
            """{"id": "test-no-such-product", "effect": "forbid", "when": "product.id == \"no-such-product\"", "source": "test"}""");

        var analysis = RuleSetAnalysis.Run(engine, From, To);

        Assert.That(analysis.Dead.Select(c => $"{c.Version}/{c.Clause}"), Is.EqualTo(new[]
        {
            "msft-openai-2025-10/microsoft-license-expired",
            "aws-openai-2026-02/test-no-such-product",
        }));
        Assert.That(analysis.AlwaysOverridden.Select(c => $"{c.Version}/{c.Clause} by {string.Join(",", c.By)}"),
            Is.EqualTo(new[] { "aws-openai-2026-02/test-forbid-oracle by test-permit-oracle" }));
    }
}
