using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using static ExclusivityEngine.Tests.Questions.QuestionFixtures;

namespace ExclusivityEngine.Tests.Questions;

public sealed class VersionDiffTests
{
    private static readonly DateOnly From = D("2019-01-01");
    private static readonly DateOnly To = D("2035-12-31");

    private static string Line(DiffRegion r) => $"{r.Product}/{r.Cloud} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd} [{Text(r.Facts)}] {r.A}->{r.B}";

    [Test]
    public void Compare_AwsAgreements_ExactlyTheNewExclusivities()
    {
        // aws-2025-11 only permits (AWS compute): Permitted everywhere. aws-2026-02 forbids Frontier on google-cloud,
        // oracle and other, and the stateful runtime on every cloud but AWS; no fact is read, so no fact is fixed.
        var rules = Shipped.Rules.RowsById;
        var diff = VersionDiff.Compare(Shipped, rules["aws-openai-2025-11"], rules["aws-openai-2026-02"], From, To);

        Assert.That(diff.Regions.Select(Line), Is.EqualTo(new[]
        {
            "frontier/google-cloud 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "frontier/oracle 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "frontier/other 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "stateful-runtime/azure 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "stateful-runtime/google-cloud 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "stateful-runtime/oracle 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "stateful-runtime/openai 2019-01-01..2035-12-31 [] Permitted->Prohibited",
            "stateful-runtime/other 2019-01-01..2035-12-31 [] Permitted->Prohibited",
        }));
    }

    [Test]
    public void Compare_April2026Amendment_OpenAiApiOnAws()
    {
        // 2025-10: Prohibited exactly when general and not verified (stateless-api-exclusivity, not overridden).
        // 2026-04: azure-first-ship: Permitted if shipped or declined is true, Prohibited if both false, else Conditional.
        var rules = Shipped.Rules.RowsById;
        var diff = VersionDiff.Compare(Shipped, rules["msft-openai-2025-10"], rules["msft-openai-2026-04"], From, To, Shipped.Rules.Catalogue.ProductsById["openai-api"]);
        var aws = diff.Regions.Where(r => r.Cloud == "aws").Select(Line).ToList();

        Assert.That(aws, Has.Member("openai-api/aws 2019-01-01..2035-12-31 [segment=general, agiVerified=false, shippedOnAzureFirst=true] Prohibited->Permitted"));
        Assert.That(aws, Has.Member("openai-api/aws 2019-01-01..2035-12-31 [segment=us-national-security, microsoftDeclined=false, shippedOnAzureFirst=false] Permitted->Prohibited"));
        Assert.That(aws, Has.Member("openai-api/aws 2019-01-01..2035-12-31 [segment=general, agiVerified=true, microsoftDeclined=false, shippedOnAzureFirst=false] Permitted->Prohibited"));
        // Prohibited->Permitted: shipped true (one region) or shipped false/unknown with declined true (two); and
        // Prohibited->Conditional: the three pairs of (declined, shipped) with no true and some unknown; the mirror
        // image for scenarios 2025-10 permits (national security, or verified) gives 4 + 4 regions.
        Assert.That(aws, Has.Count.EqualTo(3 + 3 + 4 + 4));
        Assert.That(diff.Regions.Where(r => r.Cloud == "azure"), Is.Empty, "on Azure both permit");
    }

    [Test]
    public void Compare_NewClauseWithNewDate_AppearsFromThatDate()
    {
        // A clause the C# has never heard of, with a date no other clause uses: the boundary and the fact are derived.
        var engine = WithExtraClauses("aws-openai-2026-02",
            """{"id": "test-chatgpt-oracle", "effect": "require", "when": "product.id == \"chatgpt\" and cloud == \"oracle\" and date >= \"2030-06-01\"", "anyOf": ["statelessCallsOnAzure"], "source": "test"}""");
        var rules = engine.Rules.RowsById;
        var diff = VersionDiff.Compare(engine, rules["aws-openai-2025-11"], rules["aws-openai-2026-02"], From, To, engine.Rules.Catalogue.ProductsById["chatgpt"]);

        Assert.That(diff.Regions.Select(Line), Is.EqualTo(new[]
        {
            "chatgpt/oracle 2030-06-01..2035-12-31 [statelessCallsOnAzure=false] Permitted->Prohibited",
            "chatgpt/oracle 2030-06-01..2035-12-31 [statelessCallsOnAzure=null] Permitted->Conditional",
        }));
    }

