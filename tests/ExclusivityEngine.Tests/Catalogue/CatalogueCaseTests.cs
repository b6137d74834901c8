using System.Text;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Tests.Catalogue;

/// <summary>
/// The catalogue cases (Cases/catalogue.jsonl, expectations derived by hand from agreements.md), each run on both
/// evaluation paths: the memoised default path and a per-scenario NRules session.
/// </summary>
public sealed class CatalogueCaseTests
{
    private const string CaseFile = "catalogue.jsonl";
    private const string TraceFile = "catalogue-trace.jsonl";

    private static readonly Engine Engine = Engine.LoadEmbedded();

    public static IEnumerable<TestCaseData> Cases() => Data(CaseFile);

    public static IEnumerable<TestCaseData> TraceCases() => Data(TraceFile);

    [TestCaseSource(nameof(Cases))]
    public void Evaluate_CatalogueCase_MatchesHandDerivedVerdict(CatalogueCase c) => Check(c);

    [TestCaseSource(nameof(TraceCases))]
    public void Evaluate_TraceCase_MatchesHandDerivedTrace(CatalogueCase c) => Check(c);

    [Test]
    public void CaseFile_NamesAreUniqueAndPlentiful()
    {
        var names = CatalogueCase.ReadFile(CaseFile).Select(c => c.Name).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(120));
    }

    /// <summary>
    /// Every clause of every version and reading is expected somewhere: decisive (forbid, permit, require),
    /// among the obligations (oblige) or in a trace (note). Read from the expectations only, not from the engine.
    /// </summary>
    [Test]
    public void CaseFiles_ExpectEveryClauseOfEveryRow()
    {
        var seen = new HashSet<string>();
        foreach (var c in CatalogueCase.ReadFile(CaseFile).Concat(CatalogueCase.ReadFile(TraceFile)))
        {
            foreach (var key in new[] { "decisive", "obligations", "conditions" })
            {
                if (c.Expect.TryGetProperty(key, out var list))
                {
                    foreach (var e in list.EnumerateArray())
                    {
                        seen.Add($"{e.GetProperty("version").GetString()}:{e.GetProperty("clause").GetString()}");
                    }
                }
            }
            if (c.Expect.TryGetProperty("versions", out var versions))
            {
                foreach (var row in versions.EnumerateObject())
                {
                    foreach (var key in new[] { "decisive", "obligations", "conditions" })
                    {
                        if (row.Value.TryGetProperty(key, out var list))
                        {
                            seen.UnionWith(list.EnumerateArray().Select(e => $"{row.Name}:{e.GetString()}"));
                        }
                    }
                    if (row.Value.TryGetProperty("trace", out var trace))
                    {
                        seen.UnionWith(trace.EnumerateArray().Select(e => $"{row.Name}:{e.GetProperty("clause").GetString()}"));
                    }
                }
            }
        }
        var missing = Engine.Rules.Rows.SelectMany(r => r.Clauses.Select(k => $"{r.Id}:{k.Id}")).Where(k => !seen.Contains(k)).ToList();
        Assert.That(missing, Is.Empty, "clauses no case expects");
    }

    private static IEnumerable<TestCaseData> Data(string file) =>
        CatalogueCase.ReadFile(file).Select(c => new TestCaseData(c).SetName(c.Name));

    private static void Check(CatalogueCase c)
    {
        var scenario = c.Resolve(Engine);
        var report = new StringBuilder();
        foreach (var (path, assessment) in new[] { ("memo", Engine.Evaluate(scenario)), ("NRules session", Engine.EvaluateInSession(scenario)) })
        {
            var problems = c.Differences(assessment, Engine.Rules);
            if (problems.Count == 0)
            {
                continue;
            }
            report.AppendLine($"{path}:");
            foreach (var problem in problems)
            {
                report.AppendLine("  " + problem);
            }
            report.AppendLine("  came out: " + Describe(assessment));
        }
        if (report.Length > 0)
        {
            Assert.Fail($"{c.File}:{c.Line} {c.Name}\n  scenario: {c.Scenario}\n{report}");
        }
    }

    /// <summary>The verdict as one readable block: the combined verdict with its decisive clauses and sources, then each row.</summary>
    private static string Describe(Assessment a)
    {
        var text = new StringBuilder();
        text.Append($"{a.Combined.Permission}{(a.Combined.Disputed ? " (disputed)" : "")}, in force [{string.Join(", ", a.InForce.Select(v => v.Id))}]");
        foreach (var d in a.Combined.Decisive)
        {
            text.Append($"\n    decided by {CatalogueCase.Text(d)} ({d.Clause.Source})");
        }
        foreach (var row in a.Rows)
        {
            text.Append($"\n    {row.Row.Id}{(row.InForce ? "" : " (not in force)")}: {row.Permission} [{string.Join(", ", row.Decisive.Select(k => k.Id))}]");
            if (row.Obligations.Count > 0)
            {
                text.Append($" obliges [{string.Join(", ", row.Obligations.Select(k => k.Id))}]");
            }
        }
        return text.ToString();
    }
}
