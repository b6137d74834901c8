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
}
