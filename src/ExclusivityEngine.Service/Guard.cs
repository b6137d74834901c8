using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ExclusivityEngine.Service;

/// <summary>
/// The one middleware around every endpoint: the <c>X-Rule-Set</c> header, unknown query parameters refused, 404 and 405
/// as JSON errors, no exception ever reaching a client as anything but a JSON error, and the request duration metric.
/// </summary>
internal sealed class Guard(RuleSetHolder holder, ServiceMetrics metrics, TextWriter stderr)
{
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = ctx.GetEndpoint()?.Metadata.GetMetadata<ServiceEndpoint>();
        if (holder.Current is { } rules)
        {
            ctx.Response.Headers[Answers.RuleSetHeader] = rules.Header;
        }
        try
        {
            if (endpoint is not null && ctx.Request.QueryString.HasValue && RefusedQuery(ctx.Request.Query, endpoint) is { } problem)
            {
                metrics.Rejected(endpoint.Name, ErrorCodes.InvalidQuery);
                Answers.Error(ctx.Response, StatusCodes.Status400BadRequest, ErrorCodes.InvalidQuery, problem.Message, problem.Field);
            }
            else
            {
                await next(ctx).ConfigureAwait(false);
            }
            var response = ctx.Response;
            if (response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status415UnsupportedMediaType
                && !response.HasStarted && response.ContentType is null && response.ContentLength is null)
            {
                // Routing's own refusals come without a body.
                var (code, message) = response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => (ErrorCodes.NotFound, $"there is no `{ctx.Request.Path}` (see /openapi/v1.json)"),
                    StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, $"`{ctx.Request.Path}` does not answer {ctx.Request.Method} (it answers {response.Headers.Allow})"),
                    _ => (ErrorCodes.UnsupportedMediaType, $"`{ctx.Request.Path}` does not take a body of type `{ctx.Request.ContentType}` (/v1/evaluate takes application/json, /v1/batch application/x-ndjson, application/jsonl or application/json-lines)"),
                };
                metrics.Rejected(endpoint?.Name ?? "none", code);
                Answers.Error(response, response.StatusCode, code, message);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while the body is read: too large, too slow, badly framed.
            var (code, message) = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "the body is larger than this endpoint accepts"),
                StatusCodes.Status408RequestTimeout => (ErrorCodes.Timeout, "the body arrived too slowly"),
                _ => (ErrorCodes.BadRequest, "the request is not well-formed HTTP"),
            };
            metrics.Rejected(endpoint?.Name ?? "none", code);
            Fail(ctx, e.StatusCode, code, message, close: true);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ctx.RequestAborted.IsCancellationRequested || e is ClientStalledException)
        {
            // The client went away (a reset mid-batch comes as an IOException), or stopped reading and was cut off (the
            // abort may not have reached the token yet): there is no one to answer, and nothing failed on this side.
        }
        catch (Exception e)
        {
            // The stack trace is for the operator, on stderr; the client gets one sentence.
            stderr.WriteLine($"serve: {ctx.Request.Method} {ctx.Request.Path} failed: {e}");
            Fail(ctx, StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "the service failed to answer this request; the failure is logged on its side");
        }
        finally
        {
            metrics.Observe(endpoint?.Name ?? "none", ctx.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private void Fail(HttpContext ctx, int status, string code, string message, bool close = false)
    {
        if (ctx.Response.HasStarted)
        {
            // Part of an answer is out (a streaming batch): cutting the connection is the only honest end.
            ctx.Abort();
            return;
        }
        ctx.Response.Clear();
        if (holder.Current is { } rules)
        {
            ctx.Response.Headers[Answers.RuleSetHeader] = rules.Header;
        }
        if (close)
        {
            // The rest of the body was not read: the connection cannot carry another request, and the client is told.
            ctx.Response.Headers.Connection = "close";
        }
        Answers.Error(ctx.Response, status, code, message);
    }

    private static (string Message, string? Field)? RefusedQuery(IQueryCollection query, ServiceEndpoint endpoint)
    {
        foreach (var (key, values) in query)
        {
            if (!Array.Exists(endpoint.Query, q => q.Name == key))
            {
                return ($"`{key}` is not a query parameter of {endpoint.Name} ({(endpoint.Query.Length == 0 ? "it takes none" : "it takes " + string.Join(", ", endpoint.Query.Select(q => q.Name)))}): a misspelt parameter is refused, never ignored", key);
            }
            if (values.Count > 1)
            {
                return ($"`{key}` is given {values.Count} times", key);
            }
        }
        return null;
    }
}
