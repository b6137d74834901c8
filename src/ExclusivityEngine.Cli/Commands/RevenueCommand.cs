using System.CommandLine;
using System.Globalization;
using System.Text;
using ExclusivityEngine.Revenue;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>revenue</c>: what OpenAI owes Microsoft, period by period; bad input is refused whole (exit 2).</summary>
public static class RevenueCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var input = new Option<string>("--input") { Description = "periods: JSON Lines, or CSV for a .csv file (- for JSON Lines on stdin)", Required = true, HelpName = "FILE|-" };
        var rate = new Option<string>("--rate") { Description = "the revenue share, a decimal in [0, 1]", Required = true, HelpName = "R" };
        var cap = new Option<string?>("--cap") { Description = "the cap on what capped clauses oblige, a non-negative decimal [default: no cap]", HelpName = "AMOUNT" };
        var agiDeclared = new Option<string?>("--agi-declared") { Description = "date AGI was declared [default: never]", HelpName = "DATE" };
        var agiVerified = new Option<string?>("--agi-verified") { Description = "date the declaration was verified [default: never]", HelpName = "DATE" };
        var format = CommonOptions.Format("text", "json", "csv");
        var command = new Command("revenue", "what revenue share does OpenAI owe Microsoft, period by period, under the version in force on each period's last day?")
        {
            input, rate, cap, agiDeclared, agiVerified, format,
        };
        command.SetAction(parsed =>
        {
            var terms = new RevenueTerms(
                Amount(parsed.GetValue(rate)!, "--rate"),
                parsed.GetValue(cap) is { } capText ? Amount(capText, "--cap") : null,
                Date(parsed.GetValue(agiDeclared), "--agi-declared"),
                Date(parsed.GetValue(agiVerified), "--agi-verified"));
            if (terms.Check() is { } termsError)
            {
                throw new UsageException($"{OptionFor(termsError.Field)}: {termsError.Message}");
            }

            var engine = CommonOptions.LoadEngine(parsed);
            var path = parsed.GetValue(input)!;
            var csv = path != "-" && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            IReadOnlyList<RevenuePeriod>? periods;
            RevenueError? error;
            using (var source = Io.OpenInput(path))
            {
                periods = RevenueInput.Read(source, csv, out error);
            }
            var name = path == "-" ? "stdin" : path;
            if (periods is null)
            {
                throw new UsageException($"{name}: {error}");
            }
            var schedule = RevenueSchedule.Compute(engine, terms, periods, out error)
                ?? throw new UsageException(error!.Line > 0 ? $"{name}: {error}" : error.ToString());

            switch (parsed.GetValue(format))
            {
                case "json":
                    RevenueScheduleWriter.WriteJson(io.Stdout, schedule);
                    break;
                case "csv":
                    using (var writer = new StreamWriter(io.Stdout, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                    {
                        RevenueScheduleWriter.WriteCsv(writer, schedule);
                    }
                    io.Stderr.WriteLine($"revenue: {schedule.Periods.Count} period(s), total owed {MoneyText.Format(schedule.Total)}; rule set {engine.Rules.Hash}");
                    break;
                default:
                    using (var writer = new StreamWriter(io.Stdout, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                    {
                        RevenueScheduleWriter.WriteText(writer, schedule);
                    }
                    break;
            }
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity revenue --input periods.jsonl --rate 0.2",
                "exclusivity revenue --input periods.csv --rate 0.2 --cap 1000 --agi-declared 2027-01-01 --format csv",
            ],
            CommandHelp.AnsweredExit,
            "2  bad usage, or input refused as a whole (a malformed line, a negative amount, periods out of order)");
    }

    private static decimal Amount(string text, string option) =>
        RevenueInput.TryAmount(text, option, out var value, out var error) ? value : throw new UsageException($"{option}: {error!.Message}");

    private static DateOnly? Date(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new UsageException($"{option}: `{Scenarios.Quote.Short(text)}` is not a date `yyyy-mm-dd`");

    private static string OptionFor(string? field) => field switch
    {
        RevenueFields.Rate => "--rate",
        RevenueFields.Cap => "--cap",
        RevenueFields.AgiDeclaredOn => "--agi-declared",
        RevenueFields.AgiVerifiedOn => "--agi-verified",
        _ => "--" + field,
    };
}
