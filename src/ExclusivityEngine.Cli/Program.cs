using System.CommandLine;
using ExclusivityEngine.Cli;
using ExclusivityEngine.Cli.Commands;
using ExclusivityEngine.Model;

// Before anything else opens a descriptor: which standard streams did the caller close?
StandardStreams.Inspect();
using var cleanup = PartialOutputs.HandleSignals();

// Nearly every command loads the rule set: let the expression parser and NRules set themselves up, and load the
// embedded rule set when it is the one asked for, while the command line is being parsed.
ExclusivityEngine.Engine.Prepare();
if (Cli.LoadsTheEmbeddedRuleSet(args))
{
    _ = Task.Run(ExclusivityEngine.Engine.LoadEmbedded);
}

using var stdout = StandardOutput.Open(closed: StandardStreams.OutputClosed);
return Cli.Run(args, stdout, StandardStreams.Error);

namespace ExclusivityEngine.Cli
{
    /// <summary>The command line: one file per command under Commands/, each a thin shell over the library.</summary>
    public static class Cli
    {
        private static readonly HashSet<string> EngineCommands =
            ["evaluate", "batch", "test", "timeline", "why-not", "diff", "analyze", "revenue", "versions", "serve"];

        /// <summary>Whether the command will load the embedded rule set (an engine command without <c>--rules</c>).</summary>
        public static bool LoadsTheEmbeddedRuleSet(string[] args) =>
            args.Length > 0 && EngineCommands.Contains(args[0]) && !args.Any(a => a.StartsWith("--rules", StringComparison.Ordinal) || a is "-h" or "--help" or "-?");

        /// <summary>Parses and runs; returns the exit code (0 success, 1 failed test or rejected line, 2 bad usage or unusable input).</summary>
        public static int Run(string[] args, Stream stdout, TextWriter stderr) => Invoke(args, stdout, stderr, Build(new Io(stdout, stderr)));

        /// <summary>The command tree, every command writing to <paramref name="io"/>.</summary>
        internal static RootCommand Build(Io io)
        {
            var root = new RootCommand("ExclusivityEngine: may an OpenAI product be hosted on, or sold through, a cloud on a date, under each version of the agreements, and why.");
            root.Options.Add(CommonOptions.Rules);
            foreach (var command in new[]
            {
                EvaluateCommand.Create(io),
                BatchCommand.Create(io),
                VersionsCommand.Create(io),
                ValidateCommand.Create(io),
                RevenueCommand.Create(io),
                TestCommand.Create(io),
                SchemaCommand.Create(io),
                WhyNotCommand.Create(io), DiffCommand.Create(io), AnalyzeCommand.Create(io), ImpactCommand.Create(io),
                TimelineCommand.Create(io),
                ServeCommand.Create(io),
                CompletionCommand.Create(io), CompletionCommand.CreateComplete(io),
            })
            {
                root.Subcommands.Add(command);
            }
            root.WithHelp(
                [
                    "exclusivity evaluate --product frontier --cloud aws --date 2026-03-15",
                    "exclusivity batch --input scenarios.jsonl --output verdicts.jsonl",
                    "exclusivity test tests/scenarios --coverage",
                ],
                "0  success",
                "1  some scenario test failed, some batch line was rejected, or (with --exit-code) diff or analyze found something",
                CommandHelp.UsageExit);
            CommandHelp.Install(root);
            CompletionCommand.AddRuleSetCompletions(root);
            return root;
        }

        private static int Invoke(string[] args, Stream stdout, TextWriter stderr, RootCommand root)
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // One sentence for one mistake (a misspelt option, not the three errors it cascades into).
                stderr.WriteLine($"error: {UsageErrors.Describe(parsed)}");
                return ExitCodes.Usage;
            }
            // Help and System.CommandLine's own messages are the only text that goes through this writer.
            var help = new StreamWriter(stdout, leaveOpen: true);
            try
            {
                return parsed.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (Unwrap(e) is ClauseEvaluationException clause)
            {
                stderr.WriteLine($"error: the rule set could not be evaluated: {clause.Message}");
                return ExitCodes.Usage;
            }
            catch (IOException e) when (OutputFile.IsBrokenPipe(e))
            {
                // The reader went away (`| head`): what it wanted was written.
                return ExitCodes.Ok;
            }
            catch (IOException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            finally
            {
                try
                {
                    help.Flush();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // stdout is gone (a closed pipe); what the command had to say was already written or reported.
                }
            }
        }

        /// <summary>The first exception that is not a wrapper of tasks or type initialisers.</summary>
        private static Exception Unwrap(Exception e) => e switch
        {
            AggregateException { InnerException: { } inner } => Unwrap(inner),
            TypeInitializationException { InnerException: { } inner } => Unwrap(inner),
            _ => e,
        };
    }
}
