using System.Buffers;
using System.Text.Json;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Explanation;

/// <summary>How much of each version's verdict a batch line carries (interface.md, "Assessment output").</summary>
public enum Detail
{
    /// <summary>Per version only its permission.</summary>
    Summary = 0,
    /// <summary>Adds each version's inForce, decisive, conditions and obligations.</summary>
    Versions = 1,
    /// <summary>Adds each version's trace.</summary>
    Full = 2,
}

/// <summary>The one place that knows the JSON names of the verdict model.</summary>
public static class AssessmentJson
{
    /// <summary>The names of the permissions, as written.</summary>
    public static string Name(Permission permission) => permission switch
    {
        Permission.Permitted => "Permitted",
        Permission.Conditional => "Conditional",
        _ => "Prohibited",
    };

    /// <summary>The name of an effect, as written in rule files.</summary>
    public static string Name(Effect effect) => effect switch
    {
        Effect.Forbid => "forbid",
        Effect.Permit => "permit",
        Effect.Require => "require",
        Effect.Oblige => "oblige",
        _ => "note",
    };

    /// <summary>The name of a trace status.</summary>
    public static string Name(ClauseStatus status) => status switch
    {
        ClauseStatus.Applied => "applied",
        ClauseStatus.Overridden => "overridden",
        ClauseStatus.Met => "met",
        ClauseStatus.Unmet => "unmet",
        _ => "unknown",
    };

    /// <summary>Writes the whole assessment as <c>evaluate --format json</c> does: scenario, rule set, everything.</summary>
    public static void WriteEvaluation(Utf8JsonWriter w, Assessment a, string ruleSetHash)
    {
        w.WriteStartObject();
        w.WritePropertyName("scenario");
        WriteScenario(w, a.Scenario);
        w.WriteString("ruleSet", ruleSetHash);
        WriteVerdicts(w, a.InForce, a.Combined, a.Rows, Detail.Full);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>inForce</c>, <c>combined</c> and <c>versions</c> as properties of the open object.</summary>
    public static void WriteVerdicts(Utf8JsonWriter w, IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows, Detail detail)
    {
        w.WriteStartArray("inForce");
        foreach (var v in inForce)
        {
            w.WriteStringValue(v.Id);
        }
        w.WriteEndArray();

        w.WriteStartObject("combined");
        w.WriteString("permission", Name(combined.Permission));
        w.WriteBoolean("disputed", combined.Disputed);
        WriteRowClauses(w, "decisive", combined.Decisive, anyOf: false);
        WriteRowClauses(w, "conditions", combined.Conditions, anyOf: true);
        WriteRowClauses(w, "obligations", combined.Obligations, anyOf: false);
        w.WriteEndObject();

        w.WriteStartObject("versions");
        foreach (var row in rows)
        {
            w.WriteStartObject(row.Row.Id);
            if (detail >= Detail.Versions)
            {
                w.WriteBoolean("inForce", row.InForce);
            }
            w.WriteString("permission", Name(row.Permission));
            if (detail >= Detail.Versions)
            {
                w.WriteStartArray("decisive");
                foreach (var c in row.Decisive)
                {
                    w.WriteStringValue(c.Id);
                }
                w.WriteEndArray();
                w.WriteStartArray("conditions");
                foreach (var c in row.Conditions)
                {
                    w.WriteStartObject();
                    w.WriteString("clause", c.Id);
                    WriteAnyOf(w, c);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("obligations");
                foreach (var c in row.Obligations)
                {
                    w.WriteStartObject();
                    w.WriteString("clause", c.Id);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (detail >= Detail.Full)
            {
                w.WriteStartArray("trace");
                foreach (var t in row.Trace)
                {
                    w.WriteStartObject();
                    w.WriteString("clause", t.Clause.Id);
                    w.WriteString("effect", Name(t.Clause.Effect));
                    w.WriteString("status", Name(t.Status));
                    if (t.OverriddenBy is { } by)
                    {
                        w.WriteString("overriddenBy", by.Id);
                    }
                    else
                    {
                        w.WriteNull("overriddenBy");
                    }
                    w.WriteString("source", t.Clause.Source);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// The combined verdict in brief, as a decision log records it: <c>{"permission", "disputed", "decisive"}</c>, the
    /// decisive clauses written as in <c>combined.decisive</c>.
    /// </summary>
    public static void WriteDecision(Utf8JsonWriter w, CombinedVerdict combined)
    {
        w.WriteStartObject();
        w.WriteString("permission", Name(combined.Permission));
        w.WriteBoolean("disputed", combined.Disputed);
        WriteRowClauses(w, "decisive", combined.Decisive, anyOf: false);
        w.WriteEndObject();
    }

    /// <summary>The normalised scenario: every declared fact under its input name, defaults applied, unknown as null.</summary>
    public static void WriteScenario(Utf8JsonWriter w, Scenario s)
    {
        w.WriteStartObject();
        foreach (var fact in Facts.All)
        {
            switch (fact.Kind)
            {
                case FactKind.Product when s.Product.IsInline:
                    w.WriteStartObject(fact.Name);
                    w.WriteString("id", s.Product.Id);
                    w.WriteString("interface", s.Product.Interface);
                    w.WriteString("origin", s.Product.Origin);
                    w.WriteString("offeredBy", s.Product.OfferedBy);
                    WriteTri(w, Facts.ShippedOnAzureFirst, s.Product.ShippedOnAzureFirst);
                    w.WriteEndObject();
                    break;
                case FactKind.Product:
                    w.WriteString(fact.Name, s.Product.Id);
                    break;
                case FactKind.Cloud or FactKind.Choice:
                    w.WriteString(fact.Name, fact.TextOf(s));
                    break;
                case FactKind.Date:
                    WriteDate(w, fact.Name, s.Date);
                    break;
                case FactKind.Occurrence:
                    WriteDate(w, fact.Name, fact.OccurrenceOf(s));
                    break;
                case FactKind.TriState:
                    WriteTri(w, fact.Name, fact.TriStateOf(s));
                    break;
            }
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// The tail of a batch line after <c>"line":N,</c>: verdicts and the closing brace, without a newline; with
    /// <see cref="JsonOutput.Document"/>, the same part of an indented <c>evaluate --format json</c> document.
    /// </summary>
    internal static byte[] EncodeTail(IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows, Detail detail, JsonWriterOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, options ?? JsonOutput.Line))
        {
            w.WriteStartObject();
            WriteVerdicts(w, inForce, combined, rows, detail);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan[1..].ToArray();
    }

    private static void WriteRowClauses(Utf8JsonWriter w, string name, IReadOnlyList<RowClause> list, bool anyOf)
    {
        w.WriteStartArray(name);
        foreach (var rc in list)
        {
            w.WriteStartObject();
            w.WriteString("version", rc.Row.Id);
            w.WriteString("clause", rc.Clause.Id);
            if (anyOf)
            {
                WriteAnyOf(w, rc.Clause);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteAnyOf(Utf8JsonWriter w, Clause c)
    {
        w.WriteStartArray("anyOf");
        foreach (var fact in c.AnyOf)
        {
            w.WriteStringValue(fact);
        }
        w.WriteEndArray();
    }

    private static void WriteTri(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } b)
        {
            w.WriteBoolean(name, b);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? value)
    {
        if (value is { } d)
        {
            w.WriteString(name, d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
