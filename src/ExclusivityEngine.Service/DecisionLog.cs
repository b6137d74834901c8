using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace ExclusivityEngine.Service;

/// <summary>
/// The decision log: lines are handed over in memory and written by a thread of their own, several requests' lines in
/// one write. An answer waits until its line is written (<see cref="WrittenAsync"/>), so a decision that was answered
/// is in the file even if the process is killed the next moment; but a log that stops taking lines (a stalled disk, a
/// pipe no one reads) never holds answers for more than <see cref="MaxWait"/>: they go out and their lines wait in the
/// queue. When the disk fails (full, gone) or the queue overflows, the answer still goes out: the line is counted as
/// lost (<c>exclusivity_decision_log_lost_total</c>) and stderr says so once per reason.
/// </summary>
internal sealed partial class DecisionLog : IDisposable
{
    /// <summary>The longest an answer waits for its line: longer, and the log is taken to be stalled.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxShutdownWait = TimeSpan.FromSeconds(10);

    private const long MaxQueuedBytes = 64L << 20;
    private const int MaxWriteBytes = 256 << 10;

    private readonly Channel<(byte[]? Buffer, int Length)> _queue =
        Channel.CreateBounded<(byte[]?, int)>(new BoundedChannelOptions(1 << 16) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _order = new();
    private readonly string? _path;
    private readonly string _name;
    private readonly TextWriter _stderr;
    private readonly ServiceMetrics _metrics;
    private readonly Thread _writer;
    private Stream _output;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _appended;
    private long _done;
    private long _writeStarted;
    private long _queued;
    private long _lost;
    private int _reopen;
    private bool _mayBeTorn;
    private int _saidWriteFailed;
    private int _saidQueueFull;
    private int _saidStalled;

    private DecisionLog(Stream output, string? path, string name, TextWriter stderr, ServiceMetrics metrics)
    {
        _output = output;
        _path = path;
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
            return new DecisionLog(stdout, null, "stdout", stderr, metrics);
        }
        var probe = RefuseFifoWithoutReader(path);
        try
        {
            return new DecisionLog(OpenFile(path, stderr), path, $"`{path}`", stderr, metrics);
        }
        finally
        {
            if (probe >= 0)
            {
                SysClose(probe); // only now: closing the only writer of a FIFO would end its reader's input
            }
        }
    }

