using System.Diagnostics;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using static ExclusivityEngine.Tests.Questions.QuestionFixtures;

namespace ExclusivityEngine.Tests.Questions;

/// <summary>
/// Stopwatch figures for the README (run on request: <c>dotnet test -c Release --filter Category=Timing</c>).
/// The benchmarks project is the place for judged measurements; this only checks the order of magnitude.
/// </summary>
[Explicit("timing, run on request")]
[Category("Timing")]
public sealed class QuestionTimings
{
    [Test]
    public void Analyze_ShippedRuleSet_Seconds()
    {
        var engine = Shipped;
        RuleSetAnalysis.Run(engine, D("2026-01-01"), D("2026-01-31"));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var analysis = RuleSetAnalysis.Run(engine, D("2019-01-01"), D("2035-12-31"));
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        TestContext.Out.WriteLine($"analyze 2019-01-01..2035-12-31: {watch.ElapsedMilliseconds} ms wall, {cpu.TotalMilliseconds:F0} ms CPU ({analysis.Blocked.Count} blocked, {analysis.Disputed.Count} disputed)");

        // The share of the engine's own verdicts in it: every scenario analyze visits, evaluated once.
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var space = FactSpace.For(engine.Compiled, engine.Rules.Rows);
        TestContext.Out.WriteLine($"analyze: the fact space and its cubes: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU");
        var periods = DatePeriods.Cut(engine.Compiled.Boundaries, D("2019-01-01"), D("2035-12-31"));
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var count = 0;
        foreach (var product in engine.Rules.Catalogue.Products)
        {
            foreach (var cloud in engine.Rules.Catalogue.Clouds)
            {
                foreach (var period in periods)
                {
                    for (var point = 0; point < space.Count; point++, count++)
                    {
                        engine.Evaluate(space.ScenarioAt(point, product, cloud.Id, period.From));
                    }
                }
            }
        }
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        TestContext.Out.WriteLine($"analyze: {count} scenarios evaluated alone: {cpu.TotalMilliseconds:F0} ms CPU");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Diff_April2026Amendment_Seconds()
    {
        var engine = Shipped;
        var rows = engine.Rules.RowsById;
        var watch = Stopwatch.StartNew();
        var diff = VersionDiff.Compare(engine, rows["msft-openai-2025-10"], rows["msft-openai-2026-04"], D("2019-01-01"), D("2035-12-31"));
        watch.Stop();
        TestContext.Out.WriteLine($"diff 2025-10 vs 2026-04, every product: {watch.ElapsedMilliseconds} ms ({diff.Regions.Count} regions)");
    }

    [Test]
    public void Impact_OneClauseEdit_Seconds()
    {
        // The same edit as the README's measurement: Frontier's third-party exclusivity extended to Azure.
        using var copy = new RuleSetCopy();
        copy.Replace("clauses/aws-openai-2026-02.json", """cloud in (\"google-cloud\",""", """cloud in (\"azure\", \"google-cloud\",""");
        var before = Engine.Load(Repository.Rules);
        var after = Engine.Load(copy.Directory);
        RuleSetImpact.Compare(before, after, D("2026-01-01"), D("2026-01-31"));
        var analyzed = Engine.Load(Repository.Rules);
        RuleSetAnalysis.Run(analyzed, D("2026-01-01"), D("2026-01-31"));
        foreach (var round in new[] { 1, 2 })
        {
            var watch = Stopwatch.StartNew();
            var impact = RuleSetImpact.Compare(before, after, D("2019-01-01"), D("2035-12-31"));
            var impactTime = watch.Elapsed;
            watch.Restart();
            RuleSetAnalysis.Run(analyzed, D("2019-01-01"), D("2035-12-31"));
            TestContext.Out.WriteLine($"round {round}: impact {impactTime.TotalMilliseconds:F0} ms ({impact.Regions.Count} regions), analyze {watch.ElapsedMilliseconds} ms");
        }
    }

    [Test]
    public void WhyNot_Milliseconds()
    {
        var engine = Shipped;
        string[] products = ["openai-api", "frontier", "stateful-runtime", "open-weight-model", "microsoft-copilot"];
        string[] dates = ["2019-08-01", "2026-01-15", "2026-03-15", "2027-01-01", "2034-01-01"];
        var scenarios = products.SelectMany(p => dates.SelectMany(d => engine.Rules.Catalogue.Clouds.Select(c => Scenario(engine, p, c.Id, d)))).ToList();
        WhyNot.Ask(engine, scenarios[0], Permission.Permitted);
        var watch = Stopwatch.StartNew();
        foreach (var s in scenarios)
        {
            WhyNot.Ask(engine, s, Permission.Permitted);
        }
        watch.Stop();
        TestContext.Out.WriteLine($"why-not: {scenarios.Count} scenarios, {watch.Elapsed.TotalMilliseconds / scenarios.Count:F2} ms each (memo warming up)");
        watch.Restart();
        foreach (var s in scenarios)
        {
            WhyNot.Ask(engine, s, Permission.Permitted);
        }
        watch.Stop();
        TestContext.Out.WriteLine($"why-not again: {watch.Elapsed.TotalMilliseconds / scenarios.Count:F2} ms each");
    }
}
