using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>A combined verdict as <c>impact</c> compares it: permission, disputed flag, decisive clauses (named by row).</summary>
public sealed record VerdictSummary(Permission Permission, bool Disputed, IReadOnlyList<ClauseRef> Decisive)
{
    /// <summary>The summary of an engine's combined verdict.</summary>
    public static VerdictSummary Of(CombinedVerdict combined)
    {
        ArgumentNullException.ThrowIfNull(combined);
        return new(combined.Permission, combined.Disputed, [.. combined.Decisive.Select(d => new ClauseRef(d.Row.Id, d.Clause.Id))]);
    }

    /// <summary>Whether the permission or the disputed flag differs (the decisive clauses alone are no change of answer).</summary>
    public bool AnswersDifferently(VerdictSummary other) => Permission != other.Permission || Disputed != other.Disputed;
}

/// <summary>
/// A region of scenarios where an edit changes the combined verdict: a catalogue product on a cloud over an inclusive
/// date range, the facts that matter fixed (others any value; AGI as <c>agiDeclared</c>/<c>agiVerified</c> as of the
/// date). Every scenario in it has exactly <see cref="Before"/> and <see cref="After"/>, decisive clauses included.
/// </summary>
public sealed record ImpactRegion(string Product, string Cloud, DateOnly From, DateOnly To, IReadOnlyList<FactSetting> Facts, VerdictSummary Before, VerdictSummary After);

/// <summary>What a rule edit changes: the rule files' entries, the regions of scenarios whose answer changes, and optionally the given scenarios whose answer changes.</summary>
/// <param name="Before">The before set's hash (<c>sha256:…</c>).</param>
/// <param name="After">The after set's hash.</param>
/// <param name="BeforeOrigin">Where the before set came from (a directory, or <c>embedded</c>).</param>
/// <param name="AfterOrigin">Where the after set came from.</param>
/// <param name="From">First date compared.</param>
/// <param name="To">Last date compared.</param>
/// <param name="Product">The one product compared, or null for every product both sets have.</param>
/// <param name="Changes">The entries of the rule files that differ.</param>
/// <param name="Regions">Where the combined verdict differs, maximal and disjoint, by product, cloud, date.</param>
public sealed record Impact(string Before, string After, string BeforeOrigin, string AfterOrigin, DateOnly From, DateOnly To, string? Product,
    RuleSetChanges Changes, IReadOnlyList<ImpactRegion> Regions)
{
    /// <summary>The given scenarios whose answer changes; null when none were given.</summary>
    public ScenarioImpact? Scenarios { get; init; }

    /// <summary>Anything differs: an entry of the rule files, a region, or a given scenario.</summary>
    public bool Changed => !Changes.IsEmpty || Regions.Count > 0 || Scenarios?.Changed.Count > 0;
}

/// <summary>
/// <c>impact</c>: two rule sets, each loaded as its own <see cref="Engine"/>, compared over every catalogue product
/// both have, every cloud both have, every period between the boundaries of either set, and every combination of the
/// facts either set reads. Exhaustive: no such scenario is left out, and wherever the two sets could answer differently
/// both engines decide it.
/// </summary>
/// <remarks>
/// A region is cut by the whole pair of verdicts, decisive clauses included: inside one region every scenario has the
/// same permission, disputed flag and decisive clauses on each side, so the clauses a region names explain every
/// scenario in it, not only its first. A region is therefore maximal among the scenarios with that same pair.
/// Cost: the engines are asked only about the periods where the rows in force differ, there one scenario per
/// situation, and only where the two sides apply different clauses every combination of the facts the verdicts
/// consult (see <see cref="Side"/>). A verdict follows from the rows in force, the clauses applying in each and the
/// facts their <c>anyOf</c> lists (agreements.md), so nothing is lost; a test checks it against deciding everything.
/// The two sides are decided on two threads (each engine is safe to share), the regions found on one.
/// </remarks>
public static class RuleSetImpact
{
    /// <summary>
    /// Compares <paramref name="before"/> and <paramref name="after"/> over [from, to], for every product both catalogues
    /// have or only <paramref name="product"/> (which both must have).
    /// </summary>
    public static Impact Compare(Engine before, Engine after, DateOnly from, DateOnly to, string? product = null) =>
        Compare(before, after, from, to, product, everywhere: false);

