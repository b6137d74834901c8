using System.Linq.Expressions;
using System.Reflection;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Model;

/// <summary>What kind of value a fact takes: it decides how the fact is written, read, checked and compared.</summary>
public enum FactKind
{
    /// <summary>A catalogue product id, or a product described inline; conditions read its attributes.</summary>
    Product,
    /// <summary>One of the catalogue's clouds.</summary>
    Cloud,
    /// <summary>The scenario's calendar date, written <c>yyyy-mm-dd</c>.</summary>
    Date,
    /// <summary>One of a fixed list of strings; omitted or null is the first.</summary>
    Choice,
    /// <summary>The date something happened, or never; conditions read whether it had happened by the scenario's date.</summary>
    Occurrence,
    /// <summary>True, false or unknown (unknown is a third value, not false).</summary>
    TriState,
}

/// <summary>
/// One fact of a scenario, declared once in <see cref="Facts.All"/>. The condition parser's parameters, the NRules
/// pattern's conditions, the JSON Lines, CSV and test-file readers, the command-line options, the scenario writers
/// and the memo's class key are all derived from these declarations.
/// </summary>
public sealed class Fact
{
    private Fact(FactKind kind, string name, string option, string description, string property)
    {
        Kind = kind;
        Name = name;
        ConditionName = name;
        Option = option;
        Description = description;
        ScenarioProperty = typeof(Scenario).GetProperty(property) ?? throw new ArgumentException($"Scenario has no property {property}", nameof(property));
        InputProperty = typeof(ScenarioInput).GetProperty(property) ?? throw new ArgumentException($"ScenarioInput has no property {property}", nameof(property));
        (_read, _write) = kind switch
        {
            FactKind.Product => Accessors<Scenario, Product>(ScenarioProperty),
            FactKind.Cloud or FactKind.Choice => Accessors<Scenario, string>(ScenarioProperty),
            FactKind.Date => Accessors<Scenario, DateOnly>(ScenarioProperty),
            FactKind.Occurrence => Accessors<Scenario, DateOnly?>(ScenarioProperty),
            _ => Accessors<Scenario, bool?>(ScenarioProperty),
        };
        (_readInput, _writeInput) = kind == FactKind.TriState ? Accessors<ScenarioInput, TriStateInput>(InputProperty) : Accessors<ScenarioInput, string?>(InputProperty);
    }

    // Open-instance delegates over the properties: as fast as a call to the property, with no reflection per use.
    private readonly Delegate _read;
    private readonly Delegate _write;
    private readonly Delegate _readInput;
    private readonly Delegate _writeInput;

    /// <summary>The name as written in scenarios (JSON Lines, CSV headers, test files, query strings).</summary>
    public string Name { get; }

    /// <summary>The name a condition reads it by: the same as <see cref="Name"/>, except that an occurrence reads as
    /// whether it has happened (<c>agiDeclaredOn</c> is read as <c>agiDeclared</c>).</summary>
    public string ConditionName { get; private init; }

    /// <summary>What kind of value it takes.</summary>
    public FactKind Kind { get; }

    /// <summary>The command-line option that sets it (<c>--agi-declared</c>).</summary>
    public string Option { get; }

    /// <summary>What it means, for help texts.</summary>
    public string Description { get; }

    /// <summary>The values a <see cref="FactKind.Choice"/> fact may take, the default first.</summary>
    public IReadOnlyList<string> Choices { get; private init; } = [];

    /// <summary>The attributes a condition may read of a <see cref="FactKind.Product"/> fact (<c>product.offeredBy</c>), in order.</summary>
    public IReadOnlyList<string> Attributes => [.. AttributeProperties.Keys];

    /// <summary>The attributes by name, each with the <see cref="Product"/> property that holds it.</summary>
    internal IReadOnlyDictionary<string, PropertyInfo> AttributeProperties { get; private init; } = new Dictionary<string, PropertyInfo>();

    /// <summary>What an omitted value means, in words (<c>general</c>, <c>never</c>, <c>unknown</c>, …).</summary>
    public string DefaultText { get; private init; } = "";

    /// <summary>A true/false/unknown fact that, when omitted, takes the product's catalogue default.</summary>
    public bool DefaultsToProduct => ProductDefault is not null;

    /// <summary>The product's default of a true/false/unknown fact, where it has one.</summary>
    internal Func<Product, bool?>? ProductDefault { get; private init; }

    /// <summary>An occurrence that can only happen on or after this other occurrence (a verification needs a declaration).</summary>
    public string? NotBefore { get; private init; }

    /// <summary>Why <see cref="NotBefore"/> holds, in the domain's words, for error messages.</summary>
    public string NotBeforeReason { get; private init; } = "";

    /// <summary>Whether a scenario must give it: the product, the cloud and the date.</summary>
    public bool Required => Kind is FactKind.Product or FactKind.Cloud or FactKind.Date;

    /// <summary>The property of <see cref="Scenario"/> that holds it.</summary>
    internal PropertyInfo ScenarioProperty { get; }

