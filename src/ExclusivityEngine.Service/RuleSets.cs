using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using Microsoft.Extensions.Primitives;
using Prometheus;

namespace ExclusivityEngine.Service;

/// <summary>One loaded rule set with what answering with it needs at hand: its header value and its decision counters.</summary>
internal sealed class LoadedRules
{
    public LoadedRules(Engine engine, ServiceMetrics metrics)
    {
        Engine = engine;
        Hash = engine.Rules.Hash;
        Header = new StringValues(Hash);
        EvaluateDecisions = metrics.Decisions(Endpoints.Evaluate, Hash);
        BatchDecisions = metrics.Decisions(Endpoints.Batch, Hash);
    }

    public Engine Engine { get; }

    public string Hash { get; }

    /// <summary>The <c>X-Rule-Set</c> value, allocated once.</summary>
    public StringValues Header { get; }

    public Counter.Child[] EvaluateDecisions { get; }

    public Counter.Child[] BatchDecisions { get; }
}

/// <summary>What a reload did: the rule set now answering, or why the new one was refused.</summary>
internal sealed record ReloadOutcome(bool Loaded, string Hash, string? Message, IReadOnlyList<Diagnostic> Problems);

/// <summary>
/// The rule set answering now. A request takes <see cref="Current"/> once and answers with it to the end, so a reload
/// never changes a request in flight; a reload validates and compiles the new set beside the old one and swaps the
/// reference only when it can be used. Reloads run one at a time.
/// </summary>
internal sealed class RuleSetHolder(string? directory, ServiceMetrics metrics)
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private LoadedRules? _current;

    /// <summary>The rule set answering now; null until the first one is loaded.</summary>
    public LoadedRules? Current => Volatile.Read(ref _current);

    /// <summary>Whether the rule set comes from a directory (the embedded one cannot change).</summary>
    public bool CanReload => directory is not null;

    /// <summary>Loads the first rule set; throws <see cref="RuleSetException"/> or <see cref="DirectoryNotFoundException"/>.</summary>
    public LoadedRules LoadInitial()
    {
        var engine = directory is null ? Engine.LoadEmbedded() : Engine.Load(RuleFiles.FromDirectory(directory));
        return Swap(engine);
    }

    /// <summary>Reads, validates and compiles the directory again; swaps it in only when it can be used.</summary>
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancel)
    {
        if (directory is null)
        {
            throw new InvalidOperationException("the embedded rule set cannot be reloaded");
        }
        await _reloading.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var old = Current;
            RuleFiles files;
            try
            {
                files = RuleFiles.FromDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                metrics.Reloaded(false);
                var problem = new Diagnostic("unreadable-rule-files", e.Message, new SourceLocation(directory, 0, 0));
                return new ReloadOutcome(false, old?.Hash ?? "", $"the rule set in `{directory}` cannot be read: {e.Message}", [problem]);
            }
            if (old is not null && files.Hash() == old.Hash)
            {
                // Nothing changed: keep the engine whose verdict table is already warm.
                metrics.Reloaded(true);
                return new ReloadOutcome(true, old.Hash, null, []);
            }
            // Compiling takes a while and is CPU work: off the request thread, while the old set keeps answering.
            var (engine, problems) = await Task.Run(() =>
            {
                try
                {
                    return (Engine.Load(files), (IReadOnlyList<Diagnostic>)[]);
                }
                catch (RuleSetException e)
                {
                    return ((Engine?)null, e.Diagnostics);
                }
            }, cancel).ConfigureAwait(false);
            if (engine is null)
            {
                metrics.Reloaded(false);
                return new ReloadOutcome(false, old?.Hash ?? "", $"the rule set in `{directory}` cannot be used ({problems.Count} problem(s)); the rule set loaded before keeps answering", problems);
            }
            var loaded = Swap(engine);
            metrics.Reloaded(true);
            return new ReloadOutcome(true, loaded.Hash, null, []);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private LoadedRules Swap(Engine engine)
    {
        var loaded = new LoadedRules(engine, metrics);
        Volatile.Write(ref _current, loaded);
        metrics.RuleSetLoaded(loaded.Hash);
        return loaded;
    }
}
