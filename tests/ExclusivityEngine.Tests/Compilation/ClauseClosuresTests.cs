using System.Linq.Expressions;
using CsCheck;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;
using ExclusivityEngine.Tests.Evaluation;
using NRules.Extensibility;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>
/// The native build's conditions and actions (<see cref="ClauseClosures"/>) against the delegates this process
/// compiles from the same trees: every tree of the embedded rule set, and of a rule set whose conditions use every
/// operator a condition may, is built without the interpreter, and both networks fire the same clauses on generated
/// scenarios.
/// </summary>
public sealed class ClauseClosuresTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    /// <summary>
    /// Every form a condition may take (README, "Conditions"), each operator on each kind of fact. Dates are the rule
    /// set's own boundaries (<c>{0}</c>, <c>{1}</c>, <c>{2}</c>), which the generated scenarios fall on and either side of.
    /// </summary>
    private static readonly string[] EveryOperator = [.. new[]
    {
        """cloud == "aws" """,
        """cloud != "azure" """,
        """ "aws" == cloud""",
        """cloud in ("google-cloud", "oracle", "other")""",
        """not (cloud in ("aws", "azure"))""",
        """date < "{0}" """,
        """date <= "{1}" """,
        """date > "{2}" """,
        """date >= "{0}" """,
        """date == "{1}" """,
        """date != "{1}" """,
        """ "{2}" > date""",
        """agiDeclared""",
        """!agiVerified""",
        """agiDeclared and not agiVerified""",
        """agiDeclared == false""",
        """agiVerified != true""",
        """microsoftDeclined == null""",
        """microsoftDeclined == true""",
        """microsoftDeclined != false""",
        """shippedOnAzureFirst == false or meetsOpenWeightCriteria == null""",
        """statelessCallsOnAzure != null && statelessCallsOnAzure != false""",
        """null == meetsOpenWeightCriteria""",
        """product.offeredBy == "openai" && product.interface != "api" """,
        """product.id == "frontier" """,
        """product.origin in ("openai", "microsoft")""",
        """segment == "us-national-security" || date < "{0}" """,
        """segment != "general" """,
        """true""",
        """false""",
        """!(date >= "{1}" && (cloud == "aws" || cloud == "google-cloud")) || agiDeclared""",
    }.Select(form => string.Format(System.Globalization.CultureInfo.InvariantCulture, form, [.. Engine.Compiled.Boundaries.Skip(1).Take(3).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))]))];

    [Test]
    public void Compile_TheEmbeddedRuleSet_BuildsEveryConditionAndActionWithoutTheInterpreter()
    {
        var compiler = new RecordingCompiler();

        _ = new ClauseNetwork(Engine.Rules, Engine.Compiled.Conditions, compiler);

        Assert.That(compiler.Interpreted, Is.Empty, "trees left to the interpreter");
        Assert.That(compiler.Closures, Is.GreaterThan(Engine.Compiled.Network.Clauses.Count), "a closure per condition and per action");
    }

    [Test]
    public void Compile_EveryOperator_BuildsEveryConditionWithoutTheInterpreter()
    {
        var compiler = new RecordingCompiler();

        foreach (var conditions in EveryOperatorConditions())
        {
            _ = new ClauseNetwork(Engine.Rules, conditions, compiler);
        }

        Assert.That(compiler.Interpreted, Is.Empty, "trees left to the interpreter");
    }

    [Test]
    public void Fire_GeneratedScenarios_ClosuresAndCompiledDelegatesFireTheSameClauses()
    {
        var networks = EveryOperatorConditions().Prepend(Engine.Compiled.Conditions)
            .Select(c => (Compiled: new ClauseNetwork(Engine.Rules, c, new FastCompiler(emit: true)), Closures: new ClauseNetwork(Engine.Rules, c, new FastCompiler(emit: false))))
            .ToList();

        MemoAgreementTests.Scenarios().Sample(json =>
        {
            var scenario = MemoAgreementTests.Resolve(json);
            foreach (var (compiled, closures) in networks)
            {
                var expected = compiled.Fire(scenario);
                var actual = closures.Fire(scenario);
                for (var n = 0; n < expected.Length; n++)
                {
                    if (expected[n] != actual[n])
                    {
                        throw new AssertionException($"{compiled.Definitions[n].Name}: compiled {expected[n]}, closures {actual[n]}");
                    }
                }
            }
        }, iter: 2000, print: json => json);
    }

    [Test]
    public void TryCompile_ATreeOutsideTheConditionForms_IsLeftToTheInterpreter()
    {
        var scenario = Engine.Rules.Catalogue.ProductsById["frontier"] is var frontier ? new Scenario(frontier, "aws", new DateOnly(2020, 1, 1)) : null!;
        var fact = new StandInFact(new ScenarioFact(scenario, 0));
        var inequality = typeof(string).GetMethod("op_Inequality", [typeof(string), typeof(string)]);
        var greater = typeof(DateOnly).GetMethod("op_GreaterThan", [typeof(DateOnly), typeof(DateOnly)]);

        // As NRules writes a condition, with each of these in turn as the condition.
        var byValue = AsNRulesWritesIt(s => Expression.Equal(Fact(s, Facts.Cloud), Expression.Constant("aws"), false, typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])));
        var byReference = AsNRulesWritesIt(s => Expression.ReferenceEqual(Fact(s, Facts.Cloud), Expression.Constant("aws")));
        var equalCallingInequality = AsNRulesWritesIt(s => Expression.Equal(Fact(s, Facts.Cloud), Expression.Constant("aws"), false, inequality));
        var lessCallingGreater = AsNRulesWritesIt(s => Expression.LessThan(Fact(s, Facts.Date), Expression.Constant(new DateOnly(2030, 1, 1)), false, greater));
        var length = AsNRulesWritesIt(s => Expression.GreaterThan(Expression.Property(Fact(s, Facts.Cloud), nameof(string.Length)), Expression.Constant(3)));

        Assert.Multiple(() =>
        {
            Assert.That(ClauseClosures.TryCompile(byValue) is Func<object?, bool> closure && closure(fact), Is.EqualTo(byValue.Compile()(fact)).And.True, "the form itself is built");
            Assert.That(ClauseClosures.TryCompile(byReference), Is.Null, "strings compared by reference keep the tree's meaning");
            Assert.That(ClauseClosures.TryCompile(equalCallingInequality), Is.Null, "== calling !=");
            Assert.That(ClauseClosures.TryCompile(lessCallingGreater), Is.Null, "< calling >");
            Assert.That(ClauseClosures.TryCompile(length), Is.Null, "a member a condition cannot read");
            Assert.That(ClauseClosures.TryCompileAction(Expression.Lambda<Action<string>>(Expression.Empty(), Expression.Parameter(typeof(string)))), Is.Null, "not a clause's action");
        });
    }

    /// <summary>The lambda NRules' expression optimizer makes of a condition: the fact's value cast into the pattern's variable, then the condition.</summary>
    private static Expression<Func<StandInFact, bool>> AsNRulesWritesIt(Func<Expression, Expression> condition)
    {
        var fact = Expression.Parameter(typeof(StandInFact), "<fact>");
        var variable = Expression.Variable(typeof(ScenarioFact), "scenario");
        var unwrap = Expression.Assign(variable, Expression.Convert(Expression.Property(fact, nameof(StandInFact.Object)), typeof(ScenarioFact)));
        return Expression.Lambda<Func<StandInFact, bool>>(
            Expression.Block([variable], unwrap, condition(Expression.Property(variable, nameof(ScenarioFact.Scenario)))), fact);
    }

    private static Expression Fact(Expression scenario, string name) => Facts.Of(name).ConditionValue(scenario);

    /// <summary>A fact as NRules' own (internal) one is read: its value as <c>Object</c>, and as <see cref="NRules.RuleModel.IFact.Value"/>.</summary>
    private sealed class StandInFact(object? value) : NRules.RuleModel.IFact
    {
        public object? Object { get; } = value;

        public Type Type => typeof(ScenarioFact);

        public object? Value => Object;

        public NRules.RuleModel.IFactSource? Source => null;
    }

    /// <summary>
    /// The embedded rule set's clauses with <see cref="EveryOperator"/>'s conditions, in turn: as many sets as it takes
    /// for every form to be some clause's whole condition (one form per clause, so none hides another's answer).
    /// </summary>
    private static IEnumerable<Dictionary<Clause, Expression>> EveryOperatorConditions()
    {
        var clauses = Engine.Compiled.Conditions.Keys.ToList();
        for (var offset = 0; offset < EveryOperator.Length; offset += clauses.Count)
        {
            var conditions = new Dictionary<Clause, Expression>(ReferenceEqualityComparer.Instance);
            for (var n = 0; n < clauses.Count; n++)
            {
                var when = EveryOperator[(offset + n) % EveryOperator.Length];
                conditions[clauses[n]] = ConditionParser.Parse(when, new ConditionLiterals(), out var problem, out _)
                    ?? throw new AssertionException($"`{when}` was refused: {problem}");
            }
            yield return conditions;
        }
    }

    /// <summary>The native build's compiler, counting what it builds as closures and what it leaves to the interpreter.</summary>
    private sealed class RecordingCompiler : IExpressionCompiler
    {
        public List<string> Interpreted { get; } = [];

        public int Closures { get; private set; }

        public TDelegate Compile<TDelegate>(Expression<TDelegate> expression)
            where TDelegate : Delegate
        {
            if (ClauseClosures.TryBuild(expression) is { } closure)
            {
                Closures++;
                return closure;
            }
            Interpreted.Add(expression.ToString());
            return expression.Compile(preferInterpretation: true);
        }
    }
}
