using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// A command whose exit code is what it found keeps that code when the reader of its output leaves (<c>| head</c>):
/// found by an adversarial run, a failing suite and a rule edit that changes answers both exited 0 under
/// <c>set -o pipefail</c>, so a pipeline passed them.
/// </summary>
public sealed class ReaderLeftTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "exclusivity-reader-left-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// A suite of <paramref name="count"/> scenarios that each expect the OpenAI API on Google Cloud in January 2026
    /// to be <paramref name="expected"/> (agreements.md: the API was Azure's alone then, so Prohibited).
    /// </summary>
    private string Suite(int count, string expected)
    {
        var scenarios = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            scenarios.Add(new JsonObject
            {
                ["name"] = $"API on Google Cloud in January 2026, {i}",
                ["product"] = "openai-api",
                ["cloud"] = "google-cloud",
                ["date"] = "2026-01-15",
                ["expect"] = new JsonObject { ["combined"] = expected },
            });
        }
        var path = Path.Combine(_directory, $"suite-{expected}-{count}.json");
        File.WriteAllText(path, new JsonObject { ["title"] = "reader left", ["scenarios"] = scenarios }.ToJsonString());
        return path;
    }

    private static int RunWithReaderGone(params string[] args)
    {
        using var stderr = new StringWriter();
        return ExclusivityEngine.Cli.Cli.Run(args, new ReaderGone(), stderr);
    }

    [TestCase("Prohibited", 0)]
    [TestCase("Permitted", 1)]
    public void Test_ReaderGone_ExitsWithWhatTheSuiteFound(string expected, int exit) =>
        Assert.That(RunWithReaderGone("test", Suite(3, expected)), Is.EqualTo(exit));

    [Test]
    public void Test_ReaderGoneAndAFileUnusable_Exits2()
    {
        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, "{\"scenarios\": [");

        Assert.That(RunWithReaderGone("test", Suite(3, "Prohibited"), broken), Is.EqualTo(2));
    }

    [Test]
    public void Diff_ExitCode_ReaderGone_StillSaysTheyDiffer() =>
        Assert.That(RunWithReaderGone("diff", "aws-openai-2025-11", "aws-openai-2026-02", "--exit-code"), Is.EqualTo(1));

    [Test]
    public void Impact_ExitCode_ReaderGone_StillSaysAnswersChanged()
    {
        using var edited = ExclusivityEngine.Tests.Questions.ImpactEdits.FrontierExclusivityIncludesAzure();

        Assert.That(RunWithReaderGone("impact", "--before", Repository.Rules, "--after", edited.Directory, "--exit-code"), Is.EqualTo(1));
    }

    [Test]
    public void Batch_ReaderGone_StillEndsQuietly() =>
        Assert.That(RunWithReaderGone("--rules", Repository.Rules, "batch", "--input", Suite(1, "Prohibited")), Is.Zero.Or.EqualTo(1));

    [TestCase("Prohibited", 0)]
    [TestCase("Permitted", 1)]
    public void Test_RealPipeClosedEarly_PipefailSeesTheSuitesExitCode(string expected, int exit)
    {
        // 2,000 failures are far more than a pipe holds, so the CLI really meets the closed pipe.
        var suite = Suite(2000, expected);
        var cli = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");
        var start = new ProcessStartInfo("bash", ["-c", $"set -o pipefail; dotnet \"{cli}\" test \"{suite}\" | head -c 1 > /dev/null; echo \"exit=$?\""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.That(output.Trim(), Is.EqualTo($"exit={exit}"), stderr.Result);
        Assert.That(stderr.Result, Does.Not.Contain("Unhandled").And.Not.Contain("   at "));
    }

    /// <summary>A pipe whose reader has gone: every write and flush fails as <c>write(2)</c> does, with EPIPE.</summary>
    private sealed class ReaderGone : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => throw new IOException("Broken pipe", 32);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe", 32);

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe", 32);
    }
}
