using System.Text;
using System.Text.Json;
using ExclusivityEngine.Tests.Catalogue;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Service;

/// <summary>The catalogue cases as requests, and what the command line answers to the same questions.</summary>
internal static class ServiceCases
{
    public static IReadOnlyList<CatalogueCase> Catalogue { get; } = CatalogueCase.ReadFile("catalogue.jsonl").ToList();

    /// <summary>The <c>evaluate</c> options that state the same scenario as a batch line.</summary>
    public static string[] EvaluateArgs(string scenarioJson)
    {
        using var doc = JsonDocument.Parse(scenarioJson);
        var args = new List<string> { "evaluate", "--format", "json" };
        foreach (var field in doc.RootElement.EnumerateObject())
        {
            var option = field.Name switch
            {
                "product" => "--product",
                "cloud" => "--cloud",
                "date" => "--date",
                "segment" => "--segment",
                "agiDeclaredOn" => "--agi-declared",
                "agiVerifiedOn" => "--agi-verified",
                "microsoftDeclined" => "--microsoft-declined",
                "shippedOnAzureFirst" => "--shipped-on-azure-first",
                "meetsOpenWeightCriteria" => "--meets-open-weight-criteria",
                "statelessCallsOnAzure" => "--stateless-calls-on-azure",
                _ => throw new InvalidDataException($"no option for `{field.Name}`"),
            };
            var value = field.Value.ValueKind switch
            {
                JsonValueKind.String => field.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null when field.Name.EndsWith("On", StringComparison.Ordinal) => null,
                JsonValueKind.Null when field.Name == "segment" => null,
                JsonValueKind.Null => "unknown",
                _ => field.Value.GetRawText(),
            };
            if (value is not null)
            {
                args.Add(option);
                args.Add(value);
            }
        }
        return [.. args];
    }

    /// <summary>What <c>evaluate --format json</c> prints for each catalogue case, in order.</summary>
    public static IReadOnlyList<string> CliEvaluations { get; } = Catalogue.Select(c =>
    {
        var run = CliRun.Of(EvaluateArgs(c.Scenario));
        Assert.That(run.ExitCode, Is.Zero, $"{c.Name}: {run.Stderr}");
        return run.Stdout;
    }).ToList();

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static StringContent JsonLines(string body) => new(body, Encoding.UTF8, "application/x-ndjson");

    public static string RuleSet(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Rule-Set", out var values) ? values.Single() : "";

    public static string? DecisionId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Decision-Id", out var values) ? values.Single() : null;

    public static (string Code, string? Field) CodeAndField(string body)
    {
        var (code, field, _) = Error(body);
        return (code, field);
    }

    /// <summary>The error of an error answer: code, field and message.</summary>
    public static (string Code, string? Field, string Message) Error(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        return (error.GetProperty("code").GetString()!,
            error.TryGetProperty("field", out var field) ? field.GetString() : null,
            error.GetProperty("message").GetString()!);
    }
}
