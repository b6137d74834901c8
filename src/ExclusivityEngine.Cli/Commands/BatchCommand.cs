using System.CommandLine;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>batch</c>: JSON Lines or CSV in, one assessment (or error) per non-blank line or record out, in order.</summary>
public static class BatchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var input = new Option<string>("--input") { Description = "scenarios, one JSON object per line, or CSV when FILE ends in .csv (- for stdin)", Required = true, HelpName = "FILE|-" };
        var inputFormat = new Option<string?>("--input-format") { Description = "jsonl or csv [default: csv for a .csv file, else jsonl]", HelpName = "jsonl|csv" };
        inputFormat.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<string>("--output") { Description = "where to write (- for stdout)", DefaultValueFactory = _ => "-", HelpName = "FILE|-" };
        var outputFormat = new Option<string?>("--output-format") { Description = "jsonl, or csv: the summary as CSV for spreadsheets [default: csv for an --output ending in .csv, else jsonl]", HelpName = "jsonl|csv" };
        outputFormat.AcceptOnlyFromAmong("jsonl", "csv");
        var detail = new Option<string>("--detail") { Description = "how much of each version's verdict a line carries", DefaultValueFactory = _ => "summary" };
        detail.AcceptOnlyFromAmong("summary", "versions", "full");
        var noCompile = new Option<bool>("--no-compile") { Description = "no memo: evaluate every line in an NRules session of its own (the reference path, about 30 times slower a line)" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress and no closing counts on stderr" };
        var command = new Command("batch", "the verdicts of many scenarios (JSON Lines or CSV), streamed: one answer per input line, in order, bad lines answered in place") { input, inputFormat, output, outputFormat, detail, noCompile, quiet };
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var inputPath = parsed.GetValue(input)!;
            var outputPath = parsed.GetValue(output)!;
            var csvOutput = FormatOf(outputPath, parsed.GetValue(outputFormat)) == BatchFormat.Csv;
            if (csvOutput && parsed.GetResult(detail) is { Implicit: false } && parsed.GetValue(detail) != "summary")
            {
                throw new UsageException($"--detail {parsed.GetValue(detail)}: CSV output is the summary (one column per version and reading); use --output-format jsonl for more");
            }
            var options = new BatchOptions
            {
                Format = FormatOf(inputPath, parsed.GetValue(inputFormat)),
                Output = csvOutput ? BatchOutput.Csv : BatchOutput.JsonLines,
                Detail = parsed.GetValue(detail) switch { "versions" => Detail.Versions, "full" => Detail.Full, _ => Detail.Summary },
                SessionPerScenario = parsed.GetValue(noCompile),
            };
            using var source = Io.OpenInput(inputPath);
            using var sink = OutputFile.Open(outputPath, io.Stdout);
            BatchCounts counts;
            try
            {
                var batch = new Batch(engine, options);
                // No progress over verdicts being written to the same terminal.
                counts = !parsed.GetValue(quiet) && io.StderrIsTerminal && !(sink.IsStdout ? io.StdoutIsTerminal : sink.IsTerminal)
                    ? BatchProgress.Run(io.Stderr, progress => batch.RunAsync(source, sink.Stream, progress))
                    : batch.RunAsync(source, sink.Stream).GetAwaiter().GetResult();
                sink.Commit();
            }
            catch (IOException e) when ((sink.IsStdout || sink.IsDescriptor) && OutputFile.IsBrokenPipe(e))
            {
                return ExitCodes.Ok;
            }
            catch (InvalidDataException e)
            {
                // Only a CSV header that cannot be used ends a batch: every record is answered in place.
                throw new UsageException($"`{inputPath}`: {e.Message}");
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot write {(sink.IsStdout ? "standard output" : $"`{outputPath}`")}: {OutputFile.Reason(e)}");
            }
            if (!parsed.GetValue(quiet))
            {
                io.Stderr.WriteLine($"batch: {counts.Lines} lines read, {counts.Assessed} assessed, {counts.Rejected} rejected; rule set {engine.Rules.Hash}");
            }
            return counts.Rejected > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity batch --input scenarios.jsonl --output verdicts.jsonl",
                "exclusivity batch --input - --output - --quiet < in.jsonl > out.jsonl   # a pure line filter",
                "exclusivity batch --input scenarios.jsonl --output summary.csv           # CSV for a spreadsheet",
            ],
            "0  every line was assessed",
            "1  some line was rejected (answered in place with its error; every other line is still written)",
            CommandHelp.UsageExit);
    }

    /// <summary>The explicit <c>--input-format</c> (<c>--output-format</c>), else CSV for a <c>.csv</c> file and JSON Lines for anything else (stdio included).</summary>
    private static BatchFormat FormatOf(string path, string? format) => format switch
    {
        "csv" => BatchFormat.Csv,
        "jsonl" => BatchFormat.JsonLines,
        _ => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? BatchFormat.Csv : BatchFormat.JsonLines,
    };
}
