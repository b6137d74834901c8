using System.CommandLine;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>test PATH...</c>: runs scenario test files; exit 0 all passed, 1 some failed, 2 an unusable file or no scenario.</summary>
public static class TestCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "test files, or folders whose every *.json (at any depth) is a test file", Arity = ArgumentArity.OneOrMore };
        var filter = new Option<string?>("--filter") { Description = "run only the scenarios whose name contains TEXT (ignoring case)", HelpName = "TEXT" };
        var coverage = new Option<bool>("--coverage") { Description = "report, per version and reading, the clauses made decisive, only applied, never reached" };
        var junit = new Option<string?>("--junit") { Description = "also write the results as JUnit XML to FILE", HelpName = "FILE" };
        var format = CommonOptions.Format("text", "json");
        var command = new Command("test", "run scenario test files: scenarios with the verdicts a legal team expects") { paths, filter, coverage, junit, format };
        command.SetAction(parsed =>
        {
            var engine = CommonOptions.LoadEngine(parsed);
            var run = new ScenarioTestRunner(engine).Run(parsed.GetValue(paths)!, parsed.GetValue(filter));
            var withCoverage = parsed.GetValue(coverage);

            foreach (var problem in TestReportText.Problems(run))
            {
                io.Stderr.WriteLine($"error: {problem}");
            }
            if (run.Unusable.Count > 0)
            {
                io.Stderr.WriteLine($"{run.Unusable.Count} file(s) could not be used: their scenarios were not run");
            }
            if (run.Results.Count == 0 && run.Unusable.Count == 0)
            {
                io.Stderr.WriteLine(parsed.GetValue(filter) is { } text
                    ? $"error: no scenario's name contains `{Scenarios.Quote.Short(text)}`"
                    : "error: no scenario found in the given paths");
            }

            if (parsed.GetValue(junit) is { } junitPath)
            {
                using var output = OutputFile.Open(junitPath, io.Stdout);
                TestReportJUnit.Write(output.Stream, run);
                output.Commit();
            }

            if (parsed.GetValue(format) == "json")
            {
                io.WriteJson(w => TestReportJson.Write(w, run, withCoverage));
            }
            else
            {
                io.Write(TestReportText.Render(run, withCoverage));
            }
            return run.ExitCode;
        });
        return command;
    }
}
