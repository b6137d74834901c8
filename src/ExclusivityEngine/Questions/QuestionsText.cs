using System.Globalization;
using System.Text;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary><c>why-not</c>, <c>diff</c>, <c>analyze</c> and <c>impact</c> as text for people.</summary>
public static class QuestionsText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders a <c>why-not</c> answer: the verdict, then each minimal change with the clauses that decide it.</summary>
    public static string Render(WhyNotAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = answer.Assessment.Scenario;
        var text = new StringBuilder();
        text.Append(Invariant, $"{Scenarios.Quote.Escaped(s.Product.Id)} on {s.Cloud}, {s.Date:yyyy-MM-dd}: {AssessmentJson.Name(answer.Assessment.Combined.Permission)}");
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
        ArgumentNullException.ThrowIfNull(diff);
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
        ArgumentNullException.ThrowIfNull(analysis);
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

    /// <summary>
    /// Renders an <c>impact</c> for a lawyer: what changed in the rule files, then the answers that change grouped by
    /// product and cloud (date ranges, facts, each side's verdict and the clauses that decide it), the clauses cited
    /// with their sources, and the given scenarios whose answer changes.
    /// </summary>
    /// <param name="impact">The answer.</param>
    /// <param name="before">The before set (for the cited clauses' effects and sources).</param>
    /// <param name="after">The after set.</param>
    public static string Render(Impact impact, RuleSet before, RuleSet after)
    {
        ArgumentNullException.ThrowIfNull(impact);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var text = new StringBuilder();
        text.Append(Invariant, $"impact of {Scenarios.Quote.Escaped(impact.BeforeOrigin)} ({Short(impact.Before)}) -> {Scenarios.Quote.Escaped(impact.AfterOrigin)} ({Short(impact.After)}), {impact.From:yyyy-MM-dd} to {impact.To:yyyy-MM-dd}");
        text.Append(impact.Product is { } only ? $", product {only}\n" : "\n");

        RenderChanges(text, impact.Changes);

        var pairs = impact.Regions.Select(r => (r.Product, r.Cloud)).Distinct().Count();
        text.Append(Invariant, $"\nAnswers that change: {impact.Regions.Count} region(s)");
        // Regions give every fact its value, so a changed default shows only here: a scenario that omits the fact moves
        // from the answers of one value to those of the other (found by an adversarial run: "0 regions" read as "no
        // answer changes" while evaluate's answer for frontier without the fact did).
        var defaults = impact.Changes.ProductsChanged
            .Where(p => impact.Product is null || p.Id == impact.Product)
            .SelectMany(p => p.Fields.Where(f => f.Field == Model.Facts.ShippedOnAzureFirst).Select(f => (p.Id, f)))
            .ToList();
        text.Append(impact.Regions.Count == 0
            ? $": {(impact.Product is { } p ? p : "every catalogue product")} on every cloud, every date of the range and every value of the facts gets the same permission and disputed flag from both rule sets{(defaults.Count > 0 ? " when the facts are given" : "")}\n"
            : $" on {pairs} product and cloud pair(s)\n");
        foreach (var (product, field) in defaults)
        {
            var (was, now) = (DefaultValue(field.Before), DefaultValue(field.After));
            text.Append(Invariant, $"  and {product}'s default for {field.Field} changed ({was} -> {now}): a scenario that omits the fact, answered before as one giving {was}, is now answered as one giving {now} (regions give every fact a value, so they do not show this; --scenarios does)\n");
        }
        var groups = impact.Regions.GroupBy(r => (r.Product, r.Cloud)).ToList();
        if (groups.Count > 1)
        {
            // A first look for a long answer: per product and cloud, when and which way.
            foreach (var group in groups)
            {
                var changes = string.Join(", ", group.Select(r => $"{Verdict(r.Before)} -> {Verdict(r.After)}").Distinct());
                text.Append(Invariant, $"  {group.Key.Product} on {group.Key.Cloud}: {group.Count()} region(s) between {group.Min(r => r.From):yyyy-MM-dd} and {group.Max(r => r.To):yyyy-MM-dd}: {changes}\n");
            }
        }
        var cited = new List<(ClauseRef Clause, bool After)>();
        foreach (var group in groups)
        {
            text.Append(Invariant, $"\n{group.Key.Product} on {group.Key.Cloud}\n");
            foreach (var r in group)
            {
                text.Append(Invariant, $"  {Range(r.From, r.To)}  {Describe(r.Facts)}: {Verdict(r.Before)} -> {Verdict(r.After)}\n");
                text.Append(Invariant, $"      before: {Decided(r.Before)}\n");
                text.Append(Invariant, $"      after:  {Decided(r.After)}\n");
                cited.AddRange(r.Before.Decisive.Select(d => (d, false)));
                cited.AddRange(r.After.Decisive.Select(d => (d, true)));
            }
        }

        if (impact.Scenarios is { } scenarios)
        {
            text.Append(Invariant, $"\nScenarios whose answer changes: {scenarios.Changed.Count} of {scenarios.Checked}");
            text.Append(scenarios.Rejected > 0 ? $" ({scenarios.Rejected} refused by both rule sets)\n" : "\n");
            foreach (var s in scenarios.Changed)
            {
                var where = s.Name is not null ? $"{Scenarios.Quote.Escaped(s.File)}: `{Scenarios.Quote.Escaped(s.Name)}`" : $"{Scenarios.Quote.Escaped(s.File)}:{s.Line}{(s.Id is null ? "" : $" (id {Scenarios.Quote.Escaped(s.Id)})")}";
                var sc = s.Scenario;
                text.Append(Invariant, $"  {where}: {Scenarios.Quote.Escaped(sc.Product.Id)} on {sc.Cloud}, {sc.Date:yyyy-MM-dd}\n");
                text.Append(Invariant, $"      before: {Side(s.Before, s.BeforeError)}\n");
                text.Append(Invariant, $"      after:  {Side(s.After, s.AfterError)}\n");
                cited.AddRange((s.Before?.Decisive ?? []).Select(d => (d, false)));
                cited.AddRange((s.After?.Decisive ?? []).Select(d => (d, true)));
            }
        }

        if (cited.Count > 0)
        {
            text.Append("\nClauses cited:\n");
            foreach (var group in cited.Distinct().GroupBy(c => c.Clause))
            {
                var lines = group.Select(c => (c.After ? "after" : "before", Cite(c.After ? after : before, c.Clause))).ToList();
                if (lines.Count == 2 && lines[0].Item2 == lines[1].Item2)
                {
                    lines = [("both", lines[0].Item2)];
                }
                foreach (var (side, line) in lines)
                {
                    text.Append(Invariant, $"  {line} [{side}]\n");
                }
            }
        }
        return text.ToString();

        static string Cite(RuleSet rules, ClauseRef clause) =>
            rules.RowsById.GetValueOrDefault(clause.Version)?.Clauses.FirstOrDefault(c => c.Id == clause.Clause) is { } found
                ? $"{clause.Version} `{clause.Clause}` ({AssessmentJson.Name(found.Effect)}): {found.Source}"
                : $"{clause.Version} `{clause.Clause}`";

        static string Side(VerdictSummary? verdict, Scenarios.ScenarioError? error) =>
            verdict is null ? $"refused: {error?.Message} ({error?.Code})" : $"{Verdict(verdict)}, {Decided(verdict)}";
    }

    private static void RenderChanges(StringBuilder text, RuleSetChanges changes)
    {
        if (changes.IsEmpty)
        {
            text.Append("\nRule files: no product, cloud, version, reading or clause differs\n");
            return;
        }
        text.Append("\nRule files:\n");
        foreach (var p in changes.ProductsAdded)
        {
            text.Append(Invariant, $"  product added: {p} (no before verdicts to compare with)\n");
        }
        foreach (var p in changes.ProductsRemoved)
        {
            text.Append(Invariant, $"  product removed: {p} (no after verdicts to compare with)\n");
        }
        foreach (var p in changes.ProductsChanged)
        {
            text.Append(Invariant, $"  product changed: {p.Id}: {Fields(p.Fields)}\n");
        }
        foreach (var c in changes.CloudsAdded)
        {
            text.Append(Invariant, $"  cloud added: {c} (no before verdicts to compare with)\n");
        }
        foreach (var c in changes.CloudsRemoved)
        {
            text.Append(Invariant, $"  cloud removed: {c} (no after verdicts to compare with)\n");
        }
        foreach (var v in changes.VersionsAdded)
        {
            text.Append(Invariant, $"  {(v.Contains('@') ? "reading" : "version")} added: {v}\n");
        }
        foreach (var v in changes.VersionsRemoved)
        {
            text.Append(Invariant, $"  {(v.Contains('@') ? "reading" : "version")} removed: {v}\n");
        }
        foreach (var v in changes.VersionsChanged)
        {
            text.Append(Invariant, $"  {(v.Id.Contains('@') ? "reading" : "version")} changed: {v.Id}: {Fields(v.Fields)}\n");
        }
        foreach (var c in changes.ClausesAdded)
        {
            text.Append(Invariant, $"  clause added: {c.Version} `{c.Clause}`\n");
        }
        foreach (var c in changes.ClausesRemoved)
        {
            text.Append(Invariant, $"  clause removed: {c.Version} `{c.Clause}`\n");
        }
        foreach (var c in changes.ClausesChanged)
        {
            text.Append(Invariant, $"  clause changed: {c.Version} `{c.Clause}`: {Fields(c.Fields)}\n");
        }
    }

    /// <summary>Each field with its two values: <c>effective 2026-04-27 -> 2026-05-27</c>; long texts on their own lines.</summary>
    private static string Fields(IReadOnlyList<FieldDifference> fields) => string.Join("; ", fields.Select(f =>
    {
        var (b, a) = (FieldValue(f.Before), FieldValue(f.After));
        return b.Length + a.Length > 60
            ? $"{f.Field}\n      before: {b}\n      after:  {a}"
            : $"{f.Field} {b} -> {a}";
    }));

    /// <summary>A default as a scenario omitting the fact gets it: a null default is the fact unknown (interface.md).</summary>
    private static string DefaultValue(object? value) => value is null ? "unknown" : FieldValue(value);

    private static string FieldValue(object? value) => value switch
    {
        null => "(none)",
        IReadOnlyList<string> list => $"[{string.Join(", ", list)}]",
        RevenueShareTerms t => $"{{payer {t.Payer}, payee {t.Payee}{(t.Capped ? ", capped" : "")}}}",
        _ => QuestionsJson.Text(value),
    };

    private static string Verdict(VerdictSummary v) => AssessmentJson.Name(v.Permission) + (v.Disputed ? " (disputed)" : "");

    private static string Decided(VerdictSummary v) => v.Decisive.Count == 0
        ? (v.Permission == Permission.Permitted ? "no clause restricts it" : "no decisive clause")
        : (v.Permission switch { Permission.Prohibited => "forbidden by ", Permission.Conditional => "conditional on ", _ => "allowed by " })
          + string.Join(", ", v.Decisive.Select(d => $"{d.Version} `{d.Clause}`"));

    private static string Range(DateOnly from, DateOnly to) =>
        from == to ? $"{from:yyyy-MM-dd} (one day)".PadRight(24) : $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}";

    private static string Short(string hash) => hash.Length > 19 ? hash[..19] + "…" : hash;

    private static string Describe(IReadOnlyList<FactSetting> facts) =>
        facts.Count == 0 ? "(any facts)" : string.Join(", ", facts.Select(f => $"{f.Fact}={Value(f)}"));

    private static string Value(FactSetting f) => f.Value is not null ? QuestionsJson.Text(f.Value)
        : f.Fact is Model.Facts.AgiDeclaredOn or Model.Facts.AgiVerifiedOn ? "never" : "unknown";

    private static string Date(DateOnly? date) => date is { } d ? d.ToString("yyyy-MM-dd", Invariant) : "none";
}
