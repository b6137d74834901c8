using System.Globalization;
using System.Text;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>A run as text for people: each failure so that a lawyer can act on it, coverage, and the closing counts.</summary>
internal static class TestReportText
{
    /// <summary>The report for stdout: failures, then coverage when asked, then <c>N passed, N failed</c>.</summary>
    public static string Render(TestRun run, bool coverage)
    {
        var text = new StringBuilder();
        foreach (var result in run.Results.Where(r => !r.Passed))
        {
            Failure(text, result);
            text.Append('\n');
        }
        if (coverage)
        {
            Coverage(text, run.Coverage);
            text.Append('\n');
        }
        text.Append(Summary(run)).Append('\n');
        return text.ToString();
    }

    /// <summary>The closing line: <c>N passed, N failed</c>.</summary>
    public static string Summary(TestRun run) => $"{run.Passed} passed, {run.Failed} failed";

    /// <summary>Every problem of the files that cannot be used, one sentence each, for stderr.</summary>
    public static IEnumerable<string> Problems(TestRun run) =>
        run.Unusable.SelectMany(f => f.Problems).Select(p => p.ToString());

    /// <summary>One failing scenario: file, name, each expectation with what came out, and the clauses that decided it with their sources.</summary>
    public static void Failure(StringBuilder text, ScenarioResult result)
    {
        var c = result.Case;
        var a = result.Assessment;
        // The name and path are the suite's own text, which may come from anyone: escaped, they cannot rewrite the terminal.
        text.Append(CultureInfo.InvariantCulture, $"FAIL {Quote.Escaped(c.File)}:{c.Line}: {Quote.Escaped(c.Name)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  scenario: {Describe(a.Scenario)}\n");
        foreach (var m in result.Mismatches)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {m.Path}: expected {m.Expected}, got {m.Actual}\n");
            if (m.Note is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"    note: {m.Note}\n");
            }
        }
        var combined = a.Combined;
        text.Append(CultureInfo.InvariantCulture, $"  combined verdict: {AssessmentJson.Name(combined.Permission)}{(combined.Disputed ? ", disputed" : "")}");
        text.Append(a.InForce.Count == 0 ? " (no version in force on this date)\n" : $" (in force: {string.Join(", ", a.InForce.Select(v => v.Id))})\n");
        if (combined.Decisive.Count == 0)
        {
            text.Append("  decided by: no clause (what no clause restricts is permitted)\n");
        }
        else
        {
            text.Append("  decided by:\n");
            foreach (var d in combined.Decisive)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {d.Row.Id} `{d.Clause.Id}` ({Effect(d.Clause, combined.Permission)}): {d.Clause.Source}\n");
            }
        }
        // What a Conditional verdict waits for, as evaluate says it: the facts that would resolve it.
        foreach (var condition in combined.Conditions)
        {
            text.Append(CultureInfo.InvariantCulture, $"  condition: {condition.Row.Id} `{condition.Clause.Id}` needs one of {string.Join(", ", condition.Clause.AnyOf)} to be true\n");
        }
        // A row the expectation names but the combined verdict does not cite: show its own verdict and reasons too.
        var cited = combined.Decisive.Select(d => d.Row.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var rowId in result.Mismatches.Where(m => m.Row is not null && !cited.Contains(m.Row)).Select(m => m.Row!).Distinct(StringComparer.Ordinal))
        {
            var row = a.Rows.First(r => r.Row.Id == rowId);
            text.Append(CultureInfo.InvariantCulture, $"  {rowId} ({(row.InForce ? "in force" : "not in force")}): {AssessmentJson.Name(row.Permission)}");
            text.Append(row.Decisive.Count == 0 ? ", no clause decides it\n" : ", by:\n");
            foreach (var clause in row.Decisive)
            {
                text.Append(CultureInfo.InvariantCulture, $"    `{clause.Id}` ({Effect(clause, row.Permission)}): {clause.Source}\n");
            }
        }
    }

    /// <summary>
    /// A decisive clause's effect; for a <c>require</c>, how it resolved, which the verdict it decides tells: met
    /// (Permitted), failed (Prohibited: every listed fact false) or unresolved (Conditional).
    /// </summary>
    private static string Effect(Clause clause, Permission decided) =>
        clause.Effect != Model.Effect.Require ? AssessmentJson.Name(clause.Effect)
        : decided switch
        {
            Permission.Permitted => "require, met",
            Permission.Prohibited => $"require, failed: {string.Join(" and ", clause.AnyOf)} {(clause.AnyOf.Count == 1 ? "is" : "are")} false",
            _ => "require, unresolved",
        };

    /// <summary>Per version and reading: the clauses made decisive, only applied, never reached.</summary>
    public static void Coverage(StringBuilder text, TestCoverage coverage)
    {
        text.Append(CultureInfo.InvariantCulture,
            $"Coverage: {coverage.Count(CoverageStatus.Decisive)} clauses decisive, {coverage.Count(CoverageStatus.Applied)} only applied, {coverage.Count(CoverageStatus.Unreached)} never reached\n");
        foreach (var entry in coverage.Entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {entry.Id}\n");
            foreach (var (status, label) in new[] { (CoverageStatus.Decisive, "decisive:     "), (CoverageStatus.Applied, "only applied: "), (CoverageStatus.Unreached, "never reached:") })
            {
                var clauses = entry.With(status);
                text.Append(CultureInfo.InvariantCulture, $"    {label} {(clauses.Count == 0 ? "-" : string.Join(", ", clauses.Select(c => c.Clause.Id)))}\n");
            }
        }
    }

    /// <summary>The scenario in a line: product, cloud, date, and the facts that are not their defaults.</summary>
    public static string Describe(Scenario s)
    {
        var parts = new List<string>();
        if (s.Segment != Segments.General)
        {
            parts.Add($"segment {s.Segment}");
        }
        if (s.AgiDeclaredOn is { } d)
        {
            parts.Add($"AGI declared {d:yyyy-MM-dd}");
        }
        if (s.AgiVerifiedOn is { } v)
        {
            parts.Add($"AGI verified {v:yyyy-MM-dd}");
        }
        foreach (var fact in Facts.TriStates)
        {
            var value = s.TriState(fact);
            var isDefault = fact == Facts.ShippedOnAzureFirst ? value == s.Product.ShippedOnAzureFirst : value is null;
            if (!isDefault)
            {
                parts.Add($"{fact} {value?.ToString().ToLowerInvariant() ?? "unknown"}");
            }
        }
        var product = AssessmentText.ProductName(s.Product);
        return $"{product} on {s.Cloud}, {s.Date:yyyy-MM-dd}" + (parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "");
    }
}
