using System.IO.Enumeration;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ExclusivityEngine.Loading;

/// <summary>A rule or test file that cannot be used as such: one sentence naming it (a FIFO, a device, too large, unreadable, a link loop).</summary>
public sealed class UnreadableFileException(string path, string message) : IOException(message)
{
    /// <summary>The path as the user gave it (or as found below a folder they gave).</summary>
    public string FilePath { get; } = path;
}

/// <summary>
/// Rule files and scenario test files are read only when they are regular files of a bounded size, so a FIFO named
/// <c>x.json</c> cannot hang a run, a link to <c>/dev/zero</c> cannot exhaust memory, and a folder is walked without
/// following links to other folders (a link back to a parent, or <c>/proc/self/root</c>, would walk forever or walk the
/// whole machine). A link to a file is followed; the file it ends at must be regular.
/// </summary>
internal static partial class RegularFiles
{
    /// <summary>The largest rule or test file read: 16 MiB, hundreds of times the shipped rule set.</summary>
    public const int MaxFileBytes = 16 << 20;

    /// <summary>How deep folders are walked below the folder given.</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads <paramref name="path"/> whole, or says in one sentence why it cannot be used (<paramref name="display"/> names it).</summary>
    /// <exception cref="UnreadableFileException">Not a regular file, larger than <see cref="MaxFileBytes"/>, or unreadable.</exception>
    public static byte[] Read(string path, string display)
    {
        try
        {
            using var handle = Open(path, display);
            return ReadBounded(handle, display);
        }
        catch (UnreadableFileException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UnreadableFileException(display, $"cannot read `{display}`: {Reason(e)}");
        }
    }

    /// <summary>
    /// Every file whose name ends in <c>.json</c> below <paramref name="directory"/>, in ordinal order of relative path,
    /// and a sentence for each entry that cannot be walked (an unreadable folder, a link to a folder, too deep). With
    /// <paramref name="skipHidden"/>, entries whose name starts with a dot are left out, as a shell's <c>*</c> leaves them.
    /// </summary>
    public static (List<string> Files, List<UnreadableFileException> Problems) JsonFilesBelow(string directory, string display, bool skipHidden = false)
    {
        var files = new List<string>();
        var problems = new List<UnreadableFileException>();
        Walk(Path.GetFullPath(directory), display, 0, skipHidden, files, problems);
        files.Sort(StringComparer.Ordinal);
        return (files, problems);
    }

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
        MatchCasing = MatchCasing.CaseSensitive,
    };

    private static void Walk(string directory, string display, int depth, bool skipHidden, List<string> files, List<UnreadableFileException> problems)
    {
        List<(string Name, bool IsDirectory, bool IsLink)> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<(string, bool, bool)>(directory,
                (ref entry) => (entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0), OneLevel)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new UnreadableFileException(display, $"cannot list the folder `{display}`: {Reason(e)}"));
            return;
        }
        foreach (var (name, isDirectory, isLink) in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name);
            var shown = Path.Combine(display, name);
            if (skipHidden && name.StartsWith('.'))
            {
                continue;
            }
            if (isDirectory && isLink)
            {
                problems.Add(new UnreadableFileException(shown, $"`{shown}` is a link to a folder: folders are read without following links to other folders (copy the folder, or link its files)"));
            }
            else if (isDirectory && depth + 1 > MaxDepth)
            {
                problems.Add(new UnreadableFileException(shown, $"`{shown}` is nested more than {MaxDepth} folders deep"));
            }
            else if (isDirectory)
            {
                Walk(path, shown, depth + 1, skipHidden, files, problems);
            }
            else if (name.EndsWith(".json", StringComparison.Ordinal))
            {
                files.Add(path);
            }
        }
    }

    private static SafeFileHandle Open(string path, string display)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere .NET's own checks apply (a directory is refused; the size bound below still holds).
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        var descriptor = SysOpen(path, ReadOnly | NonBlocking | CloseOnExec | NoControllingTerminal);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new UnreadableFileException(display, $"cannot read `{display}`: {Scenarios.Quote.Inner(Marshal.GetPInvokeErrorMessage(errno))}");
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        var status = new byte[256];
        if (SysStatx(descriptor, "", EmptyPath, StatxType | StatxSize, status) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new UnreadableFileException(display, $"cannot read `{display}`: {Scenarios.Quote.Inner(Marshal.GetPInvokeErrorMessage(errno))}");
        }
        // struct statx has one layout on every Linux architecture: stx_mode at byte 28, stx_size at byte 40.
        var type = BitConverter.ToUInt16(status, 28) & TypeMask;
        var size = BitConverter.ToInt64(status, 40);
        if (type != RegularType)
        {
            handle.Dispose();
            throw new UnreadableFileException(display, $"`{display}` is {Kind(type)}, not a regular file: rule and test files are read only from regular files");
        }
        if (size > MaxFileBytes)
        {
            handle.Dispose();
            throw new UnreadableFileException(display, TooLarge(display));
        }
        return handle;
    }

    /// <summary>Reads at most one byte more than the bound (a file under <c>/proc</c> says 0 bytes and holds more).</summary>
    private static byte[] ReadBounded(SafeFileHandle handle, string display)
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[64 << 10];
        var used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                // At most MaxFileBytes + 1: a file that fills that is refused below.
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxFileBytes + 1));
            }
            var read = stream.Read(buffer, used, buffer.Length - used);
            if (read == 0)
            {
                return buffer.AsSpan(0, used).ToArray();
            }
            used += read;
            if (used > MaxFileBytes)
            {
                throw new UnreadableFileException(display, TooLarge(display));
            }
        }
    }

    /// <summary>
    /// Which file <paramref name="path"/> names, as the device and inode it leads to through every link, so that two
    /// paths to one file (a hard link, a linked folder on the way, <c>/proc/self/cwd</c>) are known as one; with
    /// <paramref name="descriptor"/>, the file open on it (stdin redirected from a file). Null where it cannot be told
    /// (not Linux, nothing there).
    /// </summary>
    public static (ulong Device, ulong Inode)? Identity(string? path, int descriptor = CurrentDirectory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var status = new byte[256];
        if (SysStatx(descriptor, path ?? "", path is null ? EmptyPath : 0, StatxInode, status) != 0)
        {
            return null;
        }
        // stx_ino at byte 32; stx_dev_major and stx_dev_minor at 136 and 140.
        var device = ((ulong)BitConverter.ToUInt32(status, 136) << 32) | BitConverter.ToUInt32(status, 140);
        return (device, BitConverter.ToUInt64(status, 32));
    }

    private static string TooLarge(string display) =>
        $"`{display}` is larger than {MaxFileBytes >> 20} MiB: rule and test files are read only up to that size";

    private static string Kind(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a folder",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => Scenarios.Quote.Inner(e.Message),
    };

    private const int ReadOnly = 0;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const uint StatxInode = 0x100;
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysStatx(int directory, string path, int flags, uint mask, [Out] byte[] status);
}
