using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Validation;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>A run as JSON for programs: counts, files with their problems, every scenario's result, and coverage when asked.</summary>
internal static class TestReportJson
{
    /// <summary>Writes the run as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, TestRun run, bool coverage)
    {
        w.WriteStartObject();
        w.WriteString("ruleSet", run.RuleSetHash);
        w.WriteNumber("passed", run.Passed);
        w.WriteNumber("failed", run.Failed);
        w.WriteNumber("unusable", run.Unusable.Count);
        w.WriteNumber("exitCode", run.ExitCode);
        w.WriteStartArray("files");
        foreach (var file in run.Files)
        {
            w.WriteStartObject();
            w.WriteString("file", file.File);
            w.WriteString("title", file.Title);
            w.WriteBoolean("usable", file.Usable);
            w.WriteNumber("scenarios", file.Cases.Count);
            w.WriteStartArray("problems");
            foreach (var p in file.Problems)
            {
                w.WriteStartObject();
                ValidationJson.WritePosition(w, "line", p.Line);
                ValidationJson.WritePosition(w, "column", p.Line > 0 ? p.Column : 0);
                w.WriteString("scenario", p.Scenario);
                w.WriteString("field", p.Field);
                w.WriteString("message", p.Message);
                w.WriteString("text", p.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("results");
        foreach (var r in run.Results)
        {
            w.WriteStartObject();
            w.WriteString("file", r.Case.File);
            w.WriteNumber("line", r.Case.Line);
            w.WriteString("name", r.Case.Name);
            w.WriteBoolean("passed", r.Passed);
            w.WriteStartArray("failures");
            foreach (var m in r.Mismatches)
            {
                w.WriteStartObject();
                w.WriteString("key", m.Key);
                if (m.Row is not null)
                {
                    w.WriteString("version", m.Row);
                }
                w.WritePropertyName("expected");
                Value(w, m.Expected);
                w.WritePropertyName("actual");
                Value(w, m.Actual);
                if (m.Note is not null)
                {
                    w.WriteString("note", m.Note);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var c = r.Assessment.Combined;
            w.WriteStartObject("combined");
            w.WriteString("permission", AssessmentJson.Name(c.Permission));
            w.WriteBoolean("disputed", c.Disputed);
            w.WriteStartArray("decisive");
            foreach (var d in c.Decisive)
            {
                w.WriteStartObject();
                w.WriteString("version", d.Row.Id);
                w.WriteString("clause", d.Clause.Id);
                w.WriteString("effect", AssessmentJson.Name(d.Clause.Effect));
                w.WriteString("source", d.Clause.Source);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        if (coverage)
        {
            w.WritePropertyName("coverage");
            Coverage(w, run.Coverage);
        }
        w.WriteEndObject();
    }

    /// <summary>Per version and reading, each clause with its status and counts.</summary>
    public static void Coverage(Utf8JsonWriter w, TestCoverage coverage)
    {
        w.WriteStartObject();
        w.WriteNumber("decisive", coverage.Count(CoverageStatus.Decisive));
        w.WriteNumber("applied", coverage.Count(CoverageStatus.Applied));
        w.WriteNumber("unreached", coverage.Count(CoverageStatus.Unreached));
        w.WriteStartObject("versions");
        foreach (var entry in coverage.Entries)
        {
            w.WriteStartObject(entry.Id);
            foreach (var (status, name) in new[] { (CoverageStatus.Decisive, "decisive"), (CoverageStatus.Applied, "applied"), (CoverageStatus.Unreached, "unreached") })
            {
                w.WriteStartArray(name);
                foreach (var c in entry.With(status))
                {
                    w.WriteStringValue(c.Clause.Id);
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("clauses");
            foreach (var c in entry.Clauses)
            {
                w.WriteStartObject();
                w.WriteString("clause", c.Clause.Id);
                w.WriteString("effect", AssessmentJson.Name(c.Clause.Effect));
                w.WriteString("status", Name(c.Status));
                w.WriteNumber("decisiveIn", c.DecisiveIn);
                w.WriteNumber("appliedIn", c.AppliedIn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The name of a coverage status, as written.</summary>
    public static string Name(CoverageStatus status) => status switch
    {
        CoverageStatus.Decisive => "decisive",
        CoverageStatus.Applied => "applied",
        _ => "unreached",
    };

    private static void Value(Utf8JsonWriter w, ExpectedValue v)
    {
        if (v.Word is not null)
        {
            w.WriteStringValue(v.Word);
        }
        else if (v.Truth is { } t)
        {
            w.WriteBooleanValue(t);
        }
        else
        {
            w.WriteStartArray();
            foreach (var id in v.Clauses!)
            {
                w.WriteStringValue(id);
            }
            w.WriteEndArray();
        }
    }
}
