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
            catch (DirectoryNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            var problems = Engine.Validate(files);
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => WriteReport(w, files, problems));
            }
            else if (problems.Count == 0)
            {
                io.Write($"{files.Origin}: the rule set is valid ({files.Hash()})\n");
            }
            else
            {
                WriteProblems(io.Stderr, files, problems);
            }
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Usage;
        });
        return command;
    }

    /// <summary>The problems as text, one line each with its place and code, then their count.</summary>
    internal static void WriteProblems(TextWriter stderr, RuleFiles files, IReadOnlyList<Model.Diagnostic> problems)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine($"{p} [{p.Code}]");
        }
        stderr.WriteLine($"{problems.Count} problem(s) in {files.Origin}");
    }

    /// <summary>The report of <c>validate --format json</c>: rules, hash, valid, and every problem with its place.</summary>
    internal static void WriteReport(System.Text.Json.Utf8JsonWriter w, RuleFiles files, IReadOnlyList<Model.Diagnostic> problems)
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
    }
}
