namespace ExclusivityEngine.Questions;

/// <summary>An inclusive range of dates.</summary>
internal sealed record DatePeriod(DateOnly From, DateOnly To);

/// <summary>The range a question covers, cut where the rule set can change a verdict.</summary>
internal static class DatePeriods
{
    /// <summary>The interface's default range of <c>diff</c> and <c>analyze</c>.</summary>
    public static readonly DateOnly DefaultFrom = new(2019, 1, 1);

    /// <summary>The interface's default range of <c>diff</c> and <c>analyze</c>.</summary>
    public static readonly DateOnly DefaultTo = new(2035, 12, 31);

    /// <summary>The boundaries of several rule sets together, sorted, each once: where any of them can change a verdict.</summary>
    public static DateOnly[] Union(params IReadOnlyList<DateOnly>[] boundaries) =>
        [.. boundaries.SelectMany(b => b).Distinct().Order()];

    /// <summary>
    /// [from, to] cut at every boundary inside it: within each piece every date gives the same verdicts
    /// (for the same facts, AGI taken as of the date).
    /// </summary>
    public static List<DatePeriod> Cut(IReadOnlyList<DateOnly> boundaries, DateOnly from, DateOnly to)
    {
        var periods = new List<DatePeriod>();
        var start = from;
        foreach (var b in boundaries)
        {
            if (b > start && b <= to)
            {
                periods.Add(new DatePeriod(start, b.AddDays(-1)));
                start = b;
            }
        }
        periods.Add(new DatePeriod(start, to));
        return periods;
    }
}

/// <summary>
/// Joins what holds in consecutive periods into maximal runs: a cube of facts (with a tag, e.g. the two permissions)
/// that is part of the answer in periods i..j becomes one region from period i's first day to period j's last.
/// </summary>
internal sealed class RunMerger
{
    private readonly Dictionary<(int Cube, int Tag), DateOnly> _open = [];
    private readonly List<(int Cube, int Tag, DateOnly From, DateOnly To)> _closed = [];
    private DateOnly _lastTo;

    /// <summary>Records the cubes that hold in <paramref name="period"/>, the one after the last observed.</summary>
    public void Observe(DatePeriod period, IEnumerable<(int Cube, int Tag)> present)
    {
        var now = present.ToHashSet();
        foreach (var (key, from) in _open.ToList())
        {
            if (!now.Contains(key))
            {
                _closed.Add((key.Cube, key.Tag, from, _lastTo));
                _open.Remove(key);
            }
        }
        foreach (var key in now)
        {
            _open.TryAdd(key, period.From);
        }
        _lastTo = period.To;
    }

    /// <summary>Every run, by first day, then largest cube first.</summary>
    public List<(int Cube, int Tag, DateOnly From, DateOnly To)> Finish()
    {
        foreach (var (key, from) in _open)
        {
            _closed.Add((key.Cube, key.Tag, from, _lastTo));
        }
        _open.Clear();
        return [.. _closed.OrderBy(r => r.From).ThenBy(r => r.Cube).ThenBy(r => r.Tag)];
    }
}
