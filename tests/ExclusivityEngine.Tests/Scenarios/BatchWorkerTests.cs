using System.Text;
using CsCheck;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// A batch's workers each read a block, answer it and write whatever is next in order: however the blocks' answers
/// finish, the output is the input's order; no more than two blocks a worker (plus two) are answered ahead of what has
/// been written; the first failure (a write, a read, the caller's cancellation) ends the batch with that failure, and
/// nothing is written after it.
/// </summary>
public sealed class BatchWorkerTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    /// <summary>Scenario lines, each with its line number as its id.</summary>
    private static Gen<byte[]> Input(int most) =>
        Evaluation.MemoAgreementTests.Scenarios().Array[1, most].Select(lines =>
            Encoding.UTF8.GetBytes(string.Concat(lines.Select((json, i) => json[..^1] + ",\"id\":\"n" + (i + 1) + "\"}\n"))));

    [Test]
    public void Answers_FinishedOutOfOrder_AreWrittenInInputOrder_WithNoMoreThanTheWindowAnsweredAhead()
    {
        Gen.Select(Input(60), Gen.Int[1, 6], Gen.Int[1, 5], Gen.UInt).Sample((input, workers, blockLines, seed) =>
        {
            var lines = input.Count(b => b == (byte)'\n');
            using var output = new LineCountingStream();
            long furthestAhead = 0;
            var options = new BatchOptions
            {
                Parallelism = workers,
                BlockLines = blockLines,
                // Some lines are slow to answer, so blocks finish in an order of their own.
                Observer = (in BatchLineOutcome line) =>
                {
                    if ((uint)HashCode.Combine(line.Line, seed) % 4 == 0)
                    {
                        Thread.Sleep(1);
                    }
                    var ahead = line.Line - output.Lines;
                    long seen;
                    while (ahead > (seen = Interlocked.Read(ref furthestAhead)) && Interlocked.CompareExchange(ref furthestAhead, ahead, seen) != seen)
                    {
                    }
                },
            };
            var counts = new Batch(Engine, options).RunAsync(new MemoryStream(input), output).GetAwaiter().GetResult();
            var answers = OutputLines.Parse(output.ToArray());

            Assert.That(answers.Select(a => a.GetProperty("line").GetInt64()), Is.EqualTo(Enumerable.Range(1, lines).Select(n => (long)n)));
            Assert.That(answers.Select(a => a.GetProperty("id").GetString()), Is.EqualTo(Enumerable.Range(1, lines).Select(n => "n" + n)));
            Assert.That(counts, Is.EqualTo(new BatchCounts(lines, lines, 0)));
            Assert.That(furthestAhead, Is.LessThanOrEqualTo((2L * workers + 2) * blockLines), "lines answered beyond those written");
        }, iter: 60);
    }

    [Test]
    public void Output_ThatFails_EndsTheBatchWithItsOwnErrorAndNothingIsWrittenAfterIt()
    {
        Gen.Select(Input(60), Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[0, 1000]).Sample((input, workers, blockLines, pick) =>
        {
            // One of the blocks' writes, the first to the last.
            var blocks = (input.Count(b => b == (byte)'\n') + blockLines - 1) / blockLines;
            using var output = new FailingStream(1 + pick % blocks);
            var run = new Batch(Engine, new BatchOptions { Parallelism = workers, BlockLines = blockLines }).RunAsync(new MemoryStream(input), output);

            var thrown = Assert.ThrowsAsync<IOException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.That(thrown!.Message, Is.EqualTo("No space left on device"));
            Assert.That(output.WritesAfterFailure, Is.Zero);
        }, iter: 40);
    }

    [Test]
    public void Input_ThatFailsToRead_EndsTheBatchWithItsOwnError_AfterAnOrderedPrefixOfTheAnswers()
    {
        Gen.Select(Input(60), Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[0, 100_000]).Sample((input, workers, blockLines, pick) =>
        {
            using var output = new MemoryStream();
            var run = new Batch(Engine, new BatchOptions { Parallelism = workers, BlockLines = blockLines })
                .RunAsync(new BrokenInputStream(input, pick % input.Length), output);

            var thrown = Assert.ThrowsAsync<IOException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.That(thrown!.Message, Is.EqualTo("Input/output error"));
            var answered = OutputLines.Parse(output.ToArray()).Select(a => a.GetProperty("line").GetInt64()).ToList();
            Assert.That(answered, Is.EqualTo(Enumerable.Range(1, answered.Count).Select(n => (long)n)));
        }, iter: 40);
    }

    /// <summary>
    /// Between a worker's failed read and its report of the failure, another worker may ask for the next block: the
    /// source, which has lost its place, is not read again (its next block would take the lost one's place).
    /// </summary>
    [Test]
    public async Task Source_ThatFailed_IsNotReadAgainBeforeTheFailureIsReported()
    {
        var source = new FailingOnceSource();
        using var run = new BatchRun(source, Stream.Null, new BlockPool(1), workers: 2, progress: null, CancellationToken.None);

        Assert.ThrowsAsync<IOException>(async () => await run.NextAsync());
        var (block, _) = await run.NextAsync();

        Assert.That(block, Is.Null);
        Assert.That(source.Reads, Is.EqualTo(1));
    }

    private sealed class FailingOnceSource : IBlockSource
    {
        public int Reads { get; private set; }

        public ValueTask<Block?> NextAsync(CancellationToken cancel) =>
            ++Reads == 1 ? ValueTask.FromException<Block?>(new IOException("Input/output error")) : ValueTask.FromResult<Block?>(new Block(1) { Count = 1, Lines = 1 });
    }

    [Test]
    public void Cancelled_WhileRunning_ThrowsOperationCanceledWithTheCallersTokenUnlessEveryBlockWasWritten()
    {
        Gen.Select(Input(60), Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 30]).Sample((input, workers, blockLines, cancelAt) =>
        {
            using var cancel = new CancellationTokenSource();
            var options = new BatchOptions
            {
                Parallelism = workers,
                BlockLines = blockLines,
                Observer = (in BatchLineOutcome line) =>
                {
                    if (line.Line == cancelAt)
                    {
                        cancel.Cancel();
                    }
                },
            };
            var lines = input.Count(b => b == (byte)'\n');
            var run = new Batch(Engine, options).RunAsync(new MemoryStream(input), Stream.Null, cancel: cancel.Token);

            if (cancelAt > lines)
            {
                Assert.That(run.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult().Lines, Is.EqualTo(lines));
                return;
            }
            // Cancelled while its last block was answered, a run may still write every block: it has then not failed.
            try
            {
                Assert.That(run.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult().Lines, Is.EqualTo(lines));
            }
            catch (OperationCanceledException thrown)
            {
                Assert.That(thrown.CancellationToken, Is.EqualTo(cancel.Token));
            }
        }, iter: 40);
    }

    /// <summary>A memory stream whose every write, of any overload, sync or async, goes through <c>Write(byte[], int, int)</c>.</summary>
    private abstract class EveryWriteStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }

    /// <summary>Counts the lines written so far, for a look from another thread.</summary>
    private sealed class LineCountingStream : EveryWriteStream
    {
        private long _lines;

        public long Lines => Interlocked.Read(ref _lines);

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            Interlocked.Add(ref _lines, buffer.AsSpan(offset, count).Count((byte)'\n'));
        }
    }

    /// <summary>A disk that fills up at its <paramref name="failingWrite"/>th write, and notes any write tried after that.</summary>
    private sealed class FailingStream(int failingWrite) : EveryWriteStream
    {
        private int _writes;

        public int WritesAfterFailure { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            var write = Interlocked.Increment(ref _writes);
            if (write > failingWrite)
            {
                WritesAfterFailure++;
            }
            if (write >= failingWrite)
            {
                throw new IOException("No space left on device");
            }
            base.Write(buffer, offset, count);
        }
    }

    /// <summary>
    /// An input whose device fails once after <paramref name="failAt"/> bytes have been read, and reads on if asked again
    /// (so a batch that read on after a failure would show a gap).
    /// </summary>
    private sealed class BrokenInputStream(byte[] bytes, int failAt) : MemoryStream(bytes)
    {
        private int _failed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAt && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new IOException("Input/output error");
            }
            if (Position >= failAt)
            {
                return base.Read(buffer, offset, count);
            }
            return base.Read(buffer, offset, (int)Math.Min(count, failAt - Position));
        }

        public override int Read(Span<byte> buffer)
        {
            var read = new byte[buffer.Length];
            var count = Read(read, 0, read.Length);
            read.AsSpan(0, count).CopyTo(buffer);
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }
}
