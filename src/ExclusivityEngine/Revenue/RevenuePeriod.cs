namespace ExclusivityEngine.Revenue;

/// <summary>One period of revenue: the amount earned over a period dated by its last day.</summary>
/// <param name="Line">The 1-based line of the input where it was read (for CSV, where its record starts).</param>
/// <param name="Id">The period's <c>id</c> as raw JSON (a string or a number), echoed back; null when absent.</param>
/// <param name="Date">The period's last day.</param>
/// <param name="Revenue">The revenue of the period, never negative.</param>
/// <param name="Record">For CSV input, the record number (the header being record 0); 0 for JSON Lines.</param>
public sealed record RevenuePeriod(long Line, string? Id, DateOnly Date, decimal Revenue, long Record = 0)
{
    /// <summary>The number a schedule echoes as the period's <c>line</c>: the line of JSON Lines, the record number of CSV.</summary>
    public long Number => Record > 0 ? Record : Line;

    /// <summary>An error about this period's <paramref name="field"/>, placed at its line (and record).</summary>
    public RevenueError Error(string message, string field) => new(message, Line, field, Record);
}

/// <summary>The inputs of a schedule that are not periods: the rate, the cap and the AGI dates.</summary>
/// <param name="Rate">The revenue share, in [0, 1].</param>
/// <param name="Cap">The cap on the amount owed under capped clauses, or null for no cap (its size is not public).</param>
/// <param name="AgiDeclaredOn">When AGI was declared, if ever.</param>
/// <param name="AgiVerifiedOn">When the declaration was verified, if ever (never before the declaration).</param>
public sealed record RevenueTerms(decimal Rate, decimal? Cap = null, DateOnly? AgiDeclaredOn = null, DateOnly? AgiVerifiedOn = null)
{
    /// <summary>Why these terms cannot be used, or null: a rate outside [0, 1], a negative cap, a verification without or before a declaration.</summary>
    public RevenueError? Check()
    {
        if (Rate < 0m || Rate > 1m)
        {
            return new RevenueError($"the rate {MoneyText.Format(Rate)} is outside [0, 1]", Field: RevenueFields.Rate);
        }
        if (Cap < 0m)
        {
            return new RevenueError($"the cap {MoneyText.Format(Cap.Value)} is negative", Field: RevenueFields.Cap);
        }
        if (AgiVerifiedOn is { } verified && (AgiDeclaredOn is not { } declared || verified < declared))
        {
            return new RevenueError("a verification needs a declaration on or before it", Field: RevenueFields.AgiVerifiedOn);
        }
        return null;
    }
}

/// <summary>The field names of revenue inputs and terms, as errors name them.</summary>
internal static class RevenueFields
{
    /// <summary>A period's id.</summary>
    public const string Id = "id";
    /// <summary>A period's last day.</summary>
    public const string Date = "date";
    /// <summary>A period's revenue.</summary>
    public const string Revenue = "revenue";
    /// <summary>The rate.</summary>
    public const string Rate = "rate";
    /// <summary>The cap.</summary>
    public const string Cap = "cap";
    /// <summary>The AGI declaration date.</summary>
    public const string AgiDeclaredOn = "agiDeclaredOn";
    /// <summary>The AGI verification date.</summary>
    public const string AgiVerifiedOn = "agiVerifiedOn";
}

/// <summary>Why revenue input, terms or a rule set cannot give a schedule, and where: one sentence once placed.</summary>
/// <param name="Message">One lower-case sentence without the place.</param>
/// <param name="Line">The input line (JSON Lines) or physical line where the CSV record starts; 0 when not tied to a line.</param>
/// <param name="Field">The field concerned, where one is.</param>
/// <param name="Record">For CSV input, the record number (header 0); 0 otherwise.</param>
public sealed record RevenueError(string Message, long Line = 0, string? Field = null, long Record = 0)
{
    /// <summary>The error as <c>line 3 (record 2): field `revenue`: message</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Line > 0)
        {
            parts.Add(Record > 0 ? $"line {Line} (record {Record})" : $"line {Line}");
        }
        if (Field is not null)
        {
            parts.Add($"field `{Scenarios.Quote.Short(Field)}`");
        }
        parts.Add(Message);
        // One line whatever a written field name holds (an escape and a line break forged a second error line).
        return Scenarios.Quote.Escaped(string.Join(": ", parts));
    }
}
