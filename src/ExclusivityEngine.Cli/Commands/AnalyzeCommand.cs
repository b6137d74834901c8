using System.CommandLine;
using ExclusivityEngine.Questions;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>analyze</c>: dead and always-overridden clauses, blocked products and disputed verdicts over the whole rule set.</summary>
public static class AnalyzeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var (from, to) = (DiffCommand.DateOption("--from", "2019-01-01"), DiffCommand.DateOption("--to", "2035-12-31"));
        var format = CommonOptions.Format("text", "json");
        var command = new Command("analyze", "findings about the whole rule set: dead clauses, clauses always overridden, blocked products, disputed verdicts") { from, to, format };
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var (start, end) = DiffCommand.Range(parsed, from, to);
            var analysis = RuleSetAnalysis.Run(engine, start, end);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => QuestionsJson.Write(w, analysis, engine.Rules.Hash));
            }
            else
            {
                io.Write(QuestionsText.Render(analysis));
            }
            // Exit 0 whatever it found: the findings are the answer, not a failure.
            return ExitCodes.Ok;
        });
        return command;
    }
}
