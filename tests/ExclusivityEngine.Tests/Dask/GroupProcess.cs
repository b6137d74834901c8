using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExclusivityEngine.Tests.Dask;

/// <summary>
/// A process started in its own process group (through <c>setsid</c>, which execs in place), so that it and every
/// child it starts (a worker's CLI, a local cluster's threads' CLIs) can be stopped at once, even after a failure.
/// Its stdout and stderr are collected.
/// </summary>
internal sealed class GroupProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private GroupProcess(Process process) => _process = process;

    /// <summary>The process id, which is also its process group's id.</summary>
    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

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

    public bool HasExited => _process.HasExited;

    public static GroupProcess Start(string file, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var started = new GroupProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(started._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(started._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until stderr shows <paramref name="pattern"/>; returns its first group.</summary>
    public string WaitForStderr(Regex pattern, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var match = pattern.Match(Stderr);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
            if (_process.HasExited || clock.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:F0} s (exited: {_process.HasExited}); stderr:\n{Stderr}");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Waits for the exit; past the timeout the whole group is killed and the test fails.</summary>
    public int WaitForExit(TimeSpan timeout, string what)
    {
        if (!_process.WaitForExit(timeout))
        {
            KillGroup();
            Assert.Fail($"{what} did not end within {timeout.TotalSeconds:F0} s; stderr:\n{Stderr}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Other processes of this group whose command line contains <paramref name="text"/> (from /proc).</summary>
    public IReadOnlyList<int> Children(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Id)
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // After the command name in parentheses: state, ppid, pgrp.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[2], CultureInfo.InvariantCulture) == Id
                    && File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        return found;
    }

    /// <summary>SIGKILL to the whole process group; a group already gone is no error.</summary>
    public void KillGroup()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + Id.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }

    public void Dispose()
    {
        KillGroup();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (to)
        {
            to.Append(line).Append('\n');
        }
    }
}
