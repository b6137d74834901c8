using System.Text.Json;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Validation;

/// <summary>Writes a rule set's problems as <c>validate --format json</c> does.</summary>
internal static class ValidationJson
{
    /// <summary>
    /// The whole report: where the rules came from, their hash (null when the files could not be read), whether they
    /// can be used, every problem.
    /// </summary>
    public static void Write(Utf8JsonWriter w, string origin, string? ruleSetHash, IReadOnlyList<Diagnostic> problems)
    {
        w.WriteStartObject();
        w.WriteString("rules", origin);
        w.WriteString("ruleSet", ruleSetHash);
        w.WriteBoolean("valid", problems.Count == 0);
        WriteProblems(w, problems);
        w.WriteEndObject();
    }

    /// <summary>The <c>problems</c> array as a property of the open object, one object per problem, in the order given.</summary>
    public static void WriteProblems(Utf8JsonWriter w, IReadOnlyList<Diagnostic> problems)
    {
        w.WriteStartArray("problems");
        foreach (var p in problems)
        {
            w.WriteStartObject();
            w.WriteString("code", p.Code);
            w.WriteString("message", p.Message);
            w.WriteString("file", p.Location?.File);
            WritePosition(w, "line", p.Location?.Line ?? 0);
            WritePosition(w, "column", p.Location is { Line: > 0 } at ? at.Column : 0);
            w.WriteString("clause", p.Clause);
            w.WriteString("field", p.Field);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A 1-based line or column, or null where the problem has none (a whole file or folder): 0 is no place.</summary>
    public static void WritePosition(Utf8JsonWriter w, string name, int position)
    {
        if (position > 0)
        {
            w.WriteNumber(name, position);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
