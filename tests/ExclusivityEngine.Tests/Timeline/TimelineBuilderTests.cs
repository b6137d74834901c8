using CsCheck;
using ExclusivityEngine.Model;
using ExclusivityEngine.Timeline;

namespace ExclusivityEngine.Tests.Timeline;

public sealed class TimelineBuilderTests
{
    private const Permission P = Permission.Permitted;
    private const Permission C = Permission.Conditional;
    private const Permission X = Permission.Prohibited;

    private static readonly Engine Engine = Engine.LoadEmbedded();
    private static readonly DateOnly From = TimelineBuilder.DefaultFrom;
    private static readonly DateOnly To = TimelineBuilder.DefaultTo;

    private static Scenario Facts(string product, bool? microsoftDeclined = null) =>
        new(Engine.Rules.Catalogue.ProductsById[product], "azure", From, MicrosoftDeclined: microsoftDeclined,
            ShippedOnAzureFirst: Engine.Rules.Catalogue.ProductsById[product].ShippedOnAzureFirst);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"from to | azure aws google-cloud oracle openai other" with a trailing * for disputed, one line per period.</summary>
    private static List<string> Lines(ProductTimeline t) =>
        [.. t.Periods.Select(p => $"{D(p.From)} {D(p.To)} | {string.Join(" ", p.Clouds.Select(c => Cell(c.Permission, c.Disputed)))}{(p.Blocked ? " BLOCKED" : "")}")];

    private static string Cell(Permission permission, bool disputed) => permission switch { P => "P", C => "C", _ => "X" } + (disputed ? "*" : "");

    [Test]
    public void Timeline_StatefulRuntimeMicrosoftDeclinedFalse_IsBlockedFromTheAmendment()
    {
        // agreements.md, by hand: stateful-runtime is stateful-runtime/joint/openai, shippedOnAzureFirst false by default.
        // Before 2019-07-22 nothing is in force. 2019: azure-exclusive-hosting forbids every cloud but azure.
        // 2025-10: non-api-any-cloud permits; Microsoft's reading requires statelessCallsOnAzure (unknown) off azure:
        //   Conditional there, readings disagree: disputed. 2025-11-03 aws-compute-capacity changes nothing.
        // 2026-02-27: stateful-runtime-exclusive-hosting forbids every cloud but aws (azure too).
        // 2026-04-27: azure-first-ship requires shippedOnAzureFirst or microsoftDeclined, both false: forbidden off
        //   azure; azure is still forbidden by the AWS exclusivity: no cloud allowed, and no reading left to dispute.
        var timeline = Engine.Timeline(Facts("stateful-runtime", microsoftDeclined: false), From, To);

        Assert.That(Lines(timeline), Is.EqualTo(new[]
        {
            "2019-01-01 2019-07-21 | P P P P P P",
            "2019-07-22 2025-10-27 | P X X X X X",
            "2025-10-28 2026-02-26 | P C* C* C* C* C*",
            "2026-02-27 2026-04-26 | X C* X* X* X* X*",
            "2026-04-27 2035-12-31 | X X X X X X BLOCKED",
        }));
        Assert.That(timeline.Periods.Select(p => p.Disputed), Is.EqualTo(new[] { false, false, true, true, false }));
    }

    [Test]
    public void Timeline_StatefulRuntimeMicrosoftDeclinedTrue_IsNeverBlocked()
    {
        // With microsoftDeclined true azure-first-ship is met: aws stays Permitted after 2026-04-27.
        var timeline = Engine.Timeline(Facts("stateful-runtime", microsoftDeclined: true), From, To);

        Assert.That(timeline.Periods.Any(p => p.Blocked), Is.False);
        Assert.That(Lines(timeline)[^1], Is.EqualTo("2026-04-27 2035-12-31 | X P X X X X"));
    }

    [Test]
    public void Timeline_FrontierAsInTheInterfaceExample_DisputedOnAwsUntilTheAmendment()
    {
        // interface.md's example: 2025-10-28..2026-04-26 azure Permitted, aws Prohibited and disputed
        // (first-party-products-on-azure in Microsoft's reading). From 2026-04-27 azure-first-ship is met
        // (shippedOnAzureFirst true): aws and openai Permitted; Google, Oracle, other forbidden by AWS's exclusivity.
        var timeline = Engine.Timeline(Facts("frontier"), new DateOnly(2025, 9, 1), new DateOnly(2026, 12, 31));

        Assert.That(Lines(timeline), Is.EqualTo(new[]
        {
            "2025-09-01 2025-10-27 | P X X X X X",
            "2025-10-28 2026-04-26 | P X* X* X* X* X*",
            "2026-04-27 2026-12-31 | P P X X P X",
        }));
        var aws = timeline.Periods[1].On("aws");
        Assert.That(aws.FirstDay.Decisive.Select(d => $"{d.Row.Id}/{d.Clause.Id}"),
            Is.EqualTo(new[] { "msft-openai-2025-10@microsoft-2026-02/first-party-products-on-azure" }));
    }

