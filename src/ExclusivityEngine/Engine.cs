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
    private readonly VerdictTable _table;
    private readonly ConcurrentDictionary<string, ClassVerdict> _sharedVerdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<Product, ProductFacts> _catalogueFacts;

    private Engine(CompiledRules compiled)
    {
        Compiled = compiled;
        Rules = compiled.Rules;
        _compiled = new CompiledClauseConditions(compiled);
        _reference = new Lazy<IClauseConditions>(() => new RulesEngineClauseConditions(compiled), LazyThreadSafetyMode.ExecutionAndPublication);
        _catalogueFacts = Rules.Catalogue.Products.ToDictionary<Product, Product, ProductFacts>(p => p, Facts, ReferenceEqualityComparer.Instance);
        _table = new VerdictTable(compiled, _compiled, DecideShared);
    }

    /// <summary>The rule set this engine evaluates.</summary>
    public RuleSet Rules { get; }

    internal CompiledRules Compiled { get; }

    /// <summary>
    /// Optional: starts the expression parser's one-time set-up in the background, so that a program which will load a
    /// rule set can overlap that cost with its own start-up.
    /// </summary>
    public static void Prepare() => ConditionParser.WarmUp();

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

    /// <summary>The versions in force on <paramref name="date"/>, in versions-table order.</summary>
    public IReadOnlyList<AgreementVersion> InForce(DateOnly date) => Rules.Versions.Where(v => Rules.IsInForce(v, date)).ToList();

    /// <summary>The class's verdicts; <paramref name="resolved"/> says the scenario came from <see cref="ScenarioInput.Resolve"/>, which has checked it.</summary>
    internal ClassVerdict Classify(Scenario scenario, bool resolved = false)
    {
        if (!resolved)
        {
            Check(scenario);
        }
        var product = _catalogueFacts.TryGetValue(scenario.Product, out var facts) ? facts : Facts(scenario.Product);
        return _table.Get(scenario, product);
    }

    private ClassVerdict Decide(Scenario scenario, IClauseConditions conditions) =>
        Decide(scenario, _catalogueFacts.TryGetValue(scenario.Product, out var facts) ? facts : Facts(scenario.Product), conditions);

    private ClassVerdict Decide(Scenario scenario, ProductFacts product, IClauseConditions conditions)
    {
        var inForce = InForce(scenario.Date);
        var applies = Applies(scenario, product, conditions);
        return Build(scenario, inForce, applies);
    }

    /// <summary>
    /// The fast path's decision for a new class. Many classes end with the same verdicts (which clauses apply, how each
    /// require resolved, which versions are in force); those share one <see cref="ClassVerdict"/>, so the table's memory
    /// grows with the verdicts the rule set can give, not with the variety of the input.
    /// </summary>
    private ClassVerdict DecideShared(Scenario scenario, ProductFacts product)
    {
        var inForce = InForce(scenario.Date);
        var applies = Applies(scenario, product, _compiled);
        var signature = new System.Text.StringBuilder(64);
        foreach (var row in Rules.Rows)
        {
            signature.Append(inForce.Contains(row.Version) ? 'F' : '-');
            for (var i = 0; i < row.Clauses.Count; i++)
            {
                signature.Append(!applies[row.Index][i] ? '0'
                    : row.Clauses[i].Effect != Effect.Require ? '1'
                    : (char)('2' + (int)VerdictSteps.Require(row.Clauses[i], scenario)));
            }
        }
        return _sharedVerdicts.GetOrAdd(signature.ToString(), _ => Build(scenario, inForce, applies));
    }

    private bool[][] Applies(Scenario scenario, ProductFacts product, IClauseConditions conditions)
    {
        var applies = new bool[Rules.Rows.Count][];
        foreach (var row in Rules.Rows)
        {
            applies[row.Index] = new bool[row.Clauses.Count];
            conditions.Evaluate(row, product, scenario, applies[row.Index]);
        }
        return applies;
    }

    private ClassVerdict Build(Scenario scenario, IReadOnlyList<AgreementVersion> inForce, bool[][] applies)
    {
        var rows = new RowVerdict[Rules.Rows.Count];
        foreach (var row in Rules.Rows)
        {
            rows[row.Index] = VerdictSteps.Decide(row, applies[row.Index], scenario, inForce.Contains(row.Version));
        }
        return new ClassVerdict(inForce, VerdictSteps.Combine(rows), rows);
    }

    /// <summary>A scenario built in code skipped <see cref="ScenarioInput.Resolve"/>; refuse what the rule set cannot evaluate.</summary>
    private void Check(Scenario s)
    {
        var attributes = Rules.Catalogue.AttributeValues;
        var error = !Rules.Catalogue.CloudIndex.ContainsKey(s.Cloud) ? new ScenarioError(ScenarioErrorCodes.UnknownCloud, $"`{s.Cloud}` is not a known cloud", Model.Facts.Cloud)
            : s.Segment is not (Segments.General or Segments.UsNationalSecurity) ? new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{s.Segment}` is not a segment", Model.Facts.Segment)
            : !attributes["interface"].Contains(s.Product.Interface) ? new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the product's interface `{s.Product.Interface}` is not known", "product.interface")
            : !attributes["origin"].Contains(s.Product.Origin) ? new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the product's origin `{s.Product.Origin}` is not known", "product.origin")
            : !attributes["offeredBy"].Contains(s.Product.OfferedBy) ? new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the product's offeredBy `{s.Product.OfferedBy}` is not known", "product.offeredBy")
            : s.AgiVerifiedOn is { } v && (s.AgiDeclaredOn is not { } d || v < d) ? new ScenarioError(ScenarioErrorCodes.InconsistentFacts, "a verification needs a declaration on or before it", Model.Facts.AgiVerifiedOn)
            : null;
        if (error is not null)
        {
            throw new ScenarioException(error);
        }
    }

    private static ProductFacts Facts(Product p) => new(p.Id, p.Interface, p.Origin, p.OfferedBy);
}
