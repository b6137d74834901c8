using System.Diagnostics;
using ExclusivityEngine.Scenarios;
using Spectre.Console;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>A live status line on a terminal's stderr while a batch runs: lines done, lines per second, errors so far.</summary>
internal static class BatchProgress
{
    public static BatchCounts Run(TextWriter stderr, Func<IProgress<BatchCounts>, Task<BatchCounts>> run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        var clock = Stopwatch.StartNew();
        return console.Status().Spinner(Spinner.Known.Dots).Start("starting", context =>
        {
            var last = TimeSpan.Zero;
            var progress = new Progress<BatchCounts>(counts =>
            {
                // Redraw at most four times a second; the batch reports after every block.
                if (clock.Elapsed - last < TimeSpan.FromMilliseconds(250))
                {
                    return;
                }
                last = clock.Elapsed;
                var rate = counts.Lines / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                context.Status($"{counts.Lines:N0} lines, {rate:N0} lines/s, {counts.Rejected:N0} rejected");
            });
            return run(progress).GetAwaiter().GetResult();
        });
    }
}
