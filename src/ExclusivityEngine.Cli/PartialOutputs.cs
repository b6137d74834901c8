using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ExclusivityEngine.Cli;

/// <summary>
/// The hidden <c>.NAME.PID.partial</c> files an output is written to before it is renamed over its target. They are
/// removed when the process is stopped by SIGTERM, SIGINT, SIGHUP or SIGQUIT; one left by a process that died without
/// a chance to clean up (kill -9, power loss) is removed by the next run that writes into the same folder, once its
/// process is gone and it has not been written to for a minute.
/// </summary>
internal static partial class PartialOutputs
{
    /// <summary>How long a partial file of a dead process must have been left alone before it is removed.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Live = new(StringComparer.Ordinal);

    /// <summary>Removes the live partial files on a stopping signal, then lets the signal stop the process as it would.</summary>
    public static IDisposable HandleSignals()
    {
        var registrations = new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => RemoveAll()))
            .ToList();
        return new Registrations(registrations);
    }

    /// <summary>Notes a partial file being written.</summary>
    public static void Add(string path)
    {
        lock (Gate)
        {
            Live.Add(path);
        }
    }

    /// <summary>Runs <paramref name="finish"/> (a rename or a removal) on a partial file and stops tracking it, as one step against a signal.</summary>
    public static void Finish(string path, Action finish)
    {
        lock (Gate)
        {
            try
            {
                finish();
            }
            finally
            {
                Live.Remove(path);
            }
        }
    }

    private static void RemoveAll()
    {
        lock (Gate)
        {
            foreach (var path in Live)
            {
                try
                {
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The process is stopping; a file that cannot be removed now is removed by the next run.
                }
            }
            Live.Clear();
        }
    }

    /// <summary>The hidden name a partial output of <paramref name="fileName"/> takes, shortened to fit in 255 bytes.</summary>
    public static string NameFor(string fileName)
    {
        var suffix = $".{Environment.ProcessId}.partial";
        var budget = 255 - 1 - suffix.Length;
        var name = fileName;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > budget)
        {
            // Cut on a character boundary, never inside a surrogate pair.
            var cut = name.Length - 1;
            if (cut > 0 && char.IsLowSurrogate(name[cut]))
            {
                cut--;
            }
            name = name[..cut];
        }
        return "." + name + suffix;
    }

    /// <summary>Removes partial files in <paramref name="directory"/> whose process is gone and that are no longer written to.</summary>
    public static void RemoveStale(string directory)
    {
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, ".*.partial"))
            {
                var match = PartialName().Match(Path.GetFileName(path));
                if (!match.Success || !int.TryParse(match.Groups[1].Value, out var pid) || pid == Environment.ProcessId || IsAlive(pid))
                {
                    continue;
                }
                var info = new FileInfo(path);
                if (info.LinkTarget is null && DateTime.UtcNow - info.LastWriteTimeUtc > StaleAfter)
                {
                    info.Delete();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cleaning up after others is a courtesy: a folder that cannot be listed or a file that cannot be removed stays.
        }
    }

    private static bool IsAlive(int pid)
    {
        if (Kill(pid, 0) == 0)
        {
            return true;
        }
        // EPERM: it exists, under another user.
        return Marshal.GetLastPInvokeError() == 1;
    }

    [GeneratedRegex(@"^\..+\.([0-9]{1,10})\.partial$")]
    private static partial Regex PartialName();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
