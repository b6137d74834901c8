using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Service;

/// <summary>Reloads, SIGHUP, SIGTERM with requests in flight, a decision log that cannot keep up or cannot be written, and start-up refusals.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ServiceLifecycleTests
{
    private const string Token = "test-admin-token-0123456789abcdef";
    private const string Frontier = """{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}""";
    private const string Reading = "clauses/msft-openai-2025-10.json";
    private const string Forbid = "\"id\": \"first-party-products-on-azure\",\n          \"effect\": \"forbid\"";

    [Test]
    public async Task Reload_GoodThenBrokenRuleSet_WhileRequestsRun()
    {
        using var rules = new RuleSetCopy();
        var tokenFile = Path.Combine(rules.Directory, "admin.token");
        File.WriteAllText(tokenFile, Token + "\n");
        using var service = ServiceProcess.Start("--rules", rules.Directory, "--admin-token-file", tokenFile);
        var before = CliRun.Of("evaluate", "--rules", rules.Directory, "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json").Stdout;
        var oldHash = Hash(before);

        // Requests run all along; each answer must come whole from one rule set: its header names the rule set its body used.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                using var response = await http.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier));
                var body = await response.Content.ReadAsStringAsync();
                var header = ServiceCases.RuleSet(response);
                if (response.StatusCode != HttpStatusCode.OK || Hash(body) != header)
                {
                    failures.Enqueue($"{(int)response.StatusCode} header {header}: {body[..Math.Min(300, body.Length)]}");
                }
                seen.AddOrUpdate(header, 1, (_, n) => n + 1);
                // Steady load, not a flood: the reload's compilation needs a core too.
                await Task.Delay(2);
            }
        })).ToArray();

        using (var anonymous = await service.Client.PostAsync("/v1/rules/reload", null))
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(ServiceCases.Error(await anonymous.Content.ReadAsStringAsync()).Code, Is.EqualTo("unauthorized"));
        }
        using (var wrong = await Reload(service, Token + "x"))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        // A good edit: the reading's forbid becomes a note; the verdict changes, the hash changes.
        rules.Replace(Reading, Forbid, Forbid.Replace("forbid", "note"));
        var after = CliRun.Of("evaluate", "--rules", rules.Directory, "--product", "frontier", "--cloud", "aws", "--date", "2026-03-15", "--format", "json").Stdout;
        var newHash = Hash(after);
        Assert.That(newHash, Is.Not.EqualTo(oldHash));
        using (var reloaded = await Reload(service, Token))
        {
            var text = await reloaded.Content.ReadAsStringAsync();
            Assert.That(reloaded.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("ruleSet").GetString(), Is.EqualTo(newHash));
            Assert.That(ServiceCases.RuleSet(reloaded), Is.EqualTo(newHash));
        }
        using (var answer = await service.Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier)))
        {
            Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo(after));
            Assert.That(ServiceCases.RuleSet(answer), Is.EqualTo(newHash));
        }

        // A broken edit: refused with the problems validate gives; the last good rule set keeps answering.
        rules.Replace(Reading, Forbid.Replace("forbid", "note"), Forbid.Replace("forbid", "notice"));
        var validate = CliRun.Of("validate", "--rules", rules.Directory, "--format", "json");
        Assert.That(validate.ExitCode, Is.EqualTo(2));
        using (var refused = await Reload(service, Token))
        {
            var text = await refused.Content.ReadAsStringAsync();
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), text);
            var body = JsonNode.Parse(text)!;
            Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid-rule-set"));
            Assert.That(JsonNode.DeepEquals(body["problems"], JsonNode.Parse(validate.Stdout)!["problems"]), Is.True, text);
            Assert.That(ServiceCases.RuleSet(refused), Is.EqualTo(newHash));
        }
        using (var answer = await service.Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier)))
        {
            Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo(after));
        }

        // SIGHUP reloads the directory as the endpoint does: back to the original rules.
        rules.Replace(Reading, Forbid.Replace("forbid", "notice"), Forbid);
        service.Signal("HUP");
        ServiceProcess.Eventually(() =>
        {
            using var response = service.Client.GetAsync("/readyz").GetAwaiter().GetResult();
            return ServiceCases.RuleSet(response) == oldHash;
        }, "SIGHUP reloads the original rule set", seconds: 60);

        stop.Cancel();
        await Task.WhenAll(load);
        Assert.That(failures, Is.Empty);
        Assert.That(seen.Keys, Is.SupersetOf(new[] { oldHash, newHash }));
        Assert.That(service.Stderr, Does.Contain("refused").And.Contain("SIGHUP: rule set " + oldHash));
        using var metrics = await service.Client.GetAsync("/metrics");
        var text2 = await metrics.Content.ReadAsStringAsync();
        Assert.That(text2, Does.Contain($"exclusivity_rule_set_info{{rule_set=\"{oldHash}\"}} 1"));
        Assert.That(text2, Does.Contain($"exclusivity_rule_set_info{{rule_set=\"{newHash}\"}} 0"));
        Assert.That(text2, Does.Match("exclusivity_rule_set_reloads_total\\{outcome=\"refused\"\\} 1"));
    }

    // nohup (and a shell's background job under some launchers) starts the service with SIGHUP ignored, and the runtime
    // never hands an ignored signal on: the reload must work anyway.
    [Test]
    public void Sighup_StartedWithItIgnored_StillReloads()
    {
        using var rules = new RuleSetCopy();
        using var service = ServiceProcess.StartThrough(["env", "--ignore-signal=HUP"], "--rules", rules.Directory);
        string Served()
        {
            using var response = service.Client.GetAsync("/readyz").GetAwaiter().GetResult();
            return ServiceCases.RuleSet(response);
        }
        var before = Served();

        rules.Replace(Reading, Forbid, Forbid.Replace("forbid", "note"));
        service.Signal("HUP");

        ServiceProcess.Eventually(() => service.Stderr.Contains("serve: SIGHUP:", StringComparison.Ordinal), "SIGHUP is handled", seconds: 60);
        Assert.That(service.Stderr, Does.Contain("serve: SIGHUP: rule set"));
        Assert.That(Served(), Is.Not.EqualTo(before), service.Stderr);
    }

    [Test]
    public async Task Sigterm_RequestsInFlightFinish_LogIsFlushed_ExitZero()
    {
        using var logFile = new DecisionLogFile();
        var log = logFile.Path;
        using var service = ServiceProcess.Start("--decision-log", log);
        const int half = 3000;
        var line = """{"product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}""" + "\n";

        // A streaming batch, half sent and half answered, and an evaluate whose body is half sent.
        using var batch = await RawRequest.OpenAsync(service.BaseAddress, "/v1/batch", "application/x-ndjson", chunked: true);
        await batch.SendChunkAsync(string.Concat(Enumerable.Repeat(line, half)));
        await batch.ReadUntilAsync(received => RawRequest.Count(received, "\"line\":") >= 1000);
        var scenario = Encoding.UTF8.GetBytes(Frontier);
        using var evaluate = await RawRequest.OpenAsync(service.BaseAddress, "/v1/evaluate", "application/json", chunked: false, contentLength: scenario.Length);
        await evaluate.SendAsync(scenario.AsMemory(0, 10));

        service.Signal("TERM");
        await Task.Delay(500);
        Assert.That(service.HasExited, Is.False, "the service stopped before its requests finished");
        await batch.SendChunkAsync(string.Concat(Enumerable.Repeat(line, half)));
        await batch.SendChunkAsync("");
        await evaluate.SendAsync(scenario.AsMemory(10));

        var batchAnswer = await batch.ReadToEndAsync();
        var evaluateAnswer = await evaluate.ReadToEndAsync();
        Assert.That(batchAnswer, Does.StartWith("HTTP/1.1 200"));
        Assert.That(RawRequest.Count(batchAnswer, "\"line\":"), Is.EqualTo(2 * half));
        Assert.That(evaluateAnswer, Does.StartWith("HTTP/1.1 200").And.Contain("\"permission\": \"Prohibited\""));
        Assert.That(service.WaitForExit(TimeSpan.FromSeconds(60)), Is.Zero, service.Stderr);
        Assert.That(service.Stderr, Does.Contain("serve: stopped"));
        // Every decision answered is in the log once the process has gone.
        Assert.That(File.ReadLines(log).Count(), Is.EqualTo(2 * half + 1));
    }

    [Test]
    public async Task DecisionLog_FullDisk_AnswersGoOnAndLostLinesAreCounted()
    {
        using var service = ServiceProcess.Start("--decision-log", "/dev/full");
        for (var i = 0; i < 20; i++)
        {
            using var response = await service.Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        ServiceProcess.Eventually(() =>
        {
            var metrics = service.Client.GetStringAsync("/metrics").GetAwaiter().GetResult();
            return metrics.Contains("exclusivity_decision_log_lost_total{reason=\"write-failed\"} 20", StringComparison.Ordinal);
        }, "20 decisions counted as not logged");
        Assert.That(RawRequest.Count(service.Stderr, "cannot be written"), Is.EqualTo(1), service.Stderr);
        service.Signal("TERM");
        Assert.That(service.WaitForExit(TimeSpan.FromSeconds(60)), Is.Zero);
        Assert.That(service.Stderr, Does.Contain("20 decision(s) were answered but could not be logged"));
    }

    [Test]
    public async Task DecisionLog_ThatDoesNotDrain_NeverHoldsUpAnAnswer()
    {
        var fifo = Path.Combine(Path.GetTempPath(), $"exclusivity-fifo-{Guid.NewGuid():N}");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }
        try
        {
            // Opened for reading and writing so that opening it does not wait; nothing is read until the end, so the
            // log's writes stop once the pipe's buffer is full, as on a disk that has stalled.
            using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
            using var service = ServiceProcess.Start("--decision-log", fifo);
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 400; i++)
            {
                using var response = await service.Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
            Assert.That(started.Elapsed.TotalSeconds, Is.LessThan(60));
            // 400 lines are far more than a pipe holds: the writer is stuck, the answers were not.
            var buffer = new byte[1 << 20];
            var total = new StringBuilder();
            ServiceProcess.Eventually(() =>
            {
                total.Append(Encoding.UTF8.GetString(buffer, 0, reader.Read(buffer)));
                return RawRequest.Count(total.ToString(), "\n") >= 400;
            }, "the log drains once read");
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    // Found by an adversarial run: the start waited for a reader, silently, with nothing listening.
    [Test]
    public void DecisionLog_FifoThatNoOneReads_Exits2AtOnce()
    {
        var fifo = Path.Combine(Path.GetTempPath(), $"exclusivity-fifo-{Guid.NewGuid():N}");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }
        try
        {
            var run = Task.Run(() => CliRun.Of("serve", "--urls", "http://127.0.0.1:0", "--decision-log", fifo));

            Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "the start waited for a reader");
            Assert.That(run.Result.ExitCode, Is.EqualTo(2), run.Result.Stderr);
            Assert.That(run.Result.Stderr, Is.EqualTo($"error: --decision-log: cannot open the decision log `{fifo}`: it is a FIFO that no process reads; start its reader first\n"));
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Test]
    public async Task DecisionLog_ServiceKilledWithSigkill_HoldsEveryDecisionItAnswered()
    {
        using var logFile = new DecisionLogFile();
        var log = logFile.Path;
        var service = ServiceProcess.Start("--decision-log", log);
        var answered = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        async Task Ask(int client)
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"c{client}-{i}";
                try
                {
                    using var response = await http.PostAsync("/v1/evaluate", ServiceCases.Json($$"""{"id": "{{id}}", "product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}"""));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answered.Add(id);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the service is gone
                }
            }
        }
        var clients = Enumerable.Range(0, 6).Select(c => Task.Run(() => Ask(c))).ToArray();
        ServiceProcess.Eventually(() => answered.Count >= 300, "300 answers");
        service.Signal("KILL");
        service.WaitForExit(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        service.Dispose();

        var logged = File.ReadLines(log).Select(l => JsonNode.Parse(l)!["input"]!["id"]!.GetValue<string>()).ToHashSet();
        Assert.That(answered.Where(id => !logged.Contains(id)), Is.Empty, "answered, but not in the decision log after kill -9");
    }

    [Test]
    public async Task DecisionLog_EndingInsideALine_TruncatedOrMovedAway_StaysOneDecisionALine()
    {
        using var logFile = new DecisionLogFile();
        var log = logFile.Path;
        // A run killed mid-write left half a line: the first decision of the next run starts a line of its own.
        File.WriteAllText(log, """{"decisionId": "torn", "endpoint": "/v1/evalu""");
        using var service = ServiceProcess.Start("--decision-log", log);
        Assert.That(service.Stderr, Does.Contain("ended inside a line"));
        await Decide(service, 2);
        var lines = File.ReadAllLines(log);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[1..].Select(l => JsonNode.Parse(l)!["endpoint"]!.GetValue<string>()), Is.All.EqualTo("/v1/evaluate"));

        // copytruncate: the file emptied under the service goes on at its new end, not at the old offset.
        File.WriteAllBytes(log, []);
        await Decide(service, 1);
        Assert.That(File.ReadAllBytes(log), Has.No.Member((byte)0));
        Assert.That(File.ReadAllLines(log), Has.Length.EqualTo(1));

        // Moved away, then SIGHUP (logrotate's postrotate): the path is opened again.
        File.Move(log, log + ".1");
        await Decide(service, 1);
        service.Signal("HUP");
        ServiceProcess.Eventually(() => service.Stderr.Contains("reopened", StringComparison.Ordinal), "the log reopened");
        await Decide(service, 3);
        Assert.That(File.ReadAllLines(log + ".1"), Has.Length.EqualTo(2));
        Assert.That(File.ReadAllLines(log), Has.Length.EqualTo(3));

        static async Task Decide(ServiceProcess service, int times)
        {
            for (var i = 0; i < times; i++)
            {
                using var response = await service.Client.PostAsync("/v1/evaluate", ServiceCases.Json(Frontier));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
        }
    }

    [Test]
    public async Task Batch_ClientsThatNeverRead_AreCutOff_AndTheirTurnsFreed()
    {
        using var service = ServiceProcess.Start("--request-timeout", "1");
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}""" + "\n", 1000)));
        var head = Encoding.ASCII.GetBytes($"POST /v1/batch HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {1L << 40}\r\n\r\n");
        // As many clients as the service answers batches at once (2 x cores), each sending lines and reading nothing,
        // until the service cuts it off (or 30 s pass).
        var stallers = Enumerable.Range(0, Math.Max(2, 2 * Environment.ProcessorCount)).Select(_ => Task.Run(async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await socket.SendAsync(head);
                while (true)
                {
                    await socket.SendAsync(lines, deadline.Token);
                }
            }
            catch (SocketException)
            {
                return true; // cut off
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        })).ToArray();

        var cutOff = await Task.WhenAll(stallers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(cutOff, Is.All.True, service.Stderr);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Frontier));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        using var response = await service.Client.PostAsync("/v1/batch", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), service.Stderr);
        Assert.That(service.Stderr, Does.Contain("took no byte of the answer").And.Not.Contain("failed"));
    }

    // Found by a review: a client reading slowly (or in bursts, as curl --limit-rate does) was cut off, since the kernel
    // lets a write go on only once a third of the socket's megabytes of send buffer are free.
    [Test]
    public async Task Batch_ClientReadingSlowly_IsNotCutOff()
    {
        using var service = ServiceProcess.Start("--request-timeout", "1");
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"product": "chatgpt", "cloud": "aws", "date": "2026-05-01"}""" + "\n", 20_000)));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /v1/batch?detail=full HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {lines.Length}\r\n\r\n"));
        var sending = socket.SendAsync(lines);

        // About 40 kB a second for five seconds: far less than the socket buffers hold, so every write waits long.
        var buffer = new byte[2048];
        long received = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var read = await socket.ReceiveAsync(buffer);
            Assert.That(read, Is.GreaterThan(0), $"cut off after {received} bytes\n{service.Stderr}");
            received += read;
            await Task.Delay(50);
        }

        Assert.That(received, Is.GreaterThan(50_000));
        Assert.That(service.Stderr, Does.Not.Contain("took no byte"));
        socket.Close();
        await Task.WhenAny(sending, Task.Delay(1000));
    }

    [TestCase("--urls", "https://127.0.0.1:0")]
    [TestCase("--urls", "http://example.com:8181")]
    [TestCase("--rules", "/nonexistent/rules")]
    [TestCase("--request-timeout", "0")]
    [TestCase("--admin-token-file", "/nonexistent/token")]
    [TestCase("--decision-log", "/nonexistent/dir/decisions.jsonl")]
    public void Start_BadOption_Exits2WithOneSentence(string option, string value)
    {
        var run = CliRun.Of("serve", "--urls", "http://127.0.0.1:0", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.Contain(option.Trim('-')).And.Not.Contain("   at "));
    }

    [TestCase("--rules", "/etc/hostname", "`/etc/hostname` is a file; give the rule set's folder")]
    [TestCase("--urls", "http://127.0.0.1:0/prefix", "a path (`/prefix`) is not served")]
    [TestCase("--urls", "http://127.0.0.1:18181;http://127.0.0.1:18181", "`http://127.0.0.1:18181` is given twice")]
    public void Start_BadOption_SaysWhatIsWrongWithIt(string option, string value, string says)
    {
        var run = option == "--urls" ? CliRun.Of("serve", option, value) : CliRun.Of("serve", "--urls", "http://127.0.0.1:0", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.StartWith("error: " + option).And.Contain(says));
    }

    // Found by an adversarial run: a token file of two lines was taken, and then no Authorization header matched it.
    [TestCase("first-token-0123456789\nsecond-token-0123456789\n")]
    [TestCase("token-with a-space-0123456789")]
    public void Start_TokenFileThatIsNotOneWord_Exits2(string content)
    {
        var tokenFile = Path.Combine(Path.GetTempPath(), $"exclusivity-token-{Guid.NewGuid():N}");
        File.WriteAllText(tokenFile, content);
        try
        {
            var run = CliRun.Of("serve", "--urls", "http://127.0.0.1:0", "--admin-token-file", tokenFile);

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
            Assert.That(run.Stderr, Does.StartWith($"error: --admin-token-file: the token in `{tokenFile}` holds a space or a line break"));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Test]
    public async Task Start_SchemeInCapitals_IsHttp()
    {
        using var service = ServiceProcess.Start("--urls", "HTTP://127.0.0.1:0");
        using var response = await service.Client.GetAsync("/healthz");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Start_BrokenRuleSet_Exits2WithEveryProblem()
    {
        using var rules = new RuleSetCopy();
        rules.Replace(Reading, Forbid, Forbid.Replace("forbid", "forbidd"));
        var run = CliRun.Of("serve", "--urls", "http://127.0.0.1:0", "--rules", rules.Directory);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("msft-openai-2025-10.json").And.Contain("forbidd"));
    }

    [Test]
    public void Start_AddressInUse_Exits2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var run = CliRun.Of("serve", "--urls", $"http://127.0.0.1:{port}");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.StartWith($"error: --urls: cannot listen on http://127.0.0.1:{port}"));
        Assert.That(run.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one sentence, not the host's log line beside it");
    }

    private static string Hash(string evaluation) =>
        JsonDocument.Parse(evaluation).RootElement.GetProperty("ruleSet").GetString()!;

    private static Task<HttpResponseMessage> Reload(ServiceProcess service, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rules/reload");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return service.Client.SendAsync(request);
    }
}

