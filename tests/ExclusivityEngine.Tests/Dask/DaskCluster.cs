using System.Text.RegularExpressions;

namespace ExclusivityEngine.Tests.Dask;

/// <summary>
/// A real Dask cluster on loopback: Debian's scheduler and workers (python3-distributed, which .ci/run installs),
/// each in its own process group on a port the system chose. Workers run without a nanny, so killing one really
/// takes it (and the CLI it runs) away, as a lost machine would.
/// </summary>
internal sealed partial class DaskCluster : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string Dask = "/usr/bin/dask";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly string _directory;
    private readonly List<GroupProcess> _processes = [];

    public DaskCluster(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        // A partition whose worker dies is retried once, as the README tells production schedulers to do.
        var scheduler = Start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0", "--no-show"],
            new Dictionary<string, string> { ["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "1" });
        Address = scheduler.WaitForStderr(SchedulerAt(), StartTimeout, "the scheduler's address");
    }

    /// <summary>The scheduler's address, <c>tcp://127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    /// <summary>Starts a worker (one thread: one partition at a time) and waits until it has joined.</summary>
    public Worker StartWorker(string name)
    {
        var directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        var process = Start(name, ["worker", Address, "--name", name, "--no-nanny", "--nthreads", "1", "--host", "127.0.0.1",
            "--dashboard-address", "127.0.0.1:0", "--local-directory", directory]);
        var address = process.WaitForStderr(WorkerAt(), StartTimeout, $"worker {name}'s address");
        process.WaitForStderr(Registered(), StartTimeout, $"worker {name} joining the scheduler");
        return new Worker(name, address, process);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }

    private GroupProcess Start(string name, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.That(File.Exists(Dask), Is.True, $"{Dask} is missing: install Debian's python3-distributed (.ci/run does)");
        var process = GroupProcess.Start(Dask, arguments, _directory, environment);
        _processes.Add(process);
        return process;
    }

    [GeneratedRegex(@"Scheduler at:\s+(tcp://\S+)")]
    private static partial Regex SchedulerAt();

    [GeneratedRegex(@"Start worker at:\s+(tcp://\S+)")]
    private static partial Regex WorkerAt();

    [GeneratedRegex(@"(Registered to):")]
    private static partial Regex Registered();

    /// <summary>A worker of the cluster: its name, address and process (group).</summary>
    public sealed record Worker(string Name, string Address, GroupProcess Process);
}
