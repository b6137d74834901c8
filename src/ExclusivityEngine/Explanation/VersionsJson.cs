using System.Globalization;
using System.Text.Json;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Explanation;

/// <summary>Writes the versions table as <c>versions --format json</c> does.</summary>
internal static class VersionsJson
{
    /// <summary>The rule set's hash and every version with its track, effective date, title, clause count and readings.</summary>
    public static void Write(Utf8JsonWriter w, RuleSet rules)
    {
        w.WriteStartObject();
        w.WriteString("ruleSet", rules.Hash);
        w.WriteStartArray("versions");
        foreach (var v in rules.Versions)
        {
            w.WriteStartObject();
            w.WriteString("id", v.Id);
            w.WriteString("track", v.Track);
            w.WriteString("effective", v.Effective.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("title", v.Title);
            w.WriteNumber("clauses", v.Clauses.Count);
            w.WriteStartArray("readings");
            foreach (var r in v.Readings)
            {
                w.WriteStartObject();
                w.WriteString("id", $"{v.Id}@{r.Id}");
                w.WriteString("reading", r.Id);
                w.WriteString("title", r.Title);
                w.WriteString("source", r.Source);
                w.WriteNumber("clauses", r.Clauses.Count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
