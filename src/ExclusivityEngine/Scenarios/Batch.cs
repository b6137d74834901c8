using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExclusivityEngine.Evaluation;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>How batch input is written.</summary>
public enum BatchFormat
{
    /// <summary>One JSON object per line; blank lines are skipped but counted.</summary>
    JsonLines,
    /// <summary>CSV with a header row of the JSON Lines names; a line's number is its record number (header = 0).</summary>
    Csv,
}

/// <summary>How a batch runs.</summary>
public sealed record BatchOptions
{
    /// <summary>How the input is written.</summary>
    public BatchFormat Format { get; init; } = BatchFormat.JsonLines;

    /// <summary>How much of each version's verdict a line carries.</summary>
    public Detail Detail { get; init; } = Detail.Summary;

    /// <summary>How answers are written: JSON Lines at <see cref="Detail"/>, or the summary as CSV.</summary>
    public BatchOutput Output { get; init; } = BatchOutput.JsonLines;

    /// <summary>Evaluate every line in an NRules session of its own, with no memo (the reference, tens of µs a line).</summary>
    public bool SessionPerScenario { get; init; }

    /// <summary>Lines longer than this (at least 1) are rejected as one line without being read.</summary>
    public int MaxLineBytes { get; init; } = 1 << 20;

    /// <summary>Lines per block, 1 to 1,048,576; blocks are evaluated in parallel and written in input order.</summary>
    public int BlockLines { get; init; } = 1024;

    /// <summary>
    /// Workers, 1 to 1,024 (default: one per core): each reads a block, answers it and writes what is next in order. With
    /// one worker the batch reads only between writes, so an output that never drains also stops the reading.
    /// </summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 1024);

    /// <summary>
    /// Told of every answered line (a decision log, metrics), on the thread that answered it: lines of one block in
    /// order, blocks concurrently. It must not throw and should be quick; the batch waits for it.
    /// </summary>
    internal BatchLineObserver? Observer { get; init; }
}

/// <summary>Receives one answered batch line; what the outcome's spans point at is valid only during the call.</summary>
internal delegate void BatchLineObserver(in BatchLineOutcome outcome);

/// <summary>One answered line of a batch: its number, its bytes, and the combined verdict or the error.</summary>
internal readonly ref struct BatchLineOutcome
{
    /// <summary>The line's number (for CSV, the record number).</summary>
    public long Line { get; init; }

    /// <summary>The line as read, without its line break; empty for a CSV record and for a line too long to be read.</summary>
    public ReadOnlySpan<byte> Input { get; init; }

    /// <summary>The combined verdict, when the line was assessed.</summary>
    public CombinedVerdict? Combined { get; init; }

    /// <summary>Why the line was rejected, when it was.</summary>
    public ScenarioError? Error { get; init; }

    /// <summary>Time spent reading, evaluating and writing the line, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long ElapsedTicks { get; init; }
}

/// <summary>Counts after a batch, and while it runs.</summary>
/// <param name="Lines">Input lines read (blank ones included).</param>
/// <param name="Assessed">Lines answered with an assessment.</param>
/// <param name="Rejected">Lines answered with an error.</param>
public readonly record struct BatchCounts(long Lines, long Assessed, long Rejected);

