using System.Runtime.InteropServices;
using System.Text;

namespace ExclusivityEngine.Cli;

/// <summary>
/// Which standard streams the process was started with. A stream closed by the caller (<c>&lt;&amp;-</c>,
/// <c>2&gt;&amp;-</c>) leaves its descriptor free, and the runtime's first own descriptors (its signal pipe) take it
/// before <c>Main</c> runs: reading "stdin" would then wait on that pipe forever, and writing "stderr" would write
/// into it. A descriptor inherited across exec never has close-on-exec set (it would not have survived), while the
/// runtime opens all of its own with it, so close-on-exec on 0, 1 or 2 at start means the caller closed that stream.
/// </summary>
internal static partial class StandardStreams
{
    /// <summary>Standard input was closed: reading it is an empty input.</summary>
    public static bool InputClosed { get; private set; }

    /// <summary>Standard output was closed: writing to it fails with one sentence.</summary>
    public static bool OutputClosed { get; private set; }

    /// <summary>Standard error was closed: what would go there is dropped, and the exit code stays what it would be.</summary>
    public static bool ErrorClosed { get; private set; }

    /// <summary>Where stderr text goes: the console's, never throwing (a closed stderr never changes an exit code), or nowhere.</summary>
    public static TextWriter Error { get; private set; } = TextWriter.Null;

    /// <summary>Looks at descriptors 0, 1 and 2; call first thing in <c>Main</c>.</summary>
    public static void Inspect()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            InputClosed = IsClosed(0);
            OutputClosed = IsClosed(1);
            ErrorClosed = IsClosed(2);
        }
        // UTF-8 on descriptor 2 directly: Console.Error would first look the terminal's encoding up (tens of
        // milliseconds at start-up), and our messages are UTF-8 whatever the locale says.
        Error = ErrorClosed ? TextWriter.Null : new NeverFailingWriter(new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true });
    }

    /// <summary>
    /// The descriptor that <paramref name="path"/> names rather than a file (<c>/dev/stdout</c>, <c>/dev/fd/3</c>,
    /// <c>/proc/self/fd/1</c>, and a link to one of them), or null. Opening such a path again opens whatever is behind
    /// the descriptor anew: a pipe cannot be reopened by its name (<c>pipe:[…]</c>), and a file would be written from
    /// its start, over what the shell had written before. Unix only.
    /// </summary>
    public static int? DescriptorNamedBy(string path)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return null;
        }
        var current = path;
        for (var hops = 0; hops < 40; hops++)
        {
            var full = Path.GetFullPath(current);
            if (Named(full) is { } descriptor)
            {
                return descriptor;
            }
            // Through links in the folders too (`fd -> /dev/fd`, then `fd/1`; /proc/self/task/TID/fd/1): the folder's
            // real path, with the name in it unresolved (a descriptor's own link names no file: pipe:[…]).
            var folder = Path.GetDirectoryName(full) ?? "/";
            if (RealPath(folder) is { } real && Named(Path.Join(real, Path.GetFileName(full))) is { } inFolder)
            {
                return inFolder;
            }
            string? target;
            try
            {
                target = new FileInfo(full).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }
            if (target is null)
            {
                return null;
            }
            current = Path.GetFullPath(target, folder);
        }
        return null;

        static int? Named(string path)
        {
            switch (path)
            {
                case "/dev/stdin":
                    return 0;
                case "/dev/stdout":
                    return 1;
                case "/dev/stderr":
                    return 2;
            }
            foreach (var folder in (string[])["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", $"/proc/{Environment.ProcessId}/fd/"])
            {
                if (path.StartsWith(folder, StringComparison.Ordinal) && Number(path.AsSpan(folder.Length)) is { } descriptor)
                {
                    return descriptor;
                }
            }
            // A thread's table is the process's: /proc/PID/task/TID/fd/N.
            var task = $"/proc/{Environment.ProcessId}/task/";
            if (path.StartsWith(task, StringComparison.Ordinal) && path.AsSpan(task.Length) is var rest && rest.IndexOf("/fd/") is > 0 and var at
                && Number(rest[..at]) is not null && Number(rest[(at + 4)..]) is { } threadDescriptor)
            {
                return threadDescriptor;
            }
            return null;
        }

        static int? Number(ReadOnlySpan<char> text) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>The folder's path with every link resolved (<c>realpath(3)</c>), or null if it cannot be.</summary>
    private static string? RealPath(string folder)
    {
        var resolved = SysRealPath(folder, 0);
        if (resolved == 0)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Marshal.FreeHGlobal(resolved);
        }
    }

    /// <summary>Whether <paramref name="descriptor"/> is a terminal.</summary>
    public static bool IsTerminal(int descriptor) => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) && SysIsTerminal(descriptor) == 1;

    /// <summary>Whether the open file <paramref name="file"/> is a terminal (<c>--output /dev/tty</c>).</summary>
    public static bool IsTerminal(Microsoft.Win32.SafeHandles.SafeFileHandle file) => !file.IsInvalid && IsTerminal((int)file.DangerousGetHandle());

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint SysRealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int SysIsTerminal(int descriptor);

    /// <summary>Why a descriptor that <see cref="IsGiven"/> refuses cannot be used, and how a shell gives one (<c>&gt;</c>, <c>&lt;</c>, <c>&gt;&gt;</c>).</summary>
    public static string NotGiven(int descriptor, string redirection) =>
        $"descriptor {descriptor} was not opened for this command (a shell opens one with {descriptor}{redirection}FILE)";

    /// <summary>
    /// Whether <paramref name="descriptor"/> was open when the process started, given by the caller (<c>3&gt;file</c>):
    /// the runtime's own descriptors (its signal pipe, epoll) must never be written as an output.
    /// </summary>
    public static bool IsGiven(int descriptor) => descriptor switch
    {
        0 => !InputClosed,
        1 => !OutputClosed,
        2 => !ErrorClosed,
        _ => !IsClosed(descriptor),
    };

    private static bool IsClosed(int descriptor)
    {
        var flags = Fcntl(descriptor, GetDescriptorFlags);
        return flags < 0 || (flags & CloseOnExec) != 0;
    }

    private const int GetDescriptorFlags = 1;
    private const int CloseOnExec = 1;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command);

    /// <summary>A stderr that swallows its own failures: a full disk or a gone reader on stderr changes no outcome.</summary>
    private sealed class NeverFailingWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => Try(() => inner.Write(value));

        public override void Write(string? value) => Try(() => inner.Write(value));

        public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));

        public override void Flush() => Try(inner.Flush);

        private static void Try(Action write)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException or NotSupportedException)
            {
                // Nothing sensible can be said about stderr failing, and nowhere to say it (a stderr opened read-only,
                // as a shell script's own file can be on 2 when run with 2>&-, fails with "access denied").
            }
        }
    }
}
