using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using static ExclusivityEngine.Tests.Questions.QuestionFixtures;

namespace ExclusivityEngine.Tests.Questions;

/// <summary>
/// <c>impact</c> on edits a lawyer would make, each region worked out by hand from agreements.md; then every region
/// checked against both engines.
/// </summary>
public sealed class ImpactTests
{
    private static readonly DateOnly From = D("2019-01-01");
    private static readonly DateOnly To = D("2035-12-31");

    // Clauses as the combined verdict names them: the row, then the clause.
    private const string NonApi = "msft-openai-2025-10 non-api-any-cloud";
    private const string AgiVerifiedEnds = "msft-openai-2025-10 agi-verified-ends-exclusivity";
    private const string FirstPartyOnAzure = "msft-openai-2025-10@microsoft-2026-02 first-party-products-on-azure";
    private const string CallsOnAzure = "msft-openai-2025-10@microsoft-2026-02 collaboration-calls-on-azure";
    private const string AnyProduct = "msft-openai-2026-04 any-product-any-cloud";
    private const string AzureFirst = "msft-openai-2026-04 azure-first-ship";
    private const string FrontierExclusive = "aws-openai-2026-02 frontier-exclusive-third-party-distribution";
    private const string RuntimeExclusive = "aws-openai-2026-02 stateful-runtime-exclusive-hosting";
    private const string Compute2025 = "aws-openai-2025-11 aws-compute-capacity";
    private const string Compute2026 = "aws-openai-2026-02 aws-compute-capacity";

    private static string Line(ImpactRegion r) => $"{r.Product}/{r.Cloud} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd} [{Text(r.Facts)}] {Verdict(r.Before)} -> {Verdict(r.After)}";

    private static string Verdict(VerdictSummary v) =>
        $"{v.Permission}{(v.Disputed ? " disputed" : "")} [{string.Join(", ", v.Decisive.Select(d => $"{d.Version} {d.Clause}"))}]";

    private static Impact Compare(RuleSetCopy edited, out Engine after)
    {
        after = Engine.Load(edited.Directory);
        return RuleSetImpact.Compare(Shipped, after, From, To);
    }

    [Test]
    public void Compare_IdenticalRuleSets_NothingChanges()
    {
        using var copy = new RuleSetCopy();
        var impact = Compare(copy, out _);

        Assert.That(impact.Regions, Is.Empty);
        Assert.That(impact.Changes.IsEmpty, Is.True);
        Assert.That(impact.Changed, Is.False);
        Assert.That(impact.Before, Is.EqualTo(impact.After), "the same files hash the same");
    }

