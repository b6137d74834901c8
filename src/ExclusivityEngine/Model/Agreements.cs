namespace ExclusivityEngine.Model;

/// <summary>What a clause does when its condition holds (agreements.md, "How a verdict is reached").</summary>
public enum Effect
{
    /// <summary>The combination breaches the clause.</summary>
    Forbid,
    /// <summary>The clause expressly allows it.</summary>
    Permit,
    /// <summary>Allowed only if one of the <c>anyOf</c> facts is true.</summary>
    Require,
    /// <summary>Attaches an obligation; never changes the permission.</summary>
    Oblige,
    /// <summary>An explanation only.</summary>
    Note,
}

/// <summary>Who pays whom under an <c>oblige</c> clause that is a revenue share, and whether the 2030 cap binds it.</summary>
public sealed record RevenueShareTerms(string Payer, string Payee, bool Capped);

/// <summary>One clause of an agreement version or reading, as written in its rule file.</summary>
/// <param name="Id">The clause id, unique within its version (and reading).</param>
/// <param name="Effect">What the clause does.</param>
/// <param name="When">The condition: an expression over the scenario's facts (README, "Conditions").</param>
/// <param name="Overrides">Clauses of the same row this one drops when it applies.</param>
/// <param name="AnyOf">For <c>require</c>: the facts of which one must be true.</param>
/// <param name="Source">The text the clause rests on.</param>
/// <param name="Note">An optional explanation (for example, which reading was encoded).</param>
/// <param name="RevenueShare">For a revenue-share obligation: payer, payee and cap.</param>
/// <param name="Location">Where the clause is written.</param>
public sealed record Clause(
    string Id,
    Effect Effect,
    string When,
    IReadOnlyList<string> Overrides,
    IReadOnlyList<string> AnyOf,
    string Source,
    string? Note,
    RevenueShareTerms? RevenueShare,
    SourceLocation Location);

/// <summary>A named alternative reading of a version: the version's clauses plus an overlay one party asserts.</summary>
public sealed record Reading(string Id, string Title, string Source, IReadOnlyList<Clause> Clauses);

/// <summary>One version of an agreement on a track (agreements.md, "Tracks and versions in force").</summary>
/// <param name="Id">The version id, e.g. <c>msft-openai-2025-10</c>.</param>
/// <param name="Track">The track, e.g. <c>microsoft</c> or <c>amazon</c>.</param>
/// <param name="Effective">The date from which it is in force.</param>
/// <param name="Title">What it is.</param>
/// <param name="Clauses">Its clauses in rule-set order.</param>
/// <param name="Readings">Its named alternative readings.</param>
public sealed record AgreementVersion(string Id, string Track, DateOnly Effective, string Title, IReadOnlyList<Clause> Clauses, IReadOnlyList<Reading> Readings);

/// <summary>
/// A row of evaluation: a version as announced, or one reading of it (<c>version@reading</c>).
/// Each row is evaluated on its own; its clauses are the version's, then the reading's overlay.
/// </summary>
public sealed class Row
{
    internal Row(int index, AgreementVersion version, Reading? reading)
    {
        Index = index;
        Version = version;
        Reading = reading;
        Id = reading is null ? version.Id : $"{version.Id}@{reading.Id}";
        Clauses = reading is null ? version.Clauses : [.. version.Clauses, .. reading.Clauses];
    }

    /// <summary>Position in the versions table order (versions, each followed by its readings).</summary>
    public int Index { get; }

    /// <summary><c>version</c> or <c>version@reading</c>.</summary>
    public string Id { get; }

    /// <summary>The version this row evaluates.</summary>
    public AgreementVersion Version { get; }

    /// <summary>The reading, or null for the version as announced.</summary>
    public Reading? Reading { get; }

    /// <summary>The row's clauses in rule-set order.</summary>
    public IReadOnlyList<Clause> Clauses { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
