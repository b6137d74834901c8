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
/// The memo of the default path. Scenarios fall into classes that the rule set cannot tell apart, and each class's
/// verdicts are computed once and shared. A class is keyed in two parts, both derived from the fact declarations.
/// First what the conditions can read: the product's attributes (and its id where a clause names it), the cloud, the
/// date's interval between the dates conditions compare with, every other fact some condition reads (occurrences as
/// of the date). All scenarios that agree on that part fire the same clauses, so one NRules session, on the first of
/// them, says which clauses apply. Then what decides the verdict beyond that: the interval between effective dates
/// (which versions are in force) and the values of the true/false/unknown facts that the applicable
/// <c>require</c> clauses list (<see cref="VerdictSteps"/>). Thread-safe; entries are only ever added.
/// </summary>
internal sealed class ClassTable
{
    private readonly CompiledRules _compiled;
    private readonly ConcurrentDictionary<long, Applicable> _byConditions = new();
    private readonly Product[] _catalogue;
    private readonly int[] _catalogueClasses;
    private readonly int[][] _tritDefaults;
    private readonly int[][] _inlineTritDefaults;
    private readonly InlineClasses _inline;
    private readonly ConcurrentDictionary<(string, string, string, string), int> _productClasses = new();
    private readonly ConcurrentDictionary<string, ClassVerdict> _distinct = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClassVerdict>.AlternateLookup<ReadOnlySpan<char>> _distinctBySpan;
    private readonly string[] _inForceByInterval;
    private readonly KeyPart[] _parts;
    private readonly IReadOnlyDictionary<string, int> _cloudIndex;
    private readonly (Fact Later, Fact Earlier)[] _ordered;
    private readonly int _inForceRadix;
    private int _lastProductClass = -1;
    // Made once, not per lookup (GetOrAdd reads before it adds, so a known class costs one probe and no allocation).
    private readonly Func<(string, string, string, string), int> _newProductClass;

