using System.CommandLine;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>why-not</c>: the minimal changes to a scenario's facts that would bring its verdict to at least <c>--want</c>.</summary>
public static class WhyNotCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var product = new Option<string>("--product") { Description = "a catalogue product id (openai-api, frontier, … as rules/catalogue.json lists them), or an inline product as a JSON object", Required = true };
        var cloud = new Option<string>("--cloud") { Description = "the cloud that hosts or sells it", Required = true };
        var date = new Option<string>("--date") { Description = "the date, yyyy-mm-dd", Required = true, HelpName = "DATE" };
        var want = new Option<string>("--want") { Description = "the verdict wanted: Permitted, or Conditional (not Prohibited)", DefaultValueFactory = _ => "Permitted" };
        want.AcceptOnlyFromAmong("Permitted", "Conditional");
        var facts = new FactOptions();
        var format = CommonOptions.Format("text", "json");
        var command = new Command("why-not", "what would have to be true? The minimal changes to a scenario's facts that would bring its combined verdict to at least --want") { product, cloud, date, want, format };
        facts.AddTo(command);
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var input = EvaluateCommand.ReadScenario(parsed.GetValue(product)!, parsed.GetValue(cloud)!, parsed.GetValue(date)!);
            facts.Fill(parsed, input);
            var scenario = input.Resolve(engine.Rules.Catalogue, out var error)
                ?? throw new UsageException($"{FactOptions.OptionFor(error!.Field)}: {error.Message} ({error.Code})");
            var target = parsed.GetValue(want) == "Conditional" ? Permission.Conditional : Permission.Permitted;
            var answer = WhyNot.Ask(engine, scenario, target);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => QuestionsJson.Write(w, answer, engine.Rules.Hash));
            }
            else
            {
                io.Write(QuestionsText.Render(answer));
            }
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity why-not --product frontier --cloud aws --date 2026-03-15",
                "exclusivity why-not --product stateful-runtime --cloud azure --date 2026-05-01 --want Conditional --format json",
            ],
            CommandHelp.AnsweredExit,
            CommandHelp.UsageExit);
    }
}