    [Test]
    public void Timeline_AgiVerified_ChangesOnTheVerificationDayItself()
    {
        // openai-api under msft-openai-2025-10: stateless-api-exclusivity forbids aws until agiVerified, which holds
        // from the verification date on (agiVerifiedOn <= d); agi-verified-ends-exclusivity then permits it, and
        // Microsoft's reading stops forbidding (not agiVerified). aws-compute-capacity is not yet in force (2025-11-03).
        var api = Engine.Rules.Catalogue.ProductsById["openai-api"];
        var facts = new Scenario(api, "azure", From, AgiDeclaredOn: new DateOnly(2025, 10, 29), AgiVerifiedOn: new DateOnly(2025, 10, 31), ShippedOnAzureFirst: true);

        var timeline = Engine.Timeline(facts, new DateOnly(2025, 10, 28), new DateOnly(2025, 11, 2));

        Assert.That(Lines(timeline), Is.EqualTo(new[]
        {
            "2025-10-28 2025-10-30 | P X X X X X",
            "2025-10-31 2025-11-02 | P P P P P P",
        }));
    }

    [Test]
    public void Timeline_OneDay_IsOnePeriodOfThatDay()
    {
        var day = new DateOnly(2026, 3, 15);
        var timeline = Engine.Timeline(Facts("frontier"), day, day);

        Assert.That(Lines(timeline), Is.EqualTo(new[] { "2026-03-15 2026-03-15 | P X* X* X* X* X*" }));
    }

