namespace ExclusivityEngine.Service;

/// <summary>
/// The response body of <c>POST /v1/batch</c>, as the batch writes its blocks of answers into it: a block goes out only
/// once the decisions of its lines are logged, and a client that stops taking the answer is cut off. Kestrel's minimum
/// response rate does not catch such a client: it credits every byte the socket's buffers took at once (megabytes) as
/// time allowed, so a batch whose client never reads would hold its slot, and its buffers, for hours.
/// </summary>
/// <param name="inner">The response body.</param>
/// <param name="log">The decision log, if any.</param>
/// <param name="stallLimit">How long the client may take to take the next part of the answer (about 16 KiB of whole lines) before it is cut off.</param>
/// <param name="stalled">Called once the client has stalled, before the write fails: it aborts the connection.</param>
internal sealed class BatchAnswerStream(Stream inner, DecisionLog? log, TimeSpan stallLimit, Action stalled) : Stream
{
    private const int ChunkBytes = 16 * 1024;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (log is not null)
        {
            // The block's lines were handed to the log as they were answered, before the block was written here.
            await log.WrittenAsync(log.Mark).ConfigureAwait(false);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!buffer.IsEmpty)
        {
            var piece = buffer[..PieceLength(buffer.Span)];
            limit.CancelAfter(stallLimit);
            await Guarded(inner.WriteAsync(piece, limit.Token), cancellationToken).ConfigureAwait(false);
            buffer = buffer[piece.Length..];
        }
    }

    /// <summary>
    /// About <see cref="ChunkBytes"/> of whole lines (each write is one HTTP chunk, and a chunk that ends mid-line helps
    /// no reader); a single longer line whole.
    /// </summary>
    private static int PieceLength(ReadOnlySpan<byte> answers)
    {
        if (answers.Length <= ChunkBytes)
        {
            return answers.Length;
        }
        var end = answers[..ChunkBytes].LastIndexOf((byte)'\n');
        if (end >= 0)
        {
            return end + 1;
        }
        end = answers.IndexOf((byte)'\n');
        return end < 0 ? answers.Length : end + 1;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(stallLimit);
        await Guarded(new ValueTask(inner.FlushAsync(limit.Token)), cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => throw new NotSupportedException("the batch's answer is written asynchronously");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the batch's answer is written asynchronously");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async ValueTask Guarded(ValueTask write, CancellationToken cancellationToken)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            stalled();
            throw new ClientStalledException(e);
        }
    }
}

/// <summary>A batch's client took no part of the answer for too long; its connection is aborted.</summary>
internal sealed class ClientStalledException(OperationCanceledException inner)
    : OperationCanceledException("the client stopped taking the answer", inner);
