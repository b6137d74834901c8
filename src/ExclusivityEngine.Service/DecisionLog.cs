using System.Buffers;
using System.Threading.Channels;

namespace ExclusivityEngine.Service;

/// <summary>
/// The decision log: lines are handed over in memory and written by a thread of their own, so a slow disk never holds
/// up an answer. When the disk fails (full, gone) or the log falls too far behind, the answer still goes out: the line
/// is counted as lost (<c>exclusivity_decision_log_lost_total</c>) and stderr says so once per reason.
/// </summary>
internal sealed class DecisionLog : IDisposable
{
    private const long MaxQueuedBytes = 64L << 20;
    private const int MaxWriteBytes = 256 << 10;

    private readonly Channel<(byte[] Buffer, int Length)> _queue =
        Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(1 << 16) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly string _name;
    private readonly TextWriter _stderr;
    private readonly ServiceMetrics _metrics;
    private readonly Thread _writer;
    private long _queued;
    private long _lost;
    private int _saidWriteFailed;
    private int _saidQueueFull;

    private DecisionLog(Stream output, bool ownsOutput, string name, TextWriter stderr, ServiceMetrics metrics)
    {
        _output = output;
        _ownsOutput = ownsOutput;
        _name = name;
        _stderr = stderr;
        _metrics = metrics;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "decision-log" };
        _writer.Start();
    }

    /// <summary>Opens the log: <c>-</c> is <paramref name="stdout"/>, anything else a file appended to (created if missing).</summary>
    /// <exception cref="IOException">The file cannot be opened for writing.</exception>
    public static DecisionLog Open(string path, Stream stdout, TextWriter stderr, ServiceMetrics metrics)
    {
        if (path == "-")
        {
            return new DecisionLog(stdout, ownsOutput: false, "stdout", stderr, metrics);
        }
        try
        {
            // Unbuffered: each write is one batch of whole lines, so a failed write loses exactly the lines it held.
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            return new DecisionLog(stream, ownsOutput: true, $"`{path}`", stderr, metrics);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot open the decision log `{path}` for appending: {Loading.FileProblem.Reason(e, path)}", e);
        }
    }

    /// <summary>Decisions answered but not logged so far.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Hands one line (with its newline) to the writer; never waits.</summary>
    public void Append(ReadOnlySpan<byte> line)
    {
        if (Interlocked.Add(ref _queued, line.Length) > MaxQueuedBytes)
        {
            Interlocked.Add(ref _queued, -line.Length);
            LoseQueueFull();
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(buffer);
        if (!_queue.Writer.TryWrite((buffer, line.Length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Add(ref _queued, -line.Length);
            // Either behind by the channel's whole capacity, or shutting down after the last request.
            LoseQueueFull();
        }
        else
        {
            _metrics.LogQueued.Set(Interlocked.Read(ref _queued));
        }
    }

    /// <summary>Writes what is queued, stops the writer and says how many decisions were not logged, if any.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
        if (_ownsOutput)
        {
            try
            {
                _output.Dispose();
            }
            catch (IOException)
            {
                // Its failures were already counted and reported.
            }
        }
        if (Lost > 0)
        {
            _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)}: {Lost} decision(s) were answered but could not be logged");
        }
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var pending = new ArrayBufferWriter<byte>(MaxWriteBytes);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var lines = 0;
            while (pending.WrittenCount < MaxWriteBytes && reader.TryRead(out var entry))
            {
                pending.Write(entry.Buffer.AsSpan(0, entry.Length));
                ArrayPool<byte>.Shared.Return(entry.Buffer);
                Interlocked.Add(ref _queued, -entry.Length);
                lines++;
            }
            try
            {
                _output.Write(pending.WrittenSpan);
                _output.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
            {
                Interlocked.Add(ref _lost, lines);
                _metrics.LogLost("write-failed", lines);
                if (Interlocked.Exchange(ref _saidWriteFailed, 1) == 0)
                {
                    _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} cannot be written ({Scenarios.Quote.Escaped(e.Message)}); answers go on, and decisions not logged are counted in exclusivity_decision_log_lost_total");
                }
            }
            pending.ResetWrittenCount();
            _metrics.LogQueued.Set(Interlocked.Read(ref _queued));
        }
    }

    private void LoseQueueFull()
    {
        Interlocked.Increment(ref _lost);
        _metrics.LogLost("queue-full", 1);
        if (Interlocked.Exchange(ref _saidQueueFull, 1) == 0)
        {
            _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} is falling behind (a slow disk?); answers go on, and decisions not logged are counted in exclusivity_decision_log_lost_total");
        }
    }
}
