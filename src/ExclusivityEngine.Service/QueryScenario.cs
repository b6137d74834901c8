using System.ComponentModel;
using System.Globalization;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;
using Microsoft.AspNetCore.Mvc;

namespace ExclusivityEngine.Service;

/// <summary>The query of <c>GET /v1/why-not</c>: a scenario under the batch input's field names, and the target.</summary>
internal sealed class WhyNotQuery
{
    [FromQuery(Name = "product"), Description("A catalogue product id, or an inline product as a JSON object.")]
    public string? Product { get; init; }
    [FromQuery(Name = "cloud"), Description("A catalogue cloud id.")]
    public string? Cloud { get; init; }
    [FromQuery(Name = "date"), Description("The date, yyyy-mm-dd.")]
    public string? Date { get; init; }
    [FromQuery(Name = "want"), Description("Permitted (the default) or Conditional (not Prohibited).")]
    public string? Want { get; init; }
    [FromQuery(Name = Facts.Segment), Description("general (the default) or us-national-security.")]
    public string? Segment { get; init; }
    [FromQuery(Name = Facts.AgiDeclaredOn), Description("Date AGI was declared (default: never).")]
    public string? AgiDeclaredOn { get; init; }
    [FromQuery(Name = Facts.AgiVerifiedOn), Description("Date the declaration was verified (default: never).")]
    public string? AgiVerifiedOn { get; init; }
    [FromQuery(Name = Facts.MicrosoftDeclined), Description("true, false or unknown.")]
    public string? MicrosoftDeclined { get; init; }
    [FromQuery(Name = Facts.ShippedOnAzureFirst), Description("true, false or unknown (default: the product's catalogue default).")]
    public string? ShippedOnAzureFirst { get; init; }
    [FromQuery(Name = Facts.MeetsOpenWeightCriteria), Description("true, false or unknown.")]
    public string? MeetsOpenWeightCriteria { get; init; }
    [FromQuery(Name = Facts.StatelessCallsOnAzure), Description("true, false or unknown.")]
    public string? StatelessCallsOnAzure { get; init; }

    public static readonly string[] Names =
    [
        "product", "cloud", "date", "want", Facts.Segment, Facts.AgiDeclaredOn, Facts.AgiVerifiedOn,
        Facts.MicrosoftDeclined, Facts.ShippedOnAzureFirst, Facts.MeetsOpenWeightCriteria, Facts.StatelessCallsOnAzure,
    ];

    public ScenarioInput? ToInput(out ScenarioError? error) =>
        QueryScenario.Build(Product, Cloud, Date, Segment, AgiDeclaredOn, AgiVerifiedOn,
            [MicrosoftDeclined, ShippedOnAzureFirst, MeetsOpenWeightCriteria, StatelessCallsOnAzure], out error);
}

/// <summary>The query of <c>GET /v1/timeline</c>: a product, a range, and the scenario's other facts.</summary>
internal sealed class TimelineQuery
{
    [FromQuery(Name = "product"), Description("A catalogue product id, or an inline product as a JSON object.")]
    public string? Product { get; init; }
    [FromQuery(Name = "from"), Description("First day, yyyy-mm-dd (default 2019-01-01).")]
    public string? From { get; init; }
    [FromQuery(Name = "to"), Description("Last day, inclusive, yyyy-mm-dd (default 2035-12-31).")]
    public string? To { get; init; }
    [FromQuery(Name = Facts.Segment), Description("general (the default) or us-national-security.")]
    public string? Segment { get; init; }
    [FromQuery(Name = Facts.AgiDeclaredOn), Description("Date AGI was declared (default: never).")]
    public string? AgiDeclaredOn { get; init; }
    [FromQuery(Name = Facts.AgiVerifiedOn), Description("Date the declaration was verified (default: never).")]
    public string? AgiVerifiedOn { get; init; }
    [FromQuery(Name = Facts.MicrosoftDeclined), Description("true, false or unknown.")]
    public string? MicrosoftDeclined { get; init; }
    [FromQuery(Name = Facts.ShippedOnAzureFirst), Description("true, false or unknown (default: the product's catalogue default).")]
    public string? ShippedOnAzureFirst { get; init; }
    [FromQuery(Name = Facts.MeetsOpenWeightCriteria), Description("true, false or unknown.")]
    public string? MeetsOpenWeightCriteria { get; init; }
    [FromQuery(Name = Facts.StatelessCallsOnAzure), Description("true, false or unknown.")]
    public string? StatelessCallsOnAzure { get; init; }

    public static readonly string[] Names =
    [
        "product", "from", "to", Facts.Segment, Facts.AgiDeclaredOn, Facts.AgiVerifiedOn,
        Facts.MicrosoftDeclined, Facts.ShippedOnAzureFirst, Facts.MeetsOpenWeightCriteria, Facts.StatelessCallsOnAzure,
    ];

    /// <summary>The scenario; its cloud and date are placeholders, as in <c>timeline</c>: every cloud and day is taken.</summary>
    public ScenarioInput? ToInput(Catalogue catalogue, DateOnly from, out ScenarioError? error) =>
        QueryScenario.Build(Product, catalogue.Clouds[0].Id, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Segment, AgiDeclaredOn, AgiVerifiedOn,
            [MicrosoftDeclined, ShippedOnAzureFirst, MeetsOpenWeightCriteria, StatelessCallsOnAzure], out error);
}

/// <summary>A scenario written as query parameters, read into the same <see cref="ScenarioInput"/> a batch line gives.</summary>
internal static class QueryScenario
{
    /// <summary>Strict <c>yyyy-mm-dd</c>, as everywhere else.</summary>
    public static bool TryDay(string? text, string field, DateOnly fallback, out DateOnly day, out ScenarioError? error)
    {
        error = null;
        day = fallback;
        if (text is null)
        {
            return true;
        }
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }
        error = new ScenarioError(ScenarioErrorCodes.InvalidDate, $"`{field}` must be a calendar date written yyyy-mm-dd, not `{text}`", field);
        return false;
    }

    /// <summary>The scenario as written; <paramref name="triStates"/> are the four true/false/unknown facts, in <see cref="Facts.TriStates"/> order.</summary>
    public static ScenarioInput? Build(string? product, string? cloud, string? date, string? segment, string? declared, string? verified,
        string?[] triStates, out ScenarioError? error)
    {
        error = null;
        var input = new ScenarioInput { Cloud = cloud, Date = date, Segment = segment, AgiDeclaredOn = declared, AgiVerifiedOn = verified };
        if (product is not null && product.TrimStart().StartsWith('{'))
        {
            input.InlineProduct = ScenarioJson.ReadInlineProduct(product);
            if (input.InlineProduct is null)
            {
                error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, "`product` starts like an inline product but is not one JSON object", Facts.Product);
                return null;
            }
        }
        else
        {
            input.Product = product;
        }
        var values = new TriStateInput[triStates.Length];
        for (var i = 0; i < triStates.Length; i++)
        {
            if (triStates[i] is not { } text)
            {
                continue;
            }
            values[i] = ScenarioJson.ParseTri(text);
            if (values[i] == TriStateInput.Omitted)
            {
                var name = Facts.TriStates[i];
                error = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{name}` must be true, false or unknown, not `{text}`", name);
                return null;
            }
        }
        input.MicrosoftDeclined = values[0];
        input.ShippedOnAzureFirst = values[1];
        input.MeetsOpenWeightCriteria = values[2];
        input.StatelessCallsOnAzure = values[3];
        return input;
    }
}
