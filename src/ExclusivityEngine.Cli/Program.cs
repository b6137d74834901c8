using System.CommandLine;
using ExclusivityEngine.Cli;
using ExclusivityEngine.Cli.Commands;
using ExclusivityEngine.Model;

// Before anything else opens a descriptor: which standard streams did the caller close?
StandardStreams.Inspect();
if (args is ["serve", ..] or ["--rules", _, "serve", ..])
{
    Hangup.TakeBackIfIgnored(); // before PartialOutputs or the service ask the runtime for SIGHUP
}

// Most commands load the embedded rule set: on a thread of its own, while the command line is parsed. Only that one
// thread: more of them (warming the expression parser and NRules up beside it, as this did before) only contended for
// the runtime's type loader on two cores, for the same wall time and about 15% more CPU. The engine's Lazy keeps what
// the load threw for the command to report.
if (Cli.LoadsTheEmbeddedRuleSet(args))
{
    new Thread(() =>
    {
        try
        {
            ExclusivityEngine.Engine.LoadEmbedded();
        }
        catch (Exception)
        {
            // The command's own call gets the same exception from the Lazy and reports it.
        }
    })
    { IsBackground = true, Name = "rule-set load" }.Start();
}
using var cleanup = PartialOutputs.HandleSignals();
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
        public static int Run(string[] args, Stream stdout, TextWriter stderr)
        {
            // A batch stops when its reader leaves (a million lines nobody reads), and the service's decision log is
            // its own; every other command finishes, so that its exit code still says what it found.
            var output = CommandName(args) is "batch" or "serve" ? stdout : new OutputKeptGoingAfterReaderLeft(stdout);
            return Invoke(args, output, stderr, Build(new Io(output, stderr), args.Length > 0 ? args[0] : null));
        }

        /// <summary>
        /// How command lines are parsed: without response files, so that a word starting with <c>@</c> is that word (a
        /// test file named <c>@suite.json</c>), and the command named is the one that runs (found by an adversarial
        /// run: <c>@a.rsp</c> holding <c>batch …</c> ran a batch that did not stop when its reader left).
        /// </summary>
        internal static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

        /// <summary>The command's name: the first word that is not the global <c>--rules DIR</c>.</summary>
        internal static string? CommandName(string[] args)
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--rules")
                {
                    i++;
                }
                else if (!args[i].StartsWith("--rules=", StringComparison.Ordinal))
                {
                    return args[i];
                }
            }
            return null;
        }

        // Every command, by name, and how to build it. A command line that starts with one of these names is parsed by
        // a tree with only that command: building all of them cost a one-scenario `evaluate` about a tenth of its time.
        private static readonly (string Name, Func<Io, Command> Create)[] Commands =
        [
            ("evaluate", EvaluateCommand.Create),
            ("batch", BatchCommand.Create),
            ("versions", VersionsCommand.Create),
            ("validate", ValidateCommand.Create),
            ("revenue", RevenueCommand.Create),
            ("test", TestCommand.Create),
            ("schema", SchemaCommand.Create),
            ("why-not", WhyNotCommand.Create),
            ("diff", DiffCommand.Create),
            ("analyze", AnalyzeCommand.Create),
            ("impact", ImpactCommand.Create),
            ("timeline", TimelineCommand.Create),
            ("serve", ServeCommand.Create),
            ("completion", CompletionCommand.Create),
            ("complete", CompletionCommand.CreateComplete),
        ];

        /// <summary>
        /// The command tree, every command writing to <paramref name="io"/>; with <paramref name="first"/> (the command
        /// line's first word) naming a command other than <c>complete</c>, only that command is built.
        /// </summary>
        internal static RootCommand Build(Io io, string? first = null)
        {
            var root = new RootCommand("ExclusivityEngine: may an OpenAI product be hosted on, or sold through, a cloud on a date, under each version of the agreements, and why.");
            root.Options.Add(CommonOptions.Rules);
            var only = first is not "complete" && Commands.Any(c => c.Name == first);
            foreach (var (name, create) in Commands)
            {
                if (!only || name == first)
                {
                    root.Subcommands.Add(create(io));
                }
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
            var parsed = root.Parse(args, Parsing);
            // --help and --version clear the parse errors (`evaluate --help` needs no --product), but a word the command
            // does not know is still a mistake (`evaluate --help --bogus`), as it is for ls or grep.
            if (parsed.Errors.Count > 0 || parsed.UnmatchedTokens.Count > 0)
            {
                // One sentence for one mistake (a misspelt option, not the three errors it cascades into).
                Io.WriteError(stderr, UsageErrors.Describe(parsed));
                return ExitCodes.Usage;
            }
            if ((UsageErrors.OptionAsArgument(parsed) ?? UsageErrors.EmptyPath(parsed)) is { } problem)
            {
                Io.WriteError(stderr, problem);
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
                Io.WriteError(stderr, e.Message, e.Details);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (Unwrap(e) is ClauseEvaluationException clause)
            {
                Io.WriteError(stderr, $"the rule set could not be evaluated: {clause.Message}");
                return ExitCodes.Usage;
            }
            catch (IOException e) when (OutputFile.IsBrokenPipe(e))
            {
                // The reader went away (`| head`): what it wanted was written.
                return ExitCodes.Ok;
            }
            catch (IOException e)
            {
                Io.WriteError(stderr, e is StandardOutputException ? $"cannot write standard output: {e.Message}" : e.Message);
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
