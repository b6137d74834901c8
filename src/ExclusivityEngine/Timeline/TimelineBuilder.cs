using ExclusivityEngine.Model;

namespace ExclusivityEngine.Timeline;

/// <summary>
/// Builds a product's timeline from the dates where a verdict can change, never day by day: the rule set's boundaries
/// (effective dates, every date a condition compares with and the day after it) and the AGI dates of the facts.
/// </summary>
public static class TimelineBuilder
{
    /// <summary>The default first day of a timeline.</summary>
    public static DateOnly DefaultFrom { get; } = new(2019, 1, 1);

    /// <summary>The default last day of a timeline.</summary>
    public static DateOnly DefaultTo { get; } = new(2035, 12, 31);

    /// <summary>
    /// The timeline of <paramref name="facts"/>' product, on every cloud, from <paramref name="from"/> to
    /// <paramref name="to"/> inclusive. The facts' cloud and date are ignored. Throws
    /// <see cref="Scenarios.ScenarioException"/> for facts that cannot be evaluated, and
    /// <see cref="ArgumentOutOfRangeException"/> when <paramref name="from"/> is after <paramref name="to"/>.
    /// </summary>
    public static ProductTimeline Timeline(this Engine engine, Scenario facts, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);

        var clouds = engine.Rules.Catalogue.Clouds;
        var periods = new List<TimelinePeriod>();
        CloudVerdict[]? open = null;
        var openFrom = from;
        foreach (var start in ChangeDates(engine.Compiled.Boundaries, facts, from, to))
        {
            var verdicts = new CloudVerdict[clouds.Count];
            for (var i = 0; i < clouds.Count; i++)
            {
                verdicts[i] = new CloudVerdict(clouds[i], engine.Evaluate(facts with { Cloud = clouds[i].Id, Date = start }).Combined);
            }
            if (open is not null && SameVerdicts(open, verdicts))
            {
                continue;
            }
            if (open is not null)
            {
                periods.Add(new TimelinePeriod(openFrom, start.AddDays(-1), open));
            }
            open = verdicts;
            openFrom = start;
        }
        periods.Add(new TimelinePeriod(openFrom, to, open!));

        var taking = engine.Rules.Versions
            .Where(v => v.Effective >= from && v.Effective <= to)
            .OrderBy(v => v.Effective)
            .ToList();
        return new ProductTimeline(facts, from, to, periods, taking);
    }

    /// <summary>
    /// The first day of the range and every later day of it on which some verdict may differ from the day before,
    /// in order. A boundary starts a new interval (verdicts are constant from one boundary up to the day before the
    /// next); <c>agiDeclared</c> and <c>agiVerified</c> hold from their date on, so each AGI date starts one too.
    /// </summary>
    internal static List<DateOnly> ChangeDates(IReadOnlyList<DateOnly> boundaries, Scenario facts, DateOnly from, DateOnly to)
    {
        var dates = new SortedSet<DateOnly> { from };
        foreach (var date in boundaries)
        {
            Add(date);
        }
        Add(facts.AgiDeclaredOn);
        Add(facts.AgiVerifiedOn);
        return [.. dates];

        void Add(DateOnly? date)
        {
            if (date is { } d && d > from && d <= to)
            {
                dates.Add(d);
            }
        }
    }

    private static bool SameVerdicts(CloudVerdict[] a, CloudVerdict[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].Permission != b[i].Permission || a[i].Disputed != b[i].Disputed)
            {
                return false;
            }
        }
        return true;
    }
}
