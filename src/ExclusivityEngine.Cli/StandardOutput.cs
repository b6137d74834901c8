using System.Runtime.InteropServices;

namespace ExclusivityEngine.Cli;

/// <summary>
/// Standard output as a plain <c>write(2)</c> on descriptor 1. Console's own stream hides a closed pipe (so
/// <c>| head</c> would make a batch read to the end), and a FileStream on descriptor 1 writes at its own offset
/// (so output redirected to a file could be overwritten by whatever writes to it next); this does neither.
/// </summary>
/// <param name="closed">The caller closed stdout: every write fails with one sentence instead of reaching whatever holds descriptor 1 now.</param>
internal sealed partial class StandardOutput(bool closed = false) : Stream
{
    private const int BrokenPipe = 32;
    private const int Interrupted = 4;

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
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (closed && !buffer.IsEmpty)
        {
            throw new IOException("standard output is closed");
        }
        while (!buffer.IsEmpty)
        {
            var written = SysWrite(1, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }
                throw new IOException(errno == BrokenPipe ? "Broken pipe" : Marshal.GetPInvokeErrorMessage(errno), errno);
            }
            buffer = buffer[(int)written..];
        }
    }

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
    public override void Flush()
    {
        // Nothing is buffered here.
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint SysWrite(int descriptor, ref byte buffer, nint count);
}