    /// <summary>
    /// <see cref="Compare(Engine, Engine, DateOnly, DateOnly, string?)"/>; with <paramref name="everywhere"/> the engines
    /// decide every point of every period, also where both sides have the same rows in force and where a verdict does
    /// not consult a fact (to check that both shortcuts are exact).
    /// </summary>
    internal static Impact Compare(Engine before, Engine after, DateOnly from, DateOnly to, string? product, bool everywhere)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var (old, now) = (before.Rules.Catalogue, after.Rules.Catalogue);
        if (product is not null && !(old.ProductsById.ContainsKey(product) && now.ProductsById.ContainsKey(product)))
        {
            throw new ArgumentException($"`{product}` is not a catalogue product of both rule sets", nameof(product));
        }
        // An edit can move a date or add one: periods are cut where either set can change a verdict, and the facts
        // varied are those either set reads.
        var space = FactSpace.For((before.Compiled, before.Rules.Rows), (after.Compiled, after.Rules.Rows));
        var periods = DatePeriods.Cut(DatePeriods.Union(before.Compiled.Boundaries, after.Compiled.Boundaries), from, to);
        // A cloud or product only one set has cannot be evaluated by the other (unknown-cloud, unknown-product): listed
        // among the changes, never in a region.
        var clouds = now.Clouds.Where(c => old.CloudIndex.ContainsKey(c.Id)).Select(c => c.Id).ToList();
        var products = now.Products.Where(p => old.ProductsById.ContainsKey(p.Id) && (product is null || p.Id == product));

