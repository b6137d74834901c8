using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ExclusivityEngine.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ExclusivityEngine.Service;

/// <summary>
/// <c>exclusivity serve</c>: the engine as a long-lived HTTP service (interface.md, "The decision service"), on Kestrel
/// with minimal APIs. Stateless between requests, so it scales out by running more of it behind a load balancer.
/// </summary>
public static class DecisionService
{
    /// <summary>
    /// Runs until SIGTERM or Ctrl-C (in-flight requests finish, the decision log is flushed); returns the exit code:
    /// 0 after a clean stop, 2 when the options, the address or the rule set cannot be used (said on <paramref name="stderr"/>).
    /// </summary>
    /// <param name="options">What the command line said.</param>
    /// <param name="stdout">Where <c>--decision-log -</c> writes.</param>
    /// <param name="stderr">Where the service says what it does and what went wrong.</param>
    /// <param name="time">The clock of the decision log's <c>time</c>.</param>
    public static async Task<int> RunAsync(ServiceOptions options, Stream stdout, TextWriter stderr, TimeProvider? time = null)
    {
        stderr = TextWriter.Synchronized(stderr);
        if (Prepare(options, out var listen, out var tokenHash) is { } problem)
        {
            stderr.WriteLine($"error: {Scenarios.Quote.Escaped(problem)}");
            return 2;
        }
        var metrics = new ServiceMetrics();
        DecisionLog? log = null;
        if (options.DecisionLog is { } logPath)
        {
            try
            {
                log = DecisionLog.Open(logPath, stdout, stderr, metrics);
            }
            catch (IOException e)
            {
                stderr.WriteLine($"error: --decision-log: {Scenarios.Quote.Escaped(e.Message)}");
                return 2;
            }
        }
        try
        {
            return await RunAsync(options, listen, tokenHash, metrics, log, stderr, time ?? TimeProvider.System).ConfigureAwait(false);
        }
        finally
        {
            // Every request has finished by now: what they logged is written before the process ends.
            log?.Dispose();
        }
    }

