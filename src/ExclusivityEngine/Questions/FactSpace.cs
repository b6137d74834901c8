using System.Linq.Expressions;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Questions;

/// <summary>
/// One fact fixed by a region or a change: the scenario's name and value. Values are a segment (string),
/// <c>agiDeclared</c>/<c>agiVerified</c> as of the date (bool), a true/false/unknown fact (bool, or null for unknown),
/// or an AGI date (<see cref="DateOnly"/>, or null for never).
/// </summary>
public sealed record FactSetting(string Fact, object? Value);

/// <summary>The facts a rule set's clauses read, derived from their condition trees and <c>anyOf</c> lists.</summary>
internal static class FactReads
{
    /// <summary>
    /// The facts (expression names: <c>segment</c>, <c>agiDeclared</c>, …) that some clause of <paramref name="rows"/>
    /// reads: in its condition, and unless <paramref name="anyOf"/> is false, in its <c>anyOf</c>.
    /// </summary>
    public static HashSet<string> Of(CompiledRules compiled, IEnumerable<Row> rows, bool anyOf = true)
    {
        var reads = new HashSet<string>(StringComparer.Ordinal);
        var visitor = new ParameterCollector(reads);
        foreach (var clause in rows.SelectMany(r => r.Clauses).Distinct())
        {
            visitor.Visit(compiled.Conditions[clause]);
            if (anyOf)
            {
                reads.UnionWith(clause.AnyOf);
            }
        }
        // Product, cloud and date are the scenario's place, not facts a question can vary.
        reads.ExceptWith([Facts.Product, Facts.Cloud, Facts.Date]);
        return reads;
    }

    private sealed class ParameterCollector(HashSet<string> reads) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (ConditionParser.Parameters.Contains(node) && node.Name is { } name)
            {
                reads.Add(name);
            }
            return node;
        }
    }
}

/// <summary>How far AGI has gone as of a date; a verification implies a declaration.</summary>
internal enum AgiState
{
    None,
    Declared,
    Verified,
}

/// <summary>
/// Every combination of the facts a set of rows reads (segment, AGI as of the date, the true/false/unknown facts),
/// numbered as points; sets of points as bit sets; and the cubes (some facts fixed to one value, the others any) that
/// describe them. Facts no clause reads take one value and are never fixed: they cannot change a verdict.
/// </summary>
internal sealed class FactSpace
{
    private readonly Dimension[] _dimensions;
    private readonly Cube[] _cubes;
    private readonly PointValues[] _points;
    private readonly int[] _strides;

    private FactSpace(Dimension[] dimensions)
    {
        _dimensions = dimensions;
        Count = dimensions.Aggregate(1, (n, d) => n * d.Size);
        Words = (Count + 63) / 64;
        _strides = new int[dimensions.Length];
        for (int d = dimensions.Length - 1, stride = 1; d >= 0; stride *= dimensions[d].Size, d--)
        {
            _strides[d] = stride;
        }
        _cubes = BuildCubes();
        _points = DecodePoints();
    }

    /// <summary>The number of points.</summary>
    public int Count { get; }

    /// <summary>The length of a bit set over the points.</summary>
    public int Words { get; }

    /// <summary>The space of the facts that the clauses of <paramref name="rows"/> read.</summary>
    public static FactSpace For(CompiledRules compiled, IEnumerable<Row> rows) => Reading(FactReads.Of(compiled, rows));