    [Test]
    public void Compare_AmendmentAMonthLater_ThatMonthFallsBackToOctober2025()
    {
        // 2026-04-27..2026-05-26: before, msft-openai-2026-04 is in force; after, msft-openai-2025-10 and Microsoft's
        // reading still are. AWS's February 2026 agreement is in force on both sides.
        using var copy = ImpactEdits.AmendmentAMonthLater();
        var impact = Compare(copy, out _);

        Assert.That(impact.Changes.VersionsChanged, Has.Count.EqualTo(1));
        var change = impact.Changes.VersionsChanged[0];
        Assert.That((change.Id, change.Fields.Single().Field, change.Fields.Single().Before, change.Fields.Single().After),
            Is.EqualTo(("msft-openai-2026-04", "effective", (object)D("2026-04-27"), (object)D("2026-05-27"))));
        Assert.That(impact.Changes.ClausesAdded.Concat(impact.Changes.ClausesRemoved), Is.Empty);
        Assert.That(impact.Changes.ClausesChanged, Is.Empty);

        Assert.That(impact.Regions.Select(r => (r.From, r.To)).Distinct(), Is.EqualTo(new[] { (D("2026-04-27"), D("2026-05-26")) }),
            "nothing changes outside the month the amendment moved");

        // Which pairs change, from the two versions' clauses:
        // - open weights: 2026-04 permits them anywhere; 2025-10 requires meetsOpenWeightCriteria: every cloud.
        // - chatgpt, consumer-device: 2025-10 permits non-API products anywhere; 2026-04 requires Azure first off Azure.
        // - openai-api, joint-api-product: 2025-10 forbids stateless APIs off Azure; 2026-04 requires Azure first.
        // - frontier: off Azure Microsoft's reading forbids it (disputed), 2026-04 requires Azure first.
        // - stateful-runtime: off Azure Microsoft's reading requires statelessCallsOnAzure (disputed).
        // - on Azure only open weights change; Microsoft's products keep their licence on both sides.
        string[] offAzure = ["aws", "google-cloud", "oracle", "openai", "other"];
        var expectedPairs = new[] { "open-weight-model/azure" }
            .Concat(new[] { "openai-api", "chatgpt", "frontier", "stateful-runtime", "joint-api-product", "open-weight-model", "consumer-device" }
                .SelectMany(p => offAzure.Select(c => $"{p}/{c}")))
            .Order(StringComparer.Ordinal);
        Assert.That(impact.Regions.Select(r => $"{r.Product}/{r.Cloud}").Distinct().Order(StringComparer.Ordinal), Is.EqualTo(expectedPairs));

        // ChatGPT through Google Cloud: 2026-04 (require shippedOnAzureFirst or microsoftDeclined) is Prohibited when
        // both are false and Conditional when neither is true and one is unknown; 2025-10 permits (non-api-any-cloud,
        // with agi-verified-ends-exclusivity once AGI is verified). Unknown is written null.
        const string Month = "2026-04-27..2026-05-26";
        Assert.That(Lines(impact, "chatgpt", "google-cloud"), Is.EquivalentTo(new[]
        {
            $"chatgpt/google-cloud {Month} [agiVerified=false, microsoftDeclined=false, shippedOnAzureFirst=false] Prohibited [{AzureFirst}] -> Permitted [{NonApi}]",
            $"chatgpt/google-cloud {Month} [agiVerified=false, microsoftDeclined=false, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Permitted [{NonApi}]",
            $"chatgpt/google-cloud {Month} [agiVerified=false, microsoftDeclined=null, shippedOnAzureFirst=false] Conditional [{AzureFirst}] -> Permitted [{NonApi}]",
            $"chatgpt/google-cloud {Month} [agiVerified=false, microsoftDeclined=null, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Permitted [{NonApi}]",
            $"chatgpt/google-cloud {Month} [agiVerified=true, microsoftDeclined=false, shippedOnAzureFirst=false] Prohibited [{AzureFirst}] -> Permitted [{NonApi}, {AgiVerifiedEnds}]",
            $"chatgpt/google-cloud {Month} [agiVerified=true, microsoftDeclined=false, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Permitted [{NonApi}, {AgiVerifiedEnds}]",
            $"chatgpt/google-cloud {Month} [agiVerified=true, microsoftDeclined=null, shippedOnAzureFirst=false] Conditional [{AzureFirst}] -> Permitted [{NonApi}, {AgiVerifiedEnds}]",
            $"chatgpt/google-cloud {Month} [agiVerified=true, microsoftDeclined=null, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Permitted [{NonApi}, {AgiVerifiedEnds}]",
        }));

        // Frontier through Google Cloud is Prohibited on both sides (AWS's exclusivity); what changes is the dispute:
        // Microsoft's reading forbids it for general customers until AGI is verified. The before side's decisive
        // clauses add azure-first-ship where it fails (both facts false), so the region splits there.
        Assert.That(Lines(impact, "frontier", "google-cloud"), Is.EquivalentTo(new[]
        {
            $"frontier/google-cloud {Month} [segment=general, agiVerified=false, microsoftDeclined=false, shippedOnAzureFirst=false] Prohibited [{AzureFirst}, {FrontierExclusive}] -> Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}]",
            $"frontier/google-cloud {Month} [segment=general, agiVerified=false, shippedOnAzureFirst=true] Prohibited [{FrontierExclusive}] -> Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}]",
            $"frontier/google-cloud {Month} [segment=general, agiVerified=false, shippedOnAzureFirst=null] Prohibited [{FrontierExclusive}] -> Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}]",
            $"frontier/google-cloud {Month} [segment=general, agiVerified=false, microsoftDeclined=true, shippedOnAzureFirst=false] Prohibited [{FrontierExclusive}] -> Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}]",
            $"frontier/google-cloud {Month} [segment=general, agiVerified=false, microsoftDeclined=null, shippedOnAzureFirst=false] Prohibited [{FrontierExclusive}] -> Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}]",
        }));
    }