/// <summary>
/// Streams scenarios to assessments: one output line per non-blank input line, in input order, bad lines answered in
/// place. Blocks of lines are evaluated on every core; memory stays flat whatever the input's size.
/// </summary>
public sealed class Batch(Engine engine, BatchOptions options)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly BatchCsv? _csv = Checked(engine, options).Output == BatchOutput.Csv ? new BatchCsv(engine.Rules) : null;

    // The memo's fast path for plain lines; the reference (one NRules session a line) reads every line the full way.
    private readonly PlainLineReader? _plain = options.SessionPerScenario ? null : new PlainLineReader(engine.Rules.Catalogue);

    private const int MaxParallelism = 1024;
    private const int MaxBlockLines = 1 << 20;

    /// <summary>
    /// Options that would hang a batch (no block in flight), drop its lines (blocks of no line) or answer a blank line
    /// as too long are refused when the batch is made, not found out from its output.
    /// </summary>
    private static BatchOptions Checked(Engine engine, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallelism, 1, nameof(options.Parallelism));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Parallelism, MaxParallelism, nameof(options.Parallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BlockLines, 1, nameof(options.BlockLines));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BlockLines, MaxBlockLines, nameof(options.BlockLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1, nameof(options.MaxLineBytes));
        if (!Enum.IsDefined(options.Detail) || !Enum.IsDefined(options.Format) || !Enum.IsDefined(options.Output))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Detail, Format and Output must each be one of their enum's values");
        }
        return options;
    }

    /// <summary>Reads <paramref name="input"/> to its end and writes the answers to <paramref name="output"/>.</summary>
    public async Task<BatchCounts> RunAsync(Stream input, Stream output, IProgress<BatchCounts>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var pool = new BlockPool(options.BlockLines);
        IBlockSource source = options.Format == BatchFormat.Csv ? new CsvBlockSource(input, options, pool) : new LineBlockSource(input, options, pool);
        if (_csv is not null)
        {
            await output.WriteAsync(_csv.HeaderBytes(), cancel).ConfigureAwait(false);
        }
        using var run = new BatchRun(source, output, pool, options.Parallelism, progress, cancel);
        var workers = new Task[options.Parallelism];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(run), CancellationToken.None);
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        run.ThrowIfFailed(cancel);
        await output.FlushAsync(cancel).ConfigureAwait(false);
        return run.Counts;
    }

    /// <summary>
    /// One of the batch's workers: it takes the next block of input, answers it, and writes whatever answers are next in
    /// input order. Each worker reads, evaluates and writes for itself: with a reader and a writer of their own besides
    /// the evaluating threads, every block was handed between threads three times and a core stood idle a tenth of the
    /// run waiting for a hand-off (<c>perf sched</c>: 1.7 of 2 cores busy).
    /// </summary>
    private async Task WorkAsync(BatchRun run)
    {
        try
        {
            while (await run.NextAsync().ConfigureAwait(false) is var (block, sequence) && block is not null)
            {
                Process(block);
                await run.CommitAsync(sequence, block).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            run.Fail(e);
        }
    }

    private Block Process(Block block)
    {
        // Room for a summary line (about 640 bytes) per line at once: grown by doubling from 64 KB instead, a block left
        // a trail of discarded buffers on the large object heap, and every new buffer's pages were faulted in again.
        // (Sized here, not when the block is made, so that a service request of a few lines stays small; at most 16 MB
        // at once, whatever BlockLines a caller chose.)
        block.Output.GetSpan((int)Math.Min(block.Count * 640L, 16L << 20));
        using var json = new Utf8JsonWriter(block.Output, WriterOptions);
        using var csvText = _csv is null ? null : new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using var csv = csvText is null ? null : BatchCsv.Open(csvText);
        var observer = options.Observer;
        var plain = new PlainFacts(stackalloc int[PlainLineReader.Width]);
        for (var i = 0; i < block.Count; i++)
        {
            ref var line = ref block.Items[i];
            if (line.Blank)
            {
                continue;
            }
            var started = observer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            // A line read here from its bytes; CSV records and overlong lines were read (or refused) by the source.
            var bytes = line.Input is null && line.Error is null ? block.Bytes.AsSpan(line.Start, line.Length) : default;
            CombinedVerdict? combined = null;
            ScenarioError? error = null;
            if (_plain is not null && !bytes.IsEmpty && _plain.TryRead(bytes, ref plain, out var plainId) && engine.TryClassifyPlain(plain, out var known))
            {
                WriteVerdict(block.Output, csv, line.Number, plainId.Equals(default(Range)) ? default : bytes[plainId], known);
                combined = known.Combined;
            }
            else
            {
                ScenarioInput? input;
                ReadOnlySpan<byte> id;
                if (bytes.IsEmpty)
                {
                    (input, error) = (line.Input, line.Error);
                    id = line.Id;
                }
                else
                {
                    input = ScenarioJson.ReadAt(bytes, out var at, out error);
                    id = at.Equals(default(Range)) ? default : bytes[at];
                }
                var scenario = input?.Resolve(engine.Rules.Catalogue, out error);
                if (scenario is null)
                {
                    if (csv is null)
                    {
                        WriteError(json, block.Output, line.Number, id, error!);
                    }
                    else
                    {
                        _csv!.WriteError(csv, line.Number, id, error!);
                    }
                }
                else if (options.SessionPerScenario)
                {
                    var assessment = engine.EvaluateInSession(scenario);
                    WriteSessionAssessment(block.Output, csv, line.Number, id, assessment);
                    combined = assessment.Combined;
                }
                else
                {
                    var verdict = engine.Classify(scenario);
                    WriteVerdict(block.Output, csv, line.Number, id, verdict);
                    combined = verdict.Combined;
                }
            }
            if (combined is null)
            {
                block.Rejected++;
            }
            else
            {
                block.Assessed++;
            }
            observer?.Invoke(new BatchLineOutcome
            {
                Line = line.Number,
                Input = bytes,
                Combined = combined,
                Error = combined is null ? error : null,
                ElapsedTicks = System.Diagnostics.Stopwatch.GetTimestamp() - started,
            });
        }
        if (csv is not null)
        {
            csv.Flush();
            block.Output.Write(System.Text.Encoding.UTF8.GetBytes(csvText!.ToString()));
        }
        return block;
    }

    /// <summary>An assessed line from its class's verdicts: the JSON line ends with the class's cached bytes.</summary>
    private void WriteVerdict(ArrayBufferWriter<byte> output, CsvHelper.CsvWriter? csv, long number, ReadOnlySpan<byte> id, ClassVerdict verdict)
    {
        if (csv is not null)
        {
            _csv!.WriteAssessment(csv, number, id, verdict.InForce, verdict.Combined, verdict.Rows, shared: true);
            return;
        }
        WriteAssessed(output, number, id, verdict.Encoded[(int)options.Detail] ??= AssessmentJson.EncodeTail(verdict.InForce, verdict.Combined, verdict.Rows, options.Detail));
    }

    /// <summary>An assessed line decided by an NRules session of its own (<c>--no-compile</c>): nothing is cached.</summary>
    private void WriteSessionAssessment(ArrayBufferWriter<byte> output, CsvHelper.CsvWriter? csv, long number, ReadOnlySpan<byte> id, Assessment a)
    {
        if (csv is not null)
        {
            _csv!.WriteAssessment(csv, number, id, a.InForce, a.Combined, a.Rows, shared: false);
            return;
        }
        WriteAssessed(output, number, id, AssessmentJson.EncodeTail(a.InForce, a.Combined, a.Rows, options.Detail));
    }

    /// <summary>
    /// An assessed line, <c>{"id":…,"line":N,</c> then its <paramref name="tail"/>, written into one span: this runs for
    /// nearly every line of a batch, and each of the output's own writes checks and advances on its own.
    /// </summary>
    private static void WriteAssessed(ArrayBufferWriter<byte> output, long number, ReadOnlySpan<byte> id, ReadOnlySpan<byte> tail)
    {
        var line = output.GetSpan(HeadRoom + id.Length + tail.Length + 1);
        var at = 0;
        Put(line, ref at, "{\"id\":"u8);
        Put(line, ref at, id.IsEmpty ? "null"u8 : id);
        Put(line, ref at, ",\"line\":"u8);
        Utf8Formatter.TryFormat(number, line[at..], out var written);
        at += written;
        line[at++] = (byte)',';
        Put(line, ref at, tail);
        line[at++] = (byte)'\n';
        output.Advance(at);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        static void Put(Span<byte> line, ref int at, ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(line[at..]);
            at += bytes.Length;
        }
    }

    /// <summary>What a line's head takes besides its id: <c>{"id":</c>, <c>null</c>, <c>,"line":</c>, 20 digits, a comma.</summary>
    private const int HeadRoom = 6 + 4 + 8 + 20 + 1;

    private static void WriteError(Utf8JsonWriter json, ArrayBufferWriter<byte> output, long number, ReadOnlySpan<byte> id, ScenarioError error)
    {
        json.Reset(output);
        json.WriteStartObject();
        json.WriteNumber("line", number);
        json.WritePropertyName("id");
        if (id.IsEmpty)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(id, skipInputValidation: true);
        }
        json.WriteStartObject("error");
        json.WriteString("code", error.Code);
        json.WriteString("message", error.MessageNamingField);
        if (error.Field is not null)
        {
            json.WriteString("field", error.Field);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }
}

