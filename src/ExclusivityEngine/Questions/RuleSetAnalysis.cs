using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>A clause named by the row that holds it: a version, or <c>version@reading</c> for a reading's overlay.</summary>
public sealed record ClauseRef(string Version, string Clause);

/// <summary>A clause that is overridden wherever it applies, and the clauses that override it (rule-set order).</summary>
public sealed record OverriddenClause(string Version, string Clause, IReadOnlyList<string> By);

/// <summary>Scenarios of one product (and cloud, for disputes) over an inclusive date range, with the facts that matter fixed.</summary>
public sealed record ProductRegion(string Product, string? Cloud, DateOnly From, DateOnly To, IReadOnlyList<FactSetting> Facts);

/// <summary>Findings about a whole rule set over a date range.</summary>
/// <param name="From">First date considered.</param>
/// <param name="To">Last date considered.</param>
/// <param name="Dead">Clauses that apply to no scenario on a date when their version is in force.</param>
/// <param name="AlwaysOverridden">Clauses that apply somewhere, and are overridden wherever they apply.</param>
/// <param name="Blocked">Per product: where no cloud is Permitted or Conditional (the agreements in force cannot all be kept).</param>
/// <param name="Disputed">Per product and cloud: where readings of a version in force disagree.</param>
public sealed record Analysis(DateOnly From, DateOnly To, IReadOnlyList<ClauseRef> Dead, IReadOnlyList<OverriddenClause> AlwaysOverridden,
    IReadOnlyList<ProductRegion> Blocked, IReadOnlyList<ProductRegion> Disputed);

/// <summary>
/// <c>analyze</c>: the combined verdict of every catalogue product, cloud, period between boundaries and combination
/// of the facts the rule set reads, with every row's trace, folded into findings.
/// </summary>
public static class RuleSetAnalysis
{
    /// <summary>Analyses the engine's rule set over [from, to].</summary>
    public static Analysis Run(Engine engine, DateOnly from, DateOnly to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var rules = engine.Rules;
        var space = FactSpace.For(engine.Compiled, rules.Rows);
        var periods = DatePeriods.Cut(engine.Compiled.Boundaries, from, to);
        // Serial on purpose: the work is allocation-bound, and threads measured slower (GC contention) on two cores.
        var perProduct = rules.Catalogue.Products.Select(p => AnalyseProduct(engine, space, periods, p)).ToList();

        var usage = new Dictionary<Clause, Usage>(ReferenceEqualityComparer.Instance);
        foreach (var (_, _, found) in perProduct)
        {
            foreach (var (clause, u) in found)
            {
                if (!usage.TryGetValue(clause, out var all))
                {
                    usage[clause] = all = new Usage();
                }
                all.TakesEffect |= u.TakesEffect;
                all.By.UnionWith(u.By);
            }
        }
        var blocked = perProduct.SelectMany(p => p.Blocked).ToList();
        var disputed = perProduct.SelectMany(p => p.Disputed).ToList();

        var dead = new List<ClauseRef>();
        var overridden = new List<OverriddenClause>();
        var owners = Owners(rules).ToList();
        foreach (var (clause, owner) in owners)
        {
            if (!usage.TryGetValue(clause, out var u))
            {
                dead.Add(new ClauseRef(owner, clause.Id));
            }
            else if (!u.TakesEffect)
            {
                var by = owners.Where(o => u.By.Contains(o.Clause)).Select(o => o.Clause.Id).Distinct(StringComparer.Ordinal).ToList();
                overridden.Add(new OverriddenClause(owner, clause.Id, by));
            }
        }
        return new Analysis(from, to, dead, overridden, blocked, disputed);
    }

    /// <summary>One product over every cloud, period and fact combination: its blocked and disputed regions, and which clauses applied.</summary>
    private static (List<ProductRegion> Blocked, List<ProductRegion> Disputed, Dictionary<Clause, Usage> Usage) AnalyseProduct(Engine engine, FactSpace space, List<DatePeriod> periods, Product product)
    {
        var clouds = engine.Rules.Catalogue.Clouds;
        var usage = new Dictionary<Clause, Usage>(ReferenceEqualityComparer.Instance);
        var blocked = new List<ProductRegion>();
        var disputed = new List<ProductRegion>();
        var blockedRuns = new RunMerger();
        var disputedRuns = clouds.Select(_ => new RunMerger()).ToArray();
        foreach (var period in periods)
        {
            var allowedSomewhere = space.NewSet();
            var disputedSets = clouds.Select(_ => space.NewSet()).ToArray();
            for (var c = 0; c < clouds.Count; c++)
            {
                for (var point = 0; point < space.Count; point++)
                {
                    var assessment = engine.Evaluate(space.ScenarioAt(point, product, clouds[c].Id, period.From));
                    if (assessment.Combined.Permission != Permission.Prohibited)
                    {
                        FactSpace.Add(allowedSomewhere, point);
                    }
                    if (assessment.Combined.Disputed)
                    {
                        FactSpace.Add(disputedSets[c], point);
                    }
                    Record(usage, assessment);
                }
                disputedRuns[c].Observe(period, space.Cover(disputedSets[c]).Select(cube => (cube, 0)));
            }
            var nowhere = allowedSomewhere.Select(w => ~w).ToArray();
            Trim(nowhere, space.Count);
            blockedRuns.Observe(period, space.Cover(nowhere).Select(cube => (cube, 0)));
        }
        blocked.AddRange(blockedRuns.Finish().Select(r => new ProductRegion(product.Id, null, r.From, r.To, space.Settings(r.Cube))));
        for (var c = 0; c < clouds.Count; c++)
        {
            disputed.AddRange(disputedRuns[c].Finish().Select(r => new ProductRegion(product.Id, clouds[c].Id, r.From, r.To, space.Settings(r.Cube))));
        }
        return (blocked, disputed, usage);
    }

    /// <summary>Marks the clauses that apply in a row in force, and whether each takes effect or by whom it is overridden.</summary>
    private static void Record(Dictionary<Clause, Usage> usage, Assessment assessment)
    {
        foreach (var row in assessment.Rows)
        {
            if (!row.InForce)
            {
                continue;
            }
            foreach (var entry in row.Trace)
            {
                if (!usage.TryGetValue(entry.Clause, out var u))
                {
                    usage[entry.Clause] = u = new Usage();
                }
                if (entry.OverriddenBy is { } by)
                {
                    u.By.Add(by);
                }
                else
                {
                    u.TakesEffect = true;
                }
            }
        }
    }

    /// <summary>Every clause once, in versions-table order, named by the row that holds it (a reading's overlay by <c>version@reading</c>).</summary>
    private static IEnumerable<(Clause Clause, string Owner)> Owners(RuleSet rules)
    {
        var seen = new HashSet<Clause>(ReferenceEqualityComparer.Instance);
        foreach (var row in rules.Rows)
        {
            foreach (var clause in row.Clauses)
            {
                if (seen.Add(clause))
                {
                    yield return (clause, row.Id);
                }
            }
        }
    }

    private static void Trim(ulong[] set, int count)
    {
        for (var bit = count; bit < set.Length * 64; bit++)
        {
            set[bit / 64] &= ~(1UL << (bit % 64));
        }
    }

    private sealed class Usage
    {
        public bool TakesEffect { get; set; }

        public HashSet<Clause> By { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
