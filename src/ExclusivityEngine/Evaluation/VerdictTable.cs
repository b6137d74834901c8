using System.Collections.Concurrent;
using System.Linq.Expressions;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Evaluation;

/// <summary>The verdicts shared by every scenario of one class, with their JSON encodings once written.</summary>
internal sealed class ClassVerdict(IReadOnlyList<AgreementVersion> inForce, CombinedVerdict combined, IReadOnlyList<RowVerdict> rows)
{
    public IReadOnlyList<AgreementVersion> InForce { get; } = inForce;
    public CombinedVerdict Combined { get; } = combined;
    public IReadOnlyList<RowVerdict> Rows { get; } = rows;

    /// <summary>The batch line's tail after <c>"line":N,</c>, per detail level; written once, reused for every line of the class.</summary>
    public byte[]?[] Encoded { get; } = new byte[3][];
}

/// <summary>
/// The fast path's verdict table. Scenarios fall into classes that the rule set cannot tell apart, and each class's
/// verdicts are computed once (by the compiled conditions and the catalogue's steps) and shared.
/// A class is found in two steps so the table stays small: first the situation (product attributes, cloud, the
/// date's interval between boundaries, segment, AGI as of the date, and any true/false/unknown fact a condition
/// reads), then only the true/false/unknown facts that an applicable <c>require</c> clause of that situation lists.
/// </summary>
internal sealed class VerdictTable
{
    private readonly CompiledRules _compiled;
    private readonly IClauseConditions _conditions;
    private readonly Func<Scenario, ProductFacts, ClassVerdict> _decide;
    private readonly ConcurrentDictionary<long, Situation> _situations = new();
    private readonly ConcurrentDictionary<(string, string, string, string), int> _productClasses = new();
    private readonly int[] _triReadByConditions;
    private readonly int _intervals;
    private readonly int _clouds;
    private int _lastProductClass = -1;

    public VerdictTable(CompiledRules compiled, IClauseConditions conditions, Func<Scenario, ProductFacts, ClassVerdict> decide)
    {
        _compiled = compiled;
        _conditions = conditions;
        _decide = decide;
        _intervals = compiled.Boundaries.Length + 1;
        _clouds = compiled.Rules.Catalogue.Clouds.Count;
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lambda in compiled.Lambdas.Values)
        {
            new ParameterCollector(read).Visit(lambda.Body);
        }
        _triReadByConditions = [.. Enumerable.Range(0, Facts.TriStates.Count).Where(i => read.Contains(Facts.TriStates[i]))];
    }

    public ClassVerdict Get(Scenario s, ProductFacts product)
    {
        var key = SituationKey(s);
        if (!_situations.TryGetValue(key, out var situation))
        {
            situation = _situations.GetOrAdd(key, _ => NewSituation(s, product));
        }
        var index = 0;
        foreach (var fact in situation.Relevant)
        {
            index = index * 3 + Tri(s, fact);
        }
        return situation.Verdicts[index] ??= _decide(s, product);
    }

    public int Count => _situations.Count;

    private long SituationKey(Scenario s)
    {
        var p = s.Product;
        var id = _compiled.Strings.Contains(p.Id) ? p.Id : "";
        if (!_productClasses.TryGetValue((id, p.Interface, p.Origin, p.OfferedBy), out var productClass))
        {
            // A number of its own for every product class, even when two threads add classes at once (Count could repeat).
            productClass = _productClasses.GetOrAdd((id, p.Interface, p.Origin, p.OfferedBy), _ => Interlocked.Increment(ref _lastProductClass));
        }
        long key = productClass;
        key = key * _clouds + _compiled.Rules.Catalogue.CloudIndex[s.Cloud];
        key = key * _intervals + _compiled.Interval(s.Date);
        key = key * 2 + (s.Segment == Segments.General ? 0 : 1);
        key = key * 2 + (s.AgiDeclared ? 1 : 0);
        key = key * 2 + (s.AgiVerified ? 1 : 0);
        foreach (var fact in _triReadByConditions)
        {
            key = key * 3 + Tri(s, fact);
        }
        return key;
    }

    private Situation NewSituation(Scenario s, ProductFacts product)
    {
        // Conditions do not read the facts left out of the key, so which clauses apply is the same for the whole situation.
        var relevant = new SortedSet<int>();
        foreach (var row in _compiled.Rules.Rows)
        {
            var applies = new bool[row.Clauses.Count];
            _conditions.Evaluate(row, product, s, applies);
            for (var i = 0; i < applies.Length; i++)
            {
                if (applies[i] && row.Clauses[i].Effect == Effect.Require)
                {
                    foreach (var fact in row.Clauses[i].AnyOf)
                    {
                        var index = IndexOf(fact);
                        if (!_triReadByConditions.Contains(index))
                        {
                            relevant.Add(index);
                        }
                    }
                }
            }
        }
        return new Situation([.. relevant]);
    }

    private static int IndexOf(string fact)
    {
        for (var i = 0; i < Facts.TriStates.Count; i++)
        {
            if (Facts.TriStates[i] == fact)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(fact), fact, "not a true/false/unknown fact");
    }

    private static int Tri(Scenario s, int fact)
    {
        var value = fact switch
        {
            0 => s.MicrosoftDeclined,
            1 => s.ShippedOnAzureFirst,
            2 => s.MeetsOpenWeightCriteria,
            _ => s.StatelessCallsOnAzure,
        };
        return value switch { null => 0, true => 1, false => 2 };
    }

    private sealed class Situation(int[] relevant)
    {
        public int[] Relevant { get; } = relevant;
        public ClassVerdict?[] Verdicts { get; } = new ClassVerdict?[(int)Math.Pow(3, relevant.Length)];
    }

    private sealed class ParameterCollector(HashSet<string> names) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            names.Add(node.Name!);
            return node;
        }
    }
}