    [Test]
    public void Compare_FrontierExclusivityIncludesAzure_FrontierOnAzureFromFebruary2026()
    {
        // From 2026-02-27 (aws-openai-2026-02) Frontier on Azure is forbidden instead of permitted: by
        // non-api-any-cloud under 2025-10 (plus the AGI trigger once verified), by any-product-any-cloud from 2026-04-27.
        using var copy = ImpactEdits.FrontierExclusivityIncludesAzure();
        var impact = Compare(copy, out _);

        Assert.That(impact.Regions.Select(Line), Is.EquivalentTo(new[]
        {
            $"frontier/azure 2026-02-27..2026-04-26 [agiVerified=false] Permitted [{NonApi}] -> Prohibited [{FrontierExclusive}]",
            $"frontier/azure 2026-02-27..2026-04-26 [agiVerified=true] Permitted [{NonApi}, {AgiVerifiedEnds}] -> Prohibited [{FrontierExclusive}]",
            $"frontier/azure 2026-04-27..2035-12-31 [] Permitted [{AnyProduct}] -> Prohibited [{FrontierExclusive}]",
        }));
        var change = impact.Changes.ClausesChanged.Single();
        Assert.That((change.Version, change.Clause), Is.EqualTo(("aws-openai-2026-02", "frontier-exclusive-third-party-distribution")));
        Assert.That(change.Fields.Select(f => f.Field), Is.EqualTo(new[] { "when" }));
        Assert.That((string)change.Fields[0].After!, Does.Contain("\"azure\""));
        Assert.That(impact.Changes.VersionsChanged.Concat(impact.Changes.ProductsChanged), Is.Empty);
    }

    [Test]
    public void Compare_MicrosoftReadingDeleted_NoDisputeLeft()
    {
        // The reading is in force with msft-openai-2025-10, 2025-10-28..2026-04-26. Without it:
        // - Frontier off Azure, general customers, AGI not verified: no longer Prohibited and disputed. It becomes
        //   Permitted (non-api-any-cloud, plus AWS compute on AWS by the AWS version in force: none before 2025-11-03),
        //   except through Google Cloud, Oracle and other from 2026-02-27, Prohibited by AWS's exclusivity, undisputed.
        // - The stateful runtime off Azure, AGI not verified, statelessCallsOnAzure false (Prohibited) or unknown
        //   (Conditional): no longer disputed; Permitted, except off AWS from 2026-02-27 (AWS's hosting exclusivity).
        // - The OpenAI API: the reading forbade what 2025-10 already forbids: no change of answer.
        using var copy = ImpactEdits.MicrosoftReadingDeleted();
        var impact = Compare(copy, out _);

        const string General = "segment=general, agiVerified=false";
        const string CallsFalse = "agiVerified=false, statelessCallsOnAzure=false";
        const string CallsUnknown = "agiVerified=false, statelessCallsOnAzure=null";
        var expected = new List<string>
        {
            $"frontier/aws 2025-10-28..2025-11-02 [{General}] Prohibited disputed [{FirstPartyOnAzure}] -> Permitted [{NonApi}]",
            $"frontier/aws 2025-11-03..2026-02-26 [{General}] Prohibited disputed [{FirstPartyOnAzure}] -> Permitted [{NonApi}, {Compute2025}]",
            $"frontier/aws 2026-02-27..2026-04-26 [{General}] Prohibited disputed [{FirstPartyOnAzure}] -> Permitted [{NonApi}, {Compute2026}]",
            $"frontier/openai 2025-10-28..2026-04-26 [{General}] Prohibited disputed [{FirstPartyOnAzure}] -> Permitted [{NonApi}]",
            $"stateful-runtime/aws 2025-10-28..2025-11-02 [{CallsFalse}] Prohibited disputed [{CallsOnAzure}] -> Permitted [{NonApi}]",
            $"stateful-runtime/aws 2025-10-28..2025-11-02 [{CallsUnknown}] Conditional disputed [{CallsOnAzure}] -> Permitted [{NonApi}]",
            $"stateful-runtime/aws 2025-11-03..2026-02-26 [{CallsFalse}] Prohibited disputed [{CallsOnAzure}] -> Permitted [{NonApi}, {Compute2025}]",
            $"stateful-runtime/aws 2025-11-03..2026-02-26 [{CallsUnknown}] Conditional disputed [{CallsOnAzure}] -> Permitted [{NonApi}, {Compute2025}]",
            $"stateful-runtime/aws 2026-02-27..2026-04-26 [{CallsFalse}] Prohibited disputed [{CallsOnAzure}] -> Permitted [{NonApi}, {Compute2026}]",
            $"stateful-runtime/aws 2026-02-27..2026-04-26 [{CallsUnknown}] Conditional disputed [{CallsOnAzure}] -> Permitted [{NonApi}, {Compute2026}]",
        };
        foreach (var cloud in new[] { "google-cloud", "oracle", "other" })
        {
            expected.Add($"frontier/{cloud} 2025-10-28..2026-02-26 [{General}] Prohibited disputed [{FirstPartyOnAzure}] -> Permitted [{NonApi}]");
            expected.Add($"frontier/{cloud} 2026-02-27..2026-04-26 [{General}] Prohibited disputed [{FirstPartyOnAzure}, {FrontierExclusive}] -> Prohibited [{FrontierExclusive}]");
        }
        foreach (var cloud in new[] { "google-cloud", "oracle", "openai", "other" })
        {
            expected.Add($"stateful-runtime/{cloud} 2025-10-28..2026-02-26 [{CallsFalse}] Prohibited disputed [{CallsOnAzure}] -> Permitted [{NonApi}]");
            expected.Add($"stateful-runtime/{cloud} 2025-10-28..2026-02-26 [{CallsUnknown}] Conditional disputed [{CallsOnAzure}] -> Permitted [{NonApi}]");
            expected.Add($"stateful-runtime/{cloud} 2026-02-27..2026-04-26 [{CallsFalse}] Prohibited disputed [{CallsOnAzure}, {RuntimeExclusive}] -> Prohibited [{RuntimeExclusive}]");
            // With the call unknown the reading's row is Conditional, so only AWS's row decides the Prohibited.
            expected.Add($"stateful-runtime/{cloud} 2026-02-27..2026-04-26 [{CallsUnknown}] Prohibited disputed [{RuntimeExclusive}] -> Prohibited [{RuntimeExclusive}]");
        }
        Assert.That(impact.Regions.Select(Line), Is.EquivalentTo(expected));

        Assert.That(impact.Changes.VersionsRemoved, Is.EqualTo(new[] { "msft-openai-2025-10@microsoft-2026-02" }));
        Assert.That(impact.Changes.ClausesRemoved, Is.EqualTo(new[]
        {
            new ClauseRef("msft-openai-2025-10@microsoft-2026-02", "first-party-products-on-azure"),
            new ClauseRef("msft-openai-2025-10@microsoft-2026-02", "collaboration-calls-on-azure"),
        }));
        Assert.That(impact.Changes.ClausesAdded.Concat(impact.Changes.ClausesRemoved.Where(c => !c.Version.Contains('@'))), Is.Empty);
    }

