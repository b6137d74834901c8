using System.Diagnostics;
using System.Xml.Linq;

namespace ExclusivityEngine.Tests.Testing;

/// <summary>
/// <c>exclusivity test</c> in a pipe, as a CI job runs it: <c>--junit -</c> writes the XML alone on stdout (valid for
/// <c>xmllint</c>, Debian's libxml2-utils, which .ci/run installs), and <c>test -</c> reads a test file from stdin.
/// The real process runs, with real pipes.
/// </summary>
public sealed class TestCommandPipeTests
{
    private static readonly string Suite = Path.Combine(Repository.Root, "tests", "ExclusivityEngine.Tests", "Testing", "Fixtures", "someone-elses-suite");
    private static string RightAndWrong => Path.Combine(Suite, "01-right-and-wrong.json");

    [Test]
    public void JunitToStdout_WritesTheXmlAloneThere_AndTheReportOnStderr()
    {
        var run = Run(null, "test", RightAndWrong, "--junit", "-");

        Assert.That(run.Exit, Is.EqualTo(1), run.Stderr);
        Assert.That(run.Stdout, Does.StartWith("<?xml").And.EndWith("</testsuites>\n"));
        var root = XDocument.Parse(run.Stdout).Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That(root.Descendants("testcase").Count(), Is.EqualTo(3));
        Assert.That(root.Descendants("failure").Count(), Is.EqualTo(1));
        Assert.That(run.Stdout, Does.Not.Contain("passed,"));
        Assert.That(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Is.EqualTo("2 passed, 1 failed"));
        Assert.That(run.Stderr, Does.Contain("FAIL "));
    }

    [Test]
    public void JunitToStdout_IsValidForXmllint()
    {
        var xml = Run(null, "test", Suite, "--junit", "-").Stdout;

        var lint = Shell("xmllint --noout -", xml);

        Assert.That(lint.Exit, Is.Zero, $"xmllint refused the XML (is libxml2-utils installed? .ci/run installs it):\n{lint.Stderr}\n{xml}");
    }

    [Test]
    public void JunitToStdout_WithJsonFormat_IsRefused()
    {
        var run = CliRun.Of("test", RightAndWrong, "--junit", "-", "--format", "json");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stdout, Is.Empty);
        Assert.That(run.Stderr, Does.Contain("both want stdout"));
    }

    // /dev/stdin is read as - is (found by an adversarial run: it was refused as a FIFO).
    [TestCase("-", "stdin")]
    [TestCase("/dev/stdin", "/dev/stdin")]
    public void Stdin_ATestFile_IsRunAndNamed(string path, string name)
    {
        var run = Run(File.ReadAllText(RightAndWrong), "test", path);

        Assert.That(run.Exit, Is.EqualTo(1), run.Stderr);
        Assert.That(run.Stdout, Does.Contain($"FAIL {name}:"));
        Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Is.EqualTo("2 passed, 1 failed"));
    }

    [Test]
    public void Stdin_BesideAFile_RunsBothInTheOrderGiven()
    {
        var run = Run(File.ReadAllText(RightAndWrong), "test", "-", RightAndWrong, "--format", "json");

        Assert.That(run.Exit, Is.EqualTo(1), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("\"file\": \"stdin\""));
        Assert.That(run.Stdout, Does.Contain("\"passed\": 4"));
    }

    [Test]
    public void Stdin_BrokenJson_IsRefusedWithItsPlace()
    {
        var run = Run("{\"scenarios\": [\n  {\"name\": }\n]}", "test", "-");

        Assert.That(run.Exit, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("error: stdin:2:"));
    }

    private static (int Exit, string Stdout, string Stderr) Run(string? stdin, params string[] args) =>
        Process(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "exclusivity.dll"), .. args]), stdin);

    private static (int Exit, string Stdout, string Stderr) Shell(string command, string stdin) =>
        Process(new ProcessStartInfo("sh", ["-c", command]), stdin);

    private static (int Exit, string Stdout, string Stderr) Process(ProcessStartInfo start, string? stdin)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        Assert.That(process.WaitForExit(120_000), Is.True, "the process did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
