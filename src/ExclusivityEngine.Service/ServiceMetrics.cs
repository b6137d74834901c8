using System.Collections.Concurrent;
using ExclusivityEngine.Model;
using Prometheus;

namespace ExclusivityEngine.Service;

/// <summary>
/// The service's Prometheus metrics, in a registry of its own. Label children on the hot path are looked up once and
/// kept, so counting a decision is an increment, not a dictionary search.
/// </summary>
internal sealed class ServiceMetrics
{
    private readonly Counter _decisions;
    private readonly Counter _rejected;
    private readonly Histogram _duration;
    private readonly Gauge _ruleSet;
    private readonly Counter _reloads;
    private readonly Counter _logLost;
    private readonly ConcurrentDictionary<(string Endpoint, string Code), Counter.Child> _rejectedChildren = new();
    private readonly ConcurrentDictionary<(string Endpoint, int Status), Histogram.Child> _durationChildren = new();
    private string? _shownRuleSet;

    public ServiceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _decisions = factory.CreateCounter("exclusivity_decisions_total",
            "Scenarios answered with a verdict, by endpoint, combined permission and the rule set that decided them.",
            new CounterConfiguration { LabelNames = ["endpoint", "permission", "rule_set"] });
        _rejected = factory.CreateCounter("exclusivity_rejected_inputs_total",
            "Inputs refused, by endpoint and error code (a batch counts each rejected line).",
            new CounterConfiguration { LabelNames = ["endpoint", "code"] });
        _duration = factory.CreateHistogram("exclusivity_request_duration_seconds",
            "Time from a request's arrival at the endpoint to its answer, by endpoint and HTTP status.",
            new HistogramConfiguration
            {
                LabelNames = ["endpoint", "status"],
                Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });
        _ruleSet = factory.CreateGauge("exclusivity_rule_set_info",
            "1 for the rule set answering now, labelled with its hash; 0 for rule sets replaced by a reload.",
            new GaugeConfiguration { LabelNames = ["rule_set"] });
        _reloads = factory.CreateCounter("exclusivity_rule_set_reloads_total",
            "Reloads of the rule set, by outcome (loaded, refused).", new CounterConfiguration { LabelNames = ["outcome"] });
        _logLost = factory.CreateCounter("exclusivity_decision_log_lost_total",
            "Decisions answered but not logged, by reason (write-failed: the log could not be written; queue-full: the log fell too far behind).",
            new CounterConfiguration { LabelNames = ["reason"] });
        LogQueued = factory.CreateGauge("exclusivity_decision_log_queued_bytes", "Decision log bytes waiting to be written.");
    }

    public CollectorRegistry Registry { get; }

    public Gauge LogQueued { get; }

    /// <summary>The decision counters of one rule set and endpoint, by permission.</summary>
    public Counter.Child[] Decisions(string endpoint, string ruleSet) =>
    [
        _decisions.WithLabels(endpoint, "Permitted", ruleSet),
        _decisions.WithLabels(endpoint, "Conditional", ruleSet),
        _decisions.WithLabels(endpoint, "Prohibited", ruleSet),
    ];

    public void Rejected(string endpoint, string code) =>
        _rejectedChildren.GetOrAdd((endpoint, code), k => _rejected.WithLabels(k.Endpoint, k.Code)).Inc();

    public void Observe(string endpoint, int status, double seconds) =>
        _durationChildren.GetOrAdd((endpoint, status), k => _duration.WithLabels(k.Endpoint, k.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))).Observe(seconds);

    public void RuleSetLoaded(string hash)
    {
        lock (_ruleSet)
        {
            if (_shownRuleSet is not null && _shownRuleSet != hash)
            {
                _ruleSet.WithLabels(_shownRuleSet).Set(0);
            }
            _ruleSet.WithLabels(hash).Set(1);
            _shownRuleSet = hash;
        }
    }

    public void Reloaded(bool loaded) => _reloads.WithLabels(loaded ? "loaded" : "refused").Inc();

    public void LogLost(string reason, long lines) => _logLost.WithLabels(reason).Inc(lines);

    /// <summary>The permission's index in the arrays <see cref="Decisions"/> returns.</summary>
    public static int Index(Permission permission) => permission switch
    {
        Permission.Permitted => 0,
        Permission.Conditional => 1,
        _ => 2,
    };
}