    /// <summary>
    /// A FIFO that no process reads yet would hold the start silently (opening it for writing waits for a reader), with
    /// nothing listening and nothing said (found by an adversarial run): it is refused, exit 2, like any log that cannot
    /// be opened. Asked with a non-blocking open, which fails at once with ENXIO for exactly that case; the descriptor
    /// it opens otherwise is returned, to be held until the log itself is open.
    /// </summary>
    private static int RefuseFifoWithoutReader(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }
        var descriptor = SysOpen(path, WriteOnly | NonBlocking | CloseOnExec);
        if (descriptor < 0 && Marshal.GetLastPInvokeError() == NoReader)
        {
            throw new IOException($"cannot open the decision log `{path}`: it is a FIFO that no process reads; start its reader first");
        }
        return descriptor;
    }

    /// <summary>Decisions answered but not logged so far.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>
    /// Hands one line (with its newline) to the writer; never waits. Returns the mark to give <see cref="WrittenAsync"/>:
    /// the line and every line handed over before it are written once the log has reached it.
    /// </summary>
    public long Append(ReadOnlySpan<byte> line)
    {
        if (Interlocked.Add(ref _queued, line.Length) > MaxQueuedBytes)
        {
            Interlocked.Add(ref _queued, -line.Length);
            LoseQueueFull();
            return 0;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(buffer);
        long mark;
        lock (_order)
        {
            // Marks follow the queue's order, so lines written up to a count are exactly the lines up to that mark.
            mark = _queue.Writer.TryWrite((buffer, line.Length)) ? ++_appended : -1;
        }
        if (mark < 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Add(ref _queued, -line.Length);
            // Either behind by the channel's whole capacity, or shutting down after the last request.
            LoseQueueFull();
            return 0;
        }
        _metrics.LogQueued.Set(Interlocked.Read(ref _queued));
        return mark;
    }

    /// <summary>The mark of the last line handed over: waiting for it covers every line handed over so far.</summary>
    public long Mark
    {
        get
        {
            lock (_order)
            {
                return _appended;
            }
        }
    }

    /// <summary>
    /// Completes once the lines up to <paramref name="mark"/> are written (or failed to be), or at once when the log is
    /// stalled, or after <see cref="MaxWait"/>.
    /// </summary>
    public ValueTask WrittenAsync(long mark) =>
        Volatile.Read(ref _done) >= mark || Stalled() ? ValueTask.CompletedTask : new ValueTask(WaitAsync(mark));

    /// <summary>Asks the writer to close the file and open its path again (after the log was rotated: moved away).</summary>
    public void Reopen()
    {
        if (_path is null)
        {
            return;
        }
        Volatile.Write(ref _reopen, 1);
        _queue.Writer.TryWrite((null, 0)); // wakes the writer; if the queue is full, it is awake anyway
    }

    /// <summary>Writes what is queued, stops the writer and says how many decisions were not logged, if any.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (!_writer.Join(MaxShutdownWait))
        {
            // Stuck in a write or an open (a pipe no one reads, a hung mount): the process ends without it.
            _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} took nothing for {MaxShutdownWait.TotalSeconds:0} s at the stop; {Interlocked.Read(ref _queued)} bytes of decisions still queued are not logged");
            return;
        }
        Volatile.Write(ref _done, long.MaxValue);
        _progress.TrySetResult();
        if (_path is not null)
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

    private bool Stalled()
    {
        var started = Volatile.Read(ref _writeStarted);
        return started != 0 && Stopwatch.GetElapsedTime(started) > MaxWait;
    }

    private async Task WaitAsync(long mark)
    {
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref _done) < mark)
        {
            var progress = Volatile.Read(ref _progress).Task;
            if (Volatile.Read(ref _done) >= mark)
            {
                return;
            }
            var left = MaxWait - waited.Elapsed;
            if (left <= TimeSpan.Zero || Stalled())
            {
                SayStalled();
                return;
            }
            try
            {
                await progress.WaitAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                SayStalled();
                return;
            }
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
                if (entry.Buffer is null)
                {
                    continue; // a reopen's wake-up call
                }
                pending.Write(entry.Buffer.AsSpan(0, entry.Length));
                ArrayPool<byte>.Shared.Return(entry.Buffer);
                Interlocked.Add(ref _queued, -entry.Length);
                lines++;
            }
            if (lines > 0)
            {
                Write(pending.WrittenSpan, lines);
                pending.ResetWrittenCount();
                // Every line taken so far is written or counted lost: wake the answers waiting for them.
                Volatile.Write(ref _done, _done + lines);
                Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                _metrics.LogQueued.Set(Interlocked.Read(ref _queued));
            }
            if (Interlocked.Exchange(ref _reopen, 0) == 1)
            {
                ReopenFile();
            }
        }
    }

    private void Write(ReadOnlySpan<byte> lines, int count)
    {
        Volatile.Write(ref _writeStarted, Stopwatch.GetTimestamp());
        try
        {
            if (_mayBeTorn && !EndsWithNewline())
            {
                // A write that failed may have left part of a line (a disk full mid-write): the next line starts its own.
                _output.Write("\n"u8);
            }
            // One write of whole lines: with O_APPEND, another process appending to the same file never splits a line.
            _output.Write(lines);
            _output.Flush();
            _mayBeTorn = false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the file system says (EFBIG comes as ArgumentOutOfRangeException), the writer goes on: the
            // lines are counted lost, and the answers were never held for them beyond the wait.
            _mayBeTorn = true;
            Interlocked.Add(ref _lost, count);
            _metrics.LogLost("write-failed", count);
            if (Interlocked.Exchange(ref _saidWriteFailed, 1) == 0)
            {
                _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} cannot be written ({Scenarios.Quote.Escaped(e.Message)}); answers go on, and decisions not logged are counted in exclusivity_decision_log_lost_total");
            }
        }
        finally
        {
            Volatile.Write(ref _writeStarted, 0);
        }
    }

    private void ReopenFile()
    {
        Stream reopened;
        // Opening may block (a FIFO, a hung mount): answers do not wait for it, as for a write.
        Volatile.Write(ref _writeStarted, Stopwatch.GetTimestamp());
        try
        {
            reopened = OpenFile(_path!, _stderr);
        }
        catch (IOException e)
        {
            _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)}: {Scenarios.Quote.Escaped(e.Message)}; the file open before goes on being written");
            return;
        }
        finally
        {
            Volatile.Write(ref _writeStarted, 0);
        }
        var old = _output;
        _output = reopened;
        try
        {
            old.Dispose();
        }
        catch (IOException)
        {
            // What it held was written or counted; a close that fails loses nothing more.
        }
        _saidWriteFailed = 0;
        _mayBeTorn = false;
        _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} reopened");
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

    private void SayStalled()
    {
        if (Interlocked.Exchange(ref _saidStalled, 1) == 0)
        {
            _stderr.WriteLine($"serve: decision log {Scenarios.Quote.Escaped(_name)} took no line for {MaxWait.TotalSeconds:0} s (a stalled disk, or a pipe no one reads); answers go out without waiting for their lines, which wait in memory (up to {MaxQueuedBytes >> 20} MiB)");
        }
    }

    /// <summary>
    /// Opens the file for appending (created if missing), in the kernel's append mode where there is one: every write
    /// lands at the file's end as it is then, so a log truncated under the service (<c>copytruncate</c>) or appended to by
    /// a second service goes on at its end instead of at an offset remembered here. A last line left unfinished by a
    /// process that was killed mid-write is ended first, so the next decision starts a line of its own.
    /// </summary>
    private static FileStream OpenFile(string path, TextWriter stderr)
    {
        FileStream stream;
        try
        {
            // Unbuffered: each write is one batch of whole lines, so a failed write loses exactly the lines it held.
            stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot open the decision log `{path}` for appending: {Loading.FileProblem.Reason(e, path)}", e);
        }
        try
        {
            if (OperatingSystem.IsLinux() && stream.CanSeek)
            {
                // FileMode.Append only seeks to the end once; O_APPEND makes every write (pwrite too, on Linux) append.
                var descriptor = (int)stream.SafeFileHandle.DangerousGetHandle();
                var flags = Fcntl(descriptor, GetStatusFlags, 0);
                if (flags < 0 || Fcntl(descriptor, SetStatusFlags, flags | AppendMode) < 0)
                {
                    throw new IOException($"cannot open the decision log `{path}` in append mode (fcntl failed: error {Marshal.GetLastPInvokeError()})");
                }
            }
            if (stream.CanSeek && stream.Length > 0 && !EndsWithNewline(path, stream.Length))
            {
                stream.Write("\n"u8);
                stderr.WriteLine($"serve: decision log `{path}` ended inside a line (a run stopped mid-write); the line is ended so that the next decision starts its own");
            }
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or UnauthorizedAccessException or NotSupportedException)
        {
            stream.Dispose();
            throw e as IOException ?? new IOException($"cannot open the decision log `{path}` for appending: {e.Message}", e);
        }
        return stream;
    }

    /// <summary>Whether what the log holds ends with a line end; for stdout, not known, so false (a blank line is harmless, a glued one is not).</summary>
    private bool EndsWithNewline() =>
        _path is not null && _output.CanSeek && (_output.Length == 0 || EndsWithNewline(_path, _output.Length));

    private static bool EndsWithNewline(string path, long length)
    {
        Span<byte> last = stackalloc byte[1];
        try
        {
            using var reading = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return RandomAccess.Read(reading, last, length - 1) == 1 && last[0] == (byte)'\n';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // a log that cannot be read back (write-only) is left as it is
        }
    }

    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;
    private const int AppendMode = 0x400;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);

    private const int WriteOnly = 0x1;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int NoReader = 6; // ENXIO

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int SysClose(int descriptor);
}
