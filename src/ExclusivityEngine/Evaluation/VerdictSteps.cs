using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Evaluation;

/// <summary>The catalogue's steps (agreements.md, "How a verdict is reached" and "Tracks and versions in force").</summary>
internal static class VerdictSteps
{
    /// <summary>
    /// Every row's verdict and the combined verdict of a scenario, given which clauses apply (by clause number, as the
    /// NRules session fired them).
    /// </summary>
    public static ClassVerdict Decide(CompiledRules compiled, bool[] applied, Scenario scenario)
    {
        var rules = compiled.Rules;
        var inForce = rules.Versions.Where(v => rules.IsInForce(v, scenario.Date)).ToList();
        var rows = new RowVerdict[rules.Rows.Count];
        foreach (var row in rules.Rows)
        {
            var numbers = compiled.Network.Numbers[row.Index];
            var applies = new bool[numbers.Length];
            for (var i = 0; i < numbers.Length; i++)
            {
                applies[i] = applied[numbers[i]];
            }
            rows[row.Index] = Decide(row, applies, scenario, inForce.Contains(row.Version));
        }
        return new ClassVerdict(inForce, Combine(rows), rows);
    }

    /// <summary>One row's verdict, given which of its clauses apply.</summary>
    public static RowVerdict Decide(Row row, bool[] applies, Scenario scenario, bool inForce)
    {
        var clauses = row.Clauses;
        var overriddenBy = new Clause?[clauses.Count];
        for (var i = 0; i < clauses.Count; i++)
        {
            if (!applies[i])
            {
                continue;
            }
            foreach (var target in clauses[i].Overrides)
            {
                for (var j = 0; j < clauses.Count; j++)
                {
                    if (applies[j] && overriddenBy[j] is null && clauses[j].Id == target)
                    {
                        overriddenBy[j] = clauses[i];
                    }
                }
            }
        }

        var trace = new List<TraceEntry>();
        var forbidding = new List<Clause>();
        var permitting = new List<Clause>();
        var unresolved = new List<Clause>();
        var obligations = new List<Clause>();
        for (var i = 0; i < clauses.Count; i++)
        {
            if (!applies[i])
            {
                continue;
            }
            var clause = clauses[i];
            if (overriddenBy[i] is { } by)
            {
                trace.Add(new TraceEntry(clause, ClauseStatus.Overridden, by));
                continue;
            }
            var status = ClauseStatus.Applied;
            switch (clause.Effect)
            {
                case Effect.Forbid:
                    forbidding.Add(clause);
                    break;
                case Effect.Permit:
                    permitting.Add(clause);
                    break;
                case Effect.Require:
                    status = Require(clause, scenario);
                    (status switch { ClauseStatus.Met => permitting, ClauseStatus.Unmet => forbidding, _ => unresolved }).Add(clause);
                    break;
                case Effect.Oblige:
                    obligations.Add(clause);
                    break;
            }
            trace.Add(new TraceEntry(clause, status, null));
        }

        var (permission, decisive) = forbidding.Count > 0 ? (Permission.Prohibited, forbidding)
            : unresolved.Count > 0 ? (Permission.Conditional, unresolved)
            : (Permission.Permitted, permitting);
        IReadOnlyList<Clause> conditions = permission == Permission.Conditional ? unresolved : [];
        return new RowVerdict(row, inForce, permission, decisive, conditions, obligations, trace);
    }

    /// <summary>Any <c>anyOf</c> fact true: met; all false: unmet; else unknown.</summary>
    public static ClauseStatus Require(Clause clause, Scenario scenario)
    {
        var allFalse = true;
        foreach (var fact in clause.AnyOf)
        {
            var value = scenario.TriState(fact);
            if (value == true)
            {
                return ClauseStatus.Met;
            }
            allFalse &= value == false;
        }
        return allFalse ? ClauseStatus.Unmet : ClauseStatus.Unknown;
    }

    /// <summary>The combined verdict over the rows in force: strictest permission, disputed readings, unions.</summary>
    public static CombinedVerdict Combine(IReadOnlyList<RowVerdict> rows)
    {
        var permission = Permission.Permitted;
        foreach (var row in rows)
        {
            if (row.InForce && row.Permission > permission)
            {
                permission = row.Permission;
            }
        }

        var disputed = false;
        foreach (var row in rows)
        {
            // A version and its readings disagree: compare every reading with the version as announced.
            if (row.InForce && row.Row.Reading is not null)
            {
                var announced = rows.First(r => r.Row.Reading is null && r.Row.Version == row.Row.Version);
                disputed |= announced.Permission != row.Permission;
            }
        }

        var decisive = new List<RowClause>();
        var conditions = new List<RowClause>();
        var obligations = new List<RowClause>();
        foreach (var row in rows)
        {
            if (!row.InForce)
            {
                continue;
            }
            if (row.Permission == permission)
            {
                AddOnce(decisive, row.Row, row.Decisive);
            }
            if (permission == Permission.Conditional)
            {
                AddOnce(conditions, row.Row, row.Conditions);
            }
            AddOnce(obligations, row.Row, row.Obligations);
        }
        return new CombinedVerdict(permission, disputed, decisive, conditions, obligations);
    }

    /// <summary>A clause that several rows share is listed once, under the first row that has it.</summary>
    private static void AddOnce(List<RowClause> into, Row row, IReadOnlyList<Clause> clauses)
    {
        foreach (var clause in clauses)
        {
            if (!into.Exists(rc => rc.Clause.Id == clause.Id))
            {
                into.Add(new RowClause(row, clause));
            }
        }
    }
}
