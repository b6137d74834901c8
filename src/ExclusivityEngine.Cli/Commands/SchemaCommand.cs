using System.CommandLine;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>schema test|rules</c>: prints the JSON Schema shipped for scenario test files or rule files, for editors.</summary>
public static class SchemaCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var which = new Argument<string>("KIND") { Description = "test (scenario test files) or rules (rule files)" };
        which.AcceptOnlyFromAmong([.. JsonSchemas.Names]);
        var command = new Command("schema", "the JSON Schema of scenario test files or rule files, for editors' completion and checking") { which };
        command.SetAction(parsed =>
        {
            var text = JsonSchemas.Text(parsed.GetValue(which)!);
            io.Write(text.EndsWith('\n') ? text : text + "\n");
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            ["exclusivity schema test > scenario-test.schema.json", "exclusivity schema rules"],
            "0  the schema was printed",
            CommandHelp.UsageExit);
    }
}