    [Test]
    public void Compare_ClauseWithNewDate_CutAtThatDate()
    {
        // From 2028-01-01, a date no clause of the before set compares with, ChatGPT through Oracle is forbidden by the
        // new clause. Before, 2026-04's azure-first-ship decides it: Permitted (met, with any-product-any-cloud) when
        // shippedOnAzureFirst or microsoftDeclined is true, Prohibited when both are false (no change), else
        // Conditional.
        using var copy = ImpactEdits.ClauseWithNewDate();
        var impact = Compare(copy, out _);

        var added = $"aws-openai-2026-02 {ImpactEdits.NewDateClause}";
        const string Range = "chatgpt/oracle 2028-01-01..2035-12-31";
        Assert.That(impact.Regions.Select(Line), Is.EquivalentTo(new[]
        {
            $"{Range} [shippedOnAzureFirst=true] Permitted [{AnyProduct}, {AzureFirst}] -> Prohibited [{added}]",
            $"{Range} [microsoftDeclined=true, shippedOnAzureFirst=false] Permitted [{AnyProduct}, {AzureFirst}] -> Prohibited [{added}]",
            $"{Range} [microsoftDeclined=true, shippedOnAzureFirst=null] Permitted [{AnyProduct}, {AzureFirst}] -> Prohibited [{added}]",
            $"{Range} [microsoftDeclined=false, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Prohibited [{added}]",
            $"{Range} [microsoftDeclined=null, shippedOnAzureFirst=false] Conditional [{AzureFirst}] -> Prohibited [{added}]",
            $"{Range} [microsoftDeclined=null, shippedOnAzureFirst=null] Conditional [{AzureFirst}] -> Prohibited [{added}]",
        }));
        Assert.That(impact.Changes.ClausesAdded, Is.EqualTo(new[] { new ClauseRef("aws-openai-2026-02", ImpactEdits.NewDateClause) }));
    }

