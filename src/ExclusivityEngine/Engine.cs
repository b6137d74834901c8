using ExclusivityEngine.Compilation;
using ExclusivityEngine.Evaluation;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine;

/// <summary>
/// The rules engine: load a rule set once, then evaluate scenarios from any number of threads. Which clauses apply is
/// decided by NRules (every clause of the rule files is an NRules rule); the verdict follows the catalogue's steps.
/// Loading is expensive (parsing, checking and compiling every condition into the NRules network: tens of
/// milliseconds); keep one engine per rule set and share it. Every method is thread-safe.
/// </summary>
public sealed class Engine
{
    private static readonly Lazy<Engine> EmbeddedEngine = new(() => Load(RuleFiles.Embedded()));

    private readonly ClassTable _classes;

    private Engine(CompiledRules compiled)
    {
        Compiled = compiled;
        Rules = compiled.Rules;
        _classes = new ClassTable(compiled);
    }

    /// <summary>The rule set this engine evaluates.</summary>
    public RuleSet Rules { get; }

    internal CompiledRules Compiled { get; }

    /// <summary>
    /// Optional: starts the expression parser's and NRules' one-time set-up in the background, so that a program which
    /// will load a rule set can overlap that cost with its own start-up. On a machine of few cores it buys little: the
    /// set-up then competes with the program's own for the runtime's type loader (the CLI does not call it).
    /// </summary>
    public static void Prepare()
    {
        WarmUps.Parser.Start();
        WarmUps.Network.Start();
    }

    /// <summary>The engine over the rule set embedded in the library (loaded once, shared).</summary>
    public static Engine LoadEmbedded() => EmbeddedEngine.Value;

    /// <summary>Loads the rule set in <paramref name="directory"/>; throws <see cref="RuleSetException"/> with every problem.</summary>
    public static Engine Load(string directory) => Load(RuleFiles.FromDirectory(directory));

    /// <summary>Loads a rule set; throws <see cref="RuleSetException"/> with every problem.</summary>
    public static Engine Load(RuleFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (compiled, problems) = CompiledRules.Build(files);
        return compiled is null ? throw new RuleSetException(problems) : new Engine(compiled);
    }

    /// <summary>Every problem of a rule set, sorted by place; empty when it can be used.</summary>
    public static IReadOnlyList<Diagnostic> Validate(RuleFiles files) =>
        CompiledRules.Build(files ?? throw new ArgumentNullException(nameof(files))).Problems;

    /// <summary>Checks a scenario as written and evaluates it; throws <see cref="ScenarioException"/> for bad input.</summary>
    public Assessment Evaluate(ScenarioInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scenario = input.Resolve(Rules.Catalogue, out var error);
        return scenario is null ? throw new ScenarioException(error!) : Evaluate(scenario);
    }

    /// <summary>
    /// Evaluates a scenario on the default path: the first scenario of a class runs an NRules session, and the class's
    /// verdicts are memoised for every later one. Throws <see cref="ScenarioException"/> for a scenario the rule set
    /// cannot evaluate.
    /// </summary>
    public Assessment Evaluate(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        // The class lookup checks what it reads; only a scenario it refuses goes through the check that explains why.
        if (!_classes.TryGet(scenario, out var verdict))
        {
            Check(scenario);
            throw new InvalidOperationException("the scenario was refused but passes every check");
        }
        return new Assessment(scenario, verdict.InForce, verdict.Combined, verdict.Rows);
    }

    /// <summary>
    /// Evaluates a scenario in an NRules session of its own, with no memo: the reference that the default path is
    /// tested against (tens of microseconds a call).
    /// </summary>
    public Assessment EvaluateInSession(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Check(scenario);
        var verdict = VerdictSteps.Decide(Compiled, Compiled.Network.Fire(scenario), scenario);
        return new Assessment(scenario, verdict.InForce, verdict.Combined, verdict.Rows);
    }

    /// <summary>The versions in force on <paramref name="date"/>, in versions-table order.</summary>
    public IReadOnlyList<AgreementVersion> InForce(DateOnly date) => Rules.Versions.Where(v => Rules.IsInForce(v, date)).ToList();

    /// <summary>The class's verdicts of a scenario that <see cref="ScenarioInput.Resolve"/> has already checked.</summary>
    internal ClassVerdict Classify(Scenario scenario) => _classes.Get(scenario);

    /// <summary>The memoised verdicts of a plain batch line's class, when that class has been met.</summary>
    internal bool TryClassifyPlain(in PlainFacts line, out ClassVerdict verdict) => _classes.TryGetPlain(line, out verdict);

    private void Check(Scenario scenario)
    {
        if (ScenarioCheck.Problem(scenario, Rules.Catalogue) is { } error)
        {
            throw new ScenarioException(error);
        }
    }
}