    public ClassTable(CompiledRules compiled)
    {
        _compiled = compiled;
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var condition in compiled.Conditions.Values)
        {
            new ParameterCollector(read).Visit(condition);
        }
        _newProductClass = _ => Interlocked.Increment(ref _lastProductClass);
        _cloudIndex = compiled.Rules.Catalogue.CloudIndex;
        _inForceRadix = compiled.EffectiveDates.Length + 1;
        // The cloud is always part of the key (it is checked there); other facts only when some condition reads them,
        // the date as the interval between the dates conditions compare with.
        _parts = [.. Facts.All
            .Where(f => f.Kind is FactKind.Cloud || (f.Kind != FactKind.Product && read.Contains(f.ConditionName)))
            .Select(f => new KeyPart(f, f.Kind switch
            {
                FactKind.Cloud => compiled.Rules.Catalogue.Clouds.Count,
                FactKind.Date => compiled.ConditionCuts.Length + 1,
                FactKind.Choice => f.Choices.Count,
                FactKind.Occurrence => 2,
                _ => 3,
            }))];
        _ordered = [.. Facts.All.Where(f => f.NotBefore is not null).Select(f => (f, Facts.Of(f.NotBefore!)))];
        // The catalogue's own products (valid by validation) are found by reference, with no string work and no hash:
        // a dozen reference comparisons cost less than RuntimeHelpers.GetHashCode, which the profile showed at a third
        // of a batch's time when they were a dictionary's keys. Plain batch lines (Scenarios.PlainLineReader) name
        // them by their place in the catalogue, and take the product's default for a true/false/unknown fact left out.
        _catalogue = [.. compiled.Rules.Catalogue.Products];
        _catalogueClasses = [.. _catalogue.Select(p => ClassOfAttributes(p) ?? -1)];
        _tritDefaults = [.. _catalogue.Select(TritDefaults)];
        // An inline product's defaults depend only on its own shippedOnAzureFirst: one row per trit.
        _inlineTritDefaults = [.. new bool?[] { null, true, false }.Select(v => TritDefaults(new Product("", "", "", "", v, IsInline: true)))];
        _inline = new InlineClasses(this);
        _distinctBySpan = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();
        // Which versions are in force, per interval between effective dates (IntervalOf counts the dates on or before
        // a day, so an interval's first day stands for all of it): 'F' in force, '-' not, in versions-table order.
        var effective = compiled.EffectiveDates;
        _inForceByInterval = [.. Enumerable.Range(0, effective.Length + 1).Select(i => new string([.. compiled.Rules.Versions
            .Select(v => compiled.Rules.IsInForce(v, i == 0 ? DateOnly.MinValue : effective[i - 1]) ? 'F' : '-')]))];
    }

    private static int[] TritDefaults(Product p) =>
        [.. Facts.All.Select(f => f.Kind == FactKind.TriState ? Trit(f.ProductDefault?.Invoke(p)) : 0)];

    /// <summary>The class's verdicts of a scenario already checked (<see cref="Scenarios.ScenarioCheck"/>).</summary>
    public ClassVerdict Get(Scenario s) =>
        TryGet(s, out var verdict) ? verdict : throw new ArgumentException("the scenario was not checked before it was classified", nameof(s));

    /// <summary>
    /// The class's verdicts; false when the scenario is not one the rule set can evaluate (an unknown cloud or value, a
    /// product attribute the catalogue does not allow, occurrences out of order), which
    /// <see cref="Scenarios.ScenarioCheck"/> then explains. A warm lookup is a few field reads and one hash probe.
    /// </summary>
    public bool TryGet(Scenario s, out ClassVerdict verdict)
    {
        verdict = null!;
        if (ConditionKey(s) is not { } key || !InOrder(s))
        {
            return false;
        }
        if (!_byConditions.TryGetValue(key, out var applicable))
        {
            applicable = _byConditions.GetOrAdd(key, static (_, arg) => arg.Table.NewApplicable(arg.Scenario), (Table: this, Scenario: s));
        }
        // The verdict of the class: which versions are in force, and the values of the facts the requires list.
        var index = _compiled.EffectiveIntervals.Of(s.Date);
        foreach (var fact in applicable.RequireFacts)
        {
            index = index * 3 + Trit(fact.TriStateOf(s));
        }
        verdict = applicable.Verdicts[index] ??= Decide(applicable.Clauses, s);
        return true;
    }

    /// <summary>
    /// The verdicts of a plain batch line's class (<see cref="Scenarios.PlainFacts"/>), keyed exactly as
    /// <see cref="TryGet"/> keys the scenario the line would resolve to; false when the class, or its verdict, has not
    /// been met yet (the line then goes the full way, which adds it). A few array reads and one hash probe.
    /// </summary>
    public bool TryGetPlain(in Scenarios.PlainFacts line, out ClassVerdict verdict)
    {
        verdict = null!;
        var values = line.Values;
        var product = values[ProductFact];
        int productClass;
        int[] defaults;
        if (product == Scenarios.PlainFacts.InlineProduct)
        {
            productClass = _inline.Of(line.Inline);
            defaults = _inlineTritDefaults[line.Inline.ShippedOnAzureFirst];
        }
        else
        {
            productClass = _catalogueClasses[product];
            defaults = _tritDefaults[product];
        }
        if (productClass < 0)
        {
            return false;
        }
        long key = productClass;
        var today = line.Date.DayNumber;
        // The parts' kind and index as they hold them, not through their Fact: the loop reads no other object.
        foreach (ref readonly var part in _parts.AsSpan())
        {
            var value = part.Kind switch
            {
                FactKind.Date => _compiled.ConditionIntervals.Of(line.Date),
                FactKind.Occurrence => values[part.Index] is var day and >= 0 && day <= today ? 1 : 0,
                FactKind.TriState => values[part.Index] is var t and >= 0 ? t : defaults[part.Index],
                _ => values[part.Index], // the cloud's and a choice's index
            };
            key = key * part.Radix + value;
        }
        if (!_byConditions.TryGetValue(key, out var applicable))
        {
            return false;
        }
        var index = _compiled.EffectiveIntervals.Of(line.Date);
        foreach (var fact in applicable.RequireFacts)
        {
            index = index * 3 + (values[fact.Index] is var t and >= 0 ? t : defaults[fact.Index]);
        }
        verdict = applicable.Verdicts[index]!;
        return verdict is not null;
    }

    private static readonly int ProductFact = Facts.Of(Facts.Product).Index;

    private long? ConditionKey(Scenario s)
    {
        if (s.Product is not { } product || ProductClass(product) is not { } productClass)
        {
            return null;
        }
        long key = productClass;
        foreach (var part in _parts)
        {
            var fact = part.Fact;
            var value = fact.Kind switch
            {
                FactKind.Cloud => s.Cloud is { } cloud && _cloudIndex.TryGetValue(cloud, out var index) ? index : -1,
                FactKind.Date => _compiled.ConditionIntervals.Of(s.Date),
                FactKind.Choice => ChoiceIndex(fact, s),
                FactKind.Occurrence => fact.OccurrenceOf(s) is { } d && d <= s.Date ? 1 : 0,
                _ => Trit(fact.TriStateOf(s)),
            };
            if (value < 0)
            {
                return null;
            }
            key = key * part.Radix + value;
        }
        return key;
    }

    private bool InOrder(Scenario s)
    {
        foreach (var (later, earlier) in _ordered)
        {
            if (later.OccurrenceOf(s) is { } happened && (earlier.OccurrenceOf(s) is not { } before || happened < before))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Products with the same attributes are one class, unless a clause names one of them by id; null for a product
    /// whose attributes the catalogue does not allow.
    /// </summary>
    private int? ProductClass(Product p)
    {
        var catalogue = _catalogue;
        for (var i = 0; i < catalogue.Length; i++)
        {
            if (ReferenceEquals(catalogue[i], p))
            {
                return _catalogueClasses[i] is var known and >= 0 ? known : null;
            }
        }
        return ClassOfAttributes(p);
    }

    /// <summary>The class of a product not found by reference; null when the scenario check would refuse it.</summary>
    private int? ClassOfAttributes(Product p)
    {
        if (string.IsNullOrEmpty(p.Id) || p.Interface is null || p.Origin is null || p.OfferedBy is null)
        {
            return null;
        }
        var id = _compiled.Strings.Contains(p.Id) ? p.Id : "";
        if (_productClasses.TryGetValue((id, p.Interface, p.Origin, p.OfferedBy), out var number))
        {
            return number;
        }
        var allowed = _compiled.Rules.Catalogue.AttributeValues;
        if (!Allowed("interface", p.Interface) || !Allowed("origin", p.Origin) || !Allowed("offeredBy", p.OfferedBy))
        {
            return null;
        }
        return NumberOf(id, p.Interface, p.Origin, p.OfferedBy);

        bool Allowed(string attribute, string value) => allowed.TryGetValue(attribute, out var values) && values.Contains(value);
    }

    /// <summary>A number of its own for every product class, even when two threads add classes at once.</summary>
    private int NumberOf(string id, string @interface, string origin, string offeredBy) =>
        _productClasses.GetOrAdd((id, @interface, origin, offeredBy), _newProductClass);

    private Applicable NewApplicable(Scenario s)
    {
        var clauses = _compiled.Network.Fire(s, freshSession: false);
        var requireFacts = new List<Fact>();
        var network = _compiled.Network;
        for (var n = 0; n < clauses.Length; n++)
        {
            if (clauses[n] && network.Clauses[n].Effect == Effect.Require)
            {
                foreach (var name in network.Clauses[n].AnyOf)
                {
                    var fact = Facts.Of(name);
                    // A fact the conditions read is in the first part of the key already.
                    if (!requireFacts.Contains(fact) && !Array.Exists(_parts, p => p.Fact == fact))
                    {
                        requireFacts.Add(fact);
                    }
                }
            }
        }
        return new Applicable(clauses, [.. requireFacts], _inForceRadix);
    }

    /// <summary>
    /// The verdicts of a new class. Many classes end with the same verdicts (the same clauses apply, each require
    /// resolves alike, the same versions are in force); those share one <see cref="ClassVerdict"/>, decided once, so
    /// memory and work grow with the verdicts the rule set can give, not with the variety of the input.
    /// </summary>
    private ClassVerdict Decide(bool[] clauses, Scenario s)
    {
        var network = _compiled.Network;
        var inForce = _inForceByInterval[_compiled.EffectiveIntervals.Of(s.Date)];
        var length = clauses.Length + inForce.Length;
        // The key is built in place and looked up as a span: a string is made only for a verdict met for the first time.
        var outcome = length <= 1024 ? stackalloc char[length] : new char[length];
        for (var n = 0; n < clauses.Length; n++)
        {
            outcome[n] = !clauses[n] ? '0'
                : network.Clauses[n].Effect != Effect.Require ? '1'
                : (char)('2' + (int)VerdictSteps.Require(network.Clauses[n], s));
        }
        inForce.CopyTo(outcome[clauses.Length..]);
        return _distinctBySpan.TryGetValue(outcome, out var known) ? known : _distinct.GetOrAdd(new string(outcome), VerdictSteps.Decide(_compiled, clauses, s));
    }

    private static int ChoiceIndex(Fact fact, Scenario s)
    {
        var value = fact.TextOf(s);
        for (var i = 0; i < fact.Choices.Count; i++)
        {
            if (string.Equals(fact.Choices[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static int Trit(bool? value) => value switch { null => 0, true => 1, false => 2 };

    /// <summary>A part of the class key: its fact, and the fact's kind and index held by value for the plain lines' loop.</summary>
    private readonly record struct KeyPart(Fact Fact, int Radix)
    {
        public FactKind Kind { get; } = Fact.Kind;

        public int Index { get; } = Fact.Index;
    }

    /// <summary>The scenarios whose conditions read the same values: which clauses apply, and each class's verdicts.</summary>
    private sealed class Applicable(bool[] clauses, Fact[] requireFacts, int inForceRadix)
    {
        /// <summary>By clause number: whether the clause applies (what NRules fired).</summary>
        public bool[] Clauses { get; } = clauses;

        /// <summary>The true/false/unknown facts the applicable requires list, beyond those the conditions read.</summary>
        public Fact[] RequireFacts { get; } = requireFacts;

        /// <summary>
        /// By the interval between effective dates, then the values of <see cref="RequireFacts"/> (three per fact):
        /// the class's verdicts, once decided.
        /// </summary>
        public ClassVerdict?[] Verdicts { get; } = new ClassVerdict?[inForceRadix * (int)Math.Pow(3, requireFacts.Length)];
    }

    /// <summary>
    /// The class of a plain line's inline product (<see cref="Scenarios.PlainInlineProduct"/>) with no string work: by its
    /// id among the strings conditions name (or none), then its attributes among the allowed values, all by position, so
    /// that the class is <see cref="ClassOfAttributes"/>' own number for the catalogue's own strings: a line read either
    /// way lands in the same class.
    /// </summary>
    private sealed class InlineClasses
    {
        private readonly ClassTable _table;
        private readonly Scenarios.Utf8Index _namedIds;
        private readonly string[] _namedIdStrings;
        private readonly IReadOnlyList<string> _interfaces;
        private readonly IReadOnlyList<string> _origins;
        private readonly IReadOnlyList<string> _offeredBy;

        public InlineClasses(ClassTable table)
        {
            _table = table;
            _namedIdStrings = [.. table._compiled.Strings.Where(s => s.Length > 0)];
            _namedIds = new Scenarios.Utf8Index(_namedIdStrings);
            var allowed = table._compiled.Rules.Catalogue.AttributeValues;
            _interfaces = allowed.TryGetValue("interface", out var i) ? i : [];
            _origins = allowed.TryGetValue("origin", out var o) ? o : [];
            _offeredBy = allowed.TryGetValue("offeredBy", out var b) ? b : [];
        }

        public int Of(in Scenarios.PlainInlineProduct product) =>
            _table.NumberOf(_namedIds.IndexOf(product.Id) is var named and >= 0 ? _namedIdStrings[named] : "",
                _interfaces[product.Interface], _origins[product.Origin], _offeredBy[product.OfferedBy]);
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
