using System.CommandLine;
using System.Globalization;
using ExclusivityEngine.Questions;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>diff A B</c>: every region of scenarios where two versions or readings give different permissions.</summary>
public static class DiffCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var a = new Argument<string>("A") { Description = "a version or reading (version@reading)", HelpName = "A" };
        var b = new Argument<string>("B") { Description = "another version or reading", HelpName = "B" };
        var product = new Option<string?>("--product") { Description = "only this catalogue product [default: every one]" };
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 1 when A and B differ anywhere, 0 when they do not (as git diff --exit-code)" };
        a.CompletionSources.Add(RuleSetIds.RowCompletions);
        b.CompletionSources.Add(RuleSetIds.RowCompletions);
        var (from, to) = (DateOption("--from", "2019-01-01"), DateOption("--to", "2035-12-31"));
        var format = CommonOptions.Format("text", "json");
        var command = new Command("diff", "what did the amendment change? Every region of scenarios (product, cloud, dates, facts that matter) where A and B give different permissions") { a, b, product, from, to, format, exitCode };
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var rows = engine.Rules.RowsById;
            var known = string.Join(", ", engine.Rules.Rows.Select(r => r.Id));
            var rowA = rows.GetValueOrDefault(parsed.GetValue(a)!) ?? throw new UsageException($"A: `{Scenarios.Quote.Short(parsed.GetValue(a))}` is not a version or reading ({known})");
            var rowB = rows.GetValueOrDefault(parsed.GetValue(b)!) ?? throw new UsageException($"B: `{Scenarios.Quote.Short(parsed.GetValue(b))}` is not a version or reading ({known})");
            Model.Product? only = null;
            if (parsed.GetValue(product) is { } id && !engine.Rules.Catalogue.ProductsById.TryGetValue(id, out only))
            {
                throw new UsageException($"--product: `{Scenarios.Quote.Short(id)}` is not a catalogue product ({string.Join(", ", engine.Rules.Catalogue.Products.Select(p => p.Id))})");
            }
            var (start, end) = Range(parsed, from, to);
            var diff = VersionDiff.Compare(engine, rowA, rowB, start, end, only);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => QuestionsJson.Write(w, diff, engine.Rules.Hash));
            }
            else
            {
                io.Write(QuestionsText.Render(diff));
            }
            return parsed.GetValue(exitCode) && diff.Regions.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity diff msft-openai-2025-10 msft-openai-2026-04 --product openai-api",
                "exclusivity diff msft-openai-2025-10 msft-openai-2025-10@microsoft-2026-02 --format json",
                "exclusivity diff aws-openai-2025-11 aws-openai-2026-02 --exit-code > /dev/null || echo changed",
            ],
            "0  answered (with --exit-code: A and B give the same permissions everywhere)",
            "1  with --exit-code: A and B differ somewhere",
            CommandHelp.UsageExit);
    }

    /// <summary>A <c>--from</c>/<c>--to</c> option with the interface's default.</summary>
    internal static Option<string> DateOption(string name, string fallback) =>
        new(name) { Description = $"{(name == "--from" ? "first" : "last")} date of the range, yyyy-mm-dd", DefaultValueFactory = _ => fallback, HelpName = "DATE" };

    /// <summary>The range given by <c>--from</c> and <c>--to</c>, checked.</summary>
    internal static (DateOnly From, DateOnly To) Range(ParseResult parsed, Option<string> from, Option<string> to)
    {
        var start = Date(from.Name, parsed.GetValue(from)!);
        var end = Date(to.Name, parsed.GetValue(to)!);
        return start <= end ? (start, end) : throw new UsageException($"--from ({start:yyyy-MM-dd}) is after --to ({end:yyyy-MM-dd})");
    }

    private static DateOnly Date(string option, string text) =>
        text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option}: `{Scenarios.Quote.Short(text)}` is not a calendar date written yyyy-mm-dd (invalid-date)");
}
