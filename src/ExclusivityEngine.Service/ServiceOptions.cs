namespace ExclusivityEngine.Service;

/// <summary>How the decision service runs: what the <c>serve</c> command's options say.</summary>
public sealed record ServiceOptions
{
    /// <summary>The default address: loopback only, so nothing outside the machine reaches the service unless the operator says so.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8181";

    /// <summary>Where to listen, <c>;</c>-separated <c>http://HOST:PORT</c> addresses (port 0: any free port).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The rule set directory; null for the rule set embedded in the library (which cannot be reloaded).</summary>
    public string? RulesDirectory { get; init; }

    /// <summary>Where decisions are logged, one JSON line each: a file (appended to), <c>-</c> for stdout, or null for nowhere.</summary>
    public string? DecisionLog { get; init; }

    /// <summary>A file holding the bearer token of <c>POST /v1/rules/reload</c>; null disables the endpoint.</summary>
    public string? AdminTokenFile { get; init; }

    /// <summary>How long one request may take, the batch endpoint aside (it streams for as long as its input lasts).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long in-flight requests may take to finish after SIGTERM before they are cut.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest body of a single-scenario request (<c>POST /v1/evaluate</c>); larger ones get 413.</summary>
    public long MaxEvaluateBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Batch requests answered at once; more wait for a turn (each holds a few megabytes of buffers).</summary>
    public int MaxConcurrentBatches { get; init; } = Math.Max(2, 2 * Environment.ProcessorCount);
}
