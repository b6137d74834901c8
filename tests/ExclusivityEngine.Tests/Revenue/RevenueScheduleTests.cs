using System.Globalization;
using ExclusivityEngine.Revenue;

namespace ExclusivityEngine.Tests.Revenue;

/// <summary>
/// Schedules checked against agreements.md, "Revenue share", by hand: each expected version, clause and amount below
/// is read off the catalogue's versions table and clauses, never computed by the engine.
/// </summary>
public sealed class RevenueScheduleTests
{
    private const string Share2019 = "msft-openai-2019";
    private const string Share2025 = "msft-openai-2025-10";
    private const string Share2026 = "msft-openai-2026-04";
    private const string Uncapped = "revenue-share-openai-to-microsoft";
    private const string Capped = "revenue-share-cap-2030";

    private static readonly Engine Shipped = Engine.LoadEmbedded();

    private static RevenuePeriod Period(int line, string date, string revenue) =>
        new(line, null, DateOnly.Parse(date, CultureInfo.InvariantCulture), decimal.Parse(revenue, CultureInfo.InvariantCulture));

    private static RevenueSchedule Schedule(RevenueTerms terms, params (string Date, string Revenue)[] periods) => Schedule(Shipped, terms, periods);

    private static RevenueSchedule Schedule(Engine engine, RevenueTerms terms, params (string Date, string Revenue)[] periods)
    {
        var input = periods.Select((p, i) => Period(i + 1, p.Date, p.Revenue)).ToList();
        var schedule = RevenueSchedule.Compute(engine, terms, input, out var error);
        Assert.That(error, Is.Null);
        return schedule!;
    }

    private static string? VersionOf(ScheduledPeriod p) => p.Obligation?.Version.Id;

    private static string? ClauseOf(ScheduledPeriod p) => p.Obligation?.Clause.Id;

    private static string Text(decimal value) => MoneyText.Format(value);

    [TestCase("2019-07-21", null, null, "0")]
    [TestCase("2019-07-22", Share2019, Uncapped, "10.0")]
    [TestCase("2025-10-27", Share2019, Uncapped, "10.0")]
    [TestCase("2025-10-28", Share2025, Uncapped, "10.0")]
    [TestCase("2026-04-26", Share2025, Uncapped, "10.0")]
    [TestCase("2026-04-27", Share2026, Capped, "10.0")]
    [TestCase("2030-12-31", Share2026, Capped, "10.0")]
    [TestCase("2031-01-01", null, null, "0")]
    [TestCase("2035-06-30", null, null, "0")]
    public void Compute_PeriodOfEachVersion_ObligesUnderThatVersionsClause(string date, string? version, string? clause, string owed)
    {
        // 0.1 × 100 keeps the scale of both inputs: 10.0.
        var schedule = Schedule(new RevenueTerms(0.1m), (date, "100"));

        var p = schedule.Periods.Single();
        Assert.Multiple(() =>
        {
            Assert.That(VersionOf(p), Is.EqualTo(version));
            Assert.That(ClauseOf(p), Is.EqualTo(clause));
            Assert.That(Text(p.Owed), Is.EqualTo(owed));
            Assert.That(Text(schedule.Total), Is.EqualTo(owed));
        });
    }

    [Test]
    public void Compute_RateTimesRevenue_KeepsTheScaleOfBothInputs()
    {
        var schedule = Schedule(new RevenueTerms(0.2m), ("2026-03-31", "100.10"), ("2026-06-30", "100"));

        Assert.Multiple(() =>
        {
            Assert.That(Text(schedule.Periods[0].Owed), Is.EqualTo("20.020"));
            Assert.That(Text(schedule.Periods[1].Owed), Is.EqualTo("20.0"));
            Assert.That(Text(schedule.Total), Is.EqualTo("40.020"));
        });
    }

