namespace ExclusivityEngine.Model;

/// <summary>The two market segments the agreements distinguish.</summary>
public static class Segments
{
    /// <summary>The default segment.</summary>
    public const string General = "general";

    /// <summary>US government national-security customers.</summary>
    public const string UsNationalSecurity = "us-national-security";

    /// <summary>Both values, in the catalogue's order.</summary>
    public static IReadOnlyList<string> All { get; } = [General, UsNationalSecurity];
}

/// <summary>
/// One question: may this product be hosted on, or sold through, this cloud on this date, given these facts?
/// Unknown facts are null ("unknown" is a third value, not false).
/// </summary>
/// <param name="Product">The catalogue or inline product.</param>
/// <param name="Cloud">The cloud id.</param>
/// <param name="Date">The calendar date.</param>
/// <param name="Segment"><c>general</c> or <c>us-national-security</c>.</param>
/// <param name="AgiDeclaredOn">When AGI was declared, if ever.</param>
/// <param name="AgiVerifiedOn">When a declaration was verified, if ever.</param>
/// <param name="MicrosoftDeclined">Microsoft is unable to, or chose not to, support the product on Azure.</param>
/// <param name="ShippedOnAzureFirst">The product shipped on Azure first (defaults already applied).</param>
/// <param name="MeetsOpenWeightCriteria">An open-weight model meets the capability criteria.</param>
/// <param name="StatelessCallsOnAzure">Stateless calls of a collaboration are hosted in Azure.</param>
public sealed record Scenario(
    Product Product,
    string Cloud,
    DateOnly Date,
    string Segment = Segments.General,
    DateOnly? AgiDeclaredOn = null,
    DateOnly? AgiVerifiedOn = null,
    bool? MicrosoftDeclined = null,
    bool? ShippedOnAzureFirst = null,
    bool? MeetsOpenWeightCriteria = null,
    bool? StatelessCallsOnAzure = null)
{
    /// <summary>AGI has been declared on or before the scenario's date.</summary>
    public bool AgiDeclared => AgiDeclaredOn is { } d && d <= Date;

    /// <summary>AGI has been verified on or before the scenario's date.</summary>
    public bool AgiVerified => AgiVerifiedOn is { } d && d <= Date;

    /// <summary>The value of a true/false/unknown fact by its input name, for <c>anyOf</c>.</summary>
    public bool? TriState(string fact) => fact switch
    {
        Facts.MicrosoftDeclined => MicrosoftDeclined,
        Facts.ShippedOnAzureFirst => ShippedOnAzureFirst,
        Facts.MeetsOpenWeightCriteria => MeetsOpenWeightCriteria,
        Facts.StatelessCallsOnAzure => StatelessCallsOnAzure,
        _ => throw new ArgumentOutOfRangeException(nameof(fact), fact, "not a true/false/unknown fact"),
    };
}

/// <summary>The names of the scenario's facts, as written in inputs and rule expressions.</summary>
public static class Facts
{
    /// <summary>The product (expressions read <c>product.id</c>, <c>product.interface</c>, <c>product.origin</c>, <c>product.offeredBy</c>).</summary>
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
    /// <summary>Expression: AGI declared on or before the date.</summary>
    public const string AgiDeclared = "agiDeclared";
    /// <summary>Expression: AGI verified on or before the date.</summary>
    public const string AgiVerified = "agiVerified";
    /// <summary>True/false/unknown.</summary>
    public const string MicrosoftDeclined = "microsoftDeclined";
    /// <summary>True/false/unknown.</summary>
    public const string ShippedOnAzureFirst = "shippedOnAzureFirst";
    /// <summary>True/false/unknown.</summary>
    public const string MeetsOpenWeightCriteria = "meetsOpenWeightCriteria";
    /// <summary>True/false/unknown.</summary>
    public const string StatelessCallsOnAzure = "statelessCallsOnAzure";

    /// <summary>The true/false/unknown facts, in input order; the only facts an <c>anyOf</c> may name.</summary>
    public static IReadOnlyList<string> TriStates { get; } = [MicrosoftDeclined, ShippedOnAzureFirst, MeetsOpenWeightCriteria, StatelessCallsOnAzure];
}
