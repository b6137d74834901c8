using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>The error codes of the interface for a scenario that cannot be evaluated.</summary>
public static class ScenarioErrorCodes
{
    /// <summary>The line is not one JSON object.</summary>
    public const string InvalidJson = "invalid-json";
    /// <summary>A CSV record is broken.</summary>
    public const string InvalidCsv = "invalid-csv";
    /// <summary><c>product</c>, <c>cloud</c> or <c>date</c> is missing.</summary>
    public const string MissingField = "missing-field";
    /// <summary>The product id is not in the catalogue.</summary>
    public const string UnknownProduct = "unknown-product";
    /// <summary>The cloud is not in the catalogue.</summary>
    public const string UnknownCloud = "unknown-cloud";
    /// <summary>A date is not a calendar date.</summary>
    public const string InvalidDate = "invalid-date";
    /// <summary>An unknown field, or a fact with a value it cannot take.</summary>
    public const string InvalidFact = "invalid-fact";
    /// <summary>An inline product with a missing or unknown attribute.</summary>
    public const string InvalidProduct = "invalid-product";
    /// <summary>Facts that contradict each other (a verification without, or before, a declaration).</summary>
    public const string InconsistentFacts = "inconsistent-facts";

    /// <summary>The code for a value of the wrong kind: what a bad value of such a fact is.</summary>
    internal static string ForValueOf(FactKind kind) => kind switch
    {
        FactKind.Product => UnknownProduct,
        FactKind.Cloud => UnknownCloud,
        FactKind.Date or FactKind.Occurrence => InvalidDate,
        _ => InvalidFact,
    };
}

/// <summary>Why a scenario cannot be evaluated: an interface error code, one sentence, and the field.</summary>
public sealed record ScenarioError(string Code, string Message, string? Field = null)
{
    /// <summary>The message as a batch answer writes it: naming the field, unless the message already quotes one.</summary>
    internal string MessageNamingField => Field is null || Message.Contains('`') ? Message : $"field `{Field}`: {Message}";
}

/// <summary>Thrown by the library when a scenario cannot be evaluated.</summary>
public sealed class ScenarioException(ScenarioError error) : Exception(error.Message)
{
    /// <summary>The code, sentence and field.</summary>
    public ScenarioError Error { get; } = error;
}

/// <summary>A true/false/unknown fact as written: omitted is not the same as null for <c>shippedOnAzureFirst</c>.</summary>
public enum TriStateInput : byte
{
    /// <summary>Not written: the default applies.</summary>
    Omitted,
    /// <summary><c>null</c> or <c>unknown</c>.</summary>
    Unknown,
    /// <summary><c>true</c>.</summary>
    True,
    /// <summary><c>false</c>.</summary>
    False,
}

/// <summary>An inline product as written.</summary>
public sealed class InlineProductInput
{
    /// <summary>The product id.</summary>
    public string? Id { get; set; }
    /// <summary>The interface.</summary>
    public string? Interface { get; set; }
    /// <summary>The origin.</summary>
    public string? Origin { get; set; }
    /// <summary>Who offers it.</summary>
    public string? OfferedBy { get; set; }
    /// <summary>Its default of <c>shippedOnAzureFirst</c>.</summary>
    public TriStateInput ShippedOnAzureFirst { get; set; }
    /// <summary>The first field written twice, if any.</summary>
    internal string? DuplicateField { get; set; }
    /// <summary>The first field that is not an attribute, if any.</summary>
    internal string? UnknownField { get; set; }
    /// <summary>The first attribute that is not a string, if any.</summary>
    internal string? InvalidField { get; set; }
}

