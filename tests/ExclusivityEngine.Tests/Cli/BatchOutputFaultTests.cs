using Moq;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>Faults lose nothing and hide nothing: a full disk is one sentence and exit 2, a closed pipe ends quietly.</summary>
public sealed class BatchOutputFaultTests
{
    private string _input = "";

    [SetUp]
    public void WriteInput()
    {
        _input = Path.Combine(Path.GetTempPath(), "exclusivity-fault-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(_input, Enumerable.Range(0, 20_000).Select(i => $"{{\"id\":{i},\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}}"));
    }

    [TearDown]
    public void RemoveInput() => File.Delete(_input);

    private static Stream Failing(string message)
    {
        var stream = new Mock<Stream>();
        stream.SetupGet(s => s.CanWrite).Returns(true);
        stream.Setup(s => s.Write(It.IsAny<byte[]>(), It.IsAny<int>(), It.IsAny<int>())).Throws(new IOException(message));
        stream.Setup(s => s.WriteAsync(It.IsAny<byte[]>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException(message));
        stream.Setup(s => s.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>())).Throws(new IOException(message));
        stream.Setup(s => s.Flush()).Throws(new IOException(message));
        return stream.Object;
    }

    private static (int Exit, string Stderr) RunWith(Stream stdout, params string[] args)
    {
        using var stderr = new StringWriter();
        var exit = ExclusivityEngine.Cli.Cli.Run(args, stdout, stderr);
        return (exit, stderr.ToString());
    }

    [Test]
    public void Batch_FullDiskOnStdout_Exits2WithOneSentence()
    {
        var (exit, stderr) = RunWith(Failing("No space left on device"), "batch", "--input", _input, "--output", "-");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("No space left on device"));
    }

    [Test]
    public void Batch_ClosedPipe_EndsQuietly()
    {
        var (exit, stderr) = RunWith(Failing("Broken pipe"), "batch", "--input", _input, "--output", "-");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(stderr, Is.Empty);
    }

    [Test]
    public void Batch_RegularOutput_IsReplacedOnlyWhenComplete()
    {
        var output = Path.Combine(Path.GetTempPath(), "exclusivity-out-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(output, "previous\n");
        try
        {
            var (exit, _, _) = CliRunner.Run("batch", "--input", _input, "--output", output);

            Assert.That(exit, Is.EqualTo(0));
            Assert.That(File.ReadLines(output).Count(), Is.EqualTo(20_000));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(output)!, "." + Path.GetFileName(output) + "*.partial"), Is.Empty, "no partial file left");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Batch_DevNull_IsWrittenNotReplaced()
    {
        var (exit, _, _) = CliRunner.Run("batch", "--input", _input, "--output", "/dev/null");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(File.Exists("/dev/null"), Is.True);
        Assert.That(new FileInfo("/dev/null").Length, Is.Zero);
    }
}
