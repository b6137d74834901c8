using System.CommandLine;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>batch</c>: JSON Lines in, one assessment (or error) per non-blank line out, in order.</summary>
public static class BatchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var input = new Option<string>("--input") { Description = "scenarios, one JSON object per line (- for stdin)", Required = true, HelpName = "FILE|-" };
        var output = new Option<string>("--output") { Description = "where to write (- for stdout, the default)", DefaultValueFactory = _ => "-", HelpName = "FILE|-" };
        var detail = new Option<string>("--detail") { Description = "summary (default), versions or full", DefaultValueFactory = _ => "summary" };
        detail.AcceptOnlyFromAmong("summary", "versions", "full");
        var noCompile = new Option<bool>("--no-compile") { Description = "evaluate every line with RulesEngine itself (the slow reference path)" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress and no closing counts on stderr" };
        var command = new Command("batch", "evaluate many scenarios, streamed, one output line per input line") { input, output, detail, noCompile, quiet };
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var options = new BatchOptions
            {
                Detail = parsed.GetValue(detail) switch { "versions" => Detail.Versions, "full" => Detail.Full, _ => Detail.Summary },
                UseRulesEngine = parsed.GetValue(noCompile),
            };
            var inputPath = parsed.GetValue(input)!;
            var outputPath = parsed.GetValue(output)!;
            using var source = OpenInput(inputPath);
            using var sink = OutputFile.Open(outputPath, io.Stdout);
            BatchCounts counts;
            try
            {
                var batch = new Batch(engine, options);
                counts = !parsed.GetValue(quiet) && io.StderrIsTerminal
                    ? BatchProgress.Run(io.Stderr, progress => batch.RunAsync(source, sink.Stream, progress))
                    : batch.RunAsync(source, sink.Stream).GetAwaiter().GetResult();
                sink.Commit();
            }
            catch (IOException e) when (sink.IsStdout && OutputFile.IsBrokenPipe(e))
            {
                return ExitCodes.Ok;
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot write `{outputPath}`: {e.Message}");
            }
            if (!parsed.GetValue(quiet))
            {
                io.Stderr.WriteLine($"batch: {counts.Lines} lines read, {counts.Assessed} assessed, {counts.Rejected} rejected; rule set {engine.Rules.Hash}");
            }
            return counts.Rejected > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static Stream OpenInput(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read `{path}`: {e.Message}");
        }
    }
}
