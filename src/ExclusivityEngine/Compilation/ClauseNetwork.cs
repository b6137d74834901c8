using System.Linq.Expressions;
using ExclusivityEngine.Model;
using NRules;
using NRules.RuleModel;
using NRules.RuleModel.Builders;
using RuleSet = ExclusivityEngine.Model.RuleSet;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// Every clause of every version and reading as an NRules rule: a pattern over the scenario whose conditions are the
/// clause's <c>when</c>, split at its top-level <c>and</c>s so the Rete network shares what clauses have in common,
/// and an action that records that the clause applied. Built once per rule set into one session factory, which is
/// expensive to build and thread-safe; each evaluation is a session of its own (cheap, not shared).
/// </summary>
internal sealed class ClauseNetwork
{
    private const string ScenarioName = "scenario";

    private readonly ISessionFactory _sessions;
    /// <summary>
    /// Facts an idle session keeps before it is dropped. Its memory grows with them, and every garbage collection of a
    /// batch's first pass copied and marked it: at 256 a 1M-line batch spent 80 ms in GC pauses and peaked at 135 MB;
    /// at 32, 45 ms and 117 MB, 8% less CPU and wall time; a new session costs about two decisions.
    /// </summary>
    internal const int FactsPerSession = 32;

    // One idle session per thread, never shared: a ConcurrentBag of them made two batch threads spin on its locks
    // (half a second of a 1M-line run's CPU in the profile, the holder pre-empted on a busy two-core machine).
    private readonly ThreadLocal<(ISession? Session, int Facts)> _idle = new();
    private readonly Dictionary<string, List<string>> _clausesByCondition = new(StringComparer.Ordinal);

    /// <param name="rules">The rule set.</param>
    /// <param name="conditions">Each clause's checked condition.</param>
    /// <param name="compiler">How conditions and actions become delegates; by default as this process can (<see cref="FastCompiler"/>).</param>
    public ClauseNetwork(RuleSet rules, IReadOnlyDictionary<Clause, Expression> conditions, NRules.Extensibility.IExpressionCompiler? compiler = null)
    {
        var numbers = new Dictionary<Clause, int>(ReferenceEqualityComparer.Instance);
        var clauses = new List<Clause>();
        var definitions = new List<IRuleDefinition>();
        foreach (var row in rules.Rows)
        {
            foreach (var clause in row.Clauses)
            {
                if (numbers.ContainsKey(clause))
                {
                    continue; // a version's clause is in each of its readings' rows too: one rule decides it for all
                }
                numbers[clause] = clauses.Count;
                definitions.Add(Rule(row, clause, clauses.Count, conditions[clause]));
                clauses.Add(clause);
            }
        }
        Clauses = clauses;
        Numbers = [.. rules.Rows.Select(row => row.Clauses.Select(c => numbers[c]).ToArray())];
        Definitions = definitions;
        _sessions = new RuleCompiler { ExpressionCompiler = compiler ?? new FastCompiler() }.Compile(definitions);
    }

