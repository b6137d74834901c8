using System.Collections.Concurrent;
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
/// First what the conditions can tell apart (<see cref="ConditionDistinctions"/>): the class of the product's
/// attributes and id (its <see cref="ProductClass"/>), then, as that product class leaves the conditions (a part it
/// decides is left out), the classes of the cloud and of every other string fact a condition reads, the date's interval
/// between the days a condition's value can change, and every other fact a condition reads (occurrences as of the
/// date). All scenarios that agree on that part fire the same clauses, so one NRules session, on the first of them, says
/// which clauses apply. Then what decides the verdict beyond that: the interval between effective dates
/// (which versions are in force) and the values of the true/false/unknown facts that the applicable
/// <c>require</c> clauses list (<see cref="VerdictSteps"/>). Thread-safe; entries are only ever added.
/// </summary>
internal sealed class ClassTable
{
    private readonly CompiledRules _compiled;
    private readonly Product[] _catalogue;
    private readonly ProductClass?[] _catalogueClasses;
    private readonly int[][] _tritDefaults;
    private readonly int[][] _inlineTritDefaults;
    private readonly InlineClasses _inline;
    private readonly ConcurrentDictionary<(int, int, int, int), ProductClass> _productClasses = new();
    private readonly ConcurrentDictionary<string, ClassVerdict> _distinct = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClassVerdict>.AlternateLookup<ReadOnlySpan<char>> _distinctBySpan;
    private readonly string[] _inForceByInterval;
    // By clause number: the indexes of the facts its anyOf lists.
    private readonly int[][] _anyOf;
    private readonly IReadOnlyDictionary<string, int> _cloudIndex;
    private readonly ValueClasses _idClasses;
    // By attribute (interface, origin, offeredBy): the class of each allowed value, by value and by its place in the
    // catalogue's list (as plain lines give it); a value not allowed has none.
    private readonly Dictionary<string, int>[] _attributeClasses;
    private readonly int[][] _attributeClassesByPlace;
    private readonly (Fact Later, Fact Earlier)[] _ordered;
    private readonly int _inForceRadix;
    // Made once, not per lookup (GetOrAdd reads before it adds, so a known class costs one probe and no allocation).
    private readonly Func<(int, int, int, int), ProductClass> _newProductClass;

    private static readonly string[] ClassedAttributes = ["interface", "origin", "offeredBy"];

    public ClassTable(CompiledRules compiled)
    {
        _compiled = compiled;
        _newProductClass = NewProductClass;
        _cloudIndex = compiled.Rules.Catalogue.CloudIndex;
        _inForceRadix = compiled.EffectiveDates.Length + 1;
        // The product's classes from every condition; what else a product class's scenarios are told apart by, from
        // the conditions as its products leave them (NewProductClass).
        var distinctions = new ConditionDistinctions(compiled.Conditions.Values);
        var product = Facts.Of(Facts.Product).ConditionName;
        _idClasses = distinctions.Of($"{product}.id");
        var allowed = compiled.Rules.Catalogue.AttributeValues;
        var attributeValues = ClassedAttributes.Select(a => allowed.TryGetValue(a, out var values) ? values : []).ToArray();
        _attributeClassesByPlace = [.. ClassedAttributes.Select((a, i) => Dense(attributeValues[i], distinctions.Of($"{product}.{a}")))];
        _attributeClasses = [.. attributeValues.Select((values, i) => values.Distinct(StringComparer.Ordinal)
            .ToDictionary(v => v, v => _attributeClassesByPlace[i][IndexOf(values, v)], StringComparer.Ordinal))];
        _ordered = [.. Facts.All.Where(f => f.NotBefore is not null).Select(f => (f, Facts.Of(f.NotBefore!)))];
        // The catalogue's own products (valid by validation) are found by reference, with no string work and no hash:
        // a dozen reference comparisons cost less than RuntimeHelpers.GetHashCode, which the profile showed at a third
        // of a batch's time when they were a dictionary's keys. Plain batch lines (Scenarios.PlainLineReader) name
        // them by their place in the catalogue, and take the product's default for a true/false/unknown fact left out.
        _catalogue = [.. compiled.Rules.Catalogue.Products];
        _catalogueClasses = [.. _catalogue.Select(ClassOfAttributes)];
        _tritDefaults = [.. _catalogue.Select(TritDefaults)];
        // An inline product's defaults depend only on its own shippedOnAzureFirst: one row per trit.
        _inlineTritDefaults = [.. new bool?[] { null, true, false }.Select(v => TritDefaults(new Product("", "", "", "", v, IsInline: true)))];
        _inline = new InlineClasses(this);
        _anyOf = [.. compiled.Network.Clauses.Select(c => c.AnyOf.Select(name => Facts.Of(name).Index).ToArray())];
        _distinctBySpan = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();
        // Which versions are in force, per interval between effective dates (IntervalOf counts the dates on or before
        // a day, so an interval's first day stands for all of it): 'F' in force, '-' not, in versions-table order.
        var effective = compiled.EffectiveDates;
        _inForceByInterval = [.. Enumerable.Range(0, effective.Length + 1).Select(i => new string([.. compiled.Rules.Versions
            .Select(v => compiled.Rules.IsInForce(v, i == 0 ? DateOnly.MinValue : effective[i - 1]) ? 'F' : '-')]))];
    }