        // Where both sides have the same versions and readings in force, clause for clause (ids, effects, conditions,
        // anyOf, overrides, in the same order), and the product the same attributes, the two engines cannot disagree on
        // any scenario: only the other periods are decided, by both engines. A one-clause edit is decided only while
        // its version is in force.
        var edited = periods.Select(period => everywhere || !SameRowsInForce(before.Rules, after.Rules, period.From)).ToArray();
        // Which clauses apply depends on no true/false/unknown fact that no condition of either set reads: scenarios
        // that differ only in such facts form one situation, with one set of applicable clauses on each side.
        var readByConditions = new[] { before, after }
            .SelectMany(e => FactReads.Of(e.Compiled, e.Rules.Rows, anyOf: false))
            .Intersect(Facts.TriStates).ToHashSet(StringComparer.Ordinal);
        var (beforeSide, afterSide) = (new Side(before, space, readByConditions), new Side(after, space, readByConditions));
        var verdicts = new VerdictPairs();
        var regions = new List<ImpactRegion>();
        var size = clouds.Count * periods.Count * space.Count;
        var (beforeVerdicts, afterVerdicts) = (new CombinedVerdict?[size], new CombinedVerdict?[size]);
        var (beforeSituations, afterSituations) = (new Assessment?[size], new Assessment?[size]);
        var differ = new bool[size];
        foreach (var p in products)
        {
            var pb = old.ProductsById[p.Id];
            var decide = pb.Interface == p.Interface && pb.Origin == p.Origin && pb.OfferedBy == p.OfferedBy
                ? edited
                : [.. periods.Select(_ => true)];
            if (everywhere)
            {
                Parallel.Invoke(
                    () => beforeSide.DecideEverywhere(pb, clouds, periods, beforeVerdicts),
                    () => afterSide.DecideEverywhere(p, clouds, periods, afterVerdicts));
            }
            else
            {
                // The two sides share nothing: each engine decides its own side on its own thread. First one scenario
                // per situation; where both sides apply the same clauses in every row in force, every scenario of the
                // situation gets the same verdict from both (a row's verdict follows from its applicable clauses and
                // the facts their anyOf lists); elsewhere each side decides the combinations its verdicts consult.
                Parallel.Invoke(
                    () => beforeSide.Situations(pb, clouds, periods, decide, beforeSituations),
                    () => afterSide.Situations(p, clouds, periods, decide, afterSituations));
                for (var i = 0; i < size; i++)
                {
                    differ[i] = beforeSituations[i] is { } b && afterSituations[i] is { } a && !SameClausesApply(b, a);
                }
                Parallel.Invoke(
                    () => beforeSide.Decide(pb, clouds, periods, beforeSituations, differ, beforeVerdicts),
                    () => afterSide.Decide(p, clouds, periods, afterSituations, differ, afterVerdicts));
            }
            for (var c = 0; c < clouds.Count; c++)
            {
                var at = c * periods.Count * space.Count;
                var runs = RegionSearch.Runs(space, periods, (period, point) =>
                    verdicts.Tag(beforeVerdicts[at + period * space.Count + point], afterVerdicts[at + period * space.Count + point]));
                foreach (var (cube, tag, start, end) in runs)
                {
                    var (b, a) = verdicts[tag];
                    regions.Add(new ImpactRegion(p.Id, clouds[c], start, end, space.Settings(cube), b, a));
                }
            }
        }
        return new Impact(before.Rules.Hash, after.Rules.Hash, before.Rules.Origin, after.Rules.Origin, from, to, product,
            RuleSetChanges.Between(before.Rules, after.Rules), regions);
    }

    /// <summary>
    /// Whether both sides have the same rows in force and apply, in each, the same clauses in the same order (compared
    /// as <see cref="DecideAlike"/> does): then their verdicts agree for every value of the facts no condition reads.
    /// </summary>
    private static bool SameClausesApply(Assessment before, Assessment after)
    {
        var (b, a) = (before.Rows.Where(r => r.InForce).ToList(), after.Rows.Where(r => r.InForce).ToList());
        return b.Count == a.Count && b.Zip(a).All(pair => pair.First.Row.Id == pair.Second.Row.Id
            && pair.First.Trace.Count == pair.Second.Trace.Count
            && pair.First.Trace.Zip(pair.Second.Trace).All(t => DecideAlike(t.First.Clause, t.Second.Clause)));
    }

    /// <summary>One rule set's engine deciding the scenarios of the fact space it is asked about.</summary>
    /// <param name="engine">The side's engine.</param>
    /// <param name="space">The fact space of both sides.</param>
    /// <param name="readByConditions">The true/false/unknown facts some condition of either side reads.</param>
    private sealed class Side(Engine engine, FactSpace space, HashSet<string> readByConditions)
    {
        /// <summary>By point: its situation (the point with every fact that no condition reads at its first value).</summary>
        private readonly int[] _situationOf = [.. Enumerable.Range(0, space.Count).Select(point => space.Collapse(point, readByConditions))];

        /// <summary>
        /// One assessment per situation (segment, AGI, the facts conditions read; the other true/false/unknown facts at
        /// their first value) of every cloud and period to decide, at the situation's point; null elsewhere.
        /// </summary>
        public void Situations(Product product, List<string> clouds, List<DatePeriod> periods, bool[] decide, Assessment?[] into)
        {
            Array.Clear(into);
            for (int c = 0, i = 0; c < clouds.Count; c++)
            {
                for (var period = 0; period < periods.Count; period++, i += space.Count)
                {
                    for (var point = 0; decide[period] && point < space.Count; point++)
                    {
                        var situation = _situationOf[point];
                        into[i + situation] ??= engine.Evaluate(space.ScenarioAt(situation, product, clouds[c], periods[period].From));
                    }
                }
            }
        }

        /// <summary>
        /// The combined verdict of every point of the situations that <paramref name="differ"/> marks, by cloud, then
        /// period, then point; null elsewhere (both sides agree there).
        /// </summary>
        /// <remarks>
        /// A true/false/unknown fact that no condition reads can only change a verdict as the <c>anyOf</c> of an
        /// applicable <c>require</c> (agreements.md), so the situation's trace names the facts that matter: only their
        /// combinations are evaluated, and every other point has the verdict of the one that agrees with it on those.
        /// </remarks>
        public void Decide(Product product, List<string> clouds, List<DatePeriod> periods, Assessment?[] situations, bool[] differ, CombinedVerdict?[] into)
        {
            Array.Clear(into);
            var decided = new CombinedVerdict?[space.Count];
            var consulted = new HashSet<string>?[space.Count];
            for (int c = 0, i = 0; c < clouds.Count; c++)
            {
                for (var period = 0; period < periods.Count; period++, i += space.Count)
                {
                    Array.Clear(decided);
                    Array.Clear(consulted);
                    for (var point = 0; point < space.Count; point++)
                    {
                        var situation = _situationOf[point];
                        if (!differ[i + situation])
                        {
                            continue;
                        }
                        var facts = consulted[situation] ??= Consulted(situations[i + situation]!);
                        decided[situation] ??= situations[i + situation]!.Combined;
                        var stand = space.Collapse(point, facts);
                        into[i + point] = decided[stand] ??= engine.Evaluate(space.ScenarioAt(stand, product, clouds[c], periods[period].From)).Combined;
                    }
                }
            }
        }

        /// <summary>Every point of every period decided by the engine (to check the shortcuts).</summary>
        public void DecideEverywhere(Product product, List<string> clouds, List<DatePeriod> periods, CombinedVerdict?[] into)
        {
            for (int c = 0, i = 0; c < clouds.Count; c++)
            {
                for (var period = 0; period < periods.Count; period++)
                {
                    for (var point = 0; point < space.Count; point++)
                    {
                        into[i++] = engine.Evaluate(space.ScenarioAt(point, product, clouds[c], periods[period].From)).Combined;
                    }
                }
            }
        }

        /// <summary>The true/false/unknown facts a verdict consulted: those conditions read, and the <c>anyOf</c> of every applicable <c>require</c>.</summary>
        private HashSet<string> Consulted(Assessment assessment)
        {
            var facts = new HashSet<string>(readByConditions, StringComparer.Ordinal);
            foreach (var row in assessment.Rows)
            {
                foreach (var entry in row.Trace)
                {
                    if (entry.Clause.Effect == Effect.Require)
                    {
                        facts.UnionWith(entry.Clause.AnyOf);
                    }
                }
            }
            return facts;
        }
    }

    /// <summary>Whether both sides have the same rows in force on <paramref name="date"/>, in the same order, with clauses that decide alike.</summary>
    private static bool SameRowsInForce(RuleSet before, RuleSet after, DateOnly date)
    {
        var (b, a) = (InForce(before, date), InForce(after, date));
        return b.Count == a.Count && b.Zip(a).All(pair => pair.First.Id == pair.Second.Id && pair.First.Clauses.Count == pair.Second.Clauses.Count
            && pair.First.Clauses.Zip(pair.Second.Clauses).All(c => DecideAlike(c.First, c.Second)));

        static List<Row> InForce(RuleSet rules, DateOnly date) => [.. rules.Rows.Where(r => rules.IsInForce(r.Version, date))];
    }

    /// <summary>Everything of a clause that a verdict depends on (its source and note only explain it).</summary>
    private static bool DecideAlike(Clause a, Clause b) =>
        a.Id == b.Id && a.Effect == b.Effect && a.When == b.When
        && a.AnyOf.SequenceEqual(b.AnyOf, StringComparer.Ordinal) && a.Overrides.SequenceEqual(b.Overrides, StringComparer.Ordinal);

    /// <summary>
    /// Numbers the pairs of verdicts that differ, as region tags. The engine shares one combined verdict between the
    /// scenarios of a class, so a verdict is summarised once per object and pairs are told apart by value.
    /// </summary>
    private sealed class VerdictPairs
    {
        private readonly Dictionary<CombinedVerdict, int> _known = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _byValue = new(StringComparer.Ordinal);
        private readonly List<VerdictSummary> _summaries = [];
        private readonly Dictionary<(int, int), int> _pairs = [];
        private readonly List<(VerdictSummary, VerdictSummary)> _tags = [];

        public (VerdictSummary Before, VerdictSummary After) this[int tag] => _tags[tag];

        /// <summary>The pair's tag, or -1 when both answer the same (or neither was decided: they cannot differ).</summary>
        public int Tag(CombinedVerdict? before, CombinedVerdict? after)
        {
            if (before is null || after is null)
            {
                return -1;
            }
            var (b, a) = (Number(before), Number(after));
            if (!_summaries[b].AnswersDifferently(_summaries[a]))
            {
                return -1;
            }
            if (!_pairs.TryGetValue((b, a), out var tag))
            {
                _pairs[(b, a)] = tag = _tags.Count;
                _tags.Add((_summaries[b], _summaries[a]));
            }
            return tag;
        }

        private int Number(CombinedVerdict verdict)
        {
            if (_known.TryGetValue(verdict, out var n))
            {
                return n;
            }
            var summary = VerdictSummary.Of(verdict);
            var key = $"{summary.Permission}|{summary.Disputed}|{string.Join(";", summary.Decisive.Select(d => $"{d.Version} {d.Clause}"))}";
            if (!_byValue.TryGetValue(key, out n))
            {
                _byValue[key] = n = _summaries.Count;
                _summaries.Add(summary);
            }
            _known[verdict] = n;
            return n;
        }
    }
}
