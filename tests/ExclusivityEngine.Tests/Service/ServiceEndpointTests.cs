using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Service;

/// <summary>Every endpoint and error code of the contract, against one real service process with a decision log.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ServiceEndpointTests
{
    private const string Frontier = """{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}""";

    private ServiceProcess _service = null!;
    private string _log = null!;
    private string _hash = null!;

    private HttpClient Client => _service.Client;

    [OneTimeSetUp]
    public void StartService()
    {
        _log = Path.Combine(Path.GetTempPath(), $"exclusivity-decisions-{Guid.NewGuid():N}.jsonl");
        _service = ServiceProcess.Start("--decision-log", _log, "--request-timeout", "3");
        _hash = JsonDocument.Parse(CliRun.Of("versions", "--format", "json").Stdout).RootElement.GetProperty("ruleSet").GetString()!;
    }

    [OneTimeTearDown]
    public void StopService()
    {
        _service.Dispose();
        File.Delete(_log);
    }

    [Test]
    public async Task Evaluate_CatalogueCases_AreByteIdenticalToTheCli()
    {
        for (var i = 0; i < ServiceCases.Catalogue.Count; i++)
        {
            var c = ServiceCases.Catalogue[i];
            using var response = await Client.PostAsync("/v1/evaluate", ServiceCases.Json(c.Scenario));
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{c.File}:{c.Line} {c.Name}: {body}");
            Assert.That(body, Is.EqualTo(ServiceCases.CliEvaluations[i]), $"{c.File}:{c.Line} {c.Name}");
            Assert.That(ServiceCases.RuleSet(response), Is.EqualTo(_hash));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        }
    }

    [TestCase("summary")]
    [TestCase("versions")]
    [TestCase("full")]
    public async Task Batch_CatalogueCases_AreByteIdenticalToTheCli(string detail)
    {
        var input = Path.Combine(Path.GetTempPath(), $"exclusivity-batch-{Guid.NewGuid():N}.jsonl");
        var lines = string.Join("\n", ServiceCases.Catalogue.Select((c, i) => c.Scenario.Insert(1, $"\"id\": \"case-{i}\", "))) + "\n";
        File.WriteAllText(input, lines);
        try
        {
            var cli = CliRun.Of("batch", "--input", input, "--detail", detail, "--quiet");
            using var response = await Client.PostAsync($"/v1/batch?detail={detail}", ServiceCases.JsonLines(lines));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(cli.Stdout));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/x-ndjson"));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public async Task Batch_BadLines_AreAnsweredInPlaceInOrder()
    {
        var body = new MemoryStream();
        void Line(string text) => body.Write(Encoding.UTF8.GetBytes(text + "\n"));
        Line("""{"id": "a", "product": "frontier", "cloud": "aws", "date": "2026-03-15"}""");
        Line("");
        Line("not json");
        Line("""{"id": "c", "product": "nope", "cloud": "aws", "date": "2026-03-15"}""");
        Line("""{"id": "d", "product": "frontier", "cloud": "aws", "date": "2026-02-30"}""");
        body.Write([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]);
        Line("""{"id": "f", "product": "frontier", "cloud": "aws", "date": "2026-03-15", "segmnet": "general"}""");
        Line("""{"id": "g", "product": "chatgpt", "cloud": "azure", "date": "2026-05-01"}""");
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await Client.PostAsync("/v1/batch", content);
        var answers = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answers.Select(a => a.GetProperty("line").GetInt64()), Is.EqualTo(new long[] { 1, 3, 4, 5, 6, 7, 8 }));
        string? Code(JsonElement a) => a.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString() : null;
        Assert.That(answers.Select(Code), Is.EqualTo(new[] { null, "invalid-json", "unknown-product", "invalid-date", "invalid-json", "invalid-fact", null }));
        Assert.That(answers[0].GetProperty("id").GetString(), Is.EqualTo("a"));
        Assert.That(answers[^1].GetProperty("combined").GetProperty("permission").GetString(), Is.EqualTo("Permitted"));
        Assert.That(ServiceCases.DecisionId(response), Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public async Task Batch_LargeInput_IsAnsweredWhileStillBeingRead()
    {
        // HttpClient sends an HTTP/1.1 body to its end before it reads the answer, so this speaks HTTP on a socket:
        // half the lines, then the rest only once answers to the first half have come back. A batch that waited for
        // the end of its input would never answer, and the test would time out.
        const int half = 5000;
        var line = """{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}""" + "\n";
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_service.BaseAddress.Host, _service.BaseAddress.Port);
        var stream = socket.GetStream();
        async Task SendChunk(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
            await stream.WriteAsync(bytes);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/batch HTTP/1.1\r\nHost: {_service.BaseAddress.Authority}\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        await SendChunk(string.Concat(Enumerable.Repeat(line, half)));

        var received = new StringBuilder();
        var buffer = new byte[1 << 16];
        int Answers() => System.Text.RegularExpressions.Regex.Count(received.ToString(), "\"line\":");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (Answers() < 1000)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.That(read, Is.GreaterThan(0), "the service closed the connection before answering");
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        Assert.That(received.ToString(), Does.StartWith("HTTP/1.1 200"));
        await SendChunk(string.Concat(Enumerable.Repeat(line, half)));
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var lines = System.Text.RegularExpressions.Regex.Matches(received.ToString(), "\"line\":([0-9]+),").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(lines, Is.EqualTo(Enumerable.Range(1, 2 * half)));
    }

    [Test]
    public async Task Versions_Timeline_WhyNot_AreByteIdenticalToTheCli()
    {
        async Task Same(string path, params string[] cli)
        {
            using var response = await Client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(CliRun.Of(cli).Stdout), path);
            Assert.That(ServiceCases.RuleSet(response), Is.EqualTo(_hash), path);
        }
        await Same("/v1/versions", "versions", "--format", "json");
        await Same("/v1/timeline?product=frontier&from=2025-09-01&to=2026-12-31", "timeline", "--product", "frontier", "--from", "2025-09-01", "--to", "2026-12-31", "--format", "json");
        await Same("/v1/timeline?product=stateful-runtime&microsoftDeclined=true&segment=us-national-security", "timeline", "--product", "stateful-runtime", "--microsoft-declined", "true", "--segment", "us-national-security", "--format", "json");
        var inline = """{"id":"x","interface":"stateless-api","origin":"first-party","offeredBy":"openai"}""";
        await Same($"/v1/timeline?product={Uri.EscapeDataString(inline)}&from=2026-01-01&to=2026-12-31", "timeline", "--product", inline, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json");
        await Same("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15", "why-not", "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json");
        await Same("/v1/why-not?product=stateful-runtime&cloud=google-cloud&date=2026-05-01&want=Conditional&shippedOnAzureFirst=unknown&agiDeclaredOn=2026-01-01",
            "why-not", "--product", "stateful-runtime", "--cloud", "google-cloud", "--date", "2026-05-01", "--want", "Conditional", "--shipped-on-azure-first", "unknown", "--agi-declared", "2026-01-01", "--format", "json");
    }

    [TestCase("""{"product": "frontier", "cloud": "aws"}""", "missing-field", "date")]
    [TestCase("""{"product": "frontier", "cloud": "aws", "date": "2026-13-01"}""", "invalid-date", "date")]
    [TestCase("""{"product": "frontier", "cloud": "mars", "date": "2026-03-15"}""", "unknown-cloud", "cloud")]
    [TestCase("""{"product": "frontiers", "cloud": "aws", "date": "2026-03-15"}""", "unknown-product", "product")]
    [TestCase("""{"product": "frontier", "cloud": "aws", "date": "2026-03-15", "microsoftDeclined": "maybe"}""", "invalid-fact", "microsoftDeclined")]
    [TestCase("""{"product": {"id": "x", "interface": "stateless-api"}, "cloud": "aws", "date": "2026-03-15"}""", "invalid-product", "product.origin")]
    [TestCase("""{"product": "frontier", "cloud": "aws", "date": "2026-03-15", "agiVerifiedOn": "2026-01-01"}""", "inconsistent-facts", "agiVerifiedOn")]
    [TestCase("""{"product": "frontier", """, "invalid-json", null)]
    [TestCase("""[1, 2]""", "invalid-json", null)]
    public async Task Evaluate_BadScenario_Is400WithTheBatchCode(string body, string code, string? field)
    {
        using var response = await Client.PostAsync("/v1/evaluate", ServiceCases.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        var error = ServiceCases.Error(text);
        Assert.That((error.Code, error.Field), Is.EqualTo((code, field)), text);
        Assert.That(ServiceCases.DecisionId(response), Is.Not.Null);
        Assert.That(ServiceCases.RuleSet(response), Is.EqualTo(_hash));
    }

    [TestCase("/v1/versions?verbose=1", "verbose")]
    [TestCase("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15&segmnet=general", "segmnet")]
    [TestCase("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15&Segment=general", "Segment")]
    [TestCase("/v1/why-not?product=frontier&product=chatgpt&cloud=aws&date=2026-03-15", "product")]
    [TestCase("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15&want=Maybe", "want")]
    [TestCase("/v1/timeline?product=frontier&from=2027-01-01&to=2026-01-01", "from")]
    [TestCase("/healthz?x", "x")]
    [TestCase("/metrics?name[]=a", "name[]")]
    public async Task UnknownOrBadQuery_IsInvalidQuery(string path, string field)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(ServiceCases.CodeAndField(text), Is.EqualTo(("invalid-query", (string?)field)), text);
    }

    [TestCase("/v1/why-not?product=frontier&cloud=aws", "missing-field", "date")]
    [TestCase("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15&microsoftDeclined=yes", "invalid-fact", "microsoftDeclined")]
    [TestCase("/v1/why-not?product=frontier&cloud=moon&date=2026-03-15", "unknown-cloud", "cloud")]
    [TestCase("/v1/timeline?from=2026-01-01", "missing-field", "product")]
    [TestCase("/v1/timeline?product=frontier&to=2026-02-30", "invalid-date", "to")]
    [TestCase("/v1/timeline?product=%7B%22id%22", "invalid-product", "product")]
    public async Task BadScenarioInQuery_Is400WithTheBatchCode(string path, string code, string field)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(ServiceCases.CodeAndField(text), Is.EqualTo((code, (string?)field)), text);
    }

    [Test]
    public async Task Batch_UnknownDetail_IsInvalidQuery()
    {
        using var response = await Client.PostAsync("/v1/batch?detail=everything", ServiceCases.JsonLines("{}\n"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ServiceCases.CodeAndField(await response.Content.ReadAsStringAsync()), Is.EqualTo(("invalid-query", (string?)"detail")));
    }

    [TestCase("application/x-ndjson")]
    [TestCase("application/jsonl")]
    [TestCase("application/json-lines; charset=utf-8")]
    public async Task Batch_EveryJsonLinesMediaType_IsTaken(string contentType)
    {
        using var content = new ByteArrayContent("""{"product": "chatgpt", "cloud": "azure", "date": "2026-05-01"}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Client.PostAsync("/v1/batch", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("combined").GetProperty("permission").GetString(), Is.EqualTo("Permitted"));
    }

    [TestCase("/v1/evaluate", "text/plain")]
    [TestCase("/v1/evaluate", "application/json; charset=iso-8859-1")]
    [TestCase("/v1/evaluate", "application/x-ndjson")]
    [TestCase("/v1/evaluate", null)]
    [TestCase("/v1/batch", "application/json")]
    [TestCase("/v1/batch", "text/csv")]
    public async Task WrongContentType_Is415(string path, string? contentType)
    {
        using var content = new ByteArrayContent("""{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}"""u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), text);
        Assert.That(ServiceCases.Error(text).Code, Is.EqualTo("unsupported-media-type"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Evaluate_BodyOverTheLimit_Is413(bool withLength)
    {
        var body = new string(' ', 100_000) + """{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}""";
        HttpContent content = withLength
            ? ServiceCases.Json(body)
            : new SlowContent(async s => await s.WriteAsync(Encoding.UTF8.GetBytes(body)), "application/json");
        using (content)
        {
            using var response = await Client.PostAsync("/v1/evaluate", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), text);
            Assert.That(ServiceCases.Error(text).Code, Is.EqualTo("payload-too-large"));
            // The body is left unread, so the connection ends with this answer, and says so.
            Assert.That(response.Headers.ConnectionClose, Is.True);
        }
        // The service goes on answering.
        using var next = await Client.GetAsync("/healthz");
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // Found by an adversarial run: Kestrel counts a chunked body's framing against its limit, so a 20,000-byte body
    // sent in 1-byte chunks was 413, and one chunk of 65,530 bytes too.
    [TestCase(20_000, 1, HttpStatusCode.OK)]
    [TestCase(64 * 1024, 10, HttpStatusCode.OK)]
    [TestCase(64 * 1024, 100_000, HttpStatusCode.OK)]
    [TestCase(64 * 1024 + 1, 100_000, HttpStatusCode.RequestEntityTooLarge)]
    [TestCase(64 * 1024 + 1, 7, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Evaluate_ChunkedBody_IsBoundByItsOwnBytesNotItsFraming(int size, int chunk, HttpStatusCode expected)
    {
        const string scenario = """{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}""";
        var body = Encoding.UTF8.GetBytes(new string(' ', size - scenario.Length) + scenario);
        var framed = new MemoryStream();
        for (var at = 0; at < body.Length; at += chunk)
        {
            var piece = body.AsSpan(at, Math.Min(chunk, body.Length - at));
            framed.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            framed.Write(piece);
            framed.Write("\r\n"u8);
        }
        framed.Write("0\r\n\r\n"u8);
        using var request = await RawRequest.OpenAsync(_service.BaseAddress, "/v1/evaluate", "application/json", chunked: true);
        try
        {
            await request.SendAsync(framed.ToArray());
        }
        catch (IOException)
        {
            // A body refused early may meet a closed connection; the answer was sent before it closed.
        }

        var answer = await request.ReadToEndAsync();

        Assert.That(answer, Does.StartWith($"HTTP/1.1 {(int)expected} "), answer[..Math.Min(300, answer.Length)]);
    }

    [Test]
    public async Task UnknownPathAndWrongMethod_AreJson404And405()
    {
        using var notFound = await Client.GetAsync("/v2/evaluate");
        Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(ServiceCases.Error(await notFound.Content.ReadAsStringAsync()).Code, Is.EqualTo("not-found"));
        Assert.That(ServiceCases.RuleSet(notFound), Is.EqualTo(_hash));
        using var wrong = await Client.GetAsync("/v1/evaluate");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(ServiceCases.Error(await wrong.Content.ReadAsStringAsync()).Code, Is.EqualTo("method-not-allowed"));
        using var delete = await Client.DeleteAsync("/v1/versions");
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    [TestCase("/v1/versions")]
    [TestCase("/v1/timeline?product=frontier&from=2026-01-01&to=2026-12-31")]
    [TestCase("/v1/why-not?product=frontier&cloud=aws&date=2026-03-15")]
    [TestCase("/metrics")]
    [TestCase("/openapi/v1.json")]
    public async Task Head_OfEveryGetEndpoint_IsItsGetWithoutTheBody(string path)
    {
        using var get = await Client.GetAsync(path);
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.That(head.StatusCode, Is.EqualTo(get.StatusCode).And.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo(get.Content.Headers.ContentType?.MediaType));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(ServiceCases.RuleSet(head), Is.EqualTo(_hash));
    }

    [Test]
    public async Task Metrics_OtherThanGet_IsJson405()
    {
        using var post = await Client.PostAsync("/metrics", null);
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(ServiceCases.Error(await post.Content.ReadAsStringAsync()).Code, Is.EqualTo("method-not-allowed"));
        Assert.That(post.Content.Headers.Allow, Does.Contain("GET"));
    }

    [TestCase("application/json; charset=\"utf-8\"")]
    [TestCase("application/json; charset=utf8")]
    [TestCase("Application/JSON; Charset=UTF-8")]
    public async Task Evaluate_Utf8WrittenAnotherWay_IsTaken(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Frontier));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Client.PostAsync("/v1/evaluate", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Evaluate_CompressedBody_Is415()
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Frontier));
        }
        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await Client.PostAsync("/v1/evaluate", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), text);
        Assert.That(ServiceCases.Error(text).Message, Does.Contain("must not be compressed"));
    }

    [Test]
    public async Task Evaluate_ByteOrderMark_IsSkippedAsOnABatchLine()
    {
        using var plain = await Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier));
        using var marked = await Client.PostAsync("/v1/evaluate", ServiceCases.Json("\uFEFF" + Frontier));
        Assert.That(marked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await marked.Content.ReadAsStringAsync());
        Assert.That(await marked.Content.ReadAsStringAsync(), Is.EqualTo(await plain.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task Evaluate_IndentedBodyThatIsNotJson_SaysWhichLine()
    {
        using var response = await Client.PostAsync("/v1/evaluate", ServiceCases.Json("{\n  \"product\": \"frontier\",\n  \"cloud\": \"aws\",\n}"));
        var error = ServiceCases.Error(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error.Code, Is.EqualTo("invalid-json"));
        Assert.That(error.Message, Does.Contain("at line 4, byte 1"));
    }

    [Test]
    public async Task Reload_WithoutAdminToken_Is404()
    {
        using var response = await Client.PostAsync("/v1/rules/reload", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(ServiceCases.Error(await response.Content.ReadAsStringAsync()).Code, Is.EqualTo("not-found"));
    }

    [Test]
    public async Task HealthAndReadiness_Answer200WithTheRuleSet()
    {
        using var health = await Client.GetAsync("/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var ready = await Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("ruleSet").GetString(), Is.EqualTo(_hash));
        Assert.That(ServiceCases.RuleSet(ready), Is.EqualTo(_hash));
    }

    [Test]
    public async Task Evaluate_SlowBody_IsStoppedAtTheRequestTimeLimit()
    {
        // Ten bytes of a promised hundred, then nothing: the service (started with --request-timeout 3) gives up.
        using var request = await RawRequest.OpenAsync(_service.BaseAddress, "/v1/evaluate", "application/json", chunked: false, contentLength: 100);
        await request.SendAsync("""{"product"""u8.ToArray());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var answer = await request.ReadToEndAsync();
        Assert.That(answer, Does.StartWith("HTTP/1.1 503"));
        Assert.That(answer, Does.Contain("\"code\": \"timeout\""));
        Assert.That(answer, Does.Contain($"X-Rule-Set: {_hash}"), "every response carries X-Rule-Set");
        Assert.That(started.Elapsed.TotalSeconds, Is.GreaterThan(2).And.LessThan(30));
        using var next = await Client.GetAsync("/healthz");
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metrics_CountDecisionsRejectionsDurationsAndNameTheRuleSet()
    {
        using (await Client.PostAsync("/v1/evaluate", ServiceCases.Json("""{"product": "chatgpt", "cloud": "azure", "date": "2026-05-01"}"""))) { }
        using (await Client.PostAsync("/v1/evaluate", ServiceCases.Json("""{"product": "chatgpt", "cloud": "azure", "date": "someday"}"""))) { }
        using var response = await Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(text, Does.Match($"exclusivity_decisions_total\\{{endpoint=\"/v1/evaluate\",permission=\"Permitted\",rule_set=\"{_hash}\"\\}} [1-9]"));
        Assert.That(text, Does.Match("exclusivity_rejected_inputs_total\\{endpoint=\"/v1/evaluate\",code=\"invalid-date\"\\} [1-9]"));
        Assert.That(text, Does.Match("exclusivity_request_duration_seconds_bucket\\{endpoint=\"/v1/evaluate\",status=\"200\",le=\"[0-9.e+-]+\"\\} [1-9]"));
        Assert.That(text, Does.Contain($"exclusivity_rule_set_info{{rule_set=\"{_hash}\"}} 1"));
        Assert.That(text, Does.Contain("exclusivity_decision_log_lost_total"));
    }

    [Test]
    public async Task OpenApi_DescribesEveryEndpointBodyAndError()
    {
        using var response = await Client.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("openapi").GetString(), Does.StartWith("3."));
        var paths = root.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/v1/evaluate"] = ["post"],
            ["/v1/batch"] = ["post"],
            ["/v1/timeline"] = ["get"],
            ["/v1/why-not"] = ["get"],
            ["/v1/versions"] = ["get"],
            ["/v1/rules/reload"] = ["post"],
            ["/healthz"] = ["get"],
            ["/readyz"] = ["get"],
            ["/metrics"] = ["get"],
            ["/openapi/v1.json"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.That(paths.TryGetProperty(path, out var item), Is.True, $"{path} is not described");
            foreach (var method in methods)
            {
                Assert.That(item.TryGetProperty(method, out var operation), Is.True, $"{method} {path} is not described");
                Assert.That(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name == "200"), Is.True, $"{method} {path}: no 200 answer");
            }
        }
        var evaluate = paths.GetProperty("/v1/evaluate").GetProperty("post");
        Assert.That(evaluate.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), Is.True);
        Assert.That(evaluate.GetProperty("responses").EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "200", "400", "413", "415" }));
        Assert.That(paths.GetProperty("/v1/batch").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/x-ndjson", out _), Is.True);
        Assert.That(paths.GetProperty("/v1/rules/reload").GetProperty("post").GetProperty("responses").EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "200", "401", "404", "422" }));
        var whyNotParameters = paths.GetProperty("/v1/why-not").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.That(whyNotParameters, Is.SupersetOf(new[] { "product", "cloud", "date", "want", "segment", "microsoftDeclined" }));
        var schemas = root.GetProperty("components").GetProperty("schemas");
        Assert.That(schemas.TryGetProperty("ErrorShape", out _) && schemas.TryGetProperty("AssessmentShape", out _), Is.True);
    }

    // Found by an adversarial run: the id was described as oneOf [null, any], which null matches twice, so every line
    // with "id": null failed the service's own description.
    [Test]
    public async Task OpenApi_BatchLines_AreValidAgainstTheirDescription()
    {
        using var description = await Client.GetAsync("/openapi/v1.json");
        // The components as a JSON Schema's definitions, which is where NJsonSchema resolves references.
        var text = (await description.Content.ReadAsStringAsync()).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var document = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["$ref"] = "#/definitions/BatchLineShape",
            ["definitions"] = document["components"]!["schemas"]!.DeepClone(),
        }.ToJsonString());
        using var batch = await Client.PostAsync("/v1/batch?detail=full", ServiceCases.JsonLines("""
            {"id": null, "product": "frontier", "cloud": "aws", "date": "2026-03-15"}
            {"product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}
            {"id": {"ticket": [1, 2]}, "product": "openai-api", "cloud": "google-cloud", "date": "2026-01-15"}
            {"id": 7, "product": "frontier", "cloud": "aws", "date": "yesterday"}
            {"id": null, "product": "nothing", "cloud": "aws", "date": "2026-03-15"}
            not json
            """));
        var lines = (await batch.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Has.Length.EqualTo(6));
        foreach (var line in lines)
        {
            Assert.That(schema.Validate(line).Select(e => e.ToString()), Is.Empty, line);
        }
        // NJsonSchema lets a value match several branches of oneOf; JSON Schema does not. A oneOf with a branch that
        // takes any value (a schema like {}) is matched twice by whatever its other branches take.
        var anyValue = document["components"]!["schemas"]!.AsObject().Where(s => s.Value is System.Text.Json.Nodes.JsonObject { Count: 0 })
            .Select(s => "#/definitions/" + s.Key).ToHashSet();
        static IEnumerable<System.Text.Json.Nodes.JsonArray> OneOfs(System.Text.Json.Nodes.JsonNode? node) => node switch
        {
            System.Text.Json.Nodes.JsonObject o => (o["oneOf"] is System.Text.Json.Nodes.JsonArray a ? [a] : Enumerable.Empty<System.Text.Json.Nodes.JsonArray>()).Concat(o.SelectMany(p => OneOfs(p.Value))),
            System.Text.Json.Nodes.JsonArray a => a.SelectMany(OneOfs),
            _ => [],
        };
        var ambiguous = OneOfs(document).Where(a => a.Count > 1 && a.Any(b => b is System.Text.Json.Nodes.JsonObject { Count: 0 } || (b?["$ref"]?.GetValue<string>() is { } r && anyValue.Contains(r))));
        Assert.That(ambiguous.Select(a => a.ToJsonString()), Is.Empty, "a oneOf with a branch that takes any value");
    }

    [Test]
    public async Task DecisionLog_HasOneLinePerDecisionWithTheAnswersId()
    {
        using var ok = await Client.PostAsync("/v1/evaluate", ServiceCases.Json("""{"product": "frontier", "cloud": "aws", "date": "2026-03-15", "id": 7}"""));
        using var bad = await Client.PostAsync("/v1/evaluate", ServiceCases.Json("""{"product": "frontier", "cloud": "aws", "date": "2026-03-15", "colour": "red"}"""));
        using var batch = await Client.PostAsync("/v1/batch", ServiceCases.JsonLines("""
            {"id": "b1", "product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}
            {"id": "b2", "product": "chatgpt", "cloud": "aws", "date": "yesterday"}
            """));
        await batch.Content.ReadAsStringAsync();
        var okId = ServiceCases.DecisionId(ok)!;
        var badId = ServiceCases.DecisionId(bad)!;
        var batchId = ServiceCases.DecisionId(batch)!;
        Dictionary<string, JsonElement> logged = [];
        ServiceProcess.Eventually(() =>
        {
            logged = File.ReadAllLines(_log).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("decisionId").GetString()!);
            return new[] { okId, badId, batchId + ".1", batchId + ".2" }.All(logged.ContainsKey);
        }, "the decisions are logged");

        var first = logged[okId];
        Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "decisionId", "time", "endpoint", "ruleSet", "input", "result", "durationMs" }));
        Assert.That(first.GetProperty("endpoint").GetString(), Is.EqualTo("/v1/evaluate"));
        Assert.That(first.GetProperty("ruleSet").GetString(), Is.EqualTo(_hash));
        Assert.That(first.GetProperty("input").GetProperty("id").GetInt32(), Is.EqualTo(7));
        Assert.That(first.GetProperty("result").GetProperty("permission").GetString(), Is.EqualTo("Prohibited"));
        Assert.That(first.GetProperty("result").GetProperty("disputed").GetBoolean(), Is.True);
        Assert.That(first.GetProperty("result").GetProperty("decisive")[0].GetProperty("clause").GetString(), Is.EqualTo("first-party-products-on-azure"));
        Assert.That(DateTimeOffset.TryParse(first.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), Is.True);
        Assert.That(first.GetProperty("durationMs").GetDouble(), Is.GreaterThanOrEqualTo(0));
        Assert.That(logged[badId].GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-fact"));
        Assert.That(logged[badId].TryGetProperty("result", out _), Is.False);
        Assert.That(logged[batchId + ".1"].GetProperty("endpoint").GetString(), Is.EqualTo("/v1/batch"));
        Assert.That(logged[batchId + ".1"].GetProperty("input").GetProperty("id").GetString(), Is.EqualTo("b1"));
        Assert.That(logged[batchId + ".2"].GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-date"));
    }

    // Found by an adversarial run: a lone surrogate escape in a field no one decodes was read, but could not be written
    // into the log line; evaluate answered an empty 500 and a batch's connection was reset, only with a decision log.
    [Test]
    public async Task DecisionLog_InputThatCannotBeWrittenAgain_IsLoggedAsTextAndAnsweredAsWithoutALog()
    {
        const string lone = """{"product": "frontier", "cloud": "aws", "date": "2026-03-15", "extra": "\ud800"}""";
        using var evaluate = await Client.PostAsync("/v1/evaluate", ServiceCases.Json(lone));
        var body = await evaluate.Content.ReadAsStringAsync();
        using var batch = await Client.PostAsync("/v1/batch", ServiceCases.JsonLines($$$"""
            {"id": "s1", "product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}
            {{{lone.Insert(1, "\"id\": \"s2\", ")}}}
            {"id": "s3", "product": "chatgpt", "cloud": "aws", "date": "2026-05-01", "x": {"a": ["\udc00"]}}
            {"id": "s4", "product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}
            """));
        var lines = (await batch.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(evaluate.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("field").GetString(), Is.EqualTo("extra"));
        Assert.That(ServiceCases.RuleSet(evaluate), Is.EqualTo(_hash));
        Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString() : "answered"),
            Is.EqualTo(new[] { "answered", "invalid-fact", "invalid-fact", "answered" }));
        var evaluateId = ServiceCases.DecisionId(evaluate)!;
        var batchId = ServiceCases.DecisionId(batch)!;
        Dictionary<string, JsonElement> logged = [];
        ServiceProcess.Eventually(() =>
        {
            logged = File.ReadAllLines(_log).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("decisionId").GetString()!);
            return new[] { evaluateId, batchId + ".2", batchId + ".3", batchId + ".4" }.All(logged.ContainsKey);
        }, "every decision is logged");
        Assert.That(logged[evaluateId].GetProperty("input").GetString(), Is.EqualTo(lone));
        Assert.That(logged[evaluateId].GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-fact"));
        Assert.That(logged[batchId + ".3"].GetProperty("input").GetString(), Does.Contain("\\udc00"));
    }

    [Test]
    public async Task ConcurrentClients_EightTimesTwoThousand_AllAnswersCorrect()
    {
        const int clients = 8;
        const int requests = 2000;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            // A connection of its own per client, as separate programs would have.
            using var http = new HttpClient { BaseAddress = _service.BaseAddress };
            for (var i = 0; i < requests; i++)
            {
                var index = (client * requests + i) % ServiceCases.Catalogue.Count;
                using var response = await http.PostAsync("/v1/evaluate", ServiceCases.Json(ServiceCases.Catalogue[index].Scenario));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || body != ServiceCases.CliEvaluations[index] || ServiceCases.RuleSet(response) != _hash)
                {
                    failures.Enqueue($"client {client} request {i} ({ServiceCases.Catalogue[index].Name}): {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        Assert.That(failures, Is.Empty);
    }
}

/// <summary>A request body written by a callback, without a length (sent chunked), as slowly as the callback likes.</summary>
internal sealed class SlowContent : HttpContent
{
    private readonly Func<Stream, Task> _write;

    public SlowContent(Func<Stream, Task> write, string mediaType = "application/x-ndjson")
    {
        _write = write;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _write(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
