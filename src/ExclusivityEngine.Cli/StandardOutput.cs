using System.Runtime.InteropServices;

namespace ExclusivityEngine.Cli;

/// <summary>
/// Standard output as the CLI writes it: on Unix (Linux, macOS, FreeBSD) a plain <c>write(2)</c> on descriptor 1
/// (<see cref="UnixStandardOutput"/>); elsewhere, Windows included, the runtime's own stream
/// (<see cref="PortableStandardOutput"/>).
/// </summary>
internal static class StandardOutput
{
    /// <summary>
    /// The process's standard output, by the means that suit the platform it runs on; when the caller closed it
    /// (<paramref name="closed"/>), a stream whose every write fails with one sentence instead of reaching whatever
    /// holds descriptor 1 now.
    /// </summary>
    public static Stream Open(bool closed = false) =>
        closed ? new ClosedStandardOutput()
        : Open(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD(), Console.OpenStandardOutput);

    /// <summary>Standard output on Unix (<paramref name="unix"/>), else the stream <paramref name="portable"/> opens.</summary>
    internal static Stream Open(bool unix, Func<Stream> portable) => unix ? new UnixStandardOutput() : new PortableStandardOutput(portable());

    /// <summary>Standard output that the caller closed (<c>&gt;&amp;-</c>).</summary>
    private sealed class ClosedStandardOutput : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!buffer.IsEmpty)
            {
                throw new StandardOutputException("it was closed");
            }
        }

        public override void Flush()
        {
        }
    }
}

/// <summary>
/// A write to standard output (or to a descriptor given as an output) that failed: the command names the output in
/// its one sentence (<c>cannot write standard output: No space left on device</c>), the runtime's message does not.
/// </summary>
internal sealed class StandardOutputException : IOException
{
    public StandardOutputException(string message)
        : base(message)
    {
    }

    public StandardOutputException(string message, int code)
        : base(message, code)
    {
    }
}

/// <summary>
/// What every standard output stream shares: written to synchronously (standard output never blocks a thread long
/// enough to matter, and the order of writes is the order of the output), never read or sought.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// Standard output for a command whose exit code is what it found (a failed scenario test, an edit that changes
/// answers, two versions that differ): when the reader goes away (<c>| head</c>), the rest of the output is dropped and
/// the command runs to its end, so <c>set -o pipefail</c> still sees 1 or 2. Ending at the broken pipe with 0, as a
/// batch does, let a failing suite pass a pipeline.
/// </summary>
internal sealed class OutputKeptGoingAfterReaderLeft(Stream inner) : WriteOnlyStream
{
    private bool _readerLeft;

    /// <summary>The stream written to until its reader left.</summary>
    public Stream Inner { get; } = inner;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_readerLeft)
        {
            return;
        }
        try
        {
            Inner.Write(buffer);
        }
        catch (IOException e) when (Commands.OutputFile.IsBrokenPipe(e))
        {
            _readerLeft = true;
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_readerLeft)
        {
            return;
        }
        try
        {
            Inner.Flush();
        }
        catch (IOException e) when (Commands.OutputFile.IsBrokenPipe(e))
        {
            _readerLeft = true;
        }
    }
}

/// <summary>
/// Standard output where there is no <c>write(2)</c> to call: the runtime's console stream, whose writes go through
/// the operating system's own call (WriteFile on Windows) at no offset of its own, so output redirected to a file is
/// appended. A write to a pipe whose reader has gone is reported as a broken pipe, as on Unix, so that <c>| more</c>
/// closing early ends the command quietly. (The runtime's Windows console stream may not report it at all: a batch
/// then reads its input to the end, still writing nothing wrong.)
/// </summary>
internal sealed class PortableStandardOutput(Stream inner) : WriteOnlyStream
{
    // Windows: ERROR_BROKEN_PIPE (109) and ERROR_NO_DATA (232, "the pipe is being closed") as HRESULTs.
    private const int WindowsBrokenPipe = unchecked((int)0x8007006D);
    private const int WindowsPipeClosing = unchecked((int)0x800700E8);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e) when (e.HResult is WindowsBrokenPipe or WindowsPipeClosing)
        {
            throw new StandardOutputException("Broken pipe", 32);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e.Message, e.HResult);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (IOException e) when (e.HResult is WindowsBrokenPipe or WindowsPipeClosing)
        {
            throw new StandardOutputException("Broken pipe", 32);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e.Message, e.HResult);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// Standard output as a plain <c>write(2)</c> on descriptor 1 (or on another descriptor the caller opened, for
/// <c>--output /dev/fd/3</c>). Console's own stream hides a closed pipe (so <c>| head</c> would make a batch read to
/// the end), and a FileStream on a descriptor writes at its own offset (so output redirected to a file could be
/// overwritten by whatever writes to it next); this does neither.
/// </summary>
internal sealed partial class UnixStandardOutput(int descriptor = 1) : WriteOnlyStream
{
    private const int BrokenPipe = 32;
    private const int Interrupted = 4;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = SysWrite(descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }
                throw new StandardOutputException(errno == BrokenPipe ? "Broken pipe" : Marshal.GetPInvokeErrorMessage(errno), errno);
            }
            buffer = buffer[(int)written..];
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        // Nothing is buffered here.
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint SysWrite(int descriptor, ref byte buffer, nint count);
}
