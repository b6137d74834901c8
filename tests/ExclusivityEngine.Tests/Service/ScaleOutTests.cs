using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ExclusivityEngine.Tests.Service;

/// <summary>
/// Beyond one machine: two real replicas behind HAProxy (src/ExclusivityEngine.Service/deploy/haproxy.cfg), load through the balancer, one replica
/// killed (SIGKILL) in the middle. No request may fail, and every answer names the same rule set.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ScaleOutTests
{
    [Test]
    public async Task TwoReplicasBehindHaproxy_OneKilledUnderLoad_NoRequestFails()
    {
        var haproxyPath = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists);
        Assert.That(haproxyPath, Is.Not.Null, "haproxy is needed (apt-get install haproxy; .ci/run installs it)");

        using var a = ServiceProcess.Start();
        using var b = ServiceProcess.Start();
        var front = FreePort();
        var start = new ProcessStartInfo(haproxyPath!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", Path.Combine(Repository.Root, "src", "ExclusivityEngine.Service", "deploy", "haproxy.cfg") })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["FRONT_PORT"] = front.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["REPLICA_A_PORT"] = a.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["REPLICA_B_PORT"] = b.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var haproxy = Process.Start(start)!;
        var haproxyLog = new ConcurrentQueue<string>();
        haproxy.ErrorDataReceived += (_, e) => { if (e.Data is not null) { haproxyLog.Enqueue(e.Data); } };
        haproxy.OutputDataReceived += (_, e) => { if (e.Data is not null) { haproxyLog.Enqueue(e.Data); } };
        haproxy.BeginErrorReadLine();
        haproxy.BeginOutputReadLine();
        try
        {
            var balancer = new Uri($"http://127.0.0.1:{front}");
            // The replica that answered is told apart by the decision id's per-process prefix.
            string Replica(HttpResponseMessage r) => ServiceCases.DecisionId(r)?.Split('-')[0] ?? "?";
            var seenBoth = new HashSet<string>();
            using (var probe = new HttpClient { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(10) })
            {
                ServiceProcess.Eventually(() =>
                {
                    try
                    {
                        using var r = probe.PostAsync("/v1/evaluate", ServiceCases.Json(ServiceCases.Catalogue[0].Scenario)).GetAwaiter().GetResult();
                        if (r.StatusCode == HttpStatusCode.OK)
                        {
                            seenBoth.Add(Replica(r));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // HAProxy is still starting.
                    }
                    return seenBoth.Count == 2;
                }, "both replicas answer through the balancer: " + string.Join("\n", haproxyLog), seconds: 60);
            }

            const int clients = 4;
            const int requests = 1500;
            var killAt = clients * requests / 3;
            var done = 0;
            var killed = 0;
            var failures = new ConcurrentQueue<string>();
            var ruleSets = new ConcurrentDictionary<string, int>();
            var byReplica = new ConcurrentDictionary<(string Replica, bool AfterKill), int>();
            var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(30) };
                for (var i = 0; i < requests; i++)
                {
                    var index = (client * requests + i) % ServiceCases.Catalogue.Count;
                    if (Interlocked.Increment(ref done) == killAt && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        a.Signal("KILL");
                    }
                    var afterKill = Volatile.Read(ref killed) == 1;
                    try
                    {
                        using var response = await http.PostAsync("/v1/evaluate", ServiceCases.Json(ServiceCases.Catalogue[index].Scenario));
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode != HttpStatusCode.OK || body != ServiceCases.CliEvaluations[index])
                        {
                            failures.Enqueue($"{(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");
                        }
                        ruleSets.AddOrUpdate(ServiceCases.RuleSet(response), 1, (_, n) => n + 1);
                        byReplica.AddOrUpdate((Replica(response), afterKill), 1, (_, n) => n + 1);
                    }
                    catch (HttpRequestException e)
                    {
                        failures.Enqueue(e.Message);
                    }
                }
            })).ToArray();
            await Task.WhenAll(tasks);

            var summary = $"{clients * requests} requests through HAProxy to 2 replicas, replica a killed (SIGKILL) after {killAt}: "
                + $"{failures.Count} failed; answered by replica: {string.Join(", ", byReplica.OrderBy(k => k.Key.AfterKill).ThenBy(k => k.Key.Replica).Select(k => $"{k.Key.Replica}{(k.Key.AfterKill ? " after the kill" : " before")} {k.Value}"))}; "
                + $"rule sets named: {string.Join(", ", ruleSets.Select(k => $"{k.Key} ({k.Value})"))}";
            TestContext.Out.WriteLine(summary);
            Assert.That(failures, Is.Empty, summary);
            Assert.That(ruleSets.Keys, Has.Count.EqualTo(1), summary);
            Assert.That(a.WaitForExit(TimeSpan.FromSeconds(10)), Is.Not.Zero, "replica a was killed");
            Assert.That(byReplica.Keys.Where(k => !k.AfterKill).Select(k => k.Replica).Distinct().Count(), Is.EqualTo(2), summary);
        }
        finally
        {
            if (!haproxy.HasExited)
            {
                haproxy.Kill();
                haproxy.WaitForExit();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
