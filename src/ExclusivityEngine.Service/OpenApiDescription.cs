using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ExclusivityEngine.Service;

/// <summary>
/// The OpenAPI document's additions to what the endpoints' metadata gives: the title, the headers every answer carries,
/// and the two endpoints that are not minimal-API handlers (<c>/metrics</c>, the document itself).
/// </summary>
internal static class OpenApiDescription
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ExclusivityEngine decision service",
                Version = "v1",
                Description = "May an OpenAI product be hosted on, or sold through, a cloud on a date, under each version of the agreements, and why. "
                    + "Every answer carries X-Rule-Set: the sha256 of the rule set that answered. Errors are {\"error\": {\"code\", \"message\", \"field\"}}; "
                    + "an unknown query parameter is refused (invalid-query); unknown paths answer 404 (not-found) and wrong methods 405 (method-not-allowed).",
            };
            document.Paths ??= [];
            document.Paths["/metrics"] = Path("metrics", "operations", "Prometheus metrics: decisions by endpoint and permission, rejected inputs by code, request durations, the rule set's hash as a label.", "text/plain");
            document.Paths["/openapi/v1.json"] = Path("openApi", "operations", "This document (OpenAPI 3).", "application/json");
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // Query parameters read from the request rather than bound (the facts come from their declarations).
            var endpoint = context.Description.ActionDescriptor.EndpointMetadata.OfType<ServiceEndpoint>().FirstOrDefault();
            foreach (var parameter in endpoint?.Query ?? [])
            {
                operation.Parameters ??= [];
                if (!operation.Parameters.Any(p => p.Name == parameter.Name))
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Description = parameter.Description,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }
            }
            foreach (var response in operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            {
                if (response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["X-Rule-Set"] = new OpenApiHeader
                    {
                        Description = "sha256 of the rule set that answered (absent before one is loaded).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
            return Task.CompletedTask;
        });
    }

    private static OpenApiPathItem Path(string id, string tag, string summary, string mediaType)
    {
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(tag) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = mediaType == "text/plain" ? JsonSchemaType.String : JsonSchemaType.Object } },
                    },
                },
            },
        };
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, operation);
        return item;
    }
}
