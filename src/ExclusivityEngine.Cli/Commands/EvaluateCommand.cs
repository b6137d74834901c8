using System.CommandLine;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>evaluate</c>: one scenario, as text for people or JSON for programs.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var product = new Option<string>("--product") { Description = "a catalogue product id (openai-api, frontier, … as rules/catalogue.json lists them), or an inline product as a JSON object", Required = true };
        var cloud = new Option<string>("--cloud") { Description = "the cloud that hosts or sells it", Required = true };
        var date = new Option<string>("--date") { Description = "the date, yyyy-mm-dd", Required = true, HelpName = "DATE" };
        var facts = new FactOptions();
        var format = CommonOptions.Format("text", "json");
        var command = new Command("evaluate", "may the product be hosted on, or sold through, the cloud on the date? One scenario under every agreement version and reading: the combined verdict and the clauses that decided it") { product, cloud, date, format };
        facts.AddTo(command);
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var input = ReadScenario(parsed.GetValue(product)!, parsed.GetValue(cloud)!, parsed.GetValue(date)!);
            facts.Fill(parsed, input);
            var scenario = input.Resolve(engine.Rules.Catalogue, out var error)
                ?? throw new UsageException($"{FactOptions.OptionFor(error!.Field)}: {error.Message} ({error.Code})");
            var assessment = engine.Evaluate(scenario);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => AssessmentJson.WriteEvaluation(w, assessment, engine.Rules.Hash));
            }
            else
            {
                io.Write(AssessmentText.Render(assessment, engine.Rules.Hash));
            }
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity evaluate --product frontier --cloud aws --date 2026-03-15",
                "exclusivity evaluate --product openai-api --cloud google-cloud --date 2026-05-01 --segment us-national-security",
                "exclusivity evaluate --product '{\"id\":\"my-agent\",\"interface\":\"agent-platform\",\"origin\":\"first-party\",\"offeredBy\":\"openai\"}' --cloud aws --date 2026-05-01 --format json",
            ],
            CommandHelp.AnsweredExit,
            CommandHelp.UsageExit);
    }

    /// <summary>A catalogue id, or an inline product written as a JSON object.</summary>
    internal static ScenarioInput ReadScenario(string product, string cloud, string date)
    {
        var input = new ScenarioInput { Cloud = cloud, Date = date };
        if (product.TrimStart().StartsWith('{'))
        {
            input.InlineProduct = ScenarioJson.ReadInlineProduct(product, out var why)
                ?? throw new UsageException($"--product: the inline product is not one JSON object: {why} (invalid-product)");
        }
        else
        {
            input.Product = product;
        }
        return input;
    }
}