/// <summary>One input line of a block: where its bytes are, or what a CSV record already gave.</summary>
internal struct BlockLine
{
    public long Number;
    public int Start;
    public int Length;
    public bool Blank;
    public ScenarioInput? Input;
    public byte[]? Id;
    public ScenarioError? Error;
}

/// <summary>A run of input lines with their bytes, and the output they produce.</summary>
/// <param name="lines">Lines the block holds at most.</param>
internal sealed class Block(int lines)
{
    public byte[] Bytes = [];
    public BlockLine[] Items = new BlockLine[lines];
    public int Count;
    public long Lines;
    public long Assessed;
    public long Rejected;
    public ArrayBufferWriter<byte> Output { get; } = new(1 << 16);

    /// <summary>Empties the block for its next use, keeping its buffers.</summary>
    public void Reset()
    {
        Array.Clear(Items, 0, Count);
        Count = 0;
        Lines = Assessed = Rejected = 0;
        Output.ResetWrittenCount();
    }
}

/// <summary>
/// Blocks are reused: only a handful are in flight at once, and reusing their buffers (megabytes each, on the large
/// object heap) keeps a batch of millions of lines from spending its time in full garbage collections.
/// </summary>
internal sealed class BlockPool(int blockLines)
{
    private readonly System.Collections.Concurrent.ConcurrentBag<Block> _free = [];

