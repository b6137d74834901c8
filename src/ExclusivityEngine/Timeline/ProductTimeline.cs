using ExclusivityEngine.Model;

namespace ExclusivityEngine.Timeline;

/// <summary>One cloud over a period: its permission and disputed flag hold on every day; the clauses are those of the first day.</summary>
/// <param name="Cloud">The cloud.</param>
/// <param name="FirstDay">The combined verdict on the period's first day.</param>
public sealed record CloudVerdict(Cloud Cloud, CombinedVerdict FirstDay)
{
    /// <summary>The combined permission, the same on every day of the period.</summary>
    public Permission Permission => FirstDay.Permission;

    /// <summary>Whether readings of a version in force disagree, the same on every day of the period.</summary>
    public bool Disputed => FirstDay.Disputed;
}

/// <summary>A maximal run of days over which every cloud's combined permission and disputed flag stay the same.</summary>
/// <param name="From">The first day.</param>
/// <param name="To">The last day (inclusive).</param>
/// <param name="Clouds">Every cloud's verdict, in catalogue order.</param>
public sealed record TimelinePeriod(DateOnly From, DateOnly To, IReadOnlyList<CloudVerdict> Clouds)
{
    /// <summary>No cloud is Permitted or Conditional: the agreements in force cannot all be kept.</summary>
    public bool Blocked => Clouds.All(c => c.Permission == Permission.Prohibited);

    /// <summary>Some cloud's verdict is disputed.</summary>
    public bool Disputed => Clouds.Any(c => c.Disputed);

    /// <summary>The number of days, both ends included.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The verdict on <paramref name="cloud"/>; throws when the catalogue has no such cloud.</summary>
    public CloudVerdict On(string cloud) =>
        Clouds.FirstOrDefault(c => c.Cloud.Id == cloud) ?? throw new ArgumentException($"`{cloud}` is not a cloud of this timeline", nameof(cloud));
}

/// <summary>
/// A product's combined verdicts across every cloud and every day of a range, as maximal periods that are inclusive,
/// in order, and cover the range exactly.
/// </summary>
/// <param name="Facts">The product and facts (its cloud and date are not used: every cloud and day is taken).</param>
/// <param name="From">The range's first day.</param>
/// <param name="To">The range's last day (inclusive).</param>
/// <param name="Periods">The periods, in order.</param>
/// <param name="VersionsTakingEffect">The versions whose effective date falls within the range, by date then versions-table order.</param>
public sealed record ProductTimeline(Scenario Facts, DateOnly From, DateOnly To, IReadOnlyList<TimelinePeriod> Periods, IReadOnlyList<AgreementVersion> VersionsTakingEffect)
{
    /// <summary>The period holding <paramref name="date"/>, or null outside the range.</summary>
    public TimelinePeriod? PeriodOn(DateOnly date)
    {
        if (date < From || date > To)
        {
            return null;
        }
        int lo = 0, hi = Periods.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Periods[mid].From <= date)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return Periods[lo];
    }
}