    [TestCase("msft-openai-2025-10", "msft-openai-2026-04")]
    [TestCase("msft-openai-2019", "msft-openai-2025-10")]
    [TestCase("msft-openai-2025-10", "msft-openai-2025-10@microsoft-2026-02")]
    [TestCase("aws-openai-2026-02", "msft-openai-2026-04")]
    public void Compare_SampledScenarios_EachDifferenceInExactlyOneRegion(string a, string b)
    {
        var engine = Shipped;
        var rowA = engine.Rules.RowsById[a];
        var rowB = engine.Rules.RowsById[b];
        var diff = VersionDiff.Compare(engine, rowA, rowB, From, To);
        var random = new Random(20260427);
        var catalogue = engine.Rules.Catalogue;
        // Around every boundary and anywhere in the range.
        var dates = engine.Compiled.Boundaries.SelectMany(d => new[] { d.AddDays(-1), d }).Where(d => d >= From && d <= To).ToList();
        bool?[] tri = [true, false, null];
        for (var i = 0; i < 4000; i++)
        {
            var date = i % 2 == 0 ? dates[random.Next(dates.Count)] : From.AddDays(random.Next(To.DayNumber - From.DayNumber + 1));
            var product = catalogue.Products[random.Next(catalogue.Products.Count)];
            var agi = random.Next(3);
            var scenario = new Scenario(product, catalogue.Clouds[random.Next(catalogue.Clouds.Count)].Id, date,
                Segments.All[random.Next(2)],
                agi >= 1 ? date.AddDays(-random.Next(2)) : (random.Next(2) == 0 ? null : date.AddDays(1)),
                agi == 2 ? date : null,
                tri[random.Next(3)], tri[random.Next(3)], tri[random.Next(3)], tri[random.Next(3)]);
            var rows = engine.Evaluate(scenario).Rows;
            var (pa, pb) = (rows[rowA.Index].Permission, rows[rowB.Index].Permission);
            var holding = diff.Regions.Where(r => Holds(r, scenario)).ToList();
            if (pa == pb)
            {
                Assert.That(holding, Is.Empty, $"{scenario}: both {pa}, yet in a region");
            }
            else
            {
                Assert.That(holding, Has.Count.EqualTo(1), $"{scenario}: {pa} -> {pb}");
                Assert.That((holding[0].A, holding[0].B), Is.EqualTo((pa, pb)), scenario.ToString());
            }
        }
    }

    [TestCase("msft-openai-2025-10", "msft-openai-2026-04")]
    [TestCase("msft-openai-2025-10", "msft-openai-2025-10@microsoft-2026-02")]
    public void Compare_EveryRegion_MaximalAndDisjoint(string a, string b)
    {
        var engine = Shipped;
        var rowA = engine.Rules.RowsById[a];
        var rowB = engine.Rules.RowsById[b];
        var diff = VersionDiff.Compare(engine, rowA, rowB, From, To);
        foreach (var region in diff.Regions)
        {
            var product = engine.Rules.Catalogue.ProductsById[region.Product];
            var others = diff.Regions.Where(r => !ReferenceEquals(r, region) && r.Product == region.Product && r.Cloud == region.Cloud).ToList();
            foreach (var date in new[] { region.From, region.To })
            {
                var points = AllFacts(product, region.Cloud, date).ToList();
                Assert.That(points.Where(s => Holds(region, s)).All(s => Permissions(engine, s, rowA, rowB) == (region.A, region.B)), Line(region));
                Assert.That(points.Where(s => Holds(region, s)).Any(s => others.Any(o => Holds(o, s))), Is.False, $"overlap: {Line(region)}");
            }
            // Dropping any fixed fact must take in a scenario of another kind, or one of another region.
            foreach (var dropped in region.Facts)
            {
                var wider = region with { Facts = [.. region.Facts.Where(f => f != dropped)] };
                var widened = AllFacts(product, region.Cloud, region.From).Where(s => Holds(wider, s));
                Assert.That(widened.Any(s => Permissions(engine, s, rowA, rowB) != (region.A, region.B) || others.Any(o => Holds(o, s))), $"not maximal: {Line(region)} without {dropped.Fact}");
            }
            // The same facts and permissions never continue in a region right after it.
            Assert.That(others.Any(o => o.From == region.To.AddDays(1) && Text(o.Facts) == Text(region.Facts) && (o.A, o.B) == (region.A, region.B)), Is.False, Line(region));
        }
    }

    private static (Permission, Permission) Permissions(Engine engine, Scenario s, Row a, Row b)
    {
        var rows = engine.Evaluate(s).Rows;
        return (rows[a.Index].Permission, rows[b.Index].Permission);
    }

    internal static IEnumerable<Scenario> AllFacts(Product product, string cloud, DateOnly date)
    {
        bool?[] tri = [true, false, null];
        foreach (var segment in Segments.All)
        {
            foreach (var agi in new[] { 0, 1, 2 })
            {
                foreach (var m in tri)
                {
                    foreach (var s in tri)
                    {
                        foreach (var o in tri)
                        {
                            foreach (var c in tri)
                            {
                                yield return new Scenario(product, cloud, date, segment, agi >= 1 ? date : null, agi == 2 ? date : null, m, s, o, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Whether a region holds a scenario: product, cloud, date, and every fixed fact (AGI as of the date).</summary>
    internal static bool Holds(DiffRegion r, Scenario s) =>
        r.Product == s.Product.Id && r.Cloud == s.Cloud && r.From <= s.Date && s.Date <= r.To && FactsHold(r.Facts, s);

    internal static bool FactsHold(IReadOnlyList<FactSetting> facts, Scenario s) => facts.All(f => f.Fact switch
    {
        Facts.Segment => Equals(f.Value, s.Segment),
        Facts.AgiDeclared => Equals(f.Value, s.AgiDeclared),
        Facts.AgiVerified => Equals(f.Value, s.AgiVerified),
        _ => Equals(f.Value, s.TriState(f.Fact)),
    });
}
