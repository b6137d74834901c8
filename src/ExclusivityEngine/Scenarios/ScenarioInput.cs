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
}

/// <summary>Why a scenario cannot be evaluated: an interface error code, one sentence, and the field.</summary>
public sealed record ScenarioError(string Code, string Message, string? Field = null);

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
    /// <summary>The first field that is not an attribute, if any.</summary>
    public string? UnknownField { get; set; }
    /// <summary>The first attribute that is not a string, if any.</summary>
    public string? InvalidField { get; set; }
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

    /// <summary>Checks the input against the catalogue and the facts' rules; returns the scenario or the first error.</summary>
    public Scenario? Resolve(Catalogue catalogue, out ScenarioError? error)
    {
        error = null;
        Product product;
        if (InlineProduct is { } inline)
        {
            var p = ResolveInline(inline, catalogue, out error);
            if (p is null)
            {
                return null;
            }
            product = p;
        }
        else if (Product is null)
        {
            error = new ScenarioError(ScenarioErrorCodes.MissingField, "`product` is required", Facts.Product);
            return null;
        }
        else if (!catalogue.ProductsById.TryGetValue(Product, out product!))
        {
            error = new ScenarioError(ScenarioErrorCodes.UnknownProduct, $"`{Shown.Value(Product)}` is not a catalogue product ({string.Join(", ", catalogue.Products.Select(x => x.Id))})", Facts.Product);
            return null;
        }

        if (Cloud is null)
        {
            error = new ScenarioError(ScenarioErrorCodes.MissingField, "`cloud` is required", Facts.Cloud);
            return null;
        }
        if (!catalogue.CloudIndex.ContainsKey(Cloud))
        {
            error = new ScenarioError(ScenarioErrorCodes.UnknownCloud, $"`{Shown.Value(Cloud)}` is not a known cloud ({string.Join(", ", catalogue.Clouds.Select(c => c.Id))})", Facts.Cloud);
            return null;
        }
        if (Date is null)
        {
            error = new ScenarioError(ScenarioErrorCodes.MissingField, "`date` is required", Facts.Date);
            return null;
        }
        if (!TryDate(Date, Facts.Date, out var date, out error)
            || !TryOptionalDate(AgiDeclaredOn, Facts.AgiDeclaredOn, out var declared, out error)
            || !TryOptionalDate(AgiVerifiedOn, Facts.AgiVerifiedOn, out var verified, out error))
        {
            return null;
        }
        var segment = Segment ?? Segments.General;
        if (!Segments.All.Contains(segment))
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`segment` must be `general` or `us-national-security`, not `{Shown.Value(segment)}`", Facts.Segment);
            return null;
        }
        if (verified is { } v && (declared is not { } d || v < d))
        {
            error = new ScenarioError(ScenarioErrorCodes.InconsistentFacts, declared is null
                ? "`agiVerifiedOn` is given without `agiDeclaredOn`: a verification needs a declaration on or before it"
                : $"`agiVerifiedOn` ({v:yyyy-MM-dd}) is before `agiDeclaredOn` ({declared:yyyy-MM-dd}): a verification needs a declaration on or before it", Facts.AgiVerifiedOn);
            return null;
        }
        var shipped = ShippedOnAzureFirst == TriStateInput.Omitted ? product.ShippedOnAzureFirst : Value(ShippedOnAzureFirst);
        return new Scenario(product, Cloud, date, segment, declared, verified,
            Value(MicrosoftDeclined), shipped, Value(MeetsOpenWeightCriteria), Value(StatelessCallsOnAzure));
    }

    private static bool? Value(TriStateInput input) => input switch
    {
        TriStateInput.True => true,
        TriStateInput.False => false,
        _ => null,
    };

    private static Product? ResolveInline(InlineProductInput inline, Catalogue catalogue, out ScenarioError? error)
    {
        error = null;
        if (inline.UnknownField is { } unknown)
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"an inline product has `id`, `interface`, `origin`, `offeredBy` and `shippedOnAzureFirst`, not `{Shown.Value(unknown)}`", $"product.{unknown}");
            return null;
        }
        if (inline.InvalidField is { } invalid)
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the inline product's `{invalid}` must be a string", $"product.{invalid}");
            return null;
        }
        if (string.IsNullOrEmpty(inline.Id))
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, "the inline product has no `id`", "product.id");
            return null;
        }
        string? Attribute(string name, string? value, out ScenarioError? problem)
        {
            problem = null;
            var allowed = catalogue.AttributeValues.TryGetValue(name, out var values) ? values : [];
            if (value is null)
            {
                problem = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the inline product `{Shown.Value(inline.Id)}` has no `{name}`", $"product.{name}");
            }
            else if (!allowed.Contains(value))
            {
                problem = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the inline product `{Shown.Value(inline.Id)}` has {name} `{Shown.Value(value)}`, which is not one of {string.Join(", ", allowed)}", $"product.{name}");
            }
            return problem is null ? value : null;
        }
        var iface = Attribute("interface", inline.Interface, out error);
        if (iface is null)
        {
            return null;
        }
        var origin = Attribute("origin", inline.Origin, out error);
        if (origin is null)
        {
            return null;
        }
        var offeredBy = Attribute("offeredBy", inline.OfferedBy, out error);
        if (offeredBy is null)
        {
            return null;
        }
        return new Product(inline.Id, iface, origin, offeredBy, Value(inline.ShippedOnAzureFirst), null, IsInline: true);
    }

    private static bool TryDate(string text, string field, out DateOnly date, out ScenarioError? error)
    {
        error = null;
        if (TryParseIsoDate(text, out date))
        {
            return true;
        }
        error = new ScenarioError(ScenarioErrorCodes.InvalidDate, $"`{field}` must be a calendar date written yyyy-mm-dd, not `{Shown.Value(text)}`", field);
        date = default;
        return false;
    }

    /// <summary>Exactly <c>yyyy-mm-dd</c>, a real calendar date; faster than the culture-aware parser on the batch path.</summary>
    internal static bool TryParseIsoDate(string text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }
        int Digits(int start, int count)
        {
            var value = 0;
            for (var i = start; i < start + count; i++)
            {
                var digit = text[i] - '0';
                if ((uint)digit > 9)
                {
                    return -1;
                }
                value = value * 10 + digit;
            }
            return value;
        }
        var year = Digits(0, 4);
        var month = Digits(5, 2);
        var day = Digits(8, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
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