    /// <summary>The property of <see cref="ScenarioInput"/> that holds it as written.</summary>
    internal PropertyInfo InputProperty { get; }

    /// <summary>Its position in <see cref="Facts.All"/>.</summary>
    internal int Index { get; set; }

    /// <summary>The type a condition sees: the product, a string, a date, true/false (an occurrence), or true/false/null.</summary>
    internal Type ConditionType => Kind switch
    {
        FactKind.Product => typeof(Product),
        FactKind.Cloud or FactKind.Choice => typeof(string),
        FactKind.Date => typeof(DateOnly),
        FactKind.Occurrence => typeof(bool),
        _ => typeof(bool?),
    };

    /// <summary>What a condition reads of <paramref name="scenario"/>, as an expression over it.</summary>
    internal Expression ConditionValue(Expression scenario)
    {
        var value = Expression.Property(scenario, ScenarioProperty);
        if (Kind != FactKind.Occurrence)
        {
            return value;
        }
        // Happened by the scenario's date: a value on or before it. Cannot throw: GetValueOrDefault reads no null.
        var date = Expression.Property(scenario, Facts.Of(Facts.Date).ScenarioProperty);
        return Expression.AndAlso(
            Expression.Property(value, nameof(Nullable<DateOnly>.HasValue)),
            Expression.LessThanOrEqual(Expression.Call(value, nameof(Nullable<DateOnly>.GetValueOrDefault), Type.EmptyTypes), date));
    }

    /// <summary>The value in <paramref name="scenario"/> (a <see cref="FactKind.TriState"/> fact).</summary>
    internal bool? TriStateOf(Scenario scenario) => ((Func<Scenario, bool?>)_read)(scenario);

    /// <summary>The value in <paramref name="scenario"/> (a <see cref="FactKind.Occurrence"/> fact): when it happened, or never.</summary>
    internal DateOnly? OccurrenceOf(Scenario scenario) => ((Func<Scenario, DateOnly?>)_read)(scenario);

    /// <summary>The value in <paramref name="scenario"/> (a <see cref="FactKind.Cloud"/> or <see cref="FactKind.Choice"/> fact).</summary>
    internal string TextOf(Scenario scenario) => ((Func<Scenario, string>)_read)(scenario);

    /// <summary>Sets the value of a scenario being built (a scenario handed out is never changed).</summary>
    internal void Set<T>(Scenario scenario, T value) => ((Action<Scenario, T>)_write)(scenario, value);

    /// <summary>The value as written in <paramref name="input"/> (every kind but the product and true/false/unknown).</summary>
    internal string? TextIn(ScenarioInput input) => ((Func<ScenarioInput, string?>)_readInput)(input);

    /// <summary>The value as written in <paramref name="input"/> (a <see cref="FactKind.TriState"/> fact).</summary>
    internal TriStateInput TriStateIn(ScenarioInput input) => ((Func<ScenarioInput, TriStateInput>)_readInput)(input);

    /// <summary>Records the value as written.</summary>
    internal void SetIn(ScenarioInput input, string? text) => ((Action<ScenarioInput, string?>)_writeInput)(input, text);

    /// <summary>Records the value as written (a <see cref="FactKind.TriState"/> fact).</summary>
    internal void SetIn(ScenarioInput input, TriStateInput value) => ((Action<ScenarioInput, TriStateInput>)_writeInput)(input, value);

    internal static Fact Place(FactKind kind, string name, string option, string description, string property) =>
        new(kind, name, option, description, property);

    internal static Fact OfProduct(string name, string option, string description, string property, params (string Name, string Property)[] attributes) =>
        new(FactKind.Product, name, option, description, property) { AttributeProperties = attributes.ToDictionary(a => a.Name, a => typeof(Product).GetProperty(a.Property)!) };

    internal static Fact Choice(string name, string option, string description, IReadOnlyList<string> choices, string property) =>
        new(FactKind.Choice, name, option, description, property) { Choices = choices, DefaultText = choices[0] };

    internal static Fact Occurrence(string name, string conditionName, string option, string description, string property, string? notBefore = null, string notBeforeReason = "") =>
        new(FactKind.Occurrence, name, option, description, property) { ConditionName = conditionName, DefaultText = "never", NotBefore = notBefore, NotBeforeReason = notBeforeReason };

    internal static Fact TriState(string name, string option, string description, string property, Func<Product, bool?>? productDefault = null) =>
        new(FactKind.TriState, name, option, description, property) { ProductDefault = productDefault, DefaultText = productDefault is null ? "unknown" : "the product's catalogue default" };

