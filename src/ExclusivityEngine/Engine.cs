using System.Collections.Concurrent;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Evaluation;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine;

/// <summary>
/// The rules engine: load a rule set once, then evaluate scenarios from any number of threads.
/// Verdicts are decided by the rule files' conditions (RulesEngine expressions) and the catalogue's steps.
/// </summary>
public sealed class Engine
{
    private static readonly Lazy<Engine> EmbeddedEngine = new(() => Load(RuleFiles.Embedded()));

    private readonly IClauseConditions _compiled;
    private readonly Lazy<IClauseConditions> _reference;
    private readonly ConcurrentDictionary<long, ClassVerdict> _classes = new();
    private readonly ConcurrentDictionary<(string, string, string, string), int> _productClasses = new();
    private readonly Dictionary<Product, ProductFacts> _catalogueFacts;
    private readonly int _intervals;

    private Engine(CompiledRules compiled)
    {
        Compiled = compiled;
        Rules = compiled.Rules;
        _compiled = new CompiledClauseConditions(compiled);
        _reference = new Lazy<IClauseConditions>(() => new RulesEngineClauseConditions(compiled), LazyThreadSafetyMode.ExecutionAndPublication);
        _catalogueFacts = Rules.Catalogue.Products.ToDictionary<Product, Product, ProductFacts>(p => p, Facts, ReferenceEqualityComparer.Instance);
        _intervals = compiled.Boundaries.Length + 1;
    }

    /// <summary>The rule set this engine evaluates.</summary>
    public RuleSet Rules { get; }

    internal CompiledRules Compiled { get; }

    /// <summary>The engine over the rule set embedded in the library (loaded once, shared).</summary>
    public static Engine LoadEmbedded() => EmbeddedEngine.Value;

    /// <summary>Loads the rule set in <paramref name="directory"/>; throws <see cref="RuleSetException"/> with every problem.</summary>
    public static Engine Load(string directory) => Load(RuleFiles.FromDirectory(directory));

    /// <summary>Loads a rule set; throws <see cref="RuleSetException"/> with every problem.</summary>
    public static Engine Load(RuleFiles files)
    {
        var (compiled, problems) = CompiledRules.Build(files);
        return compiled is null ? throw new RuleSetException(problems) : new Engine(compiled);
    }

    /// <summary>Every problem of a rule set, sorted by place; empty when it can be used.</summary>
    public static IReadOnlyList<Diagnostic> Validate(RuleFiles files) => CompiledRules.Build(files).Problems;

    /// <summary>Checks a scenario as written and evaluates it; throws <see cref="ScenarioException"/> for bad input.</summary>
    public Assessment Evaluate(ScenarioInput input)
    {
        var scenario = input.Resolve(Rules.Catalogue, out var error);
        return scenario is null ? throw new ScenarioException(error!) : Evaluate(scenario);
    }

    /// <summary>Evaluates a scenario on the fast path: the verdicts of its class are computed once and shared.</summary>
    public Assessment Evaluate(Scenario scenario)
    {
        var verdict = Classify(scenario);
        return new Assessment(scenario, verdict.InForce, verdict.Combined, verdict.Rows);
    }

    /// <summary>Evaluates a scenario on the reference path: RulesEngine runs every row's workflow for this call.</summary>
    public Assessment EvaluateWithRulesEngine(Scenario scenario)
    {
        Check(scenario);
        var verdict = Decide(scenario, _reference.Value);
        return new Assessment(scenario, verdict.InForce, verdict.Combined, verdict.Rows);
    }

    /// <summary>Evaluates on the fast path without keeping the class's verdicts: for questions that visit every class once.</summary>
    internal Assessment EvaluateOnce(Scenario scenario)
    {
        Check(scenario);
        var verdict = Decide(scenario, _compiled);
        return new Assessment(scenario, verdict.InForce, verdict.Combined, verdict.Rows);
    }

    /// <summary>The versions in force on <paramref name="date"/>, in versions-table order.</summary>
    public IReadOnlyList<AgreementVersion> InForce(DateOnly date) => Rules.Versions.Where(v => Rules.IsInForce(v, date)).ToList();