    /// <summary>
    /// NRules' and the expression compiler's one-time set-up, which a process's first network pays for: a one-rule
    /// network, built and fired (see <see cref="WarmUps"/>).
    /// </summary>
    public static void WarmUpNetwork()
    {
        var builder = new RuleBuilder();
        builder.Name("warm-up");
        var pattern = builder.LeftHandSide().Pattern(typeof(ScenarioFact), ScenarioName);
        var fact = pattern.Declaration.ToParameterExpression();
        var scenario = Expression.Property(fact, nameof(ScenarioFact.Scenario));
        pattern.Condition(Expression.Lambda(Expression.Equal(Facts.Of(Facts.Cloud).ConditionValue(scenario), Expression.Constant("azure")), fact));
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(fact, typeof(ScenarioFact).GetMethod(nameof(ScenarioFact.Apply))!, Expression.Constant(0)),
            Expression.Parameter(typeof(IContext), "context"), fact));
        var session = new RuleCompiler { ExpressionCompiler = new FastCompiler() }.Compile([builder.Build()]).CreateSession();
        session.Insert(new ScenarioFact(new Scenario(new Product("warm-up", "", "", "", null), "azure", default), 1));
        session.Fire();
    }

    /// <summary>The NRules rule definitions, by clause number.</summary>
    public IReadOnlyList<IRuleDefinition> Definitions { get; }

    /// <summary>The compiled Rete network, as NRules describes it.</summary>
    public NRules.Diagnostics.ReteGraph Schema => _sessions.GetSchema();

    /// <summary>The rules' clauses, by number.</summary>
    public IReadOnlyList<Clause> Clauses { get; }

    /// <summary>Per row (by <see cref="Row.Index"/>), per clause of the row: the clause's number.</summary>
    public int[][] Numbers { get; }

    /// <summary>
    /// Runs <paramref name="scenario"/> through an NRules session and returns, by clause number, which clauses applied.
    /// Throws <see cref="ClauseEvaluationException"/> naming the clause if a condition cannot be evaluated.
    /// </summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="freshSession">
    /// True: a session of its own, discarded after (the reference path, <c>--no-compile</c>). False: the calling thread's idle session of
    /// this network is reused and the scenario inserted and fired; creating a session (activating every node of the
    /// network) costs twice what deciding a scenario does, and the memo pays it once per class. The fact stays in the
    /// session: retracting it cost as much as inserting it (the profile), and a rule has one pattern, so earlier facts
    /// neither join with it nor fire again. A session is dropped once it holds <see cref="FactsPerSession"/> facts.
    /// </param>
    public bool[] Fire(Scenario scenario, bool freshSession = true)
    {
        var fact = new ScenarioFact(scenario, Clauses.Count);
        (ISession? Session, int Facts) idle = default;
        if (!freshSession)
        {
            idle = _idle.Value;
            _idle.Value = default;
        }
        var session = idle.Session ?? _sessions.CreateSession();
        try
        {
            session.Insert(fact);
            session.Fire();
            if (!freshSession && idle.Facts + 1 < FactsPerSession)
            {
                // Only a session that fired to the end goes back: one that failed mid-way is dropped with its state.
                _idle.Value = (session, idle.Facts + 1);
            }
        }
        catch (RuleLhsExpressionEvaluationException e)
        {
            var clauses = _clausesByCondition.TryGetValue(e.Expression, out var names) ? string.Join(", ", names) : "a clause";
            throw new ClauseEvaluationException($"{clauses}: the condition `{e.Expression}` could not be evaluated ({e.InnerException?.Message ?? e.Message})", e);
        }
        catch (RuleRhsExpressionEvaluationException e)
        {
            throw new ClauseEvaluationException($"{e.RuleName}: recording that the clause applied failed ({e.InnerException?.Message ?? e.Message})", e);
        }
        return fact.Applied;
    }

    private IRuleDefinition Rule(Row row, Clause clause, int number, Expression condition)
    {
        var owner = row.Reading is not null && row.Reading.Clauses.Contains(clause) ? row.Id : row.Version.Id;
        var name = $"{owner} `{clause.Id}` ({clause.Location})";
        var builder = new RuleBuilder();
        builder.Name(name);
        var pattern = builder.LeftHandSide().Pattern(typeof(ScenarioFact), ScenarioName);
        var fact = pattern.Declaration.ToParameterExpression();
        var facts = new FactAccess(Expression.Property(fact, nameof(ScenarioFact.Scenario)));
        foreach (var part in Conjuncts(condition))
        {
            var lambda = Expression.Lambda(facts.Visit(part), fact);
            pattern.Condition(lambda);
            var key = lambda.ToString(); // as NRules names a condition that failed
            if (!_clausesByCondition.TryGetValue(key, out var names))
            {
                _clausesByCondition[key] = names = [];
            }
            names.Add(name);
        }
        var context = Expression.Parameter(typeof(IContext), "context");
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(fact, typeof(ScenarioFact).GetMethod(nameof(ScenarioFact.Apply))!, Expression.Constant(number)),
            context, fact));
        return builder.Build();
    }

    /// <summary>The operands of the top-level <c>and</c>s, in order: each becomes one condition of the pattern.</summary>
    private static IEnumerable<Expression> Conjuncts(Expression body) =>
        body is BinaryExpression { NodeType: ExpressionType.AndAlso } and
            ? Conjuncts(and.Left).Concat(Conjuncts(and.Right))
            : [body];

    /// <summary>Replaces each fact parameter of a checked condition with what the scenario fact holds for it.</summary>
    private sealed class FactAccess(Expression scenario) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            ConditionParser.FactOf.TryGetValue(node, out var fact) ? fact.ConditionValue(scenario) : node;
    }
}

/// <summary>
/// How NRules compiles the network's conditions and actions: with FastExpressionCompiler, which builds the delegate
/// about ten times faster than <c>Expression.Compile</c> (the bulk of loading a large rule set), falling back to it for
/// an expression FastExpressionCompiler does not support. A build that cannot emit code (the native one) builds
/// conditions and actions as <see cref="ClauseClosures"/> and interprets anything else.
/// </summary>
/// <param name="emit">Whether code is emitted; false only where it cannot be, and in the tests of the closures.</param>
internal sealed class FastCompiler(bool emit) : NRules.Extensibility.IExpressionCompiler
{
    public FastCompiler()
        : this(System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
    {
    }

    public TDelegate Compile<TDelegate>(Expression<TDelegate> expression)
        where TDelegate : Delegate =>
        !emit ? ClauseClosures.TryBuild(expression) ?? expression.Compile(preferInterpretation: true)
        : FastExpressionCompiler.ExpressionCompiler.CompileFast(expression, ifFastFailedReturnNull: true) ?? expression.Compile();
}

/// <summary>The fact an NRules session matches: the scenario, and the clauses whose rules fired on it.</summary>
internal sealed class ScenarioFact(Scenario scenario, int clauses)
{
    /// <summary>The scenario the clauses' conditions read.</summary>
    public Scenario Scenario { get; } = scenario;

    /// <summary>By clause number: whether the clause's rule fired.</summary>
    public bool[] Applied { get; } = new bool[clauses];

    /// <summary>The action of every clause's rule.</summary>
    public void Apply(int clause) => Applied[clause] = true;
}
