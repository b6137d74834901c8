namespace ExclusivityEngine.Questions;

/// <summary>
/// The search that <c>diff</c> and <c>impact</c> share, for one product on one cloud: every point of the fact space on
/// every period gets a tag (what kind of answer it is; negative: not part of the answer); per period the points of each
/// tag are covered by maximal, disjoint cubes (<see cref="FactSpace.Cover"/>), and a cube that holds with the same tag
/// in consecutive periods becomes one run of dates (<see cref="RunMerger"/>).
/// </summary>
internal static class RegionSearch
{
    /// <summary>The runs of <paramref name="tagOf"/>(index of the period, point) over <paramref name="periods"/>.</summary>
    public static List<(int Cube, int Tag, DateOnly From, DateOnly To)> Runs(FactSpace space, IReadOnlyList<DatePeriod> periods, Func<int, int, int> tagOf)
    {
        var merger = new RunMerger();
        for (var p = 0; p < periods.Count; p++)
        {
            var period = periods[p];
            var sets = new Dictionary<int, ulong[]>();
            for (var point = 0; point < space.Count; point++)
            {
                var tag = tagOf(p, point);
                if (tag < 0)
                {
                    continue;
                }
                if (!sets.TryGetValue(tag, out var set))
                {
                    sets[tag] = set = space.NewSet();
                }
                FactSpace.Add(set, point);
            }
            merger.Observe(period, sets.SelectMany(kv => space.Cover(kv.Value).Select(cube => (cube, kv.Key))));
        }
        return merger.Finish();
    }
}