    /// <summary>
    /// The space of the facts that the clauses of any of <paramref name="sides"/> read (for questions over two rule
    /// sets: a fact either set reads can tell the two apart).
    /// </summary>
    public static FactSpace For(params (CompiledRules Compiled, IEnumerable<Row> Rows)[] sides)
    {
        var reads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (compiled, rows) in sides)
        {
            reads.UnionWith(FactReads.Of(compiled, rows));
        }
        return Reading(reads);
    }

    /// <summary>The space of the facts named in <paramref name="reads"/> (expression names).</summary>
    private static FactSpace Reading(HashSet<string> reads)
    {
        var dimensions = new List<Dimension>
        {
            reads.Contains(Facts.Segment) ? Segment() : Fixed(Facts.Segment, Segments.General),
            Agi(reads.Contains(Facts.AgiDeclared), reads.Contains(Facts.AgiVerified)),
        };
        foreach (var fact in Facts.TriStates)
        {
            dimensions.Add(reads.Contains(fact) ? TriState(fact) : Fixed(fact, null));
        }
        return new FactSpace([.. dimensions]);
    }

    /// <summary>The scenario of point <paramref name="point"/> for a product, cloud and date (AGI happens on the date itself).</summary>
    public Scenario ScenarioAt(int point, Product product, string cloud, DateOnly date)
    {
        var v = _points[point];
        return new Scenario(product, cloud, date, v.Segment,
            v.Agi >= AgiState.Declared ? date : null,
            v.Agi == AgiState.Verified ? date : null,
            v.MicrosoftDeclined, v.ShippedOnAzureFirst, v.MeetsOpenWeightCriteria, v.StatelessCallsOnAzure);
    }

    /// <summary>
    /// Point <paramref name="point"/> with every true/false/unknown fact that <paramref name="keep"/> does not name set
    /// to its first value (segment and AGI are kept): the one point that stands for all those that differ only in facts
    /// a verdict does not consult.
    /// </summary>
    public int Collapse(int point, IReadOnlySet<string> keep)
    {
        var collapsed = point;
        for (var d = 2; d < _dimensions.Length; d++)
        {
            if (_dimensions[d].Size > 1 && !keep.Contains(_dimensions[d].Name))
            {
                collapsed -= ValueIndex(point, d) * _strides[d];
            }
        }
        return collapsed;
    }

    /// <summary>Every point's values, decoded once: questions build hundreds of thousands of scenarios from them.</summary>
    private PointValues[] DecodePoints()
    {
        var points = new PointValues[Count];
        var values = new object?[_dimensions.Length];
        for (var point = 0; point < Count; point++)
        {
            var rest = point;
            for (var d = _dimensions.Length - 1; d >= 0; d--)
            {
                values[d] = _dimensions[d].Values[rest % _dimensions[d].Size];
                rest /= _dimensions[d].Size;
            }
            points[point] = new PointValues((string)values[0]!, (AgiState)values[1]!, (bool?)values[2], (bool?)values[3], (bool?)values[4], (bool?)values[5]);
        }
        return points;
    }

    private readonly record struct PointValues(string Segment, AgiState Agi, bool? MicrosoftDeclined, bool? ShippedOnAzureFirst, bool? MeetsOpenWeightCriteria, bool? StatelessCallsOnAzure);

    /// <summary>An empty bit set over the points.</summary>
    public ulong[] NewSet() => new ulong[Words];

    /// <summary>
    /// Covers <paramref name="set"/> with disjoint cubes, each maximal: no cube that fixes fewer facts or allows more
    /// values lies inside the set without overlapping another. Greedy, largest cube first: a bigger cube is always
    /// tried before any cube it contains, so a cube passed over once can never fit later.
    /// Returns the cubes' indices (see <see cref="Settings"/>), largest first.
    /// </summary>
    public List<int> Cover(ulong[] set)
    {
        var remaining = (ulong[])set.Clone();
        var chosen = new List<int>();
        for (var c = 0; c < _cubes.Length && !IsEmpty(remaining); c++)
        {
            var mask = _cubes[c].Mask;
            var inside = true;
            for (var w = 0; w < mask.Length && inside; w++)
            {
                inside = (mask[w] & ~remaining[w]) == 0;
            }
            if (inside)
            {
                chosen.Add(c);
                for (var w = 0; w < mask.Length; w++)
                {
                    remaining[w] &= ~mask[w];
                }
            }
        }
        return chosen;
    }

    /// <summary>The facts cube <paramref name="cube"/> fixes, in the scenario's order; the others take any value.</summary>
    public IReadOnlyList<FactSetting> Settings(int cube) => _cubes[cube].Settings;

    /// <summary>Whether the cube holds the point.</summary>
    public bool Contains(int cube, int point) => (_cubes[cube].Mask[point / 64] & (1UL << (point % 64))) != 0;

    public static void Add(ulong[] set, int point) => set[point / 64] |= 1UL << (point % 64);

    public static bool Has(ulong[] set, int point) => (set[point / 64] & (1UL << (point % 64))) != 0;

    public static bool IsEmpty(ulong[] set) => Array.TrueForAll(set, w => w == 0);

    private Cube[] BuildCubes()
    {
        // The points each pattern of each dimension allows; a cube's points are those its patterns all allow.
        var allowed = _dimensions.Select(_ => new List<ulong[]>()).ToArray();
        for (var d = 0; d < _dimensions.Length; d++)
        {
            foreach (var pattern in _dimensions[d].Patterns)
            {
                var set = NewSet();
                for (var point = 0; point < Count; point++)
                {
                    if ((pattern.Values & (1 << ValueIndex(point, d))) != 0)
                    {
                        Add(set, point);
                    }
                }
                allowed[d].Add(set);
            }
        }
        var cubes = new List<Cube>();
        var choice = new int[_dimensions.Length];
        while (true)
        {
            var mask = NewSet();
            Array.Fill(mask, ulong.MaxValue);
            var settings = new List<FactSetting>();
            var size = 1;
            var fixedFacts = 0;
            for (var d = 0; d < _dimensions.Length; d++)
            {
                var pattern = _dimensions[d].Patterns[choice[d]];
                size *= System.Numerics.BitOperations.PopCount((uint)pattern.Values);
                settings.AddRange(pattern.Settings);
                if (pattern.Settings.Count > 0)
                {
                    fixedFacts |= 1 << (_dimensions.Length - 1 - d);
                }
            }
            for (var d = 0; d < _dimensions.Length; d++)
            {
                var set = allowed[d][choice[d]];
                for (var w = 0; w < mask.Length; w++)
                {
                    mask[w] &= set[w];
                }
            }
            cubes.Add(new Cube(mask, settings, size, fixedFacts, cubes.Count));
            var d2 = _dimensions.Length - 1;
            while (d2 >= 0 && ++choice[d2] == _dimensions[d2].Patterns.Count)
            {
                choice[d2--] = 0;
            }
            if (d2 < 0)
            {
                break;
            }
        }
        // Largest first; between equals, leave the earlier facts free (the interface's example keeps
        // microsoftDeclined free and fixes shippedOnAzureFirst); then the patterns' order.
        return [.. cubes.OrderByDescending(c => c.Size).ThenBy(c => c.FixedFacts).ThenBy(c => c.Order)];
    }

    /// <summary>The index of the value that point <paramref name="point"/> takes in dimension <paramref name="dimension"/>.</summary>
    private int ValueIndex(int point, int dimension) => point / _strides[dimension] % _dimensions[dimension].Size;

    private static Dimension Fixed(string fact, object? value) =>
        new(fact, [value], [new Pattern(1, [])]);

    private static Dimension Segment() => new(Facts.Segment, [.. Segments.All],
    [
        new Pattern(0b11, []),
        .. Segments.All.Select((s, i) => new Pattern(1 << i, [new FactSetting(Facts.Segment, s)])),
    ]);

    private static Dimension TriState(string fact) => new(fact, [true, false, null],
    [
        new Pattern(0b111, []),
        new Pattern(0b001, [new FactSetting(fact, true)]),
        new Pattern(0b010, [new FactSetting(fact, false)]),
        new Pattern(0b100, [new FactSetting(fact, null)]),
    ]);

    /// <summary>AGI as the states a clause can tell apart, described with <c>agiDeclared</c> and <c>agiVerified</c>.</summary>
    private static Dimension Agi(bool declaredRead, bool verifiedRead)
    {
        FactSetting Declared(bool v) => new(Facts.AgiDeclared, v);
        FactSetting Verified(bool v) => new(Facts.AgiVerified, v);
        return (declaredRead, verifiedRead) switch
        {
            (true, true) => new Dimension("agi", [AgiState.None, AgiState.Declared, AgiState.Verified],
            [
                new Pattern(0b111, []),
                new Pattern(0b001, [Declared(false)]),
                new Pattern(0b110, [Declared(true)]),
                new Pattern(0b011, [Verified(false)]),
                new Pattern(0b100, [Verified(true)]),
                new Pattern(0b010, [Declared(true), Verified(false)]),
            ]),
            (true, false) => new Dimension("agi", [AgiState.None, AgiState.Declared],
                [new Pattern(0b11, []), new Pattern(0b01, [Declared(false)]), new Pattern(0b10, [Declared(true)])]),
            (false, true) => new Dimension("agi", [AgiState.None, AgiState.Verified],
                [new Pattern(0b11, []), new Pattern(0b01, [Verified(false)]), new Pattern(0b10, [Verified(true)])]),
            _ => new Dimension("agi", [AgiState.None], [new Pattern(1, [])]),
        };
    }

    private sealed record Dimension(string Name, IReadOnlyList<object?> Values, IReadOnlyList<Pattern> Patterns)
    {
        public int Size => Values.Count;
    }

    /// <summary>A set of a dimension's values (bit per value) and how a region writes it (empty: any value).</summary>
    private sealed record Pattern(int Values, IReadOnlyList<FactSetting> Settings);

    private sealed record Cube(ulong[] Mask, IReadOnlyList<FactSetting> Settings, int Size, int FixedFacts, int Order);
}
