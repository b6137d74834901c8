using System.CommandLine;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Cli.Commands;

/// <summary><c>test PATH...</c>: runs scenario test files; exit 0 all passed, 1 some failed, 2 an unusable file or no scenario.</summary>
public static class TestCommand
{
    /// <summary>How a test file read from standard input is named in reports.</summary>
    public const string StdinName = "stdin";

    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "test files, folders whose every *.json (at any depth) is a test file, or - for one test file on stdin", Arity = ArgumentArity.OneOrMore };
        var filter = new Option<string?>("--filter") { Description = "run only the scenarios whose name contains TEXT (ignoring case)", HelpName = "TEXT" };
        var coverage = new Option<bool>("--coverage") { Description = "report, per version and reading, the clauses made decisive, only applied, never reached" };
        var junit = new Option<string?>("--junit") { Description = "also write the results as JUnit XML to FILE (- for stdout: the XML alone there, the report on stderr)", HelpName = "FILE|-" };
        var format = CommonOptions.Format("text", "json");
        var command = new Command("test", "do the verdicts still match what the legal team expects? Runs scenario test files: scenarios with their expected verdicts") { paths, filter, coverage, junit, format };
        command.SetAction(parsed =>
        {
            var junitPath = parsed.GetValue(junit);
            var json = parsed.GetValue(format) == "json";
            var junitOnStdout = junitPath is not null && OutputFile.IsStandardOutput(junitPath);
            if (junitOnStdout && json)
            {
                throw new UsageException("--junit - and --format json both want stdout: write one of them to a file");
            }
            var engine = CommonOptions.LoadEngine(parsed);
            var runner = new ScenarioTestRunner(engine);
            var (files, fromStdin) = Read(parsed.GetValue(paths)!, engine);
            // A test file read from stdin is the file open on descriptor 0.
            (ulong, ulong)? Identity(TestFile file) => ReferenceEquals(file, fromStdin) ? Loading.RegularFiles.Identity(null, 0) : Loading.RegularFiles.Identity(file.File);
            if (junitPath is not null && !junitOnStdout && Loading.RegularFiles.Identity(junitPath) is { } target
                && files.FirstOrDefault(f => Identity(f) == target) is { } suite)
            {
                // Found by adversarial runs: the results replaced the legal team's scenarios without a word, also through
                // a hard link, a linked folder on the way, or stdin redirected from the file.
                throw new UsageException($"--junit `{junitPath}` is the test file `{suite.File}`: the results would replace its scenarios; write them elsewhere");
            }
            var run = runner.Run(files, parsed.GetValue(filter));
            var withCoverage = parsed.GetValue(coverage);

            foreach (var problem in TestReportText.Problems(run))
            {
                Io.WriteError(io.Stderr, problem);
            }
            if (run.Unusable.Count > 0)
            {
                io.Stderr.WriteLine($"{run.Unusable.Count} file(s) could not be used: their scenarios were not run");
            }
            var nothingRan = run.Results.Count == 0 && run.Unusable.Count == 0
                ? parsed.GetValue(filter) is { } text ? $"no scenario's name contains `{Scenarios.Quote.Short(text)}`" : "no scenario found in the given paths"
                : null;
            if (nothingRan is not null)
            {
                io.Stderr.WriteLine($"error: {nothingRan}");
            }

            if (junitPath is not null)
            {
                OutputFile.WriteAll(junitPath, io.Stdout, stream => TestReportJUnit.Write(stream, run, nothingRan));
            }

            if (json)
            {
                io.WriteJson(w => TestReportJson.Write(w, run, withCoverage));
                // The run still ends with its `N passed, N failed` line (interface.md), on stderr so stdout stays JSON.
                io.Stderr.WriteLine(TestReportText.Summary(run));
            }
            else if (junitOnStdout)
            {
                // stdout holds the XML alone, for a pipe into a CI's reader; the report for people goes to stderr.
                io.Stderr.Write(TestReportText.Render(run, withCoverage));
                io.Stderr.Flush();
            }
            else
            {
                io.Write(TestReportText.Render(run, withCoverage));
            }
            return run.ExitCode;
        });
        return command.WithHelp(
            [
                "exclusivity test tests/scenarios",
                "exclusivity test my-suite/ --filter Frontier --coverage",
                "exclusivity test my-suite/ --junit - > results.xml         # JUnit XML for CI, report on stderr",
                "cat suite.json | exclusivity test -",
            ],
            "0  every scenario passed",
            "1  some scenario failed",
            "2  some file could not be used, no scenario ran (also when --filter matches none), or bad usage");
    }

    /// <summary>
    /// Reads the test files below <paramref name="paths"/> in the order given; <c>-</c> (or <c>/dev/stdin</c>) is one
    /// test file read from stdin (once), also returned on its own.
    /// </summary>
    private static (List<TestFile> Files, TestFile? FromStdin) Read(IReadOnlyList<string> paths, Engine engine)
    {
        var files = new List<TestFile>();
        var pending = new List<string>();
        var stdinRead = false;
        TestFile? fromStdin = null;
        void Flush()
        {
            files.AddRange(ScenarioTestRunner.ReadAll(pending, engine.Rules));
            pending.Clear();
        }
        foreach (var path in paths)
        {
            // /dev/stdin is stdin as a pipe, which a folder walk would refuse as a FIFO; it is read as - is.
            if (path != "-" && StandardStreams.DescriptorNamedBy(path) != 0)
            {
                pending.Add(path);
                continue;
            }
            Flush();
            if (!stdinRead)
            {
                stdinRead = true;
                using var stdin = Io.OpenInput("-");
                using var bytes = new MemoryStream();
                stdin.CopyTo(bytes);
                fromStdin = TestFileReader.Read(bytes.ToArray(), path == "-" ? StdinName : path, engine.Rules);
                files.Add(fromStdin);
            }
        }
        Flush();
        return (files, fromStdin);
    }
}
