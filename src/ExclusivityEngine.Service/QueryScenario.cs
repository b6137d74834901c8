using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;
using Microsoft.AspNetCore.Http;

namespace ExclusivityEngine.Service;

/// <summary>A query parameter an endpoint takes: its name and, for the OpenAPI document, what it means.</summary>
internal sealed record QueryParameter(string Name, string Description);

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
        if (ScenarioInput.TryParseIsoDate(text, out day))
        {
            return true;
        }
        error = new ScenarioError(ScenarioErrorCodes.InvalidDate, $"`{field}` must be a calendar date written yyyy-mm-dd, not `{text}`", field);
        return false;
    }

    /// <summary>The query parameters of the facts (by their scenario names), derived from <see cref="Facts.All"/>.</summary>
    public static IEnumerable<QueryParameter> FactParameters(bool place) =>
        Facts.All.Where(f => place || !f.Required).Select(f => new QueryParameter(f.Name, f.Kind switch
        {
            FactKind.Choice => $"{f.Description}: {string.Join(" or ", f.Choices)} (default {f.DefaultText}).",
            FactKind.Occurrence => $"{f.Description}, yyyy-mm-dd (default: {f.DefaultText}).",
            FactKind.TriState => $"{f.Description}: true, false or unknown (default: {f.DefaultText}).",
            _ => $"{f.Description}.",
        }));

    /// <summary>
    /// The scenario written in <paramref name="query"/> under the batch input's field names, read into the same
    /// <see cref="ScenarioInput"/> a batch line gives; <paramref name="place"/> gives the cloud and date instead, where
    /// an endpoint takes every cloud and day itself.
    /// </summary>
    public static ScenarioInput? Read(IQueryCollection query, (string Cloud, string Date)? place, out ScenarioError? error)
    {
        error = null;
        var input = new ScenarioInput();
        foreach (var fact in Facts.All)
        {
            string? text = place is { } given && fact.Kind is FactKind.Cloud or FactKind.Date
                ? (fact.Kind == FactKind.Cloud ? given.Cloud : given.Date)
                : query.TryGetValue(fact.Name, out var values) ? values.ToString() : null;
            if (text is null)
            {
                continue;
            }
            switch (fact.Kind)
            {
                case FactKind.Product when text.TrimStart().StartsWith('{'):
                    input.InlineProduct = ScenarioJson.ReadInlineProduct(text, out var why);
                    if (input.InlineProduct is null)
                    {
                        error = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"`{fact.Name}` starts like an inline product but is not one JSON object: {why}", fact.Name);
                        return null;
                    }
                    break;
                case FactKind.TriState:
                    var value = ScenarioJson.ParseTri(text);
                    if (value == TriStateInput.Omitted)
                    {
                        error = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{fact.Name}` must be true, false or unknown, not `{Quote.Short(text)}`", fact.Name);
                        return null;
                    }
                    input.Set(fact, value);
                    break;
                default:
                    input.Set(fact, text);
                    break;
            }
        }
        return input;
    }
}
