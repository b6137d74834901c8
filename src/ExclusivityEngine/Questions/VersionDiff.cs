using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>
/// A region of scenarios: a catalogue product on a cloud over an inclusive date range, with the facts that matter
/// fixed (every other fact any value; AGI as <c>agiDeclared</c>/<c>agiVerified</c> as of the date).
/// </summary>
public sealed record DiffRegion(string Product, string Cloud, DateOnly From, DateOnly To, IReadOnlyList<FactSetting> Facts, Permission A, Permission B);

/// <summary>What changed between two versions or readings: every region where their permissions differ.</summary>
public sealed record DiffResult(Row A, Row B, DateOnly From, DateOnly To, IReadOnlyList<DiffRegion> Regions);

/// <summary>
/// <c>diff A B</c>: both rows are evaluated (hypothetically, in force or not) on every catalogue product, cloud,
/// period between boundaries and combination of the facts they read; where they differ, the scenarios are described
/// by maximal, disjoint regions.
/// </summary>
public static class VersionDiff
{
    /// <summary>Compares rows <paramref name="a"/> and <paramref name="b"/> over [from, to], for one product or all.</summary>
    public static DiffResult Compare(Engine engine, Row a, Row b, DateOnly from, DateOnly to, Product? product = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!engine.Rules.Rows.Any(r => ReferenceEquals(r, a)) || !engine.Rules.Rows.Any(r => ReferenceEquals(r, b)))
        {
            throw new ArgumentException("both rows must be rows of the engine's rule set (engine.Rules.Rows)");
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var space = FactSpace.For(engine.Compiled, [a, b]);
        var periods = DatePeriods.Cut(engine.Compiled.Boundaries, from, to);
        IReadOnlyList<Product> products = product is null ? engine.Rules.Catalogue.Products : [product];
        var regions = products.SelectMany(p => CompareProduct(engine, space, periods, a, b, p)).ToList();
        return new DiffResult(a, b, from, to, regions);
    }

    /// <summary>One product on every cloud: the regions where the rows differ.</summary>
    private static List<DiffRegion> CompareProduct(Engine engine, FactSpace space, List<DatePeriod> periods, Row a, Row b, Product p)
    {
        var regions = new List<DiffRegion>();
        foreach (var cloud in engine.Rules.Catalogue.Clouds)
        {
            // Tag = the pair of permissions, so a region never mixes two kinds of change.
            var runs = RegionSearch.Runs(space, periods, (period, point) =>
            {
                var rows = engine.Evaluate(space.ScenarioAt(point, p, cloud.Id, periods[period].From)).Rows;
                var (pa, pb) = (rows[a.Index].Permission, rows[b.Index].Permission);
                return pa == pb ? -1 : (int)pa * 3 + (int)pb;
            });
            foreach (var (cube, tag, start, end) in runs)
            {
                regions.Add(new DiffRegion(p.Id, cloud.Id, start, end, space.Settings(cube), (Permission)(tag / 3), (Permission)(tag % 3)));
            }
        }
        return regions;
    }
}
