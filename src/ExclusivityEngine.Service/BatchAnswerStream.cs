using System.Buffers.Binary;
using System.Net.Sockets;

namespace ExclusivityEngine.Service;

/// <summary>
/// The response body of <c>POST /v1/batch</c>, as the batch writes its blocks of answers into it: a block goes out only
/// once the decisions of its lines are logged, and a client that stops taking the answer is cut off. Kestrel's minimum
/// response rate does not catch such a client: it credits every byte the socket's buffers took at once (megabytes) as
/// time allowed, so a batch whose client never reads would hold its slot, and its buffers, for hours.
/// </summary>
/// <remarks>
/// Whether the client takes the answer is read from the kernel (the bytes it acknowledged, TCP_INFO), not from how
/// long a write waits: the kernel wakes a writer only once a third of the socket's send buffer (megabytes) is free,
/// so a client reading slowly, or in bursts as <c>curl --limit-rate</c> does, leaves a write waiting longer than the
/// limit while it reads. Where the kernel cannot say (not Linux, not a TCP socket), a write that waits longer than the
/// limit is taken as a stall.
/// </remarks>
/// <param name="inner">The response body.</param>
/// <param name="log">The decision log, if any.</param>
/// <param name="client">The connection's socket, if the server exposes it.</param>
/// <param name="stallLimit">How long the client may take no byte of the answer before it is cut off.</param>
/// <param name="stalled">Called once the client has stalled: it says so and aborts the connection.</param>
internal sealed class BatchAnswerStream(Stream inner, DecisionLog? log, Socket? client, TimeSpan stallLimit, Action stalled) : WriteOnlyStream
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (log is not null)
        {
            // The block's lines were handed to the log as they were answered, before the block was written here.
            await log.WrittenAsync(log.Mark).ConfigureAwait(false);
        }
        var write = inner.WriteAsync(buffer, cancellationToken);
        if (!write.IsCompletedSuccessfully)
        {
            await Watched(write.AsTask(), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Watched(inner.FlushAsync(cancellationToken), cancellationToken);

    public override void Flush() => throw new NotSupportedException("the batch's answer is written asynchronously");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the batch's answer is written asynchronously");

    /// <summary>Waits for a write the client holds up, checking every <c>stallLimit</c> that it took some of the answer meanwhile.</summary>
    private async Task Watched(Task write, CancellationToken cancellationToken)
    {
        var taken = BytesTaken();
        while (!write.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAny(write, Task.Delay(stallLimit, CancellationToken.None)).ConfigureAwait(false);
            if (write.IsCompleted)
            {
                break;
            }
            var now = BytesTaken();
            if (now is not null && now != taken)
            {
                taken = now;
                continue;
            }
            stalled();
            // The connection is aborted, which ends the write one way or another; its failure is no one's news.
            await Task.WhenAny(write, Task.Delay(stallLimit, CancellationToken.None)).ConfigureAwait(false);
            _ = write.ContinueWith(static w => w.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ClientStalledException();
        }
        await write.ConfigureAwait(false);
    }

    /// <summary>The bytes of this connection the client has acknowledged (TCP_INFO's tcpi_bytes_acked); null where unknown.</summary>
    private long? BytesTaken()
    {
        if (client is null || !OperatingSystem.IsLinux())
        {
            return null;
        }
        Span<byte> info = stackalloc byte[256];
        try
        {
            var length = client.GetRawSocketOption(TcpLevel, TcpInfo, info);
            return length >= BytesAckedOffset + sizeof(long) ? BinaryPrimitives.ReadInt64LittleEndian(info[BytesAckedOffset..]) : null;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private const int TcpLevel = 6; // IPPROTO_TCP
    private const int TcpInfo = 11; // TCP_INFO
    private const int BytesAckedOffset = 120; // struct tcp_info's tcpi_bytes_acked (Linux 4.1 and later)
}

/// <summary>A batch's client took no byte of the answer for too long; its connection is aborted.</summary>
internal sealed class ClientStalledException() : OperationCanceledException("the client stopped taking the answer");
