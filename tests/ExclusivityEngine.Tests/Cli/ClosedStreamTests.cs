using System.Diagnostics;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>
/// The real process with a standard stream closed by the caller (`&lt;&amp;-`, `2&gt;&amp;-`, `&gt;&amp;-`): a closed stdin is
/// an empty input, a closed stderr never changes the exit code, a closed stdout is one sentence and exit 2; never a hang
/// or an abort (134).
/// </summary>
public sealed class ClosedStreamTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "exclusivity.dll");

    private static (int Exit, string Stdout, string Stderr) Shell(string command)
    {
        var start = new ProcessStartInfo("sh", ["-c", $"exec dotnet \"{Cli}\" {command}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not end within a minute");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Input(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "exclusivity-closed-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Batch_StdinClosed_IsAnEmptyInput()
    {
        var (exit, stdout, stderr) = Shell("batch --input - <&-");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("batch: 0 lines read, 0 assessed, 0 rejected"));
    }

    [Test]
    public void Revenue_StdinClosed_IsAnEmptySchedule()
    {
        var (exit, stdout, stderr) = Shell("revenue --input - --rate 0.2 --format json <&-");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("\"periods\": []").And.Contain("\"total\": \"0\""));
    }

    [Test]
    public void Validate_StderrClosed_KeepsExit2()
    {
        var (exit, _, _) = Shell("validate --rules /nonexistent-rules 2>&-");

        Assert.That(exit, Is.EqualTo(2));
    }

    [Test]
    public void Batch_StderrClosedWithARejectedLine_WritesEveryLineAndExits1()
    {
        var input = Input("{\"id\":1,\"product\":\"chatgpt\",\"cloud\":\"azure\",\"date\":\"2026-03-15\"}\n{\"id\":2,\"product\":\"nope\",\"cloud\":\"azure\",\"date\":\"2026-03-15\"}\n");
        try
        {
            var (exit, stdout, _) = Shell($"batch --input {input} 2>&-");

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stdout.TrimEnd().Split('\n'), Has.Length.EqualTo(2));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public void Evaluate_StderrClosed_Exits0()
    {
        var (exit, stdout, _) = Shell("evaluate --product frontier --cloud aws --date 2026-03-15 --format json 2>&-");

        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Does.Contain("\"permission\": \"Prohibited\""));
    }

    [Test]
    public void Batch_StdinAndStderrClosed_NeitherHangsNorAborts()
    {
        var (exit, stdout, _) = Shell("batch --input - <&- 2>&-");

        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void Versions_StdoutClosed_OneSentenceExit2()
    {
        var (exit, _, stderr) = Shell("versions >&-");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: cannot write standard output: it was closed"));
    }
}
