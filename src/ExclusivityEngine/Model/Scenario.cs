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
/// Unknown facts are null ("unknown" is a third value, not false). Each fact is declared in <see cref="Facts.All"/>.
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
    public bool? TriState(string fact) => Facts.Of(fact).TriStateOf(this);
}
