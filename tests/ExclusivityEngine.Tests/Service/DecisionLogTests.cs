using System.Text;
using ExclusivityEngine.Service;

namespace ExclusivityEngine.Tests.Service;

/// <summary>
/// The decision log's writer against outputs that fail the way disks and pipes do: part of a write landing before a
/// failure, a failure the runtime reports as something other than an IOException, an output that never takes a byte.
/// </summary>
public sealed class DecisionLogTests
{
    private static readonly byte[] First = Encoding.UTF8.GetBytes("{\"decisionId\":\"a-1\",\"result\":{}}\n");
    private static readonly byte[] Second = Encoding.UTF8.GetBytes("{\"decisionId\":\"a-2\",\"result\":{}}\n");

    // Found by a review: a disk full mid-write left half a line, and the next decision was glued onto it.
    [Test]
    public async Task Write_FailingAfterPartOfALine_NextLineStartsItsOwn()
    {
        var output = new FlakyOutput(failures: [stream => throw new IOException("No space left on device", new IOException())], partial: 10);
        var stderr = new StringWriter();
        var log = DecisionLog.Open("-", output, stderr, new ServiceMetrics());

        await log.WrittenAsync(log.Append(First));
        await log.WrittenAsync(log.Append(Second));
        log.Dispose();

        var lines = Encoding.UTF8.GetString(output.Written.ToArray()).Split('\n');
        Assert.That(lines[0], Is.EqualTo(Encoding.UTF8.GetString(First, 0, 10)), "the part of the failed line");
        Assert.That(lines[1], Is.EqualTo(Encoding.UTF8.GetString(Second).TrimEnd('\n')), "the next decision on a line of its own");
        Assert.That(log.Lost, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.Contain("cannot be written"));
    }

    // Found by a review: a file over the file system's size limit (EFBIG) fails with ArgumentOutOfRangeException,
    // which escaped the writer thread and ended the process.
    [Test]
    public async Task Write_FailingWithAnythingButIOException_WriterGoesOn()
    {
        var output = new FlakyOutput(failures: [stream => throw new ArgumentOutOfRangeException("value", "Specified file length was too large for the file system.")]);
        var log = DecisionLog.Open("-", output, TextWriter.Null, new ServiceMetrics());

        await log.WrittenAsync(log.Append(First));
        await log.WrittenAsync(log.Append(Second));
        log.Dispose();

        Assert.That(log.Lost, Is.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(output.Written.ToArray()), Does.EndWith(Encoding.UTF8.GetString(Second)));
    }

    [Test]
    public async Task Output_ThatNeverTakesAByte_HoldsNeitherAnswersNorTheStop()
    {
        using var never = new ManualResetEventSlim();
        var output = new FlakyOutput(failures: [_ => never.Wait()]);
        var stderr = new StringWriter();
        var log = DecisionLog.Open("-", output, stderr, new ServiceMetrics());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await log.WrittenAsync(log.Append(First));
        for (var i = 0; i < 50; i++)
        {
            await log.WrittenAsync(log.Append(Second));
        }
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(5), "one answer waits at most a second; then the log is taken as stalled");
        log.Dispose();
        never.Set();

        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(30), "the stop does not wait for the stuck output for ever");
        Assert.That(stderr.ToString(), Does.Contain("took no line for 1 s").And.Contain("at the stop"));
    }

    /// <summary>An output whose first writes fail as given (after writing <c>partial</c> bytes of what they were given); later ones succeed.</summary>
    private sealed class FlakyOutput(Action<Stream>[] failures, int partial = 0) : WriteOnlyStream
    {
        private int _writes;

        public MemoryStream Written { get; } = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_writes < failures.Length)
            {
                var failure = failures[_writes++];
                Written.Write(buffer[..Math.Min(partial, buffer.Length)]);
                failure(this);
                return;
            }
            _writes++;
            Written.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }
    }
}
