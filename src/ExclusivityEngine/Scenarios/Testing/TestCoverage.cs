using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>How far a run reached one clause.</summary>
internal enum CoverageStatus
{
    /// <summary>The clause decided its version's (or reading's) verdict in at least one scenario.</summary>
    Decisive,
    /// <summary>The clause applied (possibly overridden) but never decided.</summary>
    Applied,
    /// <summary>No scenario of the run made the clause apply.</summary>
    Unreached,
}

/// <summary>One clause's coverage: its status and in how many scenarios it decided and applied.</summary>
internal sealed record ClauseCoverage(Clause Clause, CoverageStatus Status, int DecisiveIn, int AppliedIn);

/// <summary>The coverage of one version (its own clauses) or one reading (its overlay clauses).</summary>
/// <param name="Id"><c>version</c> or <c>version@reading</c>.</param>
/// <param name="Clauses">Its clauses in rule-set order.</param>
internal sealed record RowCoverage(string Id, IReadOnlyList<ClauseCoverage> Clauses)
{
    /// <summary>The clauses with the given status.</summary>
    public IReadOnlyList<ClauseCoverage> With(CoverageStatus status) => Clauses.Where(c => c.Status == status).ToList();
}

/// <summary>
/// Per version and reading, which clauses a run made decisive, which only applied, and which it never reached.
/// A scenario exercises a version or reading when it is in force on the scenario's date, or when the scenario's
/// <c>expect</c> names it (<c>versions</c>, <c>decisive</c>): a hypothetical evaluation counts once a test checks it.
/// A version's clauses are counted in its readings' rows too (a reading is the version plus an overlay).
/// </summary>
internal sealed record TestCoverage(IReadOnlyList<RowCoverage> Entries)
{
    /// <summary>Counts of clauses by status over every entry.</summary>
    public int Count(CoverageStatus status) => Entries.Sum(e => e.Clauses.Count(c => c.Status == status));

    /// <summary>Computes the coverage of <paramref name="results"/> over <paramref name="rules"/>.</summary>
    public static TestCoverage Compute(RuleSet rules, IEnumerable<ScenarioResult> results)
    {
        var decisive = new Dictionary<Clause, int>(ReferenceEqualityComparer.Instance);
        var applied = new Dictionary<Clause, int>(ReferenceEqualityComparer.Instance);
        foreach (var result in results)
        {
            var named = result.Case.Expect.NamedRows.ToHashSet(StringComparer.Ordinal);
            foreach (var row in result.Assessment.Rows)
            {
                if (!row.InForce && !named.Contains(row.Row.Id))
                {
                    continue;
                }
                foreach (var entry in row.Trace)
                {
                    applied[entry.Clause] = applied.GetValueOrDefault(entry.Clause) + 1;
                }
                foreach (var clause in row.Decisive)
                {
                    decisive[clause] = decisive.GetValueOrDefault(clause) + 1;
                }
            }
        }

        var entries = new List<RowCoverage>();
        foreach (var version in rules.Versions)
        {
            entries.Add(Entry(version.Id, version.Clauses));
            foreach (var reading in version.Readings)
            {
                entries.Add(Entry($"{version.Id}@{reading.Id}", reading.Clauses));
            }
        }
        return new TestCoverage(entries);

        RowCoverage Entry(string id, IReadOnlyList<Clause> clauses) => new(id, clauses.Select(c =>
        {
            var d = decisive.GetValueOrDefault(c);
            var a = applied.GetValueOrDefault(c);
            return new ClauseCoverage(c, d > 0 ? CoverageStatus.Decisive : a > 0 ? CoverageStatus.Applied : CoverageStatus.Unreached, d, a);
        }).ToList());
    }
}
