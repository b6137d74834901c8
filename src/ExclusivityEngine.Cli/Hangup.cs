using System.Runtime.InteropServices;

namespace ExclusivityEngine.Cli;

/// <summary>
/// SIGHUP reloads a running service's rule set. A service started from a shell with <c>nohup</c> (or by anything else
/// that ignores SIGHUP) inherits it ignored, and the runtime then never hands it to the service: <c>kill -HUP</c> would
/// silently do nothing. So <c>serve</c> takes SIGHUP's default back before the runtime is asked for it, as daemons that
/// reload on SIGHUP do; a terminal's hangup then reloads the rule set, which is harmless. Other commands keep what they
/// inherited (a batch run under nohup is meant to outlive its terminal).
/// </summary>
internal static partial class Hangup
{
    private const int SignalNumber = 1; // SIGHUP on Linux and macOS
    private const nint Ignored = 1; // SIG_IGN
    private const nint Default = 0; // SIG_DFL

    /// <summary>Makes an inherited "ignore SIGHUP" the default again; call before any handler is registered.</summary>
    public static void TakeBackIfIgnored()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        // The current disposition, read without changing it: struct sigaction begins with its handler on both systems
        // (the buffer is larger than the structure on either).
        var current = Marshal.AllocHGlobal(512);
        try
        {
            if (SignalAction(SignalNumber, 0, current) == 0 && Marshal.ReadIntPtr(current) == Ignored)
            {
                _ = Signal(SignalNumber, Default);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(current);
        }
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SignalAction(int signal, nint action, nint previous);

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static partial nint Signal(int signal, nint handler);
}
