using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// What a command's <c>--help</c> adds after System.CommandLine's description, usage and options: a few examples
/// to copy and the exit codes it can end with.
/// </summary>
public static class CommandHelp
{
    private static readonly ConditionalWeakTable<Command, Entry> Entries = [];

    /// <summary>Exit 2, as every command can end: said the same way everywhere.</summary>
    public const string UsageExit = "2  bad usage (a misspelt option, a wrong value), or a file or rule set that cannot be used";

    /// <summary>Exit 0 of a command that answers a question.</summary>
    public const string AnsweredExit = "0  answered";

    /// <summary>Attaches examples (each a command line, optionally followed by <c>  # what it does</c>) and exit codes.</summary>
    public static TCommand WithHelp<TCommand>(this TCommand command, IReadOnlyList<string> examples, params string[] exitCodes)
        where TCommand : Command
    {
        Entries.AddOrUpdate(command, new Entry(examples, exitCodes));
        return command;
    }

    /// <summary>The examples attached to <paramref name="command"/>, if any.</summary>
    public static IReadOnlyList<string> ExamplesOf(Command command) => Entries.TryGetValue(command, out var entry) ? entry.Examples : [];

    /// <summary>The exit codes attached to <paramref name="command"/>, if any.</summary>
    public static IReadOnlyList<string> ExitCodesOf(Command command) => Entries.TryGetValue(command, out var entry) ? entry.ExitCodes : [];

    /// <summary>Makes every <c>--help</c> under <paramref name="root"/> end with the command's examples and exit codes.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
        {
            help.Action = new TeachingHelpAction(standard);
        }
    }

    /// <summary>Writes the examples and exit codes of <paramref name="command"/> (after its standard help).</summary>
    public static void WriteSections(Command command, TextWriter output)
    {
        Section(output, "Examples:", ExamplesOf(command));
        Section(output, "Exit codes:", ExitCodesOf(command));
    }

    private static void Section(TextWriter output, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }
        output.WriteLine(title);
        foreach (var line in lines)
        {
            output.WriteLine($"  {line}");
        }
        output.WriteLine();
    }

    /// <summary>System.CommandLine's help, then the examples and exit codes.</summary>
    private sealed class TeachingHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            WriteSections(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
            return code;
        }
    }

    private sealed record Entry(IReadOnlyList<string> Examples, IReadOnlyList<string> ExitCodes);
}