    /// <summary>
    /// The class of each of a fact's values, by the value's place in <paramref name="values"/>, numbered from 0 in the
    /// order first met: values no condition can tell apart share a number, and the numbers are the key part's digits.
    /// </summary>
    private static int[] Dense(IReadOnlyList<string> values, ValueClasses classes)
    {
        var numbers = new Dictionary<int, int>();
        return [.. values.Select(v => numbers.TryGetValue(classes.Of(v), out var n) ? n : numbers[classes.Of(v)] = numbers.Count)];
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
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
        if (ConditionKey(s, out var productClass) is not { } key || !InOrder(s))
        {
            return false;
        }
        if (!productClass.ByConditions.TryGetValue(key, out var applicable))
        {
            applicable = productClass.ByConditions.GetOrAdd(key, static (_, arg) => arg.Table.NewApplicable(arg.Scenario, arg.Class),
                (Table: this, Scenario: s, Class: productClass));
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
        ProductClass? productClass;
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
        if (productClass is null)
        {
            return false;
        }
        long key = 0;
        var today = line.Date.DayNumber;
        // The parts' kind and index as they hold them, not through their Fact: the loop reads no other object.
        foreach (ref readonly var part in productClass.Parts.AsSpan())
        {
            var value = part.Kind switch
            {
                FactKind.Date => productClass.Dates.Of(line.Date),
                FactKind.Occurrence => values[part.Index] is var day and >= 0 && day <= today ? 1 : 0,
                FactKind.TriState => values[part.Index] is var t and >= 0 ? t : defaults[part.Index],
                _ => part.Classes[values[part.Index]], // the class of the cloud's or a choice's index
            };
            key = key * part.Radix + value;
        }
        if (!productClass.ByConditions.TryGetValue(key, out var applicable))
        {
            return false;
        }
        var effectiveInterval = _compiled.EffectiveIntervals.Of(line.Date);
        var index = effectiveInterval;
        foreach (var fact in applicable.RequireFacts)
        {
            index = index * 3 + (values[fact.Index] is var t and >= 0 ? t : defaults[fact.Index]);
        }
        // A verdict slot met for the first time is filled here when its outcome is one already decided (the usual case:
        // the verdicts are few), so the line need not go the full way; only a verdict never decided before needs the
        // scenario built (VerdictSteps.Decide reads it).
        if (applicable.Verdicts[index] is not { } known)
        {
            Span<int> trits = stackalloc int[values.Length];
            foreach (var fact in TriStateFacts)
            {
                trits[fact] = values[fact] is var t and >= 0 ? t : defaults[fact];
            }
            if (KnownOutcome(applicable.Clauses, effectiveInterval, trits) is not { } decided)
            {
                return false;
            }
            known = applicable.Verdicts[index] = decided;
        }
        verdict = known;
        return true;
    }

    /// <summary>The true/false/unknown facts, by index.</summary>
    private static readonly int[] TriStateFacts = [.. Facts.All.Where(f => f.Kind == FactKind.TriState).Select(f => f.Index)];

    private static readonly int ProductFact = Facts.Of(Facts.Product).Index;

    private static readonly Fact[] ChoiceFacts = [.. Facts.All.Where(f => f.Kind == FactKind.Choice)];

    private long? ConditionKey(Scenario s, out ProductClass productClass)
    {
        productClass = null!;
        if (s.Product is not { } product || ClassOf(product) is not { } known)
        {
            return null;
        }
        productClass = known;
        // A choice the key does not hold is checked all the same (the scenario check then explains).
        foreach (var choice in productClass.UnkeyedChoices)
        {
            if (ChoiceIndex(choice, s) < 0)
            {
                return null;
            }
        }
        long key = 0;
        foreach (var part in productClass.Parts)
        {
            var fact = part.Fact;
            var value = fact.Kind switch
            {
                FactKind.Cloud => s.Cloud is { } cloud && _cloudIndex.TryGetValue(cloud, out var index) ? part.Classes[index] : -1,
                FactKind.Date => productClass.Dates.Of(s.Date),
                FactKind.Choice => ChoiceIndex(fact, s) is var choice and >= 0 ? part.Classes[choice] : -1,
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
    /// Products whose attributes and ids no condition tells apart are one class; null for a product whose attributes
    /// the catalogue does not allow.
    /// </summary>
    private ProductClass? ClassOf(Product p)
    {
        var catalogue = _catalogue;
        for (var i = 0; i < catalogue.Length; i++)
        {
            if (ReferenceEquals(catalogue[i], p))
            {
                return _catalogueClasses[i];
            }
        }
        return ClassOfAttributes(p);
    }

    /// <summary>The class of a product not found by reference; null when the scenario check would refuse it.</summary>
    private ProductClass? ClassOfAttributes(Product p)
    {
        if (string.IsNullOrEmpty(p.Id) || p.Interface is null || p.Origin is null || p.OfferedBy is null
            || !_attributeClasses[0].TryGetValue(p.Interface, out var @interface)
            || !_attributeClasses[1].TryGetValue(p.Origin, out var origin)
            || !_attributeClasses[2].TryGetValue(p.OfferedBy, out var offeredBy))
        {
            return null;
        }
        return ClassOf(_idClasses.Of(p.Id), @interface, origin, offeredBy);
    }

    /// <summary>The product class of these classes of the id and the attributes; one, even when two threads add it at once.</summary>
    private ProductClass ClassOf(int id, int @interface, int origin, int offeredBy) =>
        _productClasses.GetOrAdd((id, @interface, origin, offeredBy), _newProductClass);

    /// <summary>
    /// A product class met for the first time, and what its scenarios are told apart by: the conditions as its
    /// products leave them (<see cref="ConditionDistinctions"/>, given whether each product attribute equals each
    /// literal). The cloud is always part of the key (it is checked there); other facts only when a condition reads them
    /// where the product leaves its value open, the date as the interval between the days such a condition's value can
    /// change.
    /// </summary>
    private ProductClass NewProductClass((int Id, int Interface, int Origin, int OfferedBy) product)
    {
        var name = Facts.Of(Facts.Product).ConditionName;
        int[] attributes = [product.Interface, product.Origin, product.OfferedBy];
        var distinctions = new ConditionDistinctions(_compiled.Conditions.Values, (operand, literal) =>
        {
            if (operand == $"{name}.id")
            {
                return _idClasses.Opaque ? null : _idClasses.Of(literal) == product.Id;
            }
            var attribute = Array.FindIndex(ClassedAttributes, a => operand == $"{name}.{a}");
            // A literal no product may have (not among the catalogue's allowed values) equals none.
            return attribute < 0 ? null : _attributeClasses[attribute].TryGetValue(literal, out var literalClass) && literalClass == attributes[attribute];
        });
        var dateCuts = distinctions.DateCuts ?? _compiled.ConditionCuts;
        return new ProductClass(
            [.. Facts.All
                .Where(f => f.Kind is FactKind.Cloud || (f.Kind != FactKind.Product && distinctions.Reads.Contains(f.ConditionName)))
                .Select(f => f.Kind switch
                {
                    FactKind.Cloud => KeyPart.OfValues(f, Dense([.. _compiled.Rules.Catalogue.Clouds.Select(c => c.Id)], distinctions.Of(f.ConditionName))),
                    FactKind.Choice => KeyPart.OfValues(f, Dense(f.Choices, distinctions.Of(f.ConditionName))),
                    FactKind.Date => new KeyPart(f, dateCuts.Length + 1),
                    FactKind.Occurrence => new KeyPart(f, 2),
                    _ => new KeyPart(f, 3),
                })],
            new DayIntervals(dateCuts));
    }

    private Applicable NewApplicable(Scenario s, ProductClass productClass)
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
                    if (!requireFacts.Contains(fact) && !Array.Exists(productClass.Parts, p => p.Fact == fact))
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
        Span<int> trits = stackalloc int[Facts.All.Count];
        foreach (var fact in TriStateFacts)
        {
            trits[fact] = Trit(Facts.All[fact].TriStateOf(s));
        }
        var interval = _compiled.EffectiveIntervals.Of(s.Date);
        return KnownOutcome(clauses, interval, trits) ?? _distinct.GetOrAdd(Outcome(clauses, interval, trits), VerdictSteps.Decide(_compiled, clauses, s));
    }

    /// <summary>The verdicts of an outcome already decided, or null.</summary>
    private ClassVerdict? KnownOutcome(bool[] clauses, int effectiveInterval, ReadOnlySpan<int> trits)
    {
        var length = clauses.Length + _inForceByInterval[effectiveInterval].Length;
        // The key is built in place and looked up as a span: a string is made only for a verdict met for the first time.
        var outcome = length <= 1024 ? stackalloc char[length] : new char[length];
        WriteOutcome(outcome, clauses, effectiveInterval, trits);
        return _distinctBySpan.TryGetValue(outcome, out var known) ? known : null;
    }

    private string Outcome(bool[] clauses, int effectiveInterval, ReadOnlySpan<int> trits)
    {
        var outcome = new char[clauses.Length + _inForceByInterval[effectiveInterval].Length];
        WriteOutcome(outcome, clauses, effectiveInterval, trits);
        return new string(outcome);
    }

    /// <summary>
    /// What decides a class's verdicts beyond the conditions: per clause '0' not applicable, '1' applicable, '2' + the
    /// status of an applicable require (met, unmet, unknown) from <paramref name="trits"/> (by fact index: 0 unknown, 1
    /// true, 2 false); then which versions are in force.
    /// </summary>
    private void WriteOutcome(Span<char> outcome, bool[] clauses, int effectiveInterval, ReadOnlySpan<int> trits)
    {
        var network = _compiled.Network;
        for (var n = 0; n < clauses.Length; n++)
        {
            outcome[n] = !clauses[n] ? '0'
                : network.Clauses[n].Effect != Effect.Require ? '1'
                : (char)('2' + (int)Require(_anyOf[n], trits));
        }
        _inForceByInterval[effectiveInterval].CopyTo(outcome[clauses.Length..]);
    }

    /// <summary>
    /// <see cref="VerdictSteps.Require(Clause, Scenario)"/> over trits: any <c>anyOf</c> fact true, met; all false,
    /// unmet; else unknown.
    /// </summary>
    private static ClauseStatus Require(int[] anyOf, ReadOnlySpan<int> trits)
    {
        var allFalse = true;
        foreach (var fact in anyOf)
        {
            if (trits[fact] == 1)
            {
                return ClauseStatus.Met;
            }
            allFalse &= trits[fact] == 2;
        }
        return allFalse ? ClauseStatus.Unmet : ClauseStatus.Unknown;
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

    /// <summary>
    /// The products whose id and attributes no condition tells apart: the parts of their scenarios' class key, the
    /// intervals of their dates, and their scenarios' classes by key.
    /// </summary>
    private sealed class ProductClass(KeyPart[] parts, DayIntervals dates)
    {
        public KeyPart[] Parts { get; } = parts;

        /// <summary>The choices the parts leave out, whose values are checked apart.</summary>
        public Fact[] UnkeyedChoices { get; } = [.. ChoiceFacts.Where(f => !Array.Exists(parts, p => p.Fact == f))];

        public DayIntervals Dates { get; } = dates;

        public ConcurrentDictionary<long, Applicable> ByConditions { get; } = new();
    }

    /// <summary>
    /// A part of the class key: its fact, and the fact's kind and index held by value for the plain lines' loop; for
    /// the cloud and a choice, the class of each value by its place.
    /// </summary>
    private readonly record struct KeyPart(Fact Fact, int Radix)
    {
        public FactKind Kind { get; } = Fact.Kind;

        public int Index { get; } = Fact.Index;

        public int[] Classes { get; private init; } = [];

        public static KeyPart OfValues(Fact fact, int[] classes) =>
            new(fact, classes.Length == 0 ? 1 : classes.Max() + 1) { Classes = classes };
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
    /// The class of a plain line's inline product (<see cref="Scenarios.PlainInlineProduct"/>) with no string work: the
    /// class of its id among the ids conditions name (or none's), then of its attributes by their places among the
    /// allowed values, so that the class is <see cref="ClassOfAttributes"/>' own number: a line read either way lands in
    /// the same class. None (the line goes the full way) when ids are read otherwise than against literals.
    /// </summary>
    private sealed class InlineClasses
    {
        private readonly ClassTable _table;
        private readonly Scenarios.Utf8Index _namedIds;
        private readonly int[] _namedIdClasses;
        private readonly bool _idsByValue;

        public InlineClasses(ClassTable table)
        {
            _table = table;
            var named = table._idClasses.Named.Where(n => n.Key.Length > 0).ToList();
            _namedIds = new Scenarios.Utf8Index([.. named.Select(n => n.Key)]);
            _namedIdClasses = [.. named.Select(n => n.Value)];
            _idsByValue = table._idClasses.Opaque;
        }

        public ProductClass? Of(in Scenarios.PlainInlineProduct product) =>
            _idsByValue ? null
            : _table.ClassOf(_namedIds.IndexOf(product.Id) is var named and >= 0 ? _namedIdClasses[named] : 0,
                _table._attributeClassesByPlace[0][product.Interface], _table._attributeClassesByPlace[1][product.Origin],
                _table._attributeClassesByPlace[2][product.OfferedBy]);
    }
}
