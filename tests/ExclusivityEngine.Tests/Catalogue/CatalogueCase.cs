using System.Text.Json;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Catalogue;

/// <summary>
/// One line of a catalogue case file: a scenario (batch input fields) and the verdict derived by hand from
/// agreements.md. Only what <c>expect</c> gives is checked; an unknown key is an error in the file, never ignored.
/// </summary>
public sealed record CatalogueCase(string Name, string Scenario, JsonElement Expect, string File, int Line)
{
    private static readonly HashSet<string> ExpectKeys = ["inForce", "combined", "disputed", "decisive", "conditions", "obligations", "versions"];
    private static readonly HashSet<string> VersionKeys = ["inForce", "permission", "decisive", "conditions", "obligations", "trace"];
    private static readonly HashSet<string> TraceKeys = ["clause", "status", "overriddenBy"];

    /// <summary>The case's name (NUnit shows it as the test name).</summary>
    public override string ToString() => Name;

    /// <summary>Reads every case of a JSON Lines file under the test output's <c>Cases</c> folder.</summary>
    public static IEnumerable<CatalogueCase> ReadFile(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cases", fileName);
        var lineNumber = 0;
        foreach (var line in System.IO.File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var name = root.GetProperty("name").GetString() ?? throw new InvalidDataException($"{fileName}:{lineNumber}: no name");
            yield return new CatalogueCase(name, root.GetProperty("scenario").GetRawText(), root.GetProperty("expect").Clone(), fileName, lineNumber);
        }
    }

    /// <summary>Resolves the scenario through the interface's reader, as a batch line would be.</summary>
    public Model.Scenario Resolve(Engine engine)
    {
        var input = ScenarioJson.Read(Scenario, out var readError)
            ?? throw new InvalidDataException($"{File}:{Line}: scenario refused by the reader: {readError!.Code}: {readError.Message}");
        return input.Resolve(engine.Rules.Catalogue, out var error)
            ?? throw new InvalidDataException($"{File}:{Line}: scenario refused: {error!.Code}: {error.Message}");
    }

    /// <summary>Every difference between the expectation and <paramref name="actual"/>, one readable line each.</summary>
    public IReadOnlyList<string> Differences(Assessment actual, RuleSet rules)
    {
        var problems = new List<string>();
        var combined = actual.Combined;
        foreach (var property in Expect.EnumerateObject())
        {
            var e = property.Value;
            switch (property.Name)
            {
                case "inForce":
                    Compare(problems, "inForce", Strings(e), actual.InForce.Select(v => v.Id));
                    break;
                case "combined":
                    Compare(problems, "combined permission", [e.GetString()!], [combined.Permission.ToString()]);
                    break;
                case "disputed":
                    Compare(problems, "combined disputed", [e.GetBoolean().ToString()], [combined.Disputed.ToString()]);
                    break;
                case "decisive":
                    Compare(problems, "combined decisive", e.EnumerateArray().Select(RowClauseText), combined.Decisive.Select(Text));
                    break;
                case "conditions":
                    Compare(problems, "combined conditions", e.EnumerateArray().Select(ConditionText), combined.Conditions.Select(ConditionText));
                    break;
                case "obligations":
                    Compare(problems, "combined obligations", e.EnumerateArray().Select(RowClauseText), combined.Obligations.Select(Text));
                    break;
                case "versions":
                    foreach (var row in e.EnumerateObject())
                    {
                        if (!rules.RowsById.TryGetValue(row.Name, out var known))
                        {
                            problems.Add($"expect names version `{row.Name}`, which the rule set does not have");
                            continue;
                        }
                        RowDifferences(problems, row.Value, actual.Rows[known.Index]);
                    }
                    break;
                default:
                    problems.Add($"unknown expect key `{property.Name}` (known: {string.Join(", ", ExpectKeys)})");
                    break;
            }
        }
        return problems;
    }

    private static void RowDifferences(List<string> problems, JsonElement expect, RowVerdict actual)
    {
        var row = actual.Row.Id;
        foreach (var property in expect.EnumerateObject())
        {
            var e = property.Value;
            switch (property.Name)
            {
                case "inForce":
                    Compare(problems, $"{row} inForce", [e.GetBoolean().ToString()], [actual.InForce.ToString()]);
                    break;
                case "permission":
                    Compare(problems, $"{row} permission", [e.GetString()!], [actual.Permission.ToString()]);
                    break;
                case "decisive":
                    Compare(problems, $"{row} decisive", Strings(e), actual.Decisive.Select(c => c.Id));
                    break;
                case "conditions":
                    Compare(problems, $"{row} conditions", Strings(e), actual.Conditions.Select(c => c.Id));
                    break;
                case "obligations":
                    Compare(problems, $"{row} obligations", Strings(e), actual.Obligations.Select(c => c.Id));
                    break;
                case "trace":
                    Compare(problems, $"{row} trace", e.EnumerateArray().Select(TraceText), actual.Trace.Select(TraceText));
                    break;
                default:
                    problems.Add($"unknown key `{property.Name}` under version `{row}` (known: {string.Join(", ", VersionKeys)})");
                    break;
            }
        }
    }

    private static void Compare(List<string> problems, string what, IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.SequenceEqual(a))
        {
            problems.Add($"{what}: expected [{string.Join(", ", e)}] but was [{string.Join(", ", a)}]");
        }
    }

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(x => x.GetString()!);

    private static string RowClauseText(JsonElement e) => $"{e.GetProperty("version").GetString()}:{e.GetProperty("clause").GetString()}";

    private static string ConditionText(JsonElement e) => $"{RowClauseText(e)} anyOf {string.Join("|", Strings(e.GetProperty("anyOf")))}";

    private static string TraceText(JsonElement e)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!TraceKeys.Contains(property.Name))
            {
                return $"(unknown trace key `{property.Name}`)";
            }
        }
        var by = e.TryGetProperty("overriddenBy", out var o) ? $" by {o.GetString()}" : "";
        return $"{e.GetProperty("clause").GetString()} {e.GetProperty("status").GetString()}{by}";
    }

    /// <summary>How a combined entry is written in failure messages: <c>row:clause</c>.</summary>
    public static string Text(RowClause rc) => $"{rc.Row.Id}:{rc.Clause.Id}";

    private static string ConditionText(RowClause rc) => $"{Text(rc)} anyOf {string.Join("|", rc.Clause.AnyOf)}";

    private static string TraceText(TraceEntry t) =>
        $"{t.Clause.Id} {t.Status.ToString().ToLowerInvariant()}{(t.OverriddenBy is { } by ? " by " + by.Id : "")}";
}
