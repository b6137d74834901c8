using System.Globalization;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Timeline;

/// <summary>Writes a timeline as <c>timeline --format json</c> does (interface.md, "Timeline").</summary>
public static class TimelineJson
{
    /// <summary>
    /// Writes the contract's <c>product</c>, <c>from</c>, <c>to</c> and <c>periods</c>, adding the normalised
    /// <c>facts</c> (as <c>evaluate</c> echoes them, without cloud and date), the <c>ruleSet</c> hash, the versions taking effect in the range, and per cloud the
    /// combined verdict's decisive clauses on the period's first day.
    /// </summary>
    public static void Write(Utf8JsonWriter w, ProductTimeline timeline, string ruleSetHash)
    {
        w.WriteStartObject();
        w.WriteString("product", timeline.Facts.Product.Id);
        w.WriteString("from", Day(timeline.From));
        w.WriteString("to", Day(timeline.To));
        WriteFacts(w, timeline.Facts);
        w.WriteString("ruleSet", ruleSetHash);

        w.WriteStartArray("versions");
        foreach (var v in timeline.VersionsTakingEffect)
        {
            w.WriteStartObject();
            w.WriteString("version", v.Id);
            w.WriteString("track", v.Track);
            w.WriteString("effective", Day(v.Effective));
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("periods");
        foreach (var p in timeline.Periods)
        {
            w.WriteStartObject();
            w.WriteString("from", Day(p.From));
            w.WriteString("to", Day(p.To));
            w.WriteBoolean("blocked", p.Blocked);
            w.WriteBoolean("disputed", p.Disputed);
            w.WriteStartObject("clouds");
            foreach (var c in p.Clouds)
            {
                w.WriteStartObject(c.Cloud.Id);
                w.WriteString("permission", AssessmentJson.Name(c.Permission));
                w.WriteBoolean("disputed", c.Disputed);
                w.WriteStartArray("decisive");
                foreach (var d in c.FirstDay.Decisive)
                {
                    w.WriteStartObject();
                    w.WriteString("version", d.Row.Id);
                    w.WriteString("clause", d.Clause.Id);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFacts(Utf8JsonWriter w, Scenario s)
    {
        w.WriteStartObject("facts");
        if (s.Product.IsInline)
        {
            w.WriteStartObject("product");
            w.WriteString("id", s.Product.Id);
            w.WriteString("interface", s.Product.Interface);
            w.WriteString("origin", s.Product.Origin);
            w.WriteString("offeredBy", s.Product.OfferedBy);
            w.WriteEndObject();
        }
        w.WriteString(Facts.Segment, s.Segment);
        WriteOrNull(Facts.AgiDeclaredOn, s.AgiDeclaredOn is { } d ? Day(d) : null);
        WriteOrNull(Facts.AgiVerifiedOn, s.AgiVerifiedOn is { } v ? Day(v) : null);
        foreach (var fact in Facts.TriStates)
        {
            if (s.TriState(fact) is { } b)
            {
                w.WriteBoolean(fact, b);
            }
            else
            {
                w.WriteNull(fact);
            }
        }
        w.WriteEndObject();

        void WriteOrNull(string name, string? value)
        {
            if (value is null)
            {
                w.WriteNull(name);
            }
            else
            {
                w.WriteString(name, value);
            }
        }
    }

    internal static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
