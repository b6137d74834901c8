using System.Linq.Expressions;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Validation;
using RulesEngine.ExpressionBuilders;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// A rule set whose every condition passed the guard, parsed by RulesEngine's parser and compiled once into a
/// delegate; plus the literals that cut the scenario space into classes with one verdict each.
/// </summary>
internal sealed class CompiledRules
{
    private CompiledRules(RuleSet rules, ClauseCondition[][] conditions, DateOnly[] boundaries, HashSet<string> strings, Dictionary<Clause, LambdaExpression> lambdas)
    {
        Rules = rules;
        Conditions = conditions;
        Boundaries = boundaries;
        Strings = strings;
        Lambdas = lambdas;
    }

    public RuleSet Rules { get; }

    /// <summary>Per row (by <see cref="Row.Index"/>), per clause: the compiled condition.</summary>
    public ClauseCondition[][] Conditions { get; }

    /// <summary>
    /// Sorted dates at which some verdict can change: effective dates, and every date a condition compares with
    /// together with the day after it. Between two boundaries every date gives the same verdicts.
    /// </summary>
    public DateOnly[] Boundaries { get; }

    /// <summary>Every string a condition compares with; any other value of a fact behaves like any other.</summary>
    public HashSet<string> Strings { get; }

    /// <summary>The checked expression tree of every clause's condition.</summary>
    public Dictionary<Clause, LambdaExpression> Lambdas { get; }

    /// <summary>Load, validate, compile; every problem of every stage, sorted by place.</summary>
    public static (CompiledRules? Rules, IReadOnlyList<Diagnostic> Problems) Build(RuleFiles files)
    {
        // The parser recurses; a big stack keeps a hostile rule file from killing the process while the bounds are checked.
        (CompiledRules?, IReadOnlyList<Diagnostic>) result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = BuildOnThisThread(files);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 64 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("building the rule set failed", failure);
        }
        return result;
    }

    private static (CompiledRules?, IReadOnlyList<Diagnostic>) BuildOnThisThread(RuleFiles files)
    {
        var warm = ConditionParser.WarmUp();
        var loaded = RuleSetLoader.Load(files);
        RuleSetValidator.Validate(loaded);

        warm.Wait();
        var parser = new RuleExpressionParser(ConditionParser.Settings());
        var literals = new ConditionLiterals();
        var lambdas = new Dictionary<Clause, LambdaExpression>(ReferenceEqualityComparer.Instance);
        foreach (var clause in loaded.Versions.SelectMany(v => v.Clauses.Concat(v.Readings.SelectMany(r => r.Clauses))))
        {
            var body = ConditionParser.Parse(parser, clause.When, literals, out var problem, out var code);
            if (body is null)
            {
                loaded.Diagnostics.Add(new Diagnostic(code, problem!, loaded.Where(clause, "when"), clause.Id.Length > 0 ? clause.Id : null, "when"));
                continue;
            }
            lambdas[clause] = Expression.Lambda<ClauseCondition>(body, ConditionParser.Parameters);
        }

        var problems = loaded.Diagnostics
            .OrderBy(d => d.Location?.File ?? "", StringComparer.Ordinal)
            .ThenBy(d => d.Location?.Line ?? 0)
            .ThenBy(d => d.Location?.Column ?? 0)
            .ToList();
        if (problems.Count > 0 || loaded.Catalogue is null)
        {
            return (null, problems);
        }

        var rules = new RuleSet(loaded.Catalogue, loaded.Versions, files.Hash(), files.Origin);
        var conditions = rules.Rows
            .Select(row => row.Clauses.Select(c => ((Expression<ClauseCondition>)lambdas[c]).Compile()).ToArray())
            .ToArray();
        var boundaries = new SortedSet<DateOnly>(rules.Versions.Select(v => v.Effective));
        foreach (var date in literals.Dates)
        {
            boundaries.Add(date);
            if (date < DateOnly.MaxValue)
            {
                boundaries.Add(date.AddDays(1));
            }
        }
        return (new CompiledRules(rules, conditions, [.. boundaries], literals.Strings, lambdas), problems);
    }

    /// <summary>The index of the interval between boundaries that holds <paramref name="date"/>.</summary>
    public int Interval(DateOnly date)
    {
        var i = Array.BinarySearch(Boundaries, date);
        return i >= 0 ? i + 1 : ~i;
    }
}
