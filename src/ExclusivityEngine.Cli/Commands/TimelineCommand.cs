using System.CommandLine;
using System.Globalization;
using System.Text;
using ExclusivityEngine.Timeline;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>timeline</c>: a product's combined verdicts on every cloud and day of a range, as maximal periods.</summary>
public static class TimelineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var product = new Option<string>("--product") { Description = "a catalogue product id (openai-api, frontier, … as rules/catalogue.json lists them), or an inline product as a JSON object", Required = true };
        var from = new Option<string?>("--from") { Description = "first day, yyyy-mm-dd [default: 2019-01-01]", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "last day, inclusive, yyyy-mm-dd [default: 2035-12-31]", HelpName = "DATE" };
        var html = new Option<string?>("--html") { Description = "also write a self-contained HTML page with the timeline drawn (- for stdout, instead of the table)", HelpName = "FILE" };
        var facts = new FactOptions();
        var format = CommonOptions.Format("text", "json");
        var command = new Command("timeline", "when may the product be sold through each cloud? Its combined verdict on every cloud and day of a range, as the periods over which none changes") { product, from, to, format, html };
        facts.AddTo(command);
        command.SetAction(parsed =>
        {
            var first = Day(parsed.GetValue(from), "--from", TimelineBuilder.DefaultFrom);
            var last = Day(parsed.GetValue(to), "--to", TimelineBuilder.DefaultTo);
            if (first > last)
            {
                throw new UsageException($"--from ({Text(first)}) is after --to ({Text(last)}): the range must hold at least one day");
            }
            var engine = CommonOptions.LoadEngine(parsed);
            // The cloud and date are placeholders: the timeline takes every cloud and every day of the range.
            var input = EvaluateCommand.ReadScenario(parsed.GetValue(product)!, engine.Rules.Catalogue.Clouds[0].Id, Text(first));
            facts.Fill(parsed, input);
            var scenario = input.Resolve(engine.Rules.Catalogue, out var error)
                ?? throw new UsageException($"{FactOptions.OptionFor(error!.Field)}: {error.Message} ({error.Code})");
            var timeline = engine.Timeline(scenario, first, last);

            var page = parsed.GetValue(html);
            if (page is not null)
            {
                if (OutputFile.WriteAll(page, io.Stdout, stream => stream.Write(Encoding.UTF8.GetBytes(TimelineHtml.Render(timeline, engine.Rules.Hash)))))
                {
                    return ExitCodes.Ok;
                }
            }
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => TimelineJson.Write(w, timeline, engine.Rules.Hash));
            }
            else
            {
                io.Write(TimelineText.Render(timeline, engine.Rules.Hash));
            }
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity timeline --product frontier --from 2025-09-01 --to 2026-12-31",
                "exclusivity timeline --product stateful-runtime --microsoft-declined false --format json",
                "exclusivity timeline --product frontier --html frontier.html",
            ],
            CommandHelp.AnsweredExit,
            CommandHelp.UsageExit);
    }

    private static DateOnly Day(string? text, string option, DateOnly fallback)
    {
        if (text is null)
        {
            return fallback;
        }
        return text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"{option}: must be a calendar date written yyyy-mm-dd, not `{Scenarios.Quote.Short(text)}` (invalid-date)");
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
