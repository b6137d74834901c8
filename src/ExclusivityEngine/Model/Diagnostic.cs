namespace ExclusivityEngine.Model;

/// <summary>A place in a file: 1-based line and column (0 where unknown).</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => Line <= 0 ? File : Column <= 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}

/// <summary>One problem found in a rule set or an input, with a stable code and the place it was found.</summary>
/// <param name="Code">A stable kebab-case code, e.g. <c>unknown-effect</c>.</param>
/// <param name="Message">One lower-case sentence without the place.</param>
/// <param name="Location">File, line and column, where known.</param>
/// <param name="Clause">The clause it concerns, where one does.</param>
/// <param name="Field">The field it concerns, where one does.</param>
public sealed record Diagnostic(string Code, string Message, SourceLocation? Location = null, string? Clause = null, string? Field = null)
{
    /// <summary>The field it concerns, quoted as any key a user wrote is: a key can be megabytes long or hold terminal escapes.</summary>
    public string? Field { get; init; } = Field is null ? null : Scenarios.Quote.Short(Field);

    /// <summary>The clause it concerns, its id quoted as <see cref="Field"/> is.</summary>
    public string? Clause { get; init; } = Clause is null ? null : Scenarios.Quote.Short(Clause);

    /// <summary>The diagnostic as one line: <c>file:line:col: clause `x`: field `when`: message</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(4);
        if (Location is not null)
        {
            parts.Add(Location.ToString());
        }
        if (Clause is not null)
        {
            parts.Add($"clause `{Clause}`");
        }
        if (Field is not null)
        {
            parts.Add($"field `{Field}`");
        }
        parts.Add(Message);
        // One line whatever a path or a quoted library message holds (a file named with a line break forged a line).
        return Scenarios.Quote.Escaped(string.Join(": ", parts));
    }
}

/// <summary>Thrown when a rule set cannot be used; carries every problem found.</summary>
public sealed class RuleSetException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public RuleSetException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count == 0 ? "the rule set cannot be used" : diagnostics[0].ToString()
            + (diagnostics.Count > 1 ? $" (and {diagnostics.Count - 1} more problem(s))" : ""))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Every problem found, sorted by place.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}

/// <summary>
/// A clause's condition could not be evaluated on a scenario. The guard refuses at load every condition that could
/// throw, so this means a bug in the engine, never bad input; the message names the clause and its place.
/// </summary>
public sealed class ClauseEvaluationException : Exception
{
    internal ClauseEvaluationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
