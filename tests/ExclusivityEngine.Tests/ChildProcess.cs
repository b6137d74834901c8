using System.Diagnostics;

namespace ExclusivityEngine.Tests;

/// <summary>Runs a program to its end as a child process, with what it reads and what it writes.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>, writing <paramref name="stdin"/> (or nothing) to
    /// its standard input; fails the test (killing it) if it has not ended within <paramref name="timeout"/>.
    /// </summary>
    public static (int Exit, string Stdout, string Stderr) Run(string file, string? stdin, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not end within {timeout.TotalMinutes:0.#} minute(s)");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
