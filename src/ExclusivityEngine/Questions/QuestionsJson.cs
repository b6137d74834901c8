using System.Globalization;
using System.Text.Json;
using ExclusivityEngine.Explanation;

namespace ExclusivityEngine.Questions;

/// <summary>The one place that knows the JSON names of <c>why-not</c>, <c>diff</c>, <c>analyze</c> and <c>impact</c> (interface.md).</summary>
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
            WriteStrings(w, "clouds", elsewhere.Clouds);
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
        WriteClauseRefs(w, "dead", analysis.Dead);
        w.WriteStartArray("alwaysOverridden");
        foreach (var c in analysis.AlwaysOverridden)
        {
            w.WriteStartObject();
            w.WriteString("version", c.Version);
            w.WriteString("clause", c.Clause);
            WriteStrings(w, "by", c.By);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteRegions(w, "blocked", analysis.Blocked);
        WriteRegions(w, "disputed", analysis.Disputed);
        w.WriteEndObject();
    }

    /// <summary>Writes an <c>impact</c> answer (interface.md, "What a rule edit changes").</summary>
    public static void Write(Utf8JsonWriter w, Impact impact)
    {
        var changes = impact.Changes;
        w.WriteStartObject();
        w.WriteString("before", impact.Before);
        w.WriteString("after", impact.After);
        w.WriteString("beforeRules", impact.BeforeOrigin);
        w.WriteString("afterRules", impact.AfterOrigin);
        WriteDate(w, "from", impact.From);
        WriteDate(w, "to", impact.To);
        w.WriteString("product", impact.Product);
        w.WriteBoolean("changed", impact.Changed);

        w.WriteStartObject("products");
        WriteStrings(w, "added", changes.ProductsAdded);
        WriteStrings(w, "removed", changes.ProductsRemoved);
        WriteEntryChanges(w, "changed", "product", changes.ProductsChanged);
        w.WriteEndObject();
        w.WriteStartObject("clouds");
        WriteStrings(w, "added", changes.CloudsAdded);
        WriteStrings(w, "removed", changes.CloudsRemoved);
        w.WriteEndObject();

        w.WriteStartObject("clauses");
        WriteClauseRefs(w, "added", changes.ClausesAdded);
        WriteClauseRefs(w, "removed", changes.ClausesRemoved);
        w.WriteStartArray("changed");
        foreach (var c in changes.ClausesChanged)
        {
            w.WriteStartObject();
            w.WriteString("version", c.Version);
            w.WriteString("clause", c.Clause);
            WriteFieldDifferences(w, c.Fields);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("versions");
        WriteStrings(w, "added", changes.VersionsAdded);
        WriteStrings(w, "removed", changes.VersionsRemoved);
        WriteEntryChanges(w, "changed", "version", changes.VersionsChanged);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("regions");
        foreach (var r in impact.Regions)
        {
            w.WriteStartObject();
            w.WriteString("product", r.Product);
            w.WriteString("cloud", r.Cloud);
            WriteDate(w, "from", r.From);
            WriteDate(w, "to", r.To);
            WriteFacts(w, "facts", r.Facts);
            w.WritePropertyName("before");
            WriteVerdict(w, r.Before);
            w.WritePropertyName("after");
            WriteVerdict(w, r.After);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("scenarios");
        foreach (var s in impact.Scenarios?.Changed ?? [])
        {
            w.WriteStartObject();
            w.WriteString("file", s.File);
            if (s.Name is not null)
            {
                w.WriteString("name", s.Name);
            }
            if (s.Line is { } line)
            {
                w.WriteNumber("line", line);
                w.WritePropertyName("id");
                if (s.Id is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(s.Id, skipInputValidation: true);
                }
            }
            w.WriteString("before", s.Before is { } b ? AssessmentJson.Name(b.Permission) : null);
            w.WriteString("after", s.After is { } a ? AssessmentJson.Name(a.Permission) : null);
            w.WritePropertyName("scenario");
            AssessmentJson.WriteScenario(w, s.Scenario);
            w.WriteStartObject("verdicts");
            WriteSide(w, "before", s.Before, s.BeforeError);
            WriteSide(w, "after", s.After, s.AfterError);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (impact.Scenarios is { } checkedScenarios)
        {
            w.WriteNumber("scenariosChecked", checkedScenarios.Checked);
            w.WriteNumber("scenariosRejected", checkedScenarios.Rejected);
            // A --scenarios file that could not be used (the run exits 2): said here too, not on stderr alone, so that a
            // program reading the JSON does not take the files' scenarios for unchanged.
            w.WriteStartArray("scenarioProblems");
            foreach (var problem in checkedScenarios.Problems)
            {
                w.WriteStringValue(problem);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter w, string name, VerdictSummary? verdict, Scenarios.ScenarioError? error)
    {
        w.WritePropertyName(name);
        if (verdict is not null)
        {
            WriteVerdict(w, verdict);
            return;
        }
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("code", error?.Code);
        w.WriteString("message", error?.Message);
        if (error?.Field is { } field)
        {
            w.WriteString("field", field);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteVerdict(Utf8JsonWriter w, VerdictSummary v)
    {
        w.WriteStartObject();
        w.WriteString("permission", AssessmentJson.Name(v.Permission));
        w.WriteBoolean("disputed", v.Disputed);
        WriteClauseRefs(w, "decisive", v.Decisive);
        w.WriteEndObject();
    }

    private static void WriteClauseRefs(Utf8JsonWriter w, string name, IReadOnlyList<ClauseRef> clauses)
    {
        w.WriteStartArray(name);
        foreach (var c in clauses)
        {
            w.WriteStartObject();
            w.WriteString("version", c.Version);
            w.WriteString("clause", c.Clause);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static void WriteEntryChanges(Utf8JsonWriter w, string name, string idName, IReadOnlyList<EntryChange> changes)
    {
        w.WriteStartArray(name);
        foreach (var c in changes)
        {
            w.WriteStartObject();
            w.WriteString(idName, c.Id);
            WriteFieldDifferences(w, c.Fields);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary><c>fields</c> (the interface's list of names), then each field's value on either side.</summary>
    private static void WriteFieldDifferences(Utf8JsonWriter w, IReadOnlyList<FieldDifference> fields)
    {
        WriteStrings(w, "fields", [.. fields.Select(f => f.Field)]);
        foreach (var side in new[] { "before", "after" })
        {
            w.WriteStartObject(side);
            foreach (var f in fields)
            {
                w.WritePropertyName(f.Field);
                WriteValue(w, side == "before" ? f.Before : f.After);
            }
            w.WriteEndObject();
        }
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case IReadOnlyList<string> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }
                w.WriteEndArray();
                break;
            case Model.RevenueShareTerms terms:
                w.WriteStartObject();
                w.WriteString("payer", terms.Payer);
                w.WriteString("payee", terms.Payee);
                w.WriteBoolean("capped", terms.Capped);
                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(Text(value));
                break;
        }
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
