using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ExclusivityEngine.Tests.Service;

/// <summary>
/// The real <c>exclusivity serve</c> process on a free loopback port (port 0: the service says which one it got), with
/// an <see cref="HttpClient"/> to talk to it and what it writes on stderr.
/// </summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Starts the service with <paramref name="args"/> after <c>serve --urls http://127.0.0.1:0</c>; waits until it is ready.</summary>
    public static ServiceProcess Start(params string[] args) => Start(waitUntilReady: true, args);

    public static ServiceProcess Start(bool waitUntilReady, params string[] args) =>
        Start(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "exclusivity.dll")], waitUntilReady, args);

    /// <summary>As <see cref="Start(string[])"/>, through <paramref name="wrapper"/> (a program that runs the rest of its command line, as env does).</summary>
    public static ServiceProcess StartThrough(string[] wrapper, params string[] args) =>
        Start(wrapper[0], [.. wrapper[1..], DotnetHost(), Path.Combine(AppContext.BaseDirectory, "exclusivity.dll")], waitUntilReady: true, args);

    /// <summary>As <see cref="Start(string[])"/>, with another build of the command: <paramref name="executable"/> itself.</summary>
    public static ServiceProcess StartExecutable(string executable, params string[] args) => Start(executable, [], waitUntilReady: true, args);

    private static ServiceProcess Start(string file, string[] leading, bool waitUntilReady, string[] args)
    {
        var start = new ProcessStartInfo(file, leading)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        if (!args.Contains("--urls"))
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var service = new ServiceProcess(Process.Start(start)!);
        service._process.ErrorDataReceived += (_, e) => service.OnStderr(e.Data);
        service._process.BeginErrorReadLine();
        service._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (service.StdoutLines)
                {
                    service.StdoutLines.Add(e.Data);
                }
            }
        };
        service._process.BeginOutputReadLine();
        var address = service._listening.Task.Wait(TimeSpan.FromSeconds(60))
            ? service._listening.Task.Result
            : throw new TimeoutException($"the service did not start listening: {service.Stderr}");
        service.BaseAddress = new Uri(address);
        service.Client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (waitUntilReady && !service._ready.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"the service did not get ready: {service.Stderr}");
        }
        return service;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public int Id => _process.Id;

    public List<string> StdoutLines { get; } = [];

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Task Ready => _ready.Task;

    /// <summary>Sends a POSIX signal (TERM, HUP, KILL) to the process.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{name} failed");
    }

    /// <summary>Waits for the process to end; its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"the service did not stop: {Stderr}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Polls <paramref name="condition"/> until it holds (or fails the test after <paramref name="seconds"/>).</summary>
    public static void Eventually(Func<bool> condition, string what, double seconds = 20)
    {
        var until = Stopwatch.StartNew();
        while (!condition())
        {
            if (until.Elapsed.TotalSeconds > seconds)
            {
                Assert.Fail($"not within {seconds} s: {what}");
            }
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        Client?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException($"the service ended: {Stderr}"));
            _ready.TrySetException(new InvalidOperationException($"the service ended: {Stderr}"));
            return;
        }
        lock (_stderr)
        {
            _stderr.Append(line).Append('\n');
        }
        if (Listening().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(m.Groups[1].Value);
        }
        if (line.StartsWith("serve: ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [GeneratedRegex(@"^serve: listening on (http://\S+)$")]
    private static partial Regex Listening();
}

/// <summary>A decision log's path in the temporary folder, deleted (with a rotated <c>.1</c> beside it) when disposed.</summary>
internal sealed class DecisionLogFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"exclusivity-decisions-{Guid.NewGuid():N}.jsonl");

    public void Dispose()
    {
        File.Delete(Path);
        File.Delete(Path + ".1");
    }
}
