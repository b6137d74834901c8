using System.CommandLine;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Validation;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>validate</c>: every problem of the rule set at once, each with file, line and clause; exit 2 if any.</summary>
public static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var format = CommonOptions.Format("text", "json");
        var command = new Command("validate", "can this rule set be used? Every problem of it at once, each with file, line and clause") { format };
        command.SetAction(parsed =>
        {
            var directory = parsed.GetValue(CommonOptions.Rules);
            RuleFiles files;
            try
            {
                files = directory is null ? RuleFiles.Embedded() : RuleFiles.FromDirectory(directory);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or UnreadableFileException)
            {
                if (parsed.GetValue(format) == "json")
                {
                    // A program that asked for JSON gets it here too, with the problem the service's reload reports.
                    var file = (e as UnreadableFileException)?.FilePath ?? directory!;
                    io.WriteJson(w => ValidationJson.Write(w, directory!, null, [new Model.Diagnostic("unreadable-rule-files", e.Message, new Model.SourceLocation(file, 0, 0))]));
                }
                throw new UsageException($"--rules: {e.Message}");
            }
            var problems = Engine.Validate(files);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => ValidationJson.Write(w, files.Origin, files.Hash(), problems));
            }
            else if (problems.Count == 0)
            {
                io.Write($"{Scenarios.Quote.Escaped(files.Origin)}: the rule set is valid ({files.Hash()})\n");
            }
            else
            {
                WriteProblems(io.Stderr, files, problems);
            }
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command.WithHelp(
            ["exclusivity validate --rules rules", "exclusivity validate --rules my-rules --format json"],
            "0  the rule set is valid",
            "2  it has problems (each listed), or bad usage");
    }

    /// <summary>The problems as text, one line each with its place and code, then their count.</summary>
    internal static void WriteProblems(TextWriter stderr, RuleFiles files, IReadOnlyList<Model.Diagnostic> problems)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine($"{p} [{p.Code}]");
        }
        stderr.WriteLine($"{problems.Count} problem(s) in {Scenarios.Quote.Escaped(files.Origin)}");
    }
}
