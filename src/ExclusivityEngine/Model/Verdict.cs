namespace ExclusivityEngine.Model;

/// <summary>A verdict's permission, ordered from least to most strict.</summary>
public enum Permission
{
    /// <summary>No clause restricts it, or clauses allow it.</summary>
    Permitted = 0,
    /// <summary>Allowed if an unresolved condition turns out true.</summary>
    Conditional = 1,
    /// <summary>A clause forbids it.</summary>
    Prohibited = 2,
}

/// <summary>What became of an applicable clause in one row.</summary>
public enum ClauseStatus
{
    /// <summary>Applies and takes effect (forbid, permit, oblige, note).</summary>
    Applied,
    /// <summary>Applies but another applicable clause overrides it.</summary>
    Overridden,
    /// <summary>A require whose <c>anyOf</c> has a true fact.</summary>
    Met,
    /// <summary>A require whose <c>anyOf</c> facts are all false.</summary>
    Unmet,
    /// <summary>A require with no true fact and some unknown.</summary>
    Unknown,
}

/// <summary>One applicable clause in a row's trace.</summary>
public sealed record TraceEntry(Clause Clause, ClauseStatus Status, Clause? OverriddenBy);

/// <summary>The verdict of one row (a version or a reading) on one scenario.</summary>
/// <param name="Row">The row evaluated.</param>
/// <param name="InForce">Whether the row's version was in force on the scenario's date.</param>
/// <param name="Permission">The row's permission.</param>
/// <param name="Decisive">The clauses that decided it.</param>
/// <param name="Conditions">Unresolved <c>require</c> clauses (only when Conditional).</param>
/// <param name="Obligations">Applicable <c>oblige</c> clauses.</param>
/// <param name="Trace">Every applicable clause, in rule-set order.</param>
public sealed record RowVerdict(
    Row Row,
    bool InForce,
    Permission Permission,
    IReadOnlyList<Clause> Decisive,
    IReadOnlyList<Clause> Conditions,
    IReadOnlyList<Clause> Obligations,
    IReadOnlyList<TraceEntry> Trace);

/// <summary>A clause named together with the row it comes from.</summary>
public sealed record RowClause(Row Row, Clause Clause);

/// <summary>The verdict over every row in force (agreements.md, "Tracks and versions in force").</summary>
public sealed record CombinedVerdict(
    Permission Permission,
    bool Disputed,
    IReadOnlyList<RowClause> Decisive,
    IReadOnlyList<RowClause> Conditions,
    IReadOnlyList<RowClause> Obligations);

/// <summary>Everything the engine says of one scenario: the combined verdict and every row's verdict.</summary>
/// <param name="Scenario">The scenario, normalised.</param>
/// <param name="InForce">The versions in force on the date, in versions-table order.</param>
/// <param name="Combined">The combined verdict.</param>
/// <param name="Rows">Every version's and reading's verdict, in versions-table order.</param>
public sealed record Assessment(Scenario Scenario, IReadOnlyList<AgreementVersion> InForce, CombinedVerdict Combined, IReadOnlyList<RowVerdict> Rows);
