using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Scenarios;
using ExclusivityEngine.Service.Shapes;
using ExclusivityEngine.Timeline;
using ExclusivityEngine.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace ExclusivityEngine.Service;

/// <summary>What the service knows of an endpoint: its name (in metrics and logs) and the query parameters it takes.</summary>
internal sealed record ServiceEndpoint(string Name, params QueryParameter[] Query);

/// <summary>The contract's endpoints. Each request takes the rule set answering now once and answers with it to the end.</summary>
internal sealed class Endpoints(
    ServiceOptions options, RuleSetHolder holder, ServiceMetrics metrics, DecisionLog? log, DecisionIds ids,
    byte[]? adminTokenHash, TimeProvider time, TextWriter stderr, Func<bool> stopping)
{
    public const string Evaluate = "/v1/evaluate";
    public const string Batch = "/v1/batch";

    private const string JsonMedia = "application/json";
    private static readonly string[] JsonLinesMedia = ["application/x-ndjson", "application/jsonl", "application/json-lines"];

    private readonly SemaphoreSlim _batches = new(options.MaxConcurrentBatches, options.MaxConcurrentBatches);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Evaluate, (Func<HttpContext, Task>)EvaluateAsync)
            .WithMetadata(new ServiceEndpoint(Evaluate))
            .WithName("evaluate").WithTags("decisions")
            .WithSummary("Evaluate one scenario")
            .WithDescription("The body is one scenario, as a batch line. The answer is the assessment exactly as `evaluate --format json` prints it. Headers: X-Rule-Set, X-Decision-Id.")
            .Accepts<ScenarioShape>(JsonMedia)
            .Produces<AssessmentShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status400BadRequest, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status413PayloadTooLarge, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status415UnsupportedMediaType, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia);

        app.MapPost(Batch, (HttpContext ctx, [FromQuery(Name = "detail"), Description("summary (the default), versions or full: how much of each version's verdict a line carries.")] string? detail) => BatchAsync(ctx, detail))
            .WithMetadata(new ServiceEndpoint(Batch, new QueryParameter("detail", "")))
            .WithName("batch").WithTags("decisions")
            .WithSummary("Evaluate many scenarios, streamed")
            .WithDescription("The body is JSON Lines, one scenario a line. The answer is JSON Lines, one line per non-blank input line, in order, rejected lines in place, exactly as `batch` writes them; it streams while the body is still being read. A line longer than 1 MiB is rejected in place. Headers: X-Rule-Set, X-Decision-Id (the request's id; each logged line has its own).")
            .Accepts<ScenarioShape>(JsonLinesMedia[0], JsonLinesMedia[1..])
            .Produces<BatchLineShape>(StatusCodes.Status200OK, "application/x-ndjson")
            .Produces<ErrorShape>(StatusCodes.Status400BadRequest, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status415UnsupportedMediaType, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia)
            .DisableRequestTimeout();

        app.MapGet("/v1/timeline", (Func<HttpContext, Task>)TimelineAsync)
            .WithMetadata(Head(app, "/v1/timeline", TimelineAsync, new ServiceEndpoint("/v1/timeline", [
                new("from", "First day, yyyy-mm-dd (default 2019-01-01)."),
                new("to", "Last day, inclusive, yyyy-mm-dd (default 2035-12-31)."),
                new(Facts.Product, Facts.Of(Facts.Product).Description + "."),
                .. QueryScenario.FactParameters(place: false)])))
            .WithName("timeline").WithTags("questions")
            .WithSummary("A product's verdict on every cloud and day of a range, as maximal periods")
            .WithDescription("Exactly as `timeline --format json`.")
            .Produces<TimelineShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status400BadRequest, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia);

        app.MapGet("/v1/why-not", (Func<HttpContext, Task>)WhyNotAsync)
            .WithMetadata(Head(app, "/v1/why-not", WhyNotAsync, new ServiceEndpoint("/v1/why-not", [
                new("want", "Permitted (the default) or Conditional (not Prohibited)."),
                .. QueryScenario.FactParameters(place: true)])))
            .WithName("whyNot").WithTags("questions")
            .WithSummary("The minimal changes of facts that bring the verdict to at least `want`")
            .WithDescription("Exactly as `why-not --format json`.")
            .Produces<WhyNotShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status400BadRequest, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia);

        app.MapGet("/v1/versions", (Func<HttpContext, Task>)VersionsAsync)
            .WithMetadata(Head(app, "/v1/versions", VersionsAsync, new ServiceEndpoint("/v1/versions")))
            .WithName("versions").WithTags("rules")
            .WithSummary("The agreement versions, tracks, effective dates and readings")
            .WithDescription("Exactly as `versions --format json`.")
            .Produces<VersionsShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia);

        app.MapPost("/v1/rules/reload", (Func<HttpContext, Task>)ReloadAsync)
            .WithMetadata(new ServiceEndpoint("/v1/rules/reload"))
            .WithName("reloadRules").WithTags("rules")
            .WithSummary("Reload the rule set from --rules DIR")
            .WithDescription("Needs `Authorization: Bearer <token>` with the token of --admin-token-file. The new rule set is validated and compiled beside the old one and swapped in atomically; requests in flight finish on the rule set they started with. A broken rule set is refused with its problems (as `validate --format json`) and the old one keeps answering. 404 when the service has no --admin-token-file or no --rules DIR.")
            .Produces<ReloadedShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status401Unauthorized, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status404NotFound, JsonMedia)
            .Produces<ReloadRefusedShape>(StatusCodes.Status422UnprocessableEntity, JsonMedia);

        app.MapGet("/healthz", (Func<HttpContext, Task>)Healthz)
            .WithMetadata(Head(app, "/healthz", Healthz, new ServiceEndpoint("/healthz")))
            .WithName("healthz").WithTags("operations")
            .WithSummary("Liveness: 200 while the process runs")
            .Produces<HealthShape>(StatusCodes.Status200OK, JsonMedia);

        app.MapGet("/readyz", (Func<HttpContext, Task>)Readyz)
            .WithMetadata(Head(app, "/readyz", Readyz, new ServiceEndpoint("/readyz")))
            .WithName("readyz").WithTags("operations")
            .WithSummary("Readiness: 200 once a rule set is loaded, 503 before it is and once the service is stopping")
            .Produces<HealthShape>(StatusCodes.Status200OK, JsonMedia)
            .Produces<ErrorShape>(StatusCodes.Status503ServiceUnavailable, JsonMedia);
    }

    /// <summary>
    /// Maps the HEAD of a GET endpoint (HTTP requires HEAD wherever GET is answered: the same status and headers, no
    /// body, which Kestrel drops), left out of the OpenAPI document as is usual; returns the endpoint's metadata for
    /// its GET. A request delegate, not a handler: the native build's generated endpoints take only handlers written
    /// in place.
    /// </summary>
    private static ServiceEndpoint Head(IEndpointRouteBuilder app, string path, RequestDelegate answer, ServiceEndpoint endpoint)
    {
        app.MapMethods(path, [HttpMethods.Head], answer).WithMetadata(endpoint).ExcludeFromDescription();
        return endpoint;
    }

    private Task EvaluateAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        if (Ready(ctx) is not { } rules || !HasMediaType(ctx, JsonMedia, Evaluate))
        {
            return Task.CompletedTask;
        }
        var length = ctx.Request.ContentLength;
        if (length > options.MaxEvaluateBodyBytes)
        {
            TooLarge(ctx.Response, Evaluate);
            return Task.CompletedTask;
        }
        // Kestrel counts a chunked body's framing against its limit (a 20,000-byte body sent in 1-byte chunks was 413,
        // found by an adversarial run): the bound is kept here, on the body's own bytes, however it is sent.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        return ReadAndEvaluateAsync(ctx, rules, started);
    }

    private async Task ReadAndEvaluateAsync(HttpContext ctx, LoadedRules rules, long started)
    {
        var reader = ctx.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ctx.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > options.MaxEvaluateBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                TooLarge(ctx.Response, Evaluate);
                return;
            }
            if (read.IsCompleted)
            {
                var body = read.Buffer;
                long logged;
                if (body.IsSingleSegment)
                {
                    logged = AnswerEvaluation(ctx, rules, body.FirstSpan, started);
                }
                else
                {
                    var copy = ArrayPool<byte>.Shared.Rent((int)body.Length);
                    body.CopyTo(copy);
                    logged = AnswerEvaluation(ctx, rules, copy.AsSpan(0, (int)body.Length), started);
                    ArrayPool<byte>.Shared.Return(copy);
                }
                reader.AdvanceTo(body.End);
                if (log is not null)
                {
                    // The answer is in the response's buffer, sent when this returns: only once its decision is logged.
                    await log.WrittenAsync(logged).ConfigureAwait(false);
                }
                return;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Answers one scenario; returns the decision log's mark of its line (0 without a log).</summary>
    private long AnswerEvaluation(HttpContext ctx, LoadedRules rules, ReadOnlySpan<byte> body, long started)
    {
        var id = ids.Next();
        ctx.Response.Headers[Answers.DecisionIdHeader] = id; // X-Rule-Set: set by Ready() from the same rules
        if (body.StartsWith(ByteOrderMark))
        {
            body = body[ByteOrderMark.Length..]; // as a batch's first line may start with one
        }
        var input = ScenarioJson.Read(body, out _, out var error);
        var scenario = input?.Resolve(rules.Engine.Rules.Catalogue, out error);
        if (scenario is null)
        {
            metrics.Rejected(Evaluate, error!.Code);
            Answers.Error(ctx.Response, StatusCodes.Status400BadRequest, error.Code, error.Message, error.Field);
            return log?.Append(DecisionLine(id, Evaluate, rules.Hash, body, error.Code != ScenarioErrorCodes.InvalidJson, null, error, started)) ?? 0;
        }
        var assessment = rules.Engine.Evaluate(scenario);
        rules.EvaluateDecisions[ServiceMetrics.Index(assessment.Combined.Permission)].Inc();
        Answers.Write(ctx.Response, StatusCodes.Status200OK, (assessment, rules.Hash), static (w, output, s) => EvaluationJson.Write(w, output, s.assessment, s.Hash));
        return log?.Append(DecisionLine(id, Evaluate, rules.Hash, body, true, assessment.Combined, null, started)) ?? 0;
    }

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private async Task BatchAsync(HttpContext ctx, string? detail)
    {
        if (Ready(ctx) is not { } rules || !HasMediaType(ctx, JsonLinesMedia, Batch))
        {
            return;
        }
        var level = detail switch
        {
            null or "summary" => Detail.Summary,
            "versions" => Detail.Versions,
            "full" => Detail.Full,
            _ => (Detail)(-1),
        };
        if (level < 0)
        {
            Reject(ctx.Response, Batch, ErrorCodes.InvalidQuery, $"`detail` must be summary, versions or full, not `{detail}`", "detail");
            return;
        }
        if (!await _batches.WaitAsync(options.RequestTimeout, ctx.RequestAborted).ConfigureAwait(false))
        {
            Reject(ctx.Response, Batch, ErrorCodes.Busy, $"{options.MaxConcurrentBatches} batches are being answered; try again shortly", status: StatusCodes.Status503ServiceUnavailable);
            return;
        }
        try
        {
            // The body streams through in blocks of lines: memory stays flat, so its size is not limited, only its lines.
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }
            var requestId = ids.Next();
            var response = ctx.Response;
            response.Headers[Answers.DecisionIdHeader] = requestId;
            response.ContentType = Answers.JsonLines;
            var batch = new Scenarios.Batch(rules.Engine, new BatchOptions
            {
                Detail = level,
                BlockLines = 1024,
                Observer = (in BatchLineOutcome line) => ObserveLine(rules, requestId, line),
            });
            await response.StartAsync(ctx.RequestAborted).ConfigureAwait(false);
            var socket = ctx.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket;
            var answers = new BatchAnswerStream(response.Body, log, socket, options.RequestTimeout, () =>
            {
                metrics.Rejected(Batch, ErrorCodes.Timeout);
                stderr.WriteLine($"serve: {Batch} {requestId}: the client took no byte of the answer for {options.RequestTimeout.TotalSeconds:0.###} s; the connection is closed");
                ctx.Abort();
            });
            await batch.RunAsync(ctx.Request.Body, answers, cancel: ctx.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            _batches.Release();
        }
    }

    private void ObserveLine(LoadedRules rules, string requestId, in BatchLineOutcome line)
    {
        if (line.Combined is { } combined)
        {
            rules.BatchDecisions[ServiceMetrics.Index(combined.Permission)].Inc();
        }
        else if (line.Error is { } error)
        {
            metrics.Rejected(Batch, error.Code);
        }
        if (log is not null)
        {
            var started = Stopwatch.GetTimestamp() - line.ElapsedTicks;
            var inputIsJson = line.Error is null || line.Error.Code != ScenarioErrorCodes.InvalidJson;
            log.Append(DecisionLine(DecisionIds.ForLine(requestId, line.Line), Batch, rules.Hash, line.Input, inputIsJson, line.Combined, line.Error, started));
        }
    }

    private Task TimelineAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        if (Ready(ctx) is not { } rules)
        {
            return Task.CompletedTask;
        }
        const string name = "/v1/timeline";
        string? fromText = query.TryGetValue("from", out var f) ? f.ToString() : null, toText = query.TryGetValue("to", out var t) ? t.ToString() : null;
        if (!QueryScenario.TryDay(fromText, "from", TimelineBuilder.DefaultFrom, out var from, out var error)
            || !QueryScenario.TryDay(toText, "to", TimelineBuilder.DefaultTo, out var to, out error))
        {
            Reject(ctx.Response, name, error!.Code, error.Message, error.Field);
            return Task.CompletedTask;
        }
        if (from > to)
        {
            Reject(ctx.Response, name, ErrorCodes.InvalidQuery, $"`from` ({fromText}) is after `to` ({toText}): the range must hold at least one day", "from");
            return Task.CompletedTask;
        }
        // The cloud and date are placeholders, as in `timeline`: every cloud and day is taken.
        var catalogue = rules.Engine.Rules.Catalogue;
        var scenario = QueryScenario.Read(query, (catalogue.Clouds[0].Id, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), out error)?.Resolve(catalogue, out error);
        if (scenario is null)
        {
            Reject(ctx.Response, name, error!.Code, error.Message, error.Field);
            return Task.CompletedTask;
        }
        var timeline = rules.Engine.Timeline(scenario, from, to);
        Answers.Write(ctx.Response, StatusCodes.Status200OK, (timeline, rules.Hash), static (w, s) => TimelineJson.Write(w, s.timeline, s.Hash));
        return Task.CompletedTask;
    }

    private Task WhyNotAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        var wanted = query.TryGetValue("want", out var w) ? w.ToString() : null;
        if (Ready(ctx) is not { } rules)
        {
            return Task.CompletedTask;
        }
        const string name = "/v1/why-not";
        var want = wanted switch
        {
            null or "Permitted" => Permission.Permitted,
            "Conditional" => Permission.Conditional,
            _ => (Permission)(-1),
        };
        if (want < 0)
        {
            Reject(ctx.Response, name, ErrorCodes.InvalidQuery, $"`want` must be Permitted or Conditional, not `{Quote.Short(wanted)}`", "want");
            return Task.CompletedTask;
        }
        ScenarioError? error = null;
        var scenario = QueryScenario.Read(query, null, out error)?.Resolve(rules.Engine.Rules.Catalogue, out error);
        if (scenario is null)
        {
            Reject(ctx.Response, name, error!.Code, error.Message, error.Field);
            return Task.CompletedTask;
        }
        var answer = WhyNot.Ask(rules.Engine, scenario, want);
        Answers.Write(ctx.Response, StatusCodes.Status200OK, (answer, rules.Hash), static (w, s) => QuestionsJson.Write(w, s.answer, s.Hash));
        return Task.CompletedTask;
    }

    private Task VersionsAsync(HttpContext ctx)
    {
        if (Ready(ctx) is { } rules)
        {
            Answers.Write(ctx.Response, StatusCodes.Status200OK, rules.Engine.Rules, static (w, r) => VersionsJson.Write(w, r));
        }
        return Task.CompletedTask;
    }

    private async Task ReloadAsync(HttpContext ctx)
    {
        const string name = "/v1/rules/reload";
        if (adminTokenHash is null || !holder.CanReload)
        {
            Reject(ctx.Response, name, ErrorCodes.NotFound, adminTokenHash is null
                ? "reloading is not enabled: the service was started without --admin-token-file"
                : "reloading is not enabled: the service answers with the embedded rule set (start it with --rules DIR)",
                status: StatusCodes.Status404NotFound);
            return;
        }
        if (!Authorized(ctx.Request))
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
            Reject(ctx.Response, name, ErrorCodes.Unauthorized, "reloading needs `Authorization: Bearer <token>` with the service's admin token", status: StatusCodes.Status401Unauthorized);
            return;
        }
        // The reload runs to its end even if the caller goes away: a half-made decision helps no one.
        var outcome = await holder.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
        ReportReload("POST /v1/rules/reload", outcome);
        if (holder.Current is { } now)
        {
            ctx.Response.Headers[Answers.RuleSetHeader] = now.Header;
        }
        if (outcome.Loaded)
        {
            Answers.Write(ctx.Response, StatusCodes.Status200OK, outcome.Hash, static (w, hash) =>
            {
                w.WriteStartObject();
                w.WriteString("ruleSet", hash);
                w.WriteEndObject();
            });
            return;
        }
        metrics.Rejected(name, ErrorCodes.InvalidRuleSet);
        Answers.Write(ctx.Response, StatusCodes.Status422UnprocessableEntity, outcome, static (w, o) =>
        {
            w.WriteStartObject();
            Answers.WriteErrorProperty(w, ErrorCodes.InvalidRuleSet, o.Message!, null);
            ValidationJson.WriteProblems(w, o.Problems);
            w.WriteEndObject();
        });
    }

    /// <summary>Says on stderr what a reload (endpoint or SIGHUP) did.</summary>
    public void ReportReload(string trigger, ReloadOutcome outcome)
    {
        if (outcome.Loaded)
        {
            stderr.WriteLine($"serve: {trigger}: rule set {outcome.Hash} answering");
            return;
        }
        var lines = new StringBuilder();
        lines.Append(CultureInfo.InvariantCulture, $"serve: {trigger}: refused: {Scenarios.Quote.Escaped(outcome.Message)}");
        foreach (var p in outcome.Problems)
        {
            lines.Append("\n  ").Append(p);
        }
        stderr.WriteLine(lines.ToString());
    }

    private Task Healthz(HttpContext ctx)
    {
        Answers.Write(ctx.Response, StatusCodes.Status200OK, holder.Current?.Hash, static (w, hash) =>
        {
            w.WriteStartObject();
            w.WriteString("status", "alive");
            w.WriteString("ruleSet", hash);
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }

    private Task Readyz(HttpContext ctx)
    {
        if (stopping())
        {
            Answers.Error(ctx.Response, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NotReady, "the service is stopping: it finishes the requests it has and takes no new ones");
        }
        else if (Ready(ctx) is { } rules)
        {
            Answers.Write(ctx.Response, StatusCodes.Status200OK, rules.Hash, static (w, hash) =>
            {
                w.WriteStartObject();
                w.WriteString("status", "ready");
                w.WriteString("ruleSet", hash);
                w.WriteEndObject();
            });
        }
        return Task.CompletedTask;
    }

    /// <summary>The rule set to answer with; null (and a 503 written) while none is loaded.</summary>
    private LoadedRules? Ready(HttpContext ctx)
    {
        var rules = holder.Current;
        if (rules is null)
        {
            Answers.Error(ctx.Response, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NotReady, "the rule set is still being loaded; try again shortly");
            return null;
        }
        ctx.Response.Headers[Answers.RuleSetHeader] = rules.Header;
        return rules;
    }

    private bool HasMediaType(HttpContext ctx, string expected, string endpoint) => HasMediaType(ctx, [expected], endpoint);

    /// <summary>The body must be one of the media types (UTF-8, the only charset accepted); otherwise 415.</summary>
    private bool HasMediaType(HttpContext ctx, string[] expected, string endpoint)
    {
        var contentType = ctx.Request.ContentType;
        var encoding = ctx.Request.Headers.ContentEncoding;
        if (encoding.SelectMany(e => (e ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Any(coding => !coding.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            Reject(ctx.Response, endpoint, ErrorCodes.UnsupportedMediaType,
                $"the body must not be compressed (Content-Encoding: `{Quote.Short(encoding.ToString())}` is not accepted); send it as plain UTF-8",
                status: StatusCodes.Status415UnsupportedMediaType);
            return false;
        }
        if (contentType is not null)
        {
            foreach (var media in expected)
            {
                if (string.Equals(contentType, media, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            if (MediaTypeHeaderValue.TryParse(contentType, out var parsed)
                && expected.Any(m => parsed.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase))
                && (!parsed.Charset.HasValue || HeaderUtilities.RemoveQuotes(parsed.Charset) is var charset
                    && (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))))
            {
                return true;
            }
        }
        Reject(ctx.Response, endpoint, ErrorCodes.UnsupportedMediaType,
            $"the body must be {string.Join(" or ", expected)} (UTF-8), not {(contentType is null ? "without a Content-Type" : $"`{contentType}`")}",
            status: StatusCodes.Status415UnsupportedMediaType);
        return false;
    }

    private void TooLarge(HttpResponse response, string endpoint)
    {
        // The body is not read, so the connection cannot carry another request: say so, rather than drop it unannounced.
        response.Headers.Connection = "close";
        Reject(response, endpoint, ErrorCodes.PayloadTooLarge, $"the body is larger than {options.MaxEvaluateBodyBytes} bytes (send many scenarios to {Batch})",
            status: StatusCodes.Status413PayloadTooLarge);
    }

    private void Reject(HttpResponse response, string endpoint, string code, string message, string? field = null, int status = StatusCodes.Status400BadRequest)
    {
        metrics.Rejected(endpoint, code);
        Answers.Error(response, status, code, message, field);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hashes of equal length compared in constant time: neither the token's content nor its length leaks.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, adminTokenHash);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_logBuffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_logWriter;

    /// <summary>One decision log line: <c>{"decisionId", "time", "endpoint", "ruleSet", "input", "result" | "error", "durationMs"}</c>.</summary>
    private ReadOnlySpan<byte> DecisionLine(string id, string endpoint, string ruleSet, ReadOnlySpan<byte> input, bool inputIsJson,
        CombinedVerdict? combined, ScenarioError? error, long started)
    {
        var buffer = t_logBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_logWriter ??= new Utf8JsonWriter(buffer, JsonOutput.Line);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("decisionId", id);
        w.WriteString("time", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("endpoint", endpoint);
        w.WriteString("ruleSet", ruleSet);
        w.WritePropertyName("input");
        WriteInput(w, input, inputIsJson);
        if (combined is not null)
        {
            w.WritePropertyName("result");
            AssessmentJson.WriteDecision(w, combined);
        }
        else
        {
            Answers.WriteErrorProperty(w, error!.Code, error.Message, error.Field);
        }
        w.WriteNumber("durationMs", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3));
        w.WriteEndObject();
        w.Flush();
        buffer.Write("\n"u8);
        return buffer.WrittenSpan;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_inputBuffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_inputWriter;

    /// <summary>
    /// The input as compact JSON when it is JSON that can be written again, else as a string (bytes that are not UTF-8
    /// replaced). It is written aside first: a string the reader accepts but no writer can write (a lone surrogate
    /// escape, <c>"\ud800"</c>, in a field the scenario reader never decodes) threw half way through the log line, and
    /// the request ended in a 500, or a batch's connection was reset, but only when the decision log was on.
    /// </summary>
    private static void WriteInput(Utf8JsonWriter w, ReadOnlySpan<byte> input, bool inputIsJson)
    {
        if (inputIsJson && !input.IsEmpty)
        {
            var aside = t_inputBuffer ??= new ArrayBufferWriter<byte>(1024);
            aside.ResetWrittenCount();
            var writer = t_inputWriter ??= new Utf8JsonWriter(aside, JsonOutput.Line);
            writer.Reset(aside);
            try
            {
                var reader = new Utf8JsonReader(input);
                using var document = JsonDocument.ParseValue(ref reader);
                document.RootElement.WriteTo(writer);
                writer.Flush();
                w.WriteRawValue(aside.WrittenSpan, skipInputValidation: true);
                return;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
            {
                // Not JSON after all, or JSON that cannot be written again: logged as text below.
            }
        }
        if (input.IsEmpty)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(Encoding.UTF8.GetString(input));
        }
    }
}
