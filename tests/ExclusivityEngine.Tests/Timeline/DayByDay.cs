using ExclusivityEngine.Compilation;
using ExclusivityEngine.Evaluation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Tests.Timeline;

/// <summary>
/// The reference for timelines: every day and every cloud evaluated on its own, with nothing memoised and no use of the
/// rule set's boundaries, then grouped into maximal runs of equal (permission, disputed) per cloud.
/// </summary>
internal static class DayByDay
{
    public sealed record Period(DateOnly From, DateOnly To, (Permission Permission, bool Disputed)[] Clouds, CombinedVerdict[] FirstDay);

    public static List<Period> Periods(Engine engine, Scenario facts, DateOnly from, DateOnly to)
    {
        var conditions = Conditions(engine);
        var clouds = engine.Rules.Catalogue.Clouds;
        var steps = new Steps(engine);
        var periods = new List<Period>();
        for (var day = from; ; day = day.AddDays(1))
        {
            var verdicts = clouds.Select(c => steps.Combined(conditions, facts with { Cloud = c.Id, Date = day })).ToArray();
            var key = verdicts.Select(v => (v.Permission, v.Disputed)).ToArray();
            if (periods.Count > 0 && periods[^1].Clouds.SequenceEqual(key))
            {
                periods[^1] = periods[^1] with { To = day };
            }
            else
            {
                periods.Add(new Period(day, day, key, verdicts));
            }
            if (day == to)
            {
                return periods;
            }
        }
    }

    /// <summary>Each clause's checked condition compiled on its own over the scenario: evaluated without NRules or memo.</summary>
    private static Dictionary<Clause, Func<Scenario, bool>> Conditions(Engine engine)
    {
        var scenario = System.Linq.Expressions.Expression.Parameter(typeof(Scenario), "s");
        return engine.Compiled.Conditions.ToDictionary<KeyValuePair<Clause, System.Linq.Expressions.Expression>, Clause, Func<Scenario, bool>>(
            kv => kv.Key,
            kv => System.Linq.Expressions.Expression.Lambda<Func<Scenario, bool>>(new FactValues(scenario).Visit(kv.Value), scenario).Compile(),
            ReferenceEqualityComparer.Instance);
    }

    private sealed class FactValues(System.Linq.Expressions.Expression scenario) : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) =>
            ConditionParser.FactOf[node].ConditionValue(scenario);
    }

    /// <summary>
    /// Every condition is evaluated on every day. Only the catalogue's steps are memoised, on exactly what they read:
    /// the row, which of its clauses apply, whether it is in force (the true/false/unknown facts are fixed per timeline).
    /// </summary>
    private sealed class Steps(Engine engine)
    {
        private readonly Dictionary<(int Row, long Applies, bool InForce), RowVerdict> _rows = [];
        private readonly Dictionary<string, CombinedVerdict> _combined = [];
        private readonly Dictionary<RowVerdict, int> _ids = new(ReferenceEqualityComparer.Instance);

        public CombinedVerdict Combined(Dictionary<Clause, Func<Scenario, bool>> conditions, Scenario s)
        {
            var rows = new RowVerdict[engine.Rules.Rows.Count];
            foreach (var row in engine.Rules.Rows)
            {
                var applies = row.Clauses.Select(c => conditions[c](s)).ToArray();
                var mask = applies.Select((a, i) => a ? 1L << i : 0).Sum();
                var inForce = engine.Rules.IsInForce(row.Version, s.Date);
                if (!_rows.TryGetValue((row.Index, mask, inForce), out var verdict))
                {
                    verdict = _rows[(row.Index, mask, inForce)] = VerdictSteps.Decide(row, applies, s, inForce);
                    _ids[verdict] = _ids.Count;
                }
                rows[row.Index] = verdict;
            }
            var key = string.Join(",", rows.Select(r => _ids[r]));
            return _combined.TryGetValue(key, out var combined) ? combined : _combined[key] = VerdictSteps.Combine(rows);
        }
    }
}
