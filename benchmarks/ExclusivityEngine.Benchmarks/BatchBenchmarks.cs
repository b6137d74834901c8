using BenchmarkDotNet.Attributes;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// A batch of 100,000 in-memory JSON Lines scenarios at summary detail, written to a stream that keeps nothing: the
/// memo against <c>--no-compile</c> (an NRules session for every line). Target: at least 5x per scenario.
/// </summary>
[MemoryDiagnoser]
// A run takes about a second: a few single invocations are enough, and keep the --no-compile side affordable.
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class BatchBenchmarks
{
    private Engine _engine = null!;
    private byte[] _input = [];

    [Params(100_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = Engine.LoadEmbedded();
        _input = ScenarioData.JsonLines(_engine, Lines);
    }

    [Benchmark(Baseline = true, Description = "batch (memo)")]
    public BatchCounts Memo() => Run(new BatchOptions { Detail = Detail.Summary });

    [Benchmark(Description = "batch --no-compile")]
    public BatchCounts NoCompile() => Run(new BatchOptions { Detail = Detail.Summary, SessionPerScenario = true });

    private BatchCounts Run(BatchOptions options)
    {
        using var input = new MemoryStream(_input, writable: false);
        return new Batch(_engine, options).RunAsync(input, Stream.Null).GetAwaiter().GetResult();
    }
}