    [Test]
    public void Compare_AzureFirstWithoutDeclined_DecliningNoLongerMeetsIt()
    {
        // From 2026-04-27, azure-first-ship requires shippedOnAzureFirst alone. ChatGPT through AWS: where Microsoft
        // declined and the product did not ship on Azure first, Permitted (met, with any-product-any-cloud and AWS
        // compute) becomes Prohibited (shipped false) or Conditional (shipped unknown); where declining was unknown and
        // shipping false, Conditional becomes Prohibited. Declining false or unknown with shipping unknown stays
        // Conditional; shipping true stays Permitted.
        using var copy = ImpactEdits.AzureFirstWithoutDeclined();
        var impact = Compare(copy, out _);

        const string Range = "chatgpt/aws 2026-04-27..2035-12-31";
        Assert.That(Lines(impact, "chatgpt", "aws"), Is.EquivalentTo(new[]
        {
            $"{Range} [microsoftDeclined=true, shippedOnAzureFirst=false] Permitted [{AnyProduct}, {AzureFirst}, {Compute2026}] -> Prohibited [{AzureFirst}]",
            $"{Range} [microsoftDeclined=true, shippedOnAzureFirst=null] Permitted [{AnyProduct}, {AzureFirst}, {Compute2026}] -> Conditional [{AzureFirst}]",
            $"{Range} [microsoftDeclined=null, shippedOnAzureFirst=false] Conditional [{AzureFirst}] -> Prohibited [{AzureFirst}]",
        }));
        var change = impact.Changes.ClausesChanged.Single();
        Assert.That((change.Version, change.Clause, change.Fields.Single().Field), Is.EqualTo(("msft-openai-2026-04", "azure-first-ship", "anyOf")));
        // Open weights are exempt from azure-first-ship, Azure is not "off Azure", Microsoft's products are not OpenAI's.
        Assert.That(impact.Regions.Where(r => r.Product is "open-weight-model" or "azure-openai-service" or "microsoft-copilot" || r.Cloud == "azure"), Is.Empty);
    }

    [Test]
    public void Compare_OnlyTheSourceEdited_AClauseChangeAndNoRegion()
    {
        using var copy = new RuleSetCopy();
        copy.Replace("clauses/aws-openai-2026-02.json", "\"source\": \"carried over\"", "\"source\": \"carried over from the November 2025 agreement\"");
        var impact = Compare(copy, out _);

        Assert.That(impact.Regions, Is.Empty);
        var change = impact.Changes.ClausesChanged.Single();
        Assert.That((change.Version, change.Clause, change.Fields.Single().Field), Is.EqualTo(("aws-openai-2026-02", "aws-compute-capacity", "source")));
        Assert.That(impact.Changed, Is.True, "a changed source is a change of the rule set, if not of an answer");
    }