    public Block Rent() => _free.TryTake(out var block) ? block : new Block(blockLines);

    public void Return(Block block)
    {
        block.Reset();
        _free.Add(block);
    }
}

/// <summary>
/// What a batch's workers share: the input, taken a block at a time by one worker after another, and the output,
/// written in input order by whichever worker holds the next answers (its own, and any that were answered meanwhile).
/// At most <see cref="_answered"/>'s length in blocks are read and not yet written, so memory stays flat when one block
/// is slow; the first failure (a read, a write, the caller's cancellation) stops every worker and is the one thrown.
/// </summary>
internal sealed class BatchRun : IDisposable
{
    private readonly IBlockSource _source;
    private readonly Stream _output;
    private readonly BlockPool _pool;
    private readonly IProgress<BatchCounts>? _progress;
    private readonly CancellationTokenSource _stop;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly SemaphoreSlim _room;
    private readonly Block?[] _answered; // answered blocks waiting for their turn, at their sequence number modulo the length
    private readonly Lock _gate = new();
    private long _nextRead;
    private long _nextWrite;
    private bool _writing;
    private bool _ended;
    private Exception? _failure;
    private long _lines;
    private long _assessed;
    private long _rejected;

    public BatchRun(IBlockSource source, Stream output, BlockPool pool, int workers, IProgress<BatchCounts>? progress, CancellationToken cancel)
    {
        _source = source;
        _output = output;
        _pool = pool;
        _progress = progress;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Two blocks a worker: one it answers, one answered and waiting for an earlier block to be written.
        var window = 2 * workers + 2;
        _room = new SemaphoreSlim(window, window);
        _answered = new Block?[window];
    }

    /// <summary>Lines read, assessed and rejected in the blocks written so far.</summary>
    public BatchCounts Counts => new(_lines, _assessed, _rejected);

    /// <summary>The next block of input and its place in the output; no block at the end of the input.</summary>
    public async ValueTask<(Block? Block, long Sequence)> NextAsync()
    {
        await _room.WaitAsync(_stop.Token).ConfigureAwait(false);
        await _reading.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            if (!_ended && await _source.NextAsync(_stop.Token).ConfigureAwait(false) is { } block)
            {
                return (block, _nextRead++);
            }
            _ended = true;
            _room.Release();
            return (null, 0);
        }
        catch
        {
            // A source that failed has lost its place: no other worker reads it again, even before the failure is known.
            _ended = true;
            throw;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Hands over an answered block; if it is next in order, writes it and every answered block after it.</summary>
    public async ValueTask CommitAsync(long sequence, Block block)
    {
        lock (_gate)
        {
            _answered[sequence % _answered.Length] = block;
            if (_writing || sequence != _nextWrite)
            {
                return;
            }
            _writing = true;
        }
        while (true)
        {
            Block next;
            lock (_gate)
            {
                var slot = _nextWrite % _answered.Length;
                if (_answered[slot] is not { } ready || _stop.IsCancellationRequested)
                {
                    _writing = false;
                    return;
                }
                next = ready;
                _answered[slot] = null;
            }
            await _output.WriteAsync(next.Output.WrittenMemory, _stop.Token).ConfigureAwait(false);
            _lines += next.Lines;
            _assessed += next.Assessed;
            _rejected += next.Rejected;
            _pool.Return(next);
            _progress?.Report(Counts);
            lock (_gate)
            {
                _nextWrite++;
            }
            _room.Release();
        }
    }

    /// <summary>Records the first failure and stops every worker.</summary>
    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
        }
        _stop.Cancel();
    }

    /// <summary>
    /// Throws the first failure, if there was one: a cancellation as the caller's own (<paramref name="cancel"/>). A run
    /// that wrote every block before it was cancelled has not failed.
    /// </summary>
    public void ThrowIfFailed(CancellationToken cancel)
    {
        if (_failure is OperationCanceledException)
        {
            cancel.ThrowIfCancellationRequested();
        }
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _reading.Dispose();
        _room.Dispose();
    }
}

internal interface IBlockSource
{
    ValueTask<Block?> NextAsync(CancellationToken cancel);
}

/// <summary>Splits a byte stream into blocks of lines (LF or CRLF), counting every line, rejecting overlong ones in place.</summary>
internal sealed class LineBlockSource(Stream input, BatchOptions options, BlockPool pool) : IBlockSource
{
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
    private long _number;