    private static async Task<int> RunAsync(ServiceOptions options, List<(IPEndPoint? Address, int Port)> listen, byte[]? tokenHash, ServiceMetrics metrics,
        DecisionLog? log, TextWriter stderr, TimeProvider time)
    {
        var holder = new RuleSetHolder(options.RulesDirectory, metrics);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Only the command line configures the service: no appsettings, no ASPNETCORE_* variables, no Kestrel section.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new StderrLoggerProvider(stderr));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxEvaluateBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            foreach (var (address, port) in listen)
            {
                if (address is null)
                {
                    kestrel.ListenLocalhost(port);
                }
                else
                {
                    kestrel.Listen(address);
                }
            }
        });
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = ctx =>
            {
                // The middleware cleared the headers the request had been given.
                if (holder.Current is { } rules)
                {
                    ctx.Response.Headers[Answers.RuleSetHeader] = rules.Header;
                }
                metrics.Rejected(ctx.GetEndpoint()?.Metadata.GetMetadata<ServiceEndpoint>()?.Name ?? "none", ErrorCodes.Timeout);
                Answers.Error(ctx.Response, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Timeout,
                    $"the request took longer than {options.RequestTimeout.TotalSeconds:0.###} s and was stopped");
                return Task.CompletedTask;
            },
        });
        builder.Services.AddOpenApi(o => OpenApiDescription.Configure(o));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Shapes.ShapesJson.Default));

        var app = builder.Build();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var endpoints = new Endpoints(options, holder, metrics, log, new DecisionIds(), tokenHash, time, stderr,
            () => lifetime.ApplicationStopping.IsCancellationRequested);
        var guard = new Guard(holder, metrics, stderr);
        app.UseRouting();
        app.Use(next => ctx => guard.InvokeAsync(ctx, next));
        app.UseRequestTimeouts();
        endpoints.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json").WithMetadata(new ServiceEndpoint("/openapi/v1.json"), new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).DisableRequestTimeout();
        // prometheus-net answers any method; the contract's /metrics is a GET (and its HEAD), others are 405 as elsewhere.
        app.MapMetrics("/metrics", metrics.Registry).WithMetadata(new ServiceEndpoint("/metrics"), new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            stderr.WriteLine($"error: --urls: cannot listen on {options.Urls}: {e.Message}");
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            stderr.WriteLine($"serve: listening on {address}");
        }

        // Listening first, loading second: /healthz answers and /readyz says 503 until the rule set is in.
        try
        {
            var loaded = await Task.Run(holder.LoadInitial).ConfigureAwait(false);
            stderr.WriteLine($"serve: ready: rule set {loaded.Hash} ({Scenarios.Quote.Escaped(options.RulesDirectory ?? "embedded")})");
        }
        catch (Exception e) when (e is RuleSetException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            var detail = e is RuleSetException r
                ? $"the rule set cannot be used ({r.Diagnostics.Count} problem(s)):\n  " + string.Join("\n  ", r.Diagnostics)
                : Scenarios.Quote.Escaped(e.Message);
            stderr.WriteLine($"error: {detail}");
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }

        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            // SIGHUP also reopens the decision log: logrotate's `postrotate` sends it after moving the file away.
            log?.Reopen();
            if (!holder.CanReload)
            {
                stderr.WriteLine("serve: SIGHUP: the rule set is not reloaded: the service answers with the embedded one (start it with --rules DIR)");
                return;
            }
            _ = Task.Run(async () => endpoints.ReportReload("SIGHUP", await holder.ReloadAsync(CancellationToken.None).ConfigureAwait(false)));
        });
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stderr.WriteLine("serve: stopped");
        return 0;
    }

    /// <summary>Checks the options before anything starts; returns the problem, or null.</summary>
    private static string? Prepare(ServiceOptions options, out List<(IPEndPoint? Address, int Port)> listen, out byte[]? tokenHash)
    {
        listen = [];
        tokenHash = null;
        var given = new HashSet<(string Host, int Port)>();
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The port said wrong as such (`:abc`, `:99999999999`), not as a host name that is not an IP address.
            if (Regex.Match(url, @"^[a-zA-Z][a-zA-Z0-9+.-]*://(\[[^\]]*\]|[^:/\[]*):([^/]*)") is { Success: true } written
                && !(int.TryParse(written.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort))
            {
                return $"--urls: `{url}`: the port must be a number from 0 to 65535";
            }
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return $"--urls: `{url}` is not an address like http://127.0.0.1:8181";
            }
            if (!address.Scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || address.IsUnixPipe)
            {
                return $"--urls: `{url}`: only http://HOST:PORT is served (terminate TLS at the load balancer or proxy in front)";
            }
            if (address.PathBase.Length > 0)
            {
                return $"--urls: `{url}`: a path (`{address.PathBase}`) is not served; give http://HOST:PORT (the endpoints are at /v1/...; a proxy in front can add a prefix)";
            }
            if (address.Port != 0 && !given.Add((address.Host.ToLowerInvariant(), address.Port)))
            {
                return $"--urls: `{url}` is given twice";
            }
            if (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                if (address.Port == 0)
                {
                    return $"--urls: `{url}`: port 0 needs an IP address (http://127.0.0.1:0)";
                }
                listen.Add((null, address.Port));
            }
            else if (address.Host is "*" or "+" || IPAddress.TryParse(address.Host.Trim('[', ']'), out _))
            {
                var ip = address.Host is "*" or "+" ? IPAddress.IPv6Any : IPAddress.Parse(address.Host.Trim('[', ']'));
                listen.Add((new IPEndPoint(ip, address.Port), address.Port));
            }
            else
            {
                return $"--urls: `{url}`: give an IP address (127.0.0.1, 0.0.0.0, [::]) or localhost, not a host name";
            }
        }
        if (listen.Count == 0)
        {
            return "--urls: no address given";
        }
        if (options.RulesDirectory is { } rules && !Directory.Exists(rules))
        {
            return File.Exists(rules)
                ? $"--rules: `{rules}` is a file; give the rule set's folder (the one holding versions.json)"
                : $"--rules: rule directory `{rules}` does not exist";
        }
        if (options.AdminTokenFile is { } tokenFile)
        {
            string token;
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"--admin-token-file: cannot read `{tokenFile}`: {Loading.FileProblem.Reason(e, tokenFile)}";
            }
            if (token.Length < 16)
            {
                return $"--admin-token-file: the token in `{tokenFile}` is {(token.Length == 0 ? "empty" : "shorter than 16 characters")}; use a long random one (e.g. `openssl rand -hex 32`)";
            }
            if (token.Any(char.IsWhiteSpace))
            {
                // Found by an adversarial run: a second line was accepted, and then no header could ever match.
                return $"--admin-token-file: the token in `{tokenFile}` holds a space or a line break; a bearer token is one word on one line";
            }
            tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            return "--request-timeout: must be more than 0 seconds";
        }
        return null;
    }
}
