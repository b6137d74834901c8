using System.Globalization;
using System.Text;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Explanation;

/// <summary>An assessment as text for people: the combined verdict, then a line per version and reading.</summary>
public static class AssessmentText
{
    /// <summary>
    /// The product as a text report names it: a catalogue id, or an inline product's id (as the caller wrote it, with
    /// control characters escaped) and its attributes.
    /// </summary>
    internal static string ProductName(Product p) =>
        p.IsInline ? $"{Scenarios.Quote.Escaped(p.Id)} (inline: {p.Interface}, {p.Origin}, offered by {p.OfferedBy})" : p.Id;

    /// <summary>Renders the assessment; every deciding clause is shown with the source it rests on.</summary>
    public static string Render(Assessment a, string ruleSetHash)
    {
        ArgumentNullException.ThrowIfNull(a);
        var s = a.Scenario;
        var text = new StringBuilder();
        var product = ProductName(s.Product);
        text.Append(CultureInfo.InvariantCulture, $"{product} on {s.Cloud}, {s.Date:yyyy-MM-dd}");
        var facts = FactsWritten(s);
        text.Append(facts.Length > 0 ? $" ({facts})\n" : "\n");

        var c = a.Combined;
        text.Append(CultureInfo.InvariantCulture, $"\nCombined: {AssessmentJson.Name(c.Permission)}");
        if (c.Disputed)
        {
            text.Append(" (DISPUTED: readings of a version in force disagree)");
        }
        text.Append('\n');
        text.Append(a.InForce.Count == 0
            ? "  no version in force on this date: nothing restricts it\n"
            : $"  in force: {string.Join(", ", a.InForce.Select(v => v.Id))}\n");
        foreach (var d in c.Decisive)
        {
            text.Append(CultureInfo.InvariantCulture, $"  decided by {d.Row.Id} `{d.Clause.Id}` ({AssessmentJson.Name(d.Clause.Effect)}): {d.Clause.Source}\n");
        }
        foreach (var d in c.Conditions)
        {
            text.Append(CultureInfo.InvariantCulture, $"  condition: {d.Row.Id} `{d.Clause.Id}` needs one of {string.Join(", ", d.Clause.AnyOf)} to be true\n");
        }
        foreach (var d in c.Obligations)
        {
            text.Append(CultureInfo.InvariantCulture, $"  obligation: {d.Row.Id} `{d.Clause.Id}`: {d.Clause.Source}\n");
        }

        text.Append("\nVersions and readings:\n");
        var width = a.Rows.Max(r => r.Row.Id.Length);
        foreach (var row in a.Rows)
        {
            var reading = row.Row.Reading is not null ? $"  [reading: {row.Row.Reading.Title}]" : "";
            var line = $"  {row.Row.Id.PadRight(width)}  {(row.InForce ? "in force    " : "not in force")}  {AssessmentJson.Name(row.Permission),-11}{reading}";
            text.Append(line.TrimEnd()).Append('\n');
            if (row.Decisive.Count == 0)
            {
                text.Append("      no clause restricts it\n");
            }
            foreach (var clause in row.Decisive)
            {
                text.Append(CultureInfo.InvariantCulture, $"      {Verb(row.Permission)} `{clause.Id}`: {clause.Source}\n");
            }
            foreach (var t in row.Trace.Where(t => t.Status == ClauseStatus.Overridden))
            {
                text.Append(CultureInfo.InvariantCulture, $"      overridden `{t.Clause.Id}` by `{t.OverriddenBy!.Id}`\n");
            }
        }
        text.Append(CultureInfo.InvariantCulture, $"\nRule set: {ruleSetHash}\n");
        return text.ToString();
    }

    private static string Verb(Permission p) => p switch
    {
        Permission.Prohibited => "forbidden by",
        Permission.Conditional => "depends on",
        _ => "allowed by",
    };

    /// <summary>The optional facts as they stand: every choice and true/false/unknown fact, and the occurrences that happened.</summary>
    internal static string FactsWritten(Scenario s)
    {
        var parts = new List<string>();
        foreach (var fact in Facts.Optional)
        {
            switch (fact.Kind)
            {
                case FactKind.Choice:
                    parts.Add($"{fact.Name} {fact.TextOf(s)}");
                    break;
                case FactKind.Occurrence when fact.OccurrenceOf(s) is { } happened:
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{fact.Name} {happened:yyyy-MM-dd}"));
                    break;
                case FactKind.TriState:
                    parts.Add($"{fact.Name} {fact.TriStateOf(s)?.ToString().ToLowerInvariant() ?? "unknown"}");
                    break;
            }
        }
        return string.Join(", ", parts);
    }
}
