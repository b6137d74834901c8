using BenchmarkDotNet.Attributes;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// What NRules costs the engine: a session of the shipped rule set's network deciding which clauses apply to one
/// scenario (what the reference path pays for every scenario, and the memo for the first scenario of each class),
/// against the memo's lookup.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private const int Count = 256;

    private Engine _engine = null!;
    private Scenario[] _scenarios = [];

    [GlobalSetup]
    public void Setup()
    {
        _engine = Engine.LoadEmbedded();
        var lines = System.Text.Encoding.UTF8.GetString(ScenarioData.JsonLines(_engine, Count, seed: 11)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _scenarios = [.. lines.Select(line => ScenarioJson.Read(line, out _)!.Resolve(_engine.Rules.Catalogue, out _)!)];
    }

    [Benchmark(Description = "one NRules session per scenario", OperationsPerInvoke = Count)]
    public int SessionPerScenario()
    {
        var applied = 0;
        foreach (var scenario in _scenarios)
        {
            applied += _engine.Compiled.Network.Fire(scenario).Length;
        }
        return applied;
    }
}
