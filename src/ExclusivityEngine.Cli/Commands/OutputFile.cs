namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// An output that never looks finished before it is: a regular file is written to a hidden <c>.NAME.PID.partial</c>
/// beside its target and renamed over it on <see cref="Commit"/> (see <see cref="PartialOutputs"/> for how leftovers are
/// removed); stdout, devices, pipes and descriptors (<c>/dev/stdout</c>, <c>/dev/fd/3</c>) are written directly.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private readonly string? _target;
    private readonly string? _temporary;
    private bool _committed;

    private OutputFile(Stream stream, string? target, string? temporary, bool isStdout)
    {
        Stream = stream;
        _target = target;
        _temporary = temporary;
        IsStdout = isStdout;
    }

    /// <summary>Where to write.</summary>
    public Stream Stream { get; }

    /// <summary>True when writing to standard output.</summary>
    public bool IsStdout { get; }

    /// <summary>Whether <paramref name="path"/> is standard output: <c>-</c>, or a name of descriptor 1 (<c>/dev/stdout</c>).</summary>
    public static bool IsStandardOutput(string path) => path == "-" || StandardStreams.DescriptorNamedBy(path) == 1;

    /// <summary>Output to a terminal, read by a person as it is written (progress drawn there would overwrite it).</summary>
    public bool IsTerminal { get; private init; }

    /// <summary>A descriptor the caller gave (stdout, <c>/dev/fd/3</c>, <c>&gt;(…)</c>): a reader that goes away ends the output quietly.</summary>
    public bool IsDescriptor { get; private init; }

    /// <summary>
    /// Opens <paramref name="path"/> (<c>-</c> for <paramref name="stdout"/>). A symbolic link is written through: its
    /// final target is replaced and the link stays, as a shell's <c>&gt;</c> would do.
    /// </summary>
    public static OutputFile Open(string path, Stream stdout)
    {
        if (path == "-")
        {
            return new OutputFile(new BufferedStream(stdout, 1 << 16), null, null, isStdout: true);
        }
        if (StandardStreams.DescriptorNamedBy(path) is { } descriptor)
        {
            // /dev/stdout is standard output itself, written where the shell left off; another descriptor the caller
            // opened (3>file, >(command)) is written the same way. Never one of the runtime's own.
            if (descriptor == 1)
            {
                return new OutputFile(new BufferedStream(stdout, 1 << 16), null, null, isStdout: true);
            }
            if (!StandardStreams.IsGiven(descriptor))
            {
                throw new UsageException($"cannot write `{path}`: {StandardStreams.NotGiven(descriptor, ">")}");
            }
            return new OutputFile(new BufferedStream(new UnixStandardOutput(descriptor), 1 << 16), null, null, isStdout: false)
            {
                IsTerminal = StandardStreams.IsTerminal(descriptor),
                IsDescriptor = true,
            };
        }
        try
        {
            // Through links to where the output really goes (a dangling link: the file it names is created).
            var target = new FileInfo(path).LinkTarget is not null
                ? File.ResolveLinkTarget(Path.GetFullPath(path), returnFinalTarget: true)!.FullName
                : Path.GetFullPath(path);
            if (Directory.Exists(target))
            {
                throw new UsageException($"cannot write `{path}`: it is a folder");
            }
            if (File.Exists(target))
            {
                // A device or a pipe is written in place, never replaced; a regular file is replaced when complete.
                var existing = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
                if (!existing.CanSeek || IsDevice(target))
                {
                    return new OutputFile(existing, null, null, isStdout: false) { IsTerminal = StandardStreams.IsTerminal(existing.SafeFileHandle) };
                }
                existing.Dispose();
            }
            var directory = Path.GetDirectoryName(target)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"cannot write `{path}`: the folder `{directory}` does not exist");
            }
            PartialOutputs.RemoveStale(directory);
            var temporary = Path.Combine(directory, PartialOutputs.NameFor(Path.GetFileName(target)));
            PartialOutputs.Add(temporary);
            try
            {
                return new OutputFile(new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), target, temporary, isStdout: false);
            }
            catch
            {
                PartialOutputs.Finish(temporary, () => { });
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write `{path}`: {Reason(e)}");
        }
    }

    /// <summary>
    /// Why writing failed, naming no path: the message is about the file the user gave, not the temporary file beside
    /// it that was actually being written (.NET puts the path it tried into its messages).
    /// </summary>
    public static string Reason(Exception e) => Loading.FileProblem.Reason(e);

    /// <summary>Opens <paramref name="path"/>, writes it whole with <paramref name="write"/> and commits; a failure names <paramref name="path"/>.</summary>
    /// <returns>True when the output was standard output.</returns>
    public static bool WriteAll(string path, Stream stdout, Action<Stream> write)
    {
        using var output = Open(path, stdout);
        try
        {
            write(output.Stream);
            output.Commit();
        }
        catch (Exception e) when (!output.IsStdout && e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write `{path}`: {Reason(e)}");
        }
        return output.IsStdout;
    }

    /// <summary>Flushes and, for a regular file, renames the finished output over its target.</summary>
    public void Commit()
    {
        Stream.Flush();
        if (_temporary is not null)
        {
            Stream.Dispose();
            PartialOutputs.Finish(_temporary, () => File.Move(_temporary, _target!, overwrite: true));
        }
        _committed = true;
    }

    /// <summary>
    /// .NET does not expose a file's type on Unix; a seekable device such as <c>/dev/null</c> is told apart by where it
    /// lives (the final target of any link is under <c>/dev</c>, but not in the memory-backed <c>/dev/shm</c>).
    /// </summary>
    private static bool IsDevice(string path)
    {
        var full = Path.GetFullPath(path);
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        return target.StartsWith("/dev/", StringComparison.Ordinal) && !target.StartsWith("/dev/shm/", StringComparison.Ordinal)
            && !target.StartsWith("/dev/mqueue/", StringComparison.Ordinal);
    }

    /// <summary>A write to a pipe whose reader has gone (<c>| head</c>).</summary>
    public static bool IsBrokenPipe(IOException e) =>
        e.HResult == 32 || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (IsStdout)
            {
                // The process's stdout stays open for whatever is written after the batch.
                Stream.Flush();
            }
            else
            {
                Stream.Dispose();
            }
        }
        catch (IOException)
        {
            // The failure was already reported; nothing more to say about a stream we are abandoning.
        }
        if (!_committed && _temporary is not null)
        {
            PartialOutputs.Finish(_temporary, () =>
            {
                if (File.Exists(_temporary))
                {
                    File.Delete(_temporary);
                }
            });
        }
    }
}
