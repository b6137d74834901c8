using BenchmarkDotNet.Attributes;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// One library evaluation: the memoised default path (warm: every scenario's class already decided) against
/// an NRules session per scenario. Target: the memo under 1 µs and at least 100x faster.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const int Count = 256;

    private Engine _engine = null!;
    private Scenario[] _scenarios = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _engine = Engine.LoadEmbedded();
        var lines = System.Text.Encoding.UTF8.GetString(ScenarioData.JsonLines(_engine, Count, seed: 7)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _scenarios = [.. lines.Select(line => ScenarioJson.Read(line, out _)!.Resolve(_engine.Rules.Catalogue, out _)!)];
        foreach (var scenario in _scenarios)
        {
            _engine.Evaluate(scenario);
            _engine.EvaluateInSession(scenario);
        }
    }

    /// <summary>The next scenario of the set, so one evaluation is not always the same cached class.</summary>
    private Scenario Next() => _scenarios[_next++ & (Count - 1)];

    [Benchmark(Baseline = true, Description = "Evaluate (memo, warm)")]
    public Assessment Memo() => _engine.Evaluate(Next());

    [Benchmark(Description = "the memo's class lookup alone")]
    public object Classify() => _engine.Classify(Next());

    [Benchmark(Description = "the scenario check alone")]
    public object? Check() => ScenarioCheck.Problem(Next(), _engine.Rules.Catalogue);

    [Benchmark(Description = "EvaluateInSession")]
    public Assessment Session() => _engine.EvaluateInSession(Next());
}
