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
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 1 when a clause is dead or a product is blocked or disputed somewhere, 0 when none is (for CI pipelines)" };
        var command = new Command("analyze", "can the agreements in force all be kept? Findings about the whole rule set: dead clauses, clauses always overridden, blocked products, disputed verdicts") { from, to, format, exitCode };
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
            // Exit 0 whatever it found (the findings are the answer, not a failure), unless a pipeline asks otherwise.
            var found = analysis.Dead.Count > 0 || analysis.Blocked.Count > 0 || analysis.Disputed.Count > 0;
            return parsed.GetValue(exitCode) && found ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity analyze",
                "exclusivity analyze --from 2026-01-01 --to 2027-12-31 --format json",
                "exclusivity analyze --rules rules --exit-code   # fails a pipeline on a dead clause or a blocked or disputed product",
            ],
            "0  answered (with --exit-code: no dead clause, no blocked or disputed product)",
            "1  with --exit-code: some dead clause, or some blocked or disputed product",
            CommandHelp.UsageExit);
    }
}