/// <summary>An HTTP/1.1 request on a socket of its own, its body sent piece by piece while the answer is read.</summary>
internal sealed class RawRequest : IDisposable
{
    private readonly TcpClient _socket;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _received = new();
    private readonly byte[] _buffer = new byte[1 << 16];

    private RawRequest(TcpClient socket)
    {
        _socket = socket;
        _stream = socket.GetStream();
    }

    public static async Task<RawRequest> OpenAsync(Uri service, string path, string contentType, bool chunked, long contentLength = 0)
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(service.Host, service.Port);
        var request = new RawRequest(socket);
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {contentLength}";
        await request.SendAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {service.Authority}\r\nContent-Type: {contentType}\r\n{framing}\r\nConnection: close\r\n\r\n"));
        return request;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>One chunk; an empty one ends the body.</summary>
    public async Task SendChunkAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await SendAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
        if (bytes.Length > 0)
        {
            await SendAsync(bytes);
        }
        await SendAsync("\r\n"u8.ToArray());
    }

    public async Task ReadUntilAsync(Func<string, bool> enough)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!enough(_received.ToString()))
        {
            var read = await _stream.ReadAsync(_buffer, timeout.Token);
            Assert.That(read, Is.GreaterThan(0), "the connection closed early: " + _received);
            _received.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
    }

    public async Task<string> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int read;
        while ((read = await _stream.ReadAsync(_buffer, timeout.Token)) > 0)
        {
            _received.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
        return _received.ToString();
    }

    public static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    public void Dispose() => _socket.Dispose();
}
