using BenchmarkDotNet.Attributes;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Timeline;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// The questions beyond one verdict, computed from the rule set's boundary dates rather than day by day:
/// a 2019–2035 timeline of every cloud (target: milliseconds; the day-by-day loop is the baseline),
/// `why-not` (milliseconds) and `analyze` of the shipped rule set (seconds).
/// </summary>
[MemoryDiagnoser]
public class QuestionBenchmarks
{
    private Engine _engine = null!;
    private Scenario _statefulRuntime = null!;
    private Scenario _frontierOnAws = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = Engine.LoadEmbedded();
        var catalogue = _engine.Rules.Catalogue.ProductsById;
        _statefulRuntime = new Scenario(catalogue["stateful-runtime"], "azure", TimelineBuilder.DefaultFrom, MicrosoftDeclined: false, ShippedOnAzureFirst: false);
        _frontierOnAws = new Scenario(catalogue["frontier"], "aws", new DateOnly(2026, 3, 15), ShippedOnAzureFirst: true);
    }

    [Benchmark(Baseline = true, Description = "timeline, day by day (reference)")]
    public int TimelineDayByDay()
    {
        var changes = 0;
        for (var day = TimelineBuilder.DefaultFrom; day <= TimelineBuilder.DefaultTo; day = day.AddDays(1))
        {
            foreach (var cloud in _engine.Rules.Catalogue.Clouds)
            {
                changes += (int)_engine.Evaluate(_statefulRuntime with { Cloud = cloud.Id, Date = day }).Combined.Permission;
            }
        }
        return changes;
    }

    [Benchmark(Description = "timeline 2019-2035, every cloud")]
    public int Timeline() => _engine.Timeline(_statefulRuntime, TimelineBuilder.DefaultFrom, TimelineBuilder.DefaultTo).Periods.Count;

    [Benchmark(Description = "why-not frontier on aws 2026-03-15")]
    public int WhyNotFrontier() => WhyNot.Ask(_engine, _frontierOnAws, Permission.Permitted).Changes.Count;

    [Benchmark(Description = "analyze 2019-2035, whole rule set")]
    public object Analyze() => RuleSetAnalysis.Run(_engine, TimelineBuilder.DefaultFrom, TimelineBuilder.DefaultTo);
}