/// <summary>A scenario as written in any input (JSON Lines, CSV, command-line options, test files), before it is checked.</summary>
public sealed class ScenarioInput
{
    /// <summary>The catalogue product id, when the product is named.</summary>
    public string? Product { get; set; }
    /// <summary>The inline product, when it is described.</summary>
    public InlineProductInput? InlineProduct { get; set; }
    /// <summary>The cloud id.</summary>
    public string? Cloud { get; set; }
    /// <summary>The date, as written.</summary>
    public string? Date { get; set; }
    /// <summary>The segment; null is general.</summary>
    public string? Segment { get; set; }
    /// <summary>The AGI declaration date, as written.</summary>
    public string? AgiDeclaredOn { get; set; }
    /// <summary>The AGI verification date, as written.</summary>
    public string? AgiVerifiedOn { get; set; }
    /// <summary>True/false/unknown.</summary>
    public TriStateInput MicrosoftDeclined { get; set; }
    /// <summary>True/false/unknown; omitted takes the product's default.</summary>
    public TriStateInput ShippedOnAzureFirst { get; set; }
    /// <summary>True/false/unknown.</summary>
    public TriStateInput MeetsOpenWeightCriteria { get; set; }
    /// <summary>True/false/unknown.</summary>
    public TriStateInput StatelessCallsOnAzure { get; set; }