    [Test]
    public void Compare_CatalogueEdits_ListedAndNotCompared()
    {
        // A product and a cloud only one set has cannot be evaluated by the other: listed, never in a region.
        using var copy = new RuleSetCopy();
        ImpactEdits.Edit(copy, "catalogue.json", root =>
        {
            var products = root["products"]!.AsArray();
            products.Remove(products.Single(p => (string?)p!["id"] == "consumer-device"));
            products.Add(System.Text.Json.Nodes.JsonNode.Parse("""{"id": "new-app", "interface": "app", "origin": "first-party", "offeredBy": "openai", "shippedOnAzureFirst": null}"""));
            products.Single(p => (string?)p!["id"] == "chatgpt")!["shippedOnAzureFirst"] = null;
            root["clouds"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""{"id": "ibm", "name": "IBM Cloud"}"""));
        });
        var impact = Compare(copy, out _);

        Assert.That(impact.Changes.ProductsAdded, Is.EqualTo(new[] { "new-app" }));
        Assert.That(impact.Changes.ProductsRemoved, Is.EqualTo(new[] { "consumer-device" }));
        Assert.That(impact.Changes.ProductsChanged.Single().Id, Is.EqualTo("chatgpt"));
        Assert.That(impact.Changes.ProductsChanged.Single().Fields.Single(), Is.EqualTo(new FieldDifference("shippedOnAzureFirst", true, null)));
        Assert.That(impact.Changes.CloudsAdded, Is.EqualTo(new[] { "ibm" }));
        // Regions vary shippedOnAzureFirst whatever the catalogue's default, and no clause changed.
        Assert.That(impact.Regions, Is.Empty);
    }

    private static RuleSetCopy Edit(string name) => name switch
    {
        "amendment-a-month-later" => ImpactEdits.AmendmentAMonthLater(),
        "frontier-exclusivity-includes-azure" => ImpactEdits.FrontierExclusivityIncludesAzure(),
        "microsoft-reading-deleted" => ImpactEdits.MicrosoftReadingDeleted(),
        "clause-with-new-date" => ImpactEdits.ClauseWithNewDate(),
        "frontier-becomes-an-app" => ImpactEdits.FrontierBecomesAnApp(),
        "clause-reading-a-fact" => ImpactEdits.ClauseReadingAFact(),
        "azure-first-without-declined" => ImpactEdits.AzureFirstWithoutDeclined(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an edit of ImpactEdits"),
    };

    [TestCase("amendment-a-month-later")]
    [TestCase("frontier-exclusivity-includes-azure")]
    [TestCase("microsoft-reading-deleted")]
    [TestCase("clause-with-new-date")]
    [TestCase("frontier-becomes-an-app")]
    [TestCase("clause-reading-a-fact")]
    [TestCase("azure-first-without-declined")]
    public void Compare_EveryRegion_ExactOnBothEngines(string edit)
    {
        using var copy = Edit(edit);
        var before = Shipped;
        var impact = Compare(copy, out var after);
        var random = new Random(20260227);

        // Skipping the periods where both sides have the same rows in force loses nothing.
        var everywhere = RuleSetImpact.Compare(before, after, From, To, null, everywhere: true);
        Assert.That(impact.Regions.Select(Line), Is.EqualTo(everywhere.Regions.Select(Line)));
        Assert.That(impact.Regions, Is.Not.Empty);

        // Inside: scenarios drawn anywhere in a region get exactly the verdicts it states, decisive clauses included.
        foreach (var region in impact.Regions)
        {
            for (var i = 0; i < 12; i++)
            {
                var s = Inside(region, after, random);
                Assert.That((Verdict(Summary(before, s)), Verdict(Summary(after, s))), Is.EqualTo((Verdict(region.Before), Verdict(region.After))), $"{s} in {Line(region)}");
            }
        }

        // Anywhere: in at most one region; outside every region both sets give the same permission and disputed flag.
        var boundaries = before.Compiled.Boundaries.Concat(after.Compiled.Boundaries)
            .SelectMany(d => new[] { d.AddDays(-1), d }).Where(d => d >= From && d <= To).Distinct().ToList();
        for (var i = 0; i < 4000; i++)
        {
            var date = i % 2 == 0 ? boundaries[random.Next(boundaries.Count)] : From.AddDays(random.Next(To.DayNumber - From.DayNumber + 1));
            var s = Anywhere(after, date, random);
            var (b, a) = (Summary(before, s), Summary(after, s));
            var holding = impact.Regions.Where(r => Holds(r, s)).ToList();
            if (holding.Count == 0)
            {
                Assert.That((a.Permission, a.Disputed), Is.EqualTo((b.Permission, b.Disputed)), $"{s}: {Verdict(b)} -> {Verdict(a)}, in no region");
            }
            else
            {
                Assert.That(holding, Has.Count.EqualTo(1), $"{s}: in {string.Join("; ", holding.Select(Line))}");
                Assert.That((Verdict(b), Verdict(a)), Is.EqualTo((Verdict(holding[0].Before), Verdict(holding[0].After))), $"{s} in {Line(holding[0])}");
            }
        }

        // Maximal: a region cannot drop a fixed fact without taking in another kind of scenario or another region, and
        // never continues the next day with the same facts and verdicts.
        foreach (var region in impact.Regions)
        {
            var product = after.Rules.Catalogue.ProductsById[region.Product];
            var others = impact.Regions.Where(r => !ReferenceEquals(r, region) && r.Product == region.Product && r.Cloud == region.Cloud).ToList();
            foreach (var dropped in region.Facts)
            {
                var wider = region with { Facts = [.. region.Facts.Where(f => f != dropped)] };
                var widened = VersionDiffTests.AllFacts(product, region.Cloud, region.From).Where(s => Holds(wider, s));
                Assert.That(widened.Any(s => Verdict(Summary(before, s)) != Verdict(region.Before) || Verdict(Summary(after, s)) != Verdict(region.After) || others.Any(o => Holds(o, s))),
                    $"not maximal: {Line(region)} without {dropped.Fact}");
            }
            Assert.That(others.Any(o => o.From == region.To.AddDays(1) && Text(o.Facts) == Text(region.Facts) && Verdict(o.Before) == Verdict(region.Before) && Verdict(o.After) == Verdict(region.After)),
                Is.False, Line(region));
        }
    }

    private static IEnumerable<string> Lines(Impact impact, string product, string cloud) =>
        impact.Regions.Where(r => r.Product == product && r.Cloud == cloud).Select(Line);

    /// <summary>The engine's combined verdict, the scenario's product taken from the engine's own catalogue.</summary>
    private static VerdictSummary Summary(Engine engine, Scenario s) =>
        VerdictSummary.Of(engine.Evaluate(s with { Product = engine.Rules.Catalogue.ProductsById[s.Product.Id] }).Combined);

    private static bool Holds(ImpactRegion r, Scenario s) =>
        r.Product == s.Product.Id && r.Cloud == s.Cloud && r.From <= s.Date && s.Date <= r.To && VersionDiffTests.FactsHold(r.Facts, s);

    private static readonly bool?[] Tri = [true, false, null];

    /// <summary>Any scenario of the catalogues on <paramref name="date"/>, with AGI dates before, on or after it.</summary>
    private static Scenario Anywhere(Engine engine, DateOnly date, Random random)
    {
        var catalogue = engine.Rules.Catalogue;
        var (declared, verified) = Agi(date, random.Next(3), random);
        return new Scenario(catalogue.Products[random.Next(catalogue.Products.Count)], catalogue.Clouds[random.Next(catalogue.Clouds.Count)].Id, date,
            Segments.All[random.Next(2)], declared, verified, Tri[random.Next(3)], Tri[random.Next(3)], Tri[random.Next(3)], Tri[random.Next(3)]);
    }

    /// <summary>A scenario inside <paramref name="region"/>: a date of its range, its fixed facts, any value of the others.</summary>
    private static Scenario Inside(ImpactRegion region, Engine engine, Random random)
    {
        var date = region.From.AddDays(random.Next(region.To.DayNumber - region.From.DayNumber + 1));
        var fixedFacts = region.Facts.ToDictionary(f => f.Fact, f => f.Value);
        // AGI as of the date: 0 none, 1 declared only, 2 verified; keep the states the region allows.
        var states = new[] { 0, 1, 2 }.Where(state =>
            (!fixedFacts.TryGetValue(Facts.AgiDeclared, out var d) || (bool)d! == state >= 1)
            && (!fixedFacts.TryGetValue(Facts.AgiVerified, out var v) || (bool)v! == (state == 2))).ToList();
        var (declared, verified) = Agi(date, states[random.Next(states.Count)], random);
        bool? Tri(string fact) => fixedFacts.TryGetValue(fact, out var value) ? (bool?)value : ImpactTests.Tri[random.Next(3)];
        return new Scenario(engine.Rules.Catalogue.ProductsById[region.Product], region.Cloud, date,
            fixedFacts.TryGetValue(Facts.Segment, out var segment) ? (string)segment! : Segments.All[random.Next(2)],
            declared, verified,
            Tri(Facts.MicrosoftDeclined), Tri(Facts.ShippedOnAzureFirst), Tri(Facts.MeetsOpenWeightCriteria), Tri(Facts.StatelessCallsOnAzure));
    }

    /// <summary>AGI dates that put a scenario on <paramref name="date"/> in <paramref name="state"/> (0 none, 1 declared, 2 verified).</summary>
    private static (DateOnly?, DateOnly?) Agi(DateOnly date, int state, Random random)
    {
        var declaredOn = date.AddDays(-random.Next(400));
        return state switch
        {
            // Never declared, or declared later (and perhaps verified later still).
            0 => random.Next(2) == 0 ? (null, null) : (date.AddDays(1 + random.Next(30)), random.Next(2) == 0 ? null : date.AddDays(31 + random.Next(30))),
            1 => (declaredOn, random.Next(2) == 0 ? null : date.AddDays(1 + random.Next(30))),
            _ => (declaredOn, declaredOn.AddDays(random.Next(date.DayNumber - declaredOn.DayNumber + 1))),
        };
    }
}