    // Delegates bound to the property's accessors, of types known at compile time: no expression trees and no generic
    // types made at run time, so declaring the facts costs next to nothing at start-up.
    private static (Delegate Read, Delegate Write) Accessors<TOwner, TValue>(PropertyInfo property) =>
        (property.GetMethod!.CreateDelegate<Func<TOwner, TValue>>(), property.SetMethod!.CreateDelegate<Action<TOwner, TValue>>());

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The scenario's facts: their names, and the one declaration every reader, writer and condition derives from.</summary>
public static class Facts
{
    /// <summary>The product (conditions read <c>product.id</c>, <c>product.interface</c>, <c>product.origin</c>, <c>product.offeredBy</c>).</summary>
    public const string Product = "product";
    /// <summary>The cloud id.</summary>
    public const string Cloud = "cloud";
    /// <summary>The scenario date.</summary>
    public const string Date = "date";
    /// <summary>The segment.</summary>
    public const string Segment = "segment";
    /// <summary>Input: the date AGI was declared.</summary>
    public const string AgiDeclaredOn = "agiDeclaredOn";
    /// <summary>Input: the date a declaration was verified.</summary>
    public const string AgiVerifiedOn = "agiVerifiedOn";
    /// <summary>Condition: AGI declared on or before the date.</summary>
    public const string AgiDeclared = "agiDeclared";
    /// <summary>Condition: AGI verified on or before the date.</summary>
    public const string AgiVerified = "agiVerified";
    /// <summary>True/false/unknown.</summary>
    public const string MicrosoftDeclined = "microsoftDeclined";
    /// <summary>True/false/unknown.</summary>
    public const string ShippedOnAzureFirst = "shippedOnAzureFirst";
    /// <summary>True/false/unknown.</summary>
    public const string MeetsOpenWeightCriteria = "meetsOpenWeightCriteria";
    /// <summary>True/false/unknown.</summary>
    public const string StatelessCallsOnAzure = "statelessCallsOnAzure";

    /// <summary>
    /// Every fact of a scenario, in the order they are written and echoed. To add a fact: add its declaration here and
    /// the property it names to <see cref="Scenario"/> (its value) and to <see cref="ScenarioInput"/> (as written:
    /// a string, or a <see cref="TriStateInput"/>); nothing else changes.
    /// </summary>
    public static IReadOnlyList<Fact> All { get; } = Numbered(
    [
        Fact.OfProduct(Product, "--product", "a catalogue product id, or an inline product as a JSON object", nameof(Scenario.Product),
            ("id", nameof(Model.Product.Id)), ("interface", nameof(Model.Product.Interface)), ("origin", nameof(Model.Product.Origin)), ("offeredBy", nameof(Model.Product.OfferedBy))),
        Fact.Place(FactKind.Cloud, Cloud, "--cloud", "the cloud the product is hosted on or sold through", nameof(Scenario.Cloud)),
        Fact.Place(FactKind.Date, Date, "--date", "the date of the question, yyyy-mm-dd", nameof(Scenario.Date)),
        Fact.Choice(Segment, "--segment", "the market segment", [Segments.General, Segments.UsNationalSecurity], nameof(Scenario.Segment)),
        Fact.Occurrence(AgiDeclaredOn, AgiDeclared, "--agi-declared", "the date AGI was declared", nameof(Scenario.AgiDeclaredOn)),
        Fact.Occurrence(AgiVerifiedOn, AgiVerified, "--agi-verified", "the date an expert panel verified the declaration", nameof(Scenario.AgiVerifiedOn),
            notBefore: AgiDeclaredOn, notBeforeReason: "a verification needs a declaration on or before it"),
        Fact.TriState(MicrosoftDeclined, "--microsoft-declined", "Microsoft is unable to, or chose not to, support the product on Azure", nameof(Scenario.MicrosoftDeclined)),
        Fact.TriState(ShippedOnAzureFirst, "--shipped-on-azure-first", "the product shipped on Azure first", nameof(Scenario.ShippedOnAzureFirst), productDefault: p => p.ShippedOnAzureFirst),
        Fact.TriState(MeetsOpenWeightCriteria, "--meets-open-weight-criteria", "an open-weight model meets the capability criteria", nameof(Scenario.MeetsOpenWeightCriteria)),
        Fact.TriState(StatelessCallsOnAzure, "--stateless-calls-on-azure", "stateless calls of a collaboration are hosted in Azure", nameof(Scenario.StatelessCallsOnAzure)),
    ]);

    /// <summary>The true/false/unknown facts, in declaration order; the only facts an <c>anyOf</c> may name.</summary>
    public static IReadOnlyList<string> TriStates { get; } = [.. All.Where(f => f.Kind == FactKind.TriState).Select(f => f.Name)];

    /// <summary>The facts a scenario may leave out, in declaration order (those the fact options of a command set).</summary>
    public static IReadOnlyList<Fact> Optional { get; } = [.. All.Where(f => !f.Required)];

    private static readonly Dictionary<string, Fact> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The declared fact named <paramref name="name"/> as written in scenarios.</summary>
    public static Fact Of(string name) => ByName[name];

    /// <summary>The declared fact named <paramref name="name"/> as written in scenarios, if there is one.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Fact? fact) => ByName.TryGetValue(name, out fact);

    private static IReadOnlyList<Fact> Numbered(Fact[] facts)
    {
        for (var i = 0; i < facts.Length; i++)
        {
            facts[i].Index = i;
        }
        return facts;
    }
}
