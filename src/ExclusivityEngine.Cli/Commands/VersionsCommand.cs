using System.CommandLine;
using System.Globalization;
using System.Text;
using ExclusivityEngine.Explanation;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>versions</c>: the versions table, with tracks, effective dates and readings.</summary>
public static class VersionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var format = CommonOptions.Format("text", "json");
        var command = new Command("versions", "which agreement versions the rule set knows: tracks, effective dates, readings, and the rule set's hash") { format };
        command.SetAction(parsed =>
        {
            var rules = CommonOptions.LoadEngine(parsed).Rules;
            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => VersionsJson.Write(w, rules));
                return ExitCodes.Ok;
            }
            var text = new StringBuilder();
            var width = rules.Rows.Max(r => r.Id.Length);
            text.Append(CultureInfo.InvariantCulture, $"{"version".PadRight(width)}  {"track",-9}  {"effective",-10}  title\n");
            foreach (var v in rules.Versions)
            {
                text.Append(CultureInfo.InvariantCulture, $"{v.Id.PadRight(width)}  {v.Track,-9}  {v.Effective:yyyy-MM-dd}  {v.Title} ({v.Clauses.Count} clauses)\n");
                foreach (var r in v.Readings)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{($"{v.Id}@{r.Id}").PadRight(width)}  {"",-9}  {"",-10}  reading: {r.Title} (+{r.Clauses.Count} clauses)\n");
                }
            }
            text.Append(CultureInfo.InvariantCulture, $"\nrule set {rules.Hash}\n");
            io.Write(text.ToString());
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            ["exclusivity versions", "exclusivity versions --format json", "exclusivity versions --rules rules"],
            CommandHelp.AnsweredExit,
            CommandHelp.UsageExit);
    }
}