    [Test]
    public void Compute_AmountsADoubleCannotHold_AreExact()
    {
        // 12345678901234567.89 has more digits than a double carries; × 0.15 = 1851851835185185.1835 exactly.
        var schedule = Schedule(new RevenueTerms(0.15m), ("2026-03-31", "12345678901234567.89"));

        Assert.That(Text(schedule.Periods[0].Owed), Is.EqualTo("1851851835185185.1835"));
    }

    [Test]
    public void Compute_AgiDeclaredUnderOriginalTerms_EndsTheShareUntilTheNextVersion()
    {
        // 2019 terms: OpenAI's declaration alone overrides the share; 2025-10 needs verification; 2026-04 ignores AGI.
        var terms = new RevenueTerms(0.5m, AgiDeclaredOn: new DateOnly(2020, 1, 1));
        var schedule = Schedule(terms, ("2019-12-31", "10"), ("2020-01-01", "10"), ("2025-10-27", "10"), ("2025-10-28", "10"), ("2026-04-27", "10"));

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Periods.Select(ClauseOf), Is.EqualTo(new[] { Uncapped, null, null, Uncapped, Capped }));
            Assert.That(schedule.Periods.Select(VersionOf), Is.EqualTo(new[] { Share2019, null, null, Share2025, Share2026 }));
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "5.0", "0", "0", "5.0", "5.0" }));
            Assert.That(Text(schedule.Total), Is.EqualTo("15.0"));
        });
    }

    [Test]
    public void Compute_AgiVerifiedUnderDefinitiveAgreement_EndsTheShareUntilTheAmendment()
    {
        var terms = new RevenueTerms(0.5m, AgiDeclaredOn: new DateOnly(2025, 11, 1), AgiVerifiedOn: new DateOnly(2026, 1, 1));
        var schedule = Schedule(terms, ("2025-10-31", "10"), ("2025-12-31", "10"), ("2026-01-01", "10"), ("2026-04-26", "10"), ("2026-04-27", "10"), ("2030-12-31", "10"));

        Assert.Multiple(() =>
        {
            // Declared (2025-11-01) but not yet verified: the share stays; verified: it ends; the amendment removed AGI.
            Assert.That(schedule.Periods.Select(ClauseOf), Is.EqualTo(new[] { Uncapped, Uncapped, null, null, Capped, Capped }));
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "5.0", "5.0", "0", "0", "5.0", "5.0" }));
        });
    }

    [Test]
    public void Compute_PeriodThatReachesTheCap_OwesOnlyTheRemainder()
    {
        var terms = new RevenueTerms(0.2m, Cap: 100m);
        var schedule = Schedule(terms, ("2026-06-30", "300"), ("2026-09-30", "300"), ("2026-12-31", "300"), ("2027-03-31", "300"));

        Assert.Multiple(() =>
        {
            // 60.0, then 60.0 would make 120.0 > 100: the remainder 100 − 60.0 = 40.0; then nothing.
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "60.0", "40.0", "0", "0" }));
            Assert.That(schedule.Periods.Select(p => Text(p.CappedTotal)), Is.EqualTo(new[] { "60.0", "100.0", "100.0", "100.0" }));
            Assert.That(schedule.Periods.Select(p => p.CapReached), Is.EqualTo(new[] { false, true, true, true }));
            Assert.That(schedule.Periods.Select(ClauseOf), Is.All.EqualTo(Capped), "the obligation stands; only the cap limits it");
            Assert.That(Text(schedule.Total), Is.EqualTo("100.0"));
        });
    }

    [Test]
    public void Compute_PeriodThatHitsTheCapExactly_OwesItsWholeAmountAndReachesIt()
    {
        var schedule = Schedule(new RevenueTerms(0.5m, Cap: 10m), ("2026-06-30", "20"), ("2026-09-30", "20"));

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "10.0", "0" }));
            Assert.That(schedule.Periods.Select(p => p.CapReached), Is.EqualTo(new[] { true, true }));
        });
    }

    [Test]
    public void Compute_PeriodsBeforeTheAmendment_DoNotCountTowardTheCap()
    {
        var terms = new RevenueTerms(0.5m, Cap: 15m);
        var schedule = Schedule(terms, ("2025-12-31", "100"), ("2026-04-26", "100"), ("2026-04-27", "20"), ("2026-05-31", "20"));

        Assert.Multiple(() =>
        {
            // Uncapped terms before 2026-04-27 owe in full (50.0 each) and leave cappedTotal at 0; then 10.0 and the
            // remainder 15 − 10.0 = 5.0.
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "50.0", "50.0", "10.0", "5.0" }));
            Assert.That(schedule.Periods.Select(p => Text(p.CappedTotal)), Is.EqualTo(new[] { "0", "0", "10.0", "15.0" }));
            Assert.That(schedule.Periods.Select(p => p.CapReached), Is.EqualTo(new[] { false, false, false, true }));
            Assert.That(Text(schedule.Total), Is.EqualTo("115.0"));
        });
    }

    [Test]
    public void Compute_AfterTwentyThirty_OwesNothingAndKeepsTheCappedTotal()
    {
        var schedule = Schedule(new RevenueTerms(0.25m, Cap: 1000m), ("2030-12-31", "40"), ("2031-01-31", "40"));

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "10.00", "0" }));
            Assert.That(schedule.Periods.Select(ClauseOf), Is.EqualTo(new[] { Capped, null }));
            Assert.That(schedule.Periods.Select(p => Text(p.CappedTotal)), Is.EqualTo(new[] { "10.00", "10.00" }));
        });
    }

    [Test]
    public void Compute_WithoutCap_OwesRateTimesRevenueThroughTwentyThirty()
    {
        var schedule = Schedule(new RevenueTerms(1m), ("2026-06-30", "1000000"), ("2030-12-31", "1000000"));

        Assert.Multiple(() =>
        {
            Assert.That(schedule.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "1000000", "1000000" }));
            Assert.That(schedule.Periods.Select(p => p.CapReached), Is.All.False);
            Assert.That(Text(schedule.Total), Is.EqualTo("2000000"));
        });
    }

    [TestCase("2026-03-31", "2026-03-31", "repeats that of line 1")]
    [TestCase("2026-03-31", "2025-12-31", "strictly increasing")]
    public void Compute_PeriodsOutOfOrderOrRepeated_AreRefusedNamingLineAndField(string first, string second, string message)
    {
        var periods = new[] { Period(1, first, "1"), Period(2, second, "1") };

        var schedule = RevenueSchedule.Compute(Shipped, new RevenueTerms(0.2m), periods, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(schedule, Is.Null);
            Assert.That(error!.Line, Is.EqualTo(2));
            Assert.That(error.Field, Is.EqualTo("date"));
            Assert.That(error.Message, Does.Contain(message));
        });
    }

    [TestCase("1.01", null, null, null, "rate")]
    [TestCase("-0.1", null, null, null, "rate")]
    [TestCase("0.2", "-1", null, null, "cap")]
    [TestCase("0.2", null, null, "2026-01-01", "agiVerifiedOn")]
    [TestCase("0.2", null, "2026-02-01", "2026-01-01", "agiVerifiedOn")]
    public void Compute_BadTerms_AreRefusedNamingTheField(string rate, string? cap, string? declared, string? verified, string field)
    {
        static DateOnly? Date(string? d) => d is null ? null : DateOnly.Parse(d, CultureInfo.InvariantCulture);
        var terms = new RevenueTerms(decimal.Parse(rate, CultureInfo.InvariantCulture), cap is null ? null : decimal.Parse(cap, CultureInfo.InvariantCulture), Date(declared), Date(verified));

        var schedule = RevenueSchedule.Compute(Shipped, terms, [Period(1, "2026-03-31", "1")], out var error);

        Assert.Multiple(() =>
        {
            Assert.That(schedule, Is.Null);
            Assert.That(error!.Field, Is.EqualTo(field));
        });
    }

    [TestCase("0")]
    [TestCase("1")]
    public void Compute_RateAtTheEndsOfTheRange_IsAccepted(string rate)
    {
        var schedule = RevenueSchedule.Compute(Shipped, new RevenueTerms(decimal.Parse(rate, CultureInfo.InvariantCulture)), [Period(1, "2026-03-31", "3")], out var error);

        Assert.That(error, Is.Null);
        Assert.That(Text(schedule!.Total), Is.EqualTo(rate == "0" ? "0" : "3"));
    }

    [Test]
    public void Compute_RuleSetWithTheCapDateMoved_ChangesTheSchedule()
    {
        var directory = CopyRules(file => file.EndsWith("msft-openai-2026-04.json", StringComparison.Ordinal)
            ? text => text.Replace("date <= \\\"2030-12-31\\\"", "date <= \\\"2028-12-31\\\"", StringComparison.Ordinal)
            : null);
        try
        {
            var modified = Engine.Load(directory);
            var terms = new RevenueTerms(0.5m);
            var periods = new[] { ("2028-12-31", "10"), ("2029-01-31", "10") };

            var shipped = Schedule(terms, periods);
            var changed = Schedule(modified, terms, periods);

            Assert.Multiple(() =>
            {
                Assert.That(shipped.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "5.0", "5.0" }));
                Assert.That(changed.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "5.0", "0" }));
                Assert.That(changed.Periods.Select(ClauseOf), Is.EqualTo(new[] { Capped, null }));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Compute_RuleSetWithTheAmendmentMoved_MovesWhereTheCapStartsCounting()
    {
        var directory = CopyRules(file => file == "versions.json"
            ? text => text.Replace("\"2026-04-27\"", "\"2026-06-01\"", StringComparison.Ordinal)
            : null);
        try
        {
            var modified = Engine.Load(directory);
            var terms = new RevenueTerms(0.5m, Cap: 4m);
            var periods = new[] { ("2026-04-30", "10"), ("2026-06-30", "10") };

            var changed = Schedule(modified, terms, periods);

            Assert.Multiple(() =>
            {
                // 2026-04-30 now falls under the October 2025 terms: uncapped, not counted; June reaches the cap of 4.
                Assert.That(changed.Periods.Select(VersionOf), Is.EqualTo(new[] { Share2025, Share2026 }));
                Assert.That(changed.Periods.Select(p => Text(p.Owed)), Is.EqualTo(new[] { "5.0", "4" }));
                Assert.That(changed.Periods.Select(p => Text(p.CappedTotal)), Is.EqualTo(new[] { "0", "4" }));
                Assert.That(changed.Rules.CapFrom, Is.EqualTo(new DateOnly(2026, 6, 1)));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Rules_ShippedRuleSet_DerivesTrackAndCapStartFromTheRuleFiles()
    {
        var rules = RevenueShareRules.OpenAiToMicrosoft(Shipped, out var error);

        Assert.That(error, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(rules!.Track, Is.EqualTo("microsoft"));
            Assert.That(rules.CapFrom, Is.EqualTo(new DateOnly(2026, 4, 27)));
        });
    }

    /// <summary>Copies the repository's rules to a temporary directory, rewriting the files <paramref name="edit"/> picks.</summary>
    private static string CopyRules(Func<string, Func<string, string>?> edit)
    {
        var target = Path.Combine(Path.GetTempPath(), "revenue-rules-" + Guid.NewGuid().ToString("N"));
        foreach (var path in Directory.EnumerateFiles(Repository.Rules, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.Rules, path).Replace('\\', '/');
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var text = File.ReadAllText(path);
            var rewrite = edit(relative);
            var written = rewrite is null ? text : rewrite(text);
            Assert.That(rewrite is null || written != text, Is.True, $"the edit of {relative} changed nothing");
            File.WriteAllText(destination, written);
        }
        return target;
    }
}
