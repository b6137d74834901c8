using System.Globalization;
using System.Text.Json;
using ExclusivityEngine.Explanation;

namespace ExclusivityEngine.Questions;

/// <summary>The one place that knows the JSON names of <c>why-not</c>, <c>diff</c> and <c>analyze</c> (interface.md).</summary>
public static class QuestionsJson
{
    /// <summary>Writes a <c>why-not</c> answer.</summary>
    public static void Write(Utf8JsonWriter w, WhyNotAnswer answer, string ruleSetHash)
    {
        w.WriteStartObject();
        w.WritePropertyName("scenario");
        AssessmentJson.WriteScenario(w, answer.Assessment.Scenario);
        w.WriteString("ruleSet", ruleSetHash);
        w.WriteString("verdict", AssessmentJson.Name(answer.Assessment.Combined.Permission));
        w.WriteString("want", AssessmentJson.Name(answer.Want));
        w.WriteStartArray("changes");
        foreach (var change in answer.Changes)
        {
            w.WriteStartObject();
            WriteFacts(w, "set", change.Set);
            w.WriteString("verdict", AssessmentJson.Name(change.Verdict.Permission));
            w.WriteStartObject("decisive");
            foreach (var group in change.Verdict.Decisive.GroupBy(d => d.Row.Id))
            {
                w.WriteStartArray(group.Key);
                foreach (var d in group)
                {
                    w.WriteStringValue(d.Clause.Id);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (answer.Elsewhere is { } elsewhere)
        {
            w.WriteStartObject("elsewhere");
            w.WriteStartArray("clouds");
            foreach (var cloud in elsewhere.Clouds)
            {
                w.WriteStringValue(cloud);
            }
            w.WriteEndArray();
            WriteDate(w, "earlier", elsewhere.Earlier);
            WriteDate(w, "later", elsewhere.Later);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Writes a <c>diff</c> result.</summary>
    public static void Write(Utf8JsonWriter w, DiffResult diff, string ruleSetHash)
    {
        w.WriteStartObject();
        w.WriteString("a", diff.A.Id);
        w.WriteString("b", diff.B.Id);
        WriteDate(w, "from", diff.From);
        WriteDate(w, "to", diff.To);
        w.WriteString("ruleSet", ruleSetHash);
        w.WriteStartArray("regions");
        foreach (var r in diff.Regions)
        {
            w.WriteStartObject();
            w.WriteString("product", r.Product);
            w.WriteString("cloud", r.Cloud);
            WriteDate(w, "from", r.From);
            WriteDate(w, "to", r.To);
            WriteFacts(w, "facts", r.Facts);
            w.WriteString("a", AssessmentJson.Name(r.A));
            w.WriteString("b", AssessmentJson.Name(r.B));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes an <c>analyze</c> result.</summary>
    public static void Write(Utf8JsonWriter w, Analysis analysis, string ruleSetHash)
    {
        w.WriteStartObject();
        WriteDate(w, "from", analysis.From);
        WriteDate(w, "to", analysis.To);
        w.WriteString("ruleSet", ruleSetHash);
        w.WriteStartArray("dead");
        foreach (var c in analysis.Dead)
        {
            w.WriteStartObject();
            w.WriteString("version", c.Version);
            w.WriteString("clause", c.Clause);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("alwaysOverridden");
        foreach (var c in analysis.AlwaysOverridden)
        {
            w.WriteStartObject();
            w.WriteString("version", c.Version);
            w.WriteString("clause", c.Clause);
            w.WriteStartArray("by");
            foreach (var by in c.By)
            {
                w.WriteStringValue(by);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteRegions(w, "blocked", analysis.Blocked);
        WriteRegions(w, "disputed", analysis.Disputed);
        w.WriteEndObject();
    }

    /// <summary>A fact's value as JSON text, as the scenario input writes it (for text output too).</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static void WriteRegions(Utf8JsonWriter w, string name, IReadOnlyList<ProductRegion> regions)
    {
        w.WriteStartArray(name);
        foreach (var r in regions)
        {
            w.WriteStartObject();
            w.WriteString("product", r.Product);
            if (r.Cloud is not null)
            {
                w.WriteString("cloud", r.Cloud);
            }
            WriteDate(w, "from", r.From);
            WriteDate(w, "to", r.To);
            WriteFacts(w, "facts", r.Facts);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteFacts(Utf8JsonWriter w, string name, IReadOnlyList<FactSetting> facts)
    {
        w.WriteStartObject(name);
        foreach (var f in facts)
        {
            switch (f.Value)
            {
                case null:
                    w.WriteNull(f.Fact);
                    break;
                case bool b:
                    w.WriteBoolean(f.Fact, b);
                    break;
                default:
                    w.WriteString(f.Fact, Text(f.Value));
                    break;
            }
        }
        w.WriteEndObject();
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? date)
    {
        if (date is { } d)
        {
            w.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
