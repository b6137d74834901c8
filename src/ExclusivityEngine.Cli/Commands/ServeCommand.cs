using System.CommandLine;
using System.Globalization;
using ExclusivityEngine.Service;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>serve</c>: the engine as an HTTP decision service (the service itself is in ExclusivityEngine.Service).</summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var urls = new Option<string>("--urls") { Description = "where to listen, ;-separated http://IP:PORT (loopback only by default; port 0 picks a free one)", DefaultValueFactory = _ => ServiceOptions.DefaultUrls, HelpName = "URL" };
        var decisionLog = new Option<string?>("--decision-log") { Description = "append one JSON line per decision to FILE (- for stdout)", HelpName = "FILE|-" };
        var adminTokenFile = new Option<string?>("--admin-token-file") { Description = "enables POST /v1/rules/reload for `Authorization: Bearer <the file's token>`", HelpName = "FILE" };
        var requestTimeout = new Option<string>("--request-timeout") { Description = "seconds a request may take (batches excepted: they stream as long as their input lasts)", DefaultValueFactory = _ => "10", HelpName = "SECONDS" };
        var command = new Command("serve", "the same answers over HTTP, for tools that are not .NET: evaluate, batch, timeline, why-not, versions, reload, health, metrics, OpenAPI") { urls, decisionLog, adminTokenFile, requestTimeout };
        command.SetAction(parsed =>
        {
            var timeoutText = parsed.GetValue(requestTimeout)!;
            if (!double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 86400)
            {
                throw new UsageException($"--request-timeout: must be a number of seconds more than 0 and at most 86400, not `{timeoutText}`");
            }
            var logPath = parsed.GetValue(decisionLog);
            if (logPath is not null && StandardStreams.DescriptorNamedBy(logPath) is { } descriptor)
            {
                // /dev/stdout is `-` (written where the shell left it, and said so if closed); never a runtime descriptor.
                if (descriptor == 1)
                {
                    logPath = "-";
                }
                else if (!StandardStreams.IsGiven(descriptor))
                {
                    throw new UsageException($"--decision-log: `{logPath}`: {StandardStreams.NotGiven(descriptor, ">>")}");
                }
            }
            var options = new ServiceOptions
            {
                Urls = parsed.GetValue(urls)!,
                RulesDirectory = parsed.GetValue(CommonOptions.Rules),
                DecisionLog = logPath,
                AdminTokenFile = parsed.GetValue(adminTokenFile),
                RequestTimeout = TimeSpan.FromSeconds(seconds),
            };
            return DecisionService.RunAsync(options, io.Stdout, io.Stderr).GetAwaiter().GetResult();
        });
        return command.WithHelp(
            [
                "exclusivity serve                                   # http://127.0.0.1:8181, the embedded rule set",
                "exclusivity serve --urls http://0.0.0.0:8181 --rules rules --admin-token-file /run/secrets/admin",
                "exclusivity serve --decision-log decisions.jsonl",
            ],
            "0  stopped by SIGTERM or Ctrl-C, requests in flight finished",
            "2  bad options, an address that cannot be bound, or a rule set that cannot be used");
    }
}
