using System.Diagnostics;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>The real process's stdout: output redirected to a file is appended, never overwritten; a closed pipe ends quietly.</summary>
public sealed class StandardOutputTests
{
    private static string Shell(string script)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");
        var start = new ProcessStartInfo("sh", ["-c", script.Replace("CLI", $"dotnet \"{cli}\"", StringComparison.Ordinal)]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    [Test]
    public void Stdout_RedirectedToAFileByTwoCommands_KeepsBoth()
    {
        var file = Path.Combine(Path.GetTempPath(), "exclusivity-stdout-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            Shell($"{{ CLI versions; echo between; CLI versions; }} > {file}");

            var text = File.ReadAllText(file);
            Assert.That(text.Split("msft-openai-2019 ").Length - 1, Is.EqualTo(2), text);
            Assert.That(text, Does.Contain("\nbetween\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Stdout_ClosedPipe_EndsQuietlyWithExit0()
    {
        var input = Path.Combine(Path.GetTempPath(), "exclusivity-pipe-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 50_000).Select(i => $"{{\"id\":{i},\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}}"));
        try
        {
            var output = Shell($"CLI batch --input {input} --quiet 2>&1 | head -1 >/dev/null; echo \"exit=${{PIPESTATUS:-}}\"; CLI batch --input {input} --quiet 2>&1 | head -c 10 > /dev/null; echo done");

            Assert.That(output, Does.Contain("done"));
            Assert.That(output, Does.Not.Contain("Unhandled"));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public void Open_OnUnix_WritesWithWrite2() =>
        Assert.That(ExclusivityEngine.Cli.StandardOutput.Open(unix: true, () => throw new AssertionException("not the portable path")), Is.TypeOf<ExclusivityEngine.Cli.UnixStandardOutput>());

    [Test]
    public void PortablePath_WritesWhatTheCommandWrites()
    {
        using var console = new MemoryStream();
        using var stdout = ExclusivityEngine.Cli.StandardOutput.Open(unix: false, () => console);
        using var stderr = new StringWriter();

        var exit = ExclusivityEngine.Cli.Cli.Run(["versions", "--format", "json"], stdout, stderr);

        Assert.That(stdout, Is.TypeOf<ExclusivityEngine.Cli.PortableStandardOutput>());
        Assert.That(exit, Is.Zero, stderr.ToString());
        Assert.That(System.Text.Encoding.UTF8.GetString(console.ToArray()), Is.EqualTo(CliRunner.Run("versions", "--format", "json").Stdout));
    }

    [TestCase(unchecked((int)0x800700E8))]
    [TestCase(unchecked((int)0x8007006D))]
    public void PortablePath_PipeClosedOnWindows_EndsQuietlyWithExit0(int hresult)
    {
        // What Windows reports when the reader of a pipe has gone (ERROR_NO_DATA, ERROR_BROKEN_PIPE).
        using var closedPipe = new ClosedPipe(hresult);
        using var stdout = ExclusivityEngine.Cli.StandardOutput.Open(unix: false, () => closedPipe);
        using var stderr = new StringWriter();
        var input = Path.Combine(Path.GetTempPath(), "exclusivity-portable-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 20_000).Select(i => $"{{\"id\":{i},\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}}"));
        try
        {
            var exit = ExclusivityEngine.Cli.Cli.Run(["batch", "--input", input, "--quiet"], stdout, stderr);

            Assert.That(exit, Is.Zero);
            Assert.That(stderr.ToString(), Is.Empty);
            Assert.That(closedPipe.Writes, Is.GreaterThan(0));
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>A console stream whose reader has gone, failing as Windows' does.</summary>
    private sealed class ClosedPipe(int hresult) : Stream
    {
        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            throw new IOException("The pipe is being closed.", hresult);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write([], 0, buffer.Length);
    }
}