    [Test]
    public void Timeline_FromAfterTo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.Timeline(Facts("frontier"), To, From));
    }

    [Test]
    public void PeriodOn_DatesInAndOutOfRange_FindsTheHoldingPeriod()
    {
        var timeline = Engine.Timeline(Facts("stateful-runtime", microsoftDeclined: false), From, To);

        Assert.Multiple(() =>
        {
            Assert.That(timeline.PeriodOn(new DateOnly(2018, 12, 31)), Is.Null);
            Assert.That(timeline.PeriodOn(new DateOnly(2036, 1, 1)), Is.Null);
            Assert.That(timeline.PeriodOn(From)!.From, Is.EqualTo(From));
            Assert.That(timeline.PeriodOn(new DateOnly(2026, 4, 26))!.From, Is.EqualTo(new DateOnly(2026, 2, 27)));
            Assert.That(timeline.PeriodOn(new DateOnly(2026, 4, 27))!.Blocked, Is.True);
            Assert.That(timeline.PeriodOn(To)!.To, Is.EqualTo(To));
        });
    }

    [Test]
    public void VersionsTakingEffect_PartOfTheRange_OnlyThoseWithin()
    {
        var timeline = Engine.Timeline(Facts("frontier"), new DateOnly(2025, 11, 3), new DateOnly(2026, 4, 26));

        Assert.That(timeline.VersionsTakingEffect.Select(v => v.Id), Is.EqualTo(new[] { "aws-openai-2025-11", "aws-openai-2026-02" }));
    }

    [TestCase("openai-api")]
    [TestCase("chatgpt")]
    [TestCase("frontier")]
    [TestCase("stateful-runtime")]
    [TestCase("joint-api-product")]
    [TestCase("open-weight-model")]
    [TestCase("consumer-device")]
    [TestCase("azure-openai-service")]
    [TestCase("microsoft-copilot")]
    public void Timeline_EveryCatalogueProductWithDefaultFacts_EqualsDayByDay(string product)
    {
        AssertEqualsDayByDay(Facts(product), From, To);
    }

    [Test]
    public void Timeline_GeneratedProductsAndFacts_EqualsDayByDay()
    {
        // Products and facts chosen by the generator, not by the author: catalogue and inline products (including
        // inline ones named like the products clauses name), every fact value, AGI dates on and around the dates
        // where verdicts change, and ranges cut anywhere.
        var catalogue = Engine.Rules.Catalogue;
        var attributes = catalogue.AttributeValues;
        var inline = Gen.Select(
            Gen.OneOf("frontier", "stateful-runtime", "made-up"),
            Gen.OneOf([.. attributes["interface"]]),
            Gen.OneOf([.. attributes["origin"]]),
            Gen.OneOf([.. attributes["offeredBy"]]),
            (id, iface, origin, offeredBy) => new Product(id, iface, origin, offeredBy, null, IsInline: true));
        var product = Gen.Frequency((3, Gen.OneOf([.. catalogue.Products])), (2, inline));
        var tri = Gen.OneOf<bool?>(null, true, false);
        var interesting = Engine.Compiled.Boundaries.SelectMany(b => new[] { b.AddDays(-1), b, b.AddDays(1) }).ToArray();
        // Most AGI dates land where AGI matters (msft-openai-2019 until 2025-10-27, the October 2025 terms until
        // 2026-04-26); a verification often follows its declaration within days.
        var date = Gen.Frequency(
            (1, Gen.OneOf(interesting)),
            (1, Days(new DateOnly(2018, 6, 1), new DateOnly(2036, 6, 30))),
            (2, Days(new DateOnly(2025, 9, 1), new DateOnly(2026, 6, 30))));
        var verifiedAfter = Gen.Frequency((1, Gen.Const(-1)), (2, Gen.Int[0, 10]), (2, Gen.Int[0, 400]));
        var agi = Gen.Select(Gen.Frequency((2, Gen.Const(false)), (3, Gen.Const(true))), date, verifiedAfter, (declared, on, after) =>
            declared ? (on, after < 0 ? (DateOnly?)null : on.AddDays(after)) : ((DateOnly?)null, (DateOnly?)null));
        var tris = Gen.Select(tri, tri, tri, tri, (declined, shipped, open, stateless) => (declined, shipped, open, stateless));
        var facts = Gen.Select(product, Gen.OneOf([.. Segments.All]), agi, tris, (p, segment, a, t) =>
            new Scenario(p, "azure", From, segment, a.Item1, a.Item2, t.declined, t.shipped, t.open, t.stateless));
        var range = Gen.Frequency(
            (2, Gen.Const((From, To))),
            (1, Gen.Select(date, Gen.Int[0, 1200], (start, length) => (start, start.AddDays(length)))));

        Gen.Select(facts, range).Sample((f, r) => AssertEqualsDayByDay(f, r.Item1, r.Item2), iter: 80, threads: 1,
            print: c => CommandLine(c.Item1, c.Item2.Item1, c.Item2.Item2));
    }

    /// <summary>A failing case as the command that shows it, ready to paste.</summary>
    private static string CommandLine(Scenario f, DateOnly from, DateOnly to)
    {
        var p = f.Product;
        var product = p.IsInline
            ? $"'{{\"id\":\"{p.Id}\",\"interface\":\"{p.Interface}\",\"origin\":\"{p.Origin}\",\"offeredBy\":\"{p.OfferedBy}\"}}'"
            : p.Id;
        static string Tri(bool? value) => value switch { true => "true", false => "false", null => "unknown" };
        var line = $"exclusivity timeline --product {product} --from {D(from)} --to {D(to)} --segment {f.Segment}";
        line += f.AgiDeclaredOn is { } declared ? $" --agi-declared {D(declared)}" : "";
        line += f.AgiVerifiedOn is { } verified ? $" --agi-verified {D(verified)}" : "";
        return line + $" --microsoft-declined {Tri(f.MicrosoftDeclined)} --shipped-on-azure-first {Tri(f.ShippedOnAzureFirst)}"
            + $" --meets-open-weight-criteria {Tri(f.MeetsOpenWeightCriteria)} --stateless-calls-on-azure {Tri(f.StatelessCallsOnAzure)}";
    }

    private static Gen<DateOnly> Days(DateOnly first, DateOnly last) => Gen.Int[first.DayNumber, last.DayNumber].Select(DateOnly.FromDayNumber);

    private static void AssertEqualsDayByDay(Scenario facts, DateOnly from, DateOnly to)
    {
        var timeline = Engine.Timeline(facts, from, to);
        var expected = DayByDay.Periods(Engine, facts, from, to);

        var actual = timeline.Periods.Select(p => $"{D(p.From)} {D(p.To)} | {string.Join(" ", p.Clouds.Select(c => Cell(c.Permission, c.Disputed)))}{(p.Blocked ? " BLOCKED" : "")}{(p.Disputed ? " disputed" : "")}").ToList();
        var reference = expected.Select(p => $"{D(p.From)} {D(p.To)} | {string.Join(" ", p.Clouds.Select(c => Cell(c.Permission, c.Disputed)))}{(p.Clouds.All(c => c.Permission == X) ? " BLOCKED" : "")}{(p.Clouds.Any(c => c.Disputed) ? " disputed" : "")}").ToList();
        Assert.That(actual, Is.EqualTo(reference), $"periods of {CommandLine(facts, from, to)}");

        var actualDecisive = timeline.Periods.SelectMany(p => p.Clouds.Select(c => string.Join(",", c.FirstDay.Decisive.Select(d => $"{d.Row.Id}/{d.Clause.Id}")))).ToList();
        var referenceDecisive = expected.SelectMany(p => p.FirstDay.Select(v => string.Join(",", v.Decisive.Select(d => $"{d.Row.Id}/{d.Clause.Id}")))).ToList();
        Assert.That(actualDecisive, Is.EqualTo(referenceDecisive), $"decisive clauses on each period's first day, {CommandLine(facts, from, to)}");
    }
}