    internal ClassVerdict Classify(Scenario scenario)
    {
        var key = ClassKey(scenario);
        return _classes.TryGetValue(key, out var known) ? known : _classes.GetOrAdd(key, _ => Decide(scenario, _compiled));
    }

    private ClassVerdict Decide(Scenario scenario, IClauseConditions conditions)
    {
        var product = _catalogueFacts.TryGetValue(scenario.Product, out var facts) ? facts : Facts(scenario.Product);
        var rows = new RowVerdict[Rules.Rows.Count];
        var inForce = InForce(scenario.Date);
        foreach (var row in Rules.Rows)
        {
            var applies = new bool[row.Clauses.Count];
            conditions.Evaluate(row, product, scenario, applies);
            rows[row.Index] = VerdictSteps.Decide(row, applies, scenario, inForce.Contains(row.Version));
        }
        return new ClassVerdict(inForce, VerdictSteps.Combine(rows), rows);
    }

    /// <summary>
    /// The scenario's class: every input a condition or step can read, cut where the rule set can tell values apart
    /// (dates by interval between boundaries, strings that no condition names folded into one).
    /// </summary>
    private long ClassKey(Scenario s)
    {
        Check(s);
        var p = s.Product;
        var id = Compiled.Strings.Contains(p.Id) ? p.Id : "";
        var productClass = _productClasses.GetOrAdd((id, p.Interface, p.Origin, p.OfferedBy), _ => _productClasses.Count);
        long key = productClass;
        key = key * Rules.Catalogue.Clouds.Count + Rules.Catalogue.CloudIndex[s.Cloud];
        key = key * _intervals + Compiled.Interval(s.Date);
        key = key * 2 + (s.Segment == Segments.General ? 0 : 1);
        key = key * 2 + (s.AgiDeclared ? 1 : 0);
        key = key * 2 + (s.AgiVerified ? 1 : 0);
        key = key * 3 + Tri(s.MicrosoftDeclined);
        key = key * 3 + Tri(s.ShippedOnAzureFirst);
        key = key * 3 + Tri(s.MeetsOpenWeightCriteria);
        key = key * 3 + Tri(s.StatelessCallsOnAzure);
        return key;

        static int Tri(bool? value) => value switch { null => 0, true => 1, false => 2 };
    }

    private void Check(Scenario s)
    {
        if (!Rules.Catalogue.CloudIndex.ContainsKey(s.Cloud))
        {
            throw new ScenarioException(new ScenarioError(ScenarioErrorCodes.UnknownCloud, $"`{s.Cloud}` is not a known cloud", Model.Facts.Cloud));
        }
        if (!Segments.All.Contains(s.Segment))
        {
            throw new ScenarioException(new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{s.Segment}` is not a segment", Model.Facts.Segment));
        }
        foreach (var (name, value) in new[] { ("interface", s.Product.Interface), ("origin", s.Product.Origin), ("offeredBy", s.Product.OfferedBy) })
        {
            if (!Rules.Catalogue.AttributeValues[name].Contains(value))
            {
                throw new ScenarioException(new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the product's {name} `{value}` is not known", "product." + name));
            }
        }
        if (s.AgiVerifiedOn is { } v && (s.AgiDeclaredOn is not { } d || v < d))
        {
            throw new ScenarioException(new ScenarioError(ScenarioErrorCodes.InconsistentFacts, "a verification needs a declaration on or before it", Model.Facts.AgiVerifiedOn));
        }
    }

    private static ProductFacts Facts(Product p) => new(p.Id, p.Interface, p.Origin, p.OfferedBy);
}

/// <summary>The verdicts shared by every scenario of one class, with their JSON encodings once written.</summary>
internal sealed class ClassVerdict(IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows)
{
    public IReadOnlyList<AgreementVersion> InForce { get; } = inForce;
    public CombinedVerdict Combined { get; } = combined;
    public IReadOnlyList<RowVerdict> Rows { get; } = rows;

    /// <summary>The batch line's tail after <c>"line":N,</c>, per detail level; written once, reused for every line of the class.</summary>
    public byte[]?[] Encoded { get; } = new byte[3][];
}
