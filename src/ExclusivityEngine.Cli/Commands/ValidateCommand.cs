using System.CommandLine;
using ExclusivityEngine.Loading;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>validate</c>: every problem of the rule set at once, each with file, line and clause; exit 2 if any.</summary>
public static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var format = CommonOptions.Format("text", "json");
        var command = new Command("validate", "check the rule set and report every problem it finds") { format };
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
                throw new UsageException(e.Message);
            }
            var problems = Engine.Validate(files);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("rules", files.Origin);
                    w.WriteString("ruleSet", files.Hash());
                    w.WriteBoolean("valid", problems.Count == 0);
                    w.WriteStartArray("problems");
                    foreach (var p in problems)
                    {
                        w.WriteStartObject();
                        w.WriteString("code", p.Code);
                        w.WriteString("message", p.Message);
                        w.WriteString("file", p.Location?.File);
                        w.WriteNumber("line", p.Location?.Line ?? 0);
                        w.WriteNumber("column", p.Location?.Column ?? 0);
                        w.WriteString("clause", p.Clause);
                        w.WriteString("field", p.Field);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            }
            else if (problems.Count == 0)
            {
                io.Write($"{files.Origin}: the rule set is valid ({files.Hash()})\n");
            }
            else
            {
                foreach (var p in problems)
                {
                    io.Stderr.WriteLine($"{p} [{p.Code}]");
                }
                io.Stderr.WriteLine($"{problems.Count} problem(s) in {files.Origin}");
            }
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command;
    }
}
