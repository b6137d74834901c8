using System.Globalization;
using System.Text;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary><c>why-not</c>, <c>diff</c> and <c>analyze</c> as text for people.</summary>
public static class QuestionsText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders a <c>why-not</c> answer: the verdict, then each minimal change with the clauses that decide it.</summary>
    public static string Render(WhyNotAnswer answer)
    {
        var s = answer.Assessment.Scenario;
        var text = new StringBuilder();
        text.Append(Invariant, $"{s.Product.Id} on {s.Cloud}, {s.Date:yyyy-MM-dd}: {AssessmentJson.Name(answer.Assessment.Combined.Permission)}");
        text.Append(Invariant, $" (wanted: {AssessmentJson.Name(answer.Want)}{(answer.Want == Permission.Conditional ? " or better" : "")})\n");
        if (answer.Changes.Count == 1 && answer.Changes[0].Set.Count == 0)
        {
            text.Append("Already reached: no change needed.\n");
        }
        else if (answer.Changes.Count > 0)
        {
            text.Append(Invariant, $"Minimal changes that reach it ({answer.Changes.Count}):\n");
            foreach (var change in answer.Changes)
            {
                text.Append(Invariant, $"  set {Describe(change.Set)}: {AssessmentJson.Name(change.Verdict.Permission)}\n");
                foreach (var d in change.Verdict.Decisive)
                {
                    text.Append(Invariant, $"      decided by {d.Row.Id} `{d.Clause.Id}`: {d.Clause.Source}\n");
                }
            }
        }
        if (answer.Elsewhere is { } e)
        {
            text.Append("No change of the facts reaches it.\n");
            text.Append(Invariant, $"  on {s.Date:yyyy-MM-dd} it is reached on: {(e.Clouds.Count == 0 ? "no cloud" : string.Join(", ", e.Clouds))}\n");
            text.Append(Invariant, $"  on {s.Cloud}, nearest earlier date: {Date(e.Earlier)}; nearest later date: {Date(e.Later)}\n");
        }
        return text.ToString();
    }

    /// <summary>Renders a <c>diff</c>: one line per region.</summary>
    public static string Render(DiffResult diff)
    {
        var text = new StringBuilder();
        text.Append(Invariant, $"{diff.A.Id} -> {diff.B.Id}, {diff.From:yyyy-MM-dd} to {diff.To:yyyy-MM-dd}: {diff.Regions.Count} region(s) where the permission differs\n");
        foreach (var group in diff.Regions.GroupBy(r => (r.Product, r.Cloud)))
        {
            text.Append(Invariant, $"\n{group.Key.Product} on {group.Key.Cloud}\n");
            foreach (var r in group)
            {
                text.Append(Invariant, $"  {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}  {Describe(r.Facts)}: {AssessmentJson.Name(r.A)} -> {AssessmentJson.Name(r.B)}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>Renders an <c>analyze</c> result, one section per finding.</summary>
    public static string Render(Analysis analysis)
    {
        var text = new StringBuilder();
        text.Append(Invariant, $"Rule set analysed from {analysis.From:yyyy-MM-dd} to {analysis.To:yyyy-MM-dd}\n");
        text.Append(Invariant, $"\nDead clauses (apply to no scenario while their version is in force): {analysis.Dead.Count}\n");
        foreach (var c in analysis.Dead)
        {
            text.Append(Invariant, $"  {c.Version} `{c.Clause}`\n");
        }
        text.Append(Invariant, $"\nClauses overridden wherever they apply: {analysis.AlwaysOverridden.Count}\n");
        foreach (var c in analysis.AlwaysOverridden)
        {
            text.Append(Invariant, $"  {c.Version} `{c.Clause}` by {string.Join(", ", c.By.Select(b => $"`{b}`"))}\n");
        }
        text.Append(Invariant, $"\nBlocked (no cloud is Permitted or Conditional): {analysis.Blocked.Count}\n");
        foreach (var r in analysis.Blocked)
        {
            text.Append(Invariant, $"  {r.Product}, {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}  {Describe(r.Facts)}\n");
        }
        text.Append(Invariant, $"\nDisputed (readings of a version in force disagree): {analysis.Disputed.Count}\n");
        foreach (var r in analysis.Disputed)
        {
            text.Append(Invariant, $"  {r.Product} on {r.Cloud}, {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}  {Describe(r.Facts)}\n");
        }
        return text.ToString();
    }

    private static string Describe(IReadOnlyList<FactSetting> facts) =>
        facts.Count == 0 ? "(any facts)" : string.Join(", ", facts.Select(f => $"{f.Fact}={Value(f)}"));

    private static string Value(FactSetting f) => f.Value is not null ? QuestionsJson.Text(f.Value)
        : f.Fact is Model.Facts.AgiDeclaredOn or Model.Facts.AgiVerifiedOn ? "never" : "unknown";

    private static string Date(DateOnly? date) => date is { } d ? d.ToString("yyyy-MM-dd", Invariant) : "none";
}