    /// <summary>
    /// Where the lines not yet copied into the block begin in the buffer: a block's lines are copied as runs of whole
    /// lines, one copy a read, not one a line (a line's copy cost more in the call than in its bytes).
    /// </summary>
    private int _copied;

    public async ValueTask<Block?> NextAsync(CancellationToken cancel)
    {
        var block = pool.Rent();
        var bytes = block.Bytes.Length > 0 ? block.Bytes : new byte[1 << 20];
        var used = 0;
        var uncopied = 0; // the first of the block's lines whose Start is still a place in the buffer
        _copied = _start;
        while (block.Count < options.BlockLines)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (_eof)
                {
                    if (_end > _start)
                    {
                        Add(block, _start, _end - _start, tooLong: false);
                        _start = _end;
                    }
                    break;
                }
                // The buffer's bytes are about to move: the lines read so far are copied first.
                Copy(ref bytes, ref used, block, ref uncopied);
                if (_end - _start > options.MaxLineBytes)
                {
                    var blank = await SkipOverlongAsync(cancel).ConfigureAwait(false);
                    _copied = _start;
                    Add(block, 0, 0, tooLong: !blank);
                    continue;
                }
                await FillAsync(cancel).ConfigureAwait(false);
                _copied = _start;
                continue;
            }
            var start = _start;
            _start += newline + 1;
            Add(block, start, newline, tooLong: newline > options.MaxLineBytes && !IsBlank(WithoutByteOrderMark(_buffer.AsSpan(start, newline))));
        }
        Copy(ref bytes, ref used, block, ref uncopied);
        block.Bytes = bytes;
        block.Lines = block.Count;
        if (block.Count == 0)
        {
            pool.Return(block);
            return null;
        }
        return block;
    }

    /// <summary>
    /// Copies the buffer's run of lines not yet copied (<see cref="_copied"/> to <see cref="_start"/>) to the block's
    /// bytes, and moves the Start of its lines from the buffer to the block.
    /// </summary>
    private void Copy(ref byte[] bytes, ref int used, Block block, ref int uncopied)
    {
        var run = _start - _copied;
        if (used + run > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + run));
        }
        _buffer.AsSpan(_copied, run).CopyTo(bytes.AsSpan(used));
        for (; uncopied < block.Count; uncopied++)
        {
            block.Items[uncopied].Start += used - _copied;
        }
        used += run;
        _copied = _start;
    }

    /// <summary>The line at <paramref name="start"/> in the buffer, <paramref name="length"/> bytes without its line feed.</summary>
    private void Add(Block block, int start, int length, bool tooLong)
    {
        ref var item = ref block.Items[block.Count++];
        item.Number = ++_number;
        if (tooLong)
        {
            item.Error = new ScenarioError(ScenarioErrorCodes.InvalidJson, $"the line is longer than {options.MaxLineBytes} bytes");
            return;
        }
        var line = _buffer.AsSpan(start, length);
        if (item.Number == 1 && line.StartsWith("\uFEFF"u8))
        {
            // A byte order mark (as some editors save UTF-8) belongs to no line.
            line = line[3..];
            start += 3;
        }
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        // A line that starts with a byte other than white space (nearly all) is not blank, and is not trimmed to see.
        if (line.IsEmpty || (line[0] <= (byte)' ' && line.Trim(" \t\r"u8).IsEmpty))
        {
            item.Blank = true;
            return;
        }
        item.Start = start;
        item.Length = line.Length;
    }

    private async ValueTask FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = await input.ReadAsync(_buffer.AsMemory(_end), cancel).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }

    /// <summary>
    /// Drops the rest of an overlong line without holding it in memory; returns whether it was blank (white space only,
    /// skipped as any blank line is, however long).
    /// </summary>
    private async ValueTask<bool> SkipOverlongAsync(CancellationToken cancel)
    {
        var blank = true;
        // Only the line's own start can hold a byte order mark: not the start of a later read into it.
        for (var start = true; ; start = false)
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            var newline = rest.IndexOf((byte)'\n');
            var part = newline >= 0 ? rest[..newline] : rest;
            blank = blank && IsBlank(start ? WithoutByteOrderMark(part) : part);
            if (newline >= 0)
            {
                _start += newline + 1;
                return blank;
            }
            _start = _end = 0;
            var read = await input.ReadAsync(_buffer, cancel).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
                return blank;
            }
            _end = read;
        }
    }

    /// <summary>The first line's bytes after a byte order mark (which belongs to no line); any other line's unchanged.</summary>
    private ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> line) =>
        _number == 0 && line.StartsWith("\uFEFF"u8) ? line[3..] : line;

    /// <summary>White space only (what a blank line holds besides its line feed).</summary>
    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;
}
