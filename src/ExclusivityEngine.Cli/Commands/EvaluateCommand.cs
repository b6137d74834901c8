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
        var product = new Option<string>("--product") { Description = "catalogue product id, or an inline product as a JSON object", Required = true };
        var cloud = new Option<string>("--cloud") { Description = "azure, aws, google-cloud, oracle, openai or other", Required = true };
        var date = new Option<string>("--date") { Description = "the date, yyyy-mm-dd", Required = true, HelpName = "DATE" };
        var facts = new FactOptions();
        var format = CommonOptions.Format("text", "json");
        var command = new Command("evaluate", "evaluate one scenario under every agreement version and reading") { product, cloud, date, format };
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
        return command;
    }

    /// <summary>A catalogue id, or an inline product written as a JSON object.</summary>
    internal static ScenarioInput ReadScenario(string product, string cloud, string date)
    {
        var input = new ScenarioInput { Cloud = cloud, Date = date };
        if (product.TrimStart().StartsWith('{'))
        {
            input.InlineProduct = ScenarioJson.ReadInlineProduct(product)
                ?? throw new UsageException("--product: the inline product is not a JSON object (invalid-product)");
        }
        else
        {
            input.Product = product;
        }
        return input;
    }
}