    /// <summary>Records a fact as written: a date, a choice, a cloud, or a product by its catalogue id.</summary>
    public void Set(Fact fact, string? text)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (fact.Kind == FactKind.TriState)
        {
            throw new ArgumentException($"`{fact.Name}` is true, false or unknown", nameof(fact));
        }
        fact.SetIn(this, text);
    }

    /// <summary>Records a true/false/unknown fact as written.</summary>
    public void Set(Fact fact, TriStateInput value)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (fact.Kind != FactKind.TriState)
        {
            throw new ArgumentException($"`{fact.Name}` is not true, false or unknown", nameof(fact));
        }
        fact.SetIn(this, value);
    }

    /// <summary>
    /// Reads what is written (the product, dates, true/false/unknown values, defaults) into a scenario and checks it as
    /// every scenario is checked (<see cref="ScenarioCheck"/>); returns the scenario, or the first error in field order.
    /// </summary>
    public Scenario? Resolve(Catalogue catalogue, out ScenarioError? error)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var product = ResolveProduct(catalogue, out error);
        if (product is null)
        {
            return null;
        }
        var scenario = new Scenario(product, "", default);
        foreach (var fact in Facts.All)
        {
            switch (fact.Kind)
            {
                case FactKind.Cloud or FactKind.Choice:
                    var text = fact.TextIn(this);
                    if (text is null && fact.Required)
                    {
                        error = Missing(fact);
                        return null;
                    }
                    fact.Set(scenario, text ?? fact.Choices[0]);
                    break;
                case FactKind.Date:
                    if (fact.TextIn(this) is not { } written)
                    {
                        error = Missing(fact);
                        return null;
                    }
                    if (!TryDate(written, fact.Name, out var date, out error))
                    {
                        return null;
                    }
                    fact.Set(scenario, date);
                    break;
                case FactKind.Occurrence:
                    if (!TryOptionalDate(fact.TextIn(this), fact.Name, out var happened, out error))
                    {
                        return null;
                    }
                    fact.Set(scenario, happened);
                    break;
                case FactKind.TriState:
                    var value = fact.TriStateIn(this);
                    fact.Set(scenario, value == TriStateInput.Omitted && fact.ProductDefault is { } productDefault ? productDefault(product) : Value(value));
                    break;
            }
        }
        error = ScenarioCheck.Problem(scenario, catalogue);
        return error is null ? scenario : null;
    }

    private static ScenarioError Missing(Fact fact) =>
        new(ScenarioErrorCodes.MissingField, $"`{fact.Name}` is required", fact.Name);

    private Product? ResolveProduct(Catalogue catalogue, out ScenarioError? error)
    {
        error = null;
        if (InlineProduct is { } inline)
        {
            return ResolveInline(inline, out error);
        }
        if (Product is null)
        {
            error = Missing(Facts.Of(Facts.Product));
            return null;
        }
        if (!catalogue.ProductsById.TryGetValue(Product, out var product))
        {
            error = new ScenarioError(ScenarioErrorCodes.UnknownProduct, $"`{Quote.Short(Product)}` is not a catalogue product ({string.Join(", ", catalogue.Products.Select(x => x.Id))})", Facts.Product);
        }
        return product;
    }

    private static bool? Value(TriStateInput input) => input switch
    {
        TriStateInput.True => true,
        TriStateInput.False => false,
        _ => null,
    };

    /// <summary>The inline product as written; its attribute values are checked with every scenario's (<see cref="ScenarioCheck"/>).</summary>
    private static Product? ResolveInline(InlineProductInput inline, out ScenarioError? error)
    {
        error = null;
        if (inline.DuplicateField is { } twice)
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidJson, $"the inline product's `{Quote.Short(twice)}` is written twice", $"product.{twice}");
            return null;
        }
        if (inline.UnknownField is { } unknown)
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"an inline product has `id`, `interface`, `origin`, `offeredBy` and `shippedOnAzureFirst`, not `{Quote.Short(unknown)}`", $"product.{unknown}");
            return null;
        }
        if (inline.InvalidField is { } invalid)
        {
            var wanted = invalid == Facts.ShippedOnAzureFirst ? "true, false or null" : "a string";
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the inline product's `{invalid}` must be {wanted}", $"product.{invalid}");
            return null;
        }
        if (string.IsNullOrEmpty(inline.Id))
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, "the inline product has no `id`", "product.id");
            return null;
        }
        foreach (var (name, value) in new[] { ("interface", inline.Interface), ("origin", inline.Origin), ("offeredBy", inline.OfferedBy) })
        {
            if (value is null)
            {
                error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the inline product `{Quote.Short(inline.Id)}` has no `{name}`", $"product.{name}");
                return null;
            }
        }
        return new Product(inline.Id, inline.Interface!, inline.Origin!, inline.OfferedBy!, Value(inline.ShippedOnAzureFirst), null, IsInline: true);
    }

    private static bool TryDate(string text, string field, out DateOnly date, out ScenarioError? error)
    {
        error = null;
        if (TryParseIsoDate(text, out date))
        {
            return true;
        }
        error = new ScenarioError(ScenarioErrorCodes.InvalidDate, $"`{field}` must be a calendar date written yyyy-mm-dd, not `{Quote.Short(text)}`", field);
        date = default;
        return false;
    }

    /// <summary>Exactly <c>yyyy-mm-dd</c>, a real calendar date; faster than the culture-aware parser on the batch path.</summary>
    internal static bool TryParseIsoDate(string text, out DateOnly date) => TryParseIsoDate(text.AsSpan(), out date);

    /// <summary>As <see cref="TryParseIsoDate(string, out DateOnly)"/>, on the UTF-8 bytes of a batch line.</summary>
    internal static bool TryParseIsoDate(ReadOnlySpan<byte> utf8, out DateOnly date)
    {
        date = default;
        if (utf8.Length != 10 || utf8[4] != (byte)'-' || utf8[7] != (byte)'-')
        {
            return false;
        }
        var year = Digit(utf8[0]) * 1000 + Digit(utf8[1]) * 100 + Digit(utf8[2]) * 10 + Digit(utf8[3]);
        var month = Digit(utf8[5]) * 10 + Digit(utf8[6]);
        var day = Digit(utf8[8]) * 10 + Digit(utf8[9]);
        // A byte that is no digit makes its part negative (Digit gives -10000 for it).
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        static int Digit(byte b) => (uint)(b - '0') <= 9 ? b - '0' : -10000;
    }

    private static bool TryParseIsoDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        // One parser, on bytes: a date is ASCII, so anything else is no date (and must not be narrowed into a digit).
        date = default;
        Span<byte> ascii = stackalloc byte[10];
        if (text.Length != ascii.Length || System.Text.Ascii.FromUtf16(text, ascii, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }
        return TryParseIsoDate(ascii, out date);
    }

    private static bool TryOptionalDate(string? text, string field, out DateOnly? date, out ScenarioError? error)
    {
        date = null;
        error = null;
        if (text is null)
        {
            return true;
        }
        if (!TryDate(text, field, out var value, out error))
        {
            return false;
        }
        date = value;
        return true;
    }
}
