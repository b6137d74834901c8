using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// Turns System.CommandLine's parse errors into one sentence, as a person would say it: a misspelt option or command
/// is named with the nearest correct spelling, a wrong value with the values allowed, missing options all at once;
/// and it points at the help of the command concerned. One mistake gives one error, not the cascade it causes (an
/// unknown option also leaves its value unmatched and a required option missing).
/// </summary>
public static class UsageErrors
{
    /// <summary>
    /// The sentence for a file or folder given as an empty string (<c>--rules ''</c>, a shell variable that was not
    /// set), or null: the file system calls refuse an empty path with an exception, not a usage error.
    /// </summary>
    public static string? EmptyPath(ParseResult parsed)
    {
        return Find(parsed.RootCommandResult);

        static string? Find(SymbolResult result)
        {
            var (name, helpName) = result switch
            {
                OptionResult option => (option.Option.Name, option.Option.HelpName),
                ArgumentResult { Parent: not OptionResult } argument => (argument.Argument.Name, argument.Argument.HelpName ?? argument.Argument.Name),
                _ => (null, null),
            };
            if (name is not null && IsPath(helpName) && result.Tokens.Any(t => t.Value.Length == 0))
            {
                return $"`{name}` needs a path, not an empty string (see `{CommandPath(OwnerOf(result))} --help`)";
            }
            var children = result is CommandResult command ? command.Children : [];
            return children.Select(Find).FirstOrDefault(found => found is not null);
        }

        static bool IsPath(string? helpName) =>
            helpName is not null && (helpName.Contains("FILE", StringComparison.Ordinal) || helpName.Contains("DIR", StringComparison.Ordinal) || helpName == "PATH");

        static CommandResult OwnerOf(SymbolResult result) => result as CommandResult ?? result.Parent as CommandResult ?? OwnerOf(result.Parent!);
    }

    /// <summary>
    /// The sentence for an option the command does not have that System.CommandLine took as one of the command's own
    /// arguments (<c>test --bogus suite/</c> ran the suite and then called <c>--bogus</c> a missing file; <c>diff
    /// --bogus a b</c> called <c>b</c> unexpected), or null. A word after <c>--</c> is an argument whatever it looks like.
    /// </summary>
    public static string? OptionAsArgument(ParseResult parsed)
    {
        var afterDoubleDash = parsed.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var result in parsed.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in result.Tokens)
            {
                if (LooksLikeAnOption(token.Value) && !afterDoubleDash.Contains(token))
                {
                    var command = parsed.CommandResult;
                    return Unmatched(token.Value, command.Command, CommandPath(command), $"(see `{CommandPath(command)} --help`)");
                }
            }
        }
        return null;

        // "-" alone is standard input; "-5" could be a value.
        static bool LooksLikeAnOption(string value) => value.Length > 1 && value[0] == '-' && (char.IsAsciiLetter(value[1]) || (value[1] == '-' && value.Length > 2));
    }

    /// <summary>The one sentence for a parse that failed (<see cref="ParseResult.Errors"/> not empty).</summary>
    public static string Describe(ParseResult parsed)
    {
        var commandResult = parsed.CommandResult;
        var command = commandResult.Command;
        var path = CommandPath(commandResult);
        var help = $"(see `{path} --help`)";

        if (OptionAsArgument(parsed) is { } unknownOption)
        {
            return unknownOption;
        }
        if (parsed.UnmatchedTokens.Count > 0)
        {
            return Unmatched(parsed.UnmatchedTokens[0], command, path, help);
        }

        foreach (var error in parsed.Errors)
        {
            var wrong = error.SymbolResult switch
            {
                OptionResult option => WrongValue(option.Option.Name, option.Option.GetCompletions(CompletionContext.Empty), option.Tokens),
                ArgumentResult { Parent: OptionResult option } => WrongValue(option.Option.Name, option.Option.GetCompletions(CompletionContext.Empty), option.Tokens),
                ArgumentResult argument => WrongValue($"{argument.Argument.Name}", argument.Argument.GetCompletions(CompletionContext.Empty), argument.Tokens),
                _ => null,
            };
            if (wrong is not null)
            {
                return $"{wrong} {help}";
            }
        }

        // An option written with no value, or twice: said of the option, not in System.CommandLine's words.
        foreach (var error in parsed.Errors)
        {
            var option = error.SymbolResult as OptionResult ?? (error.SymbolResult as ArgumentResult)?.Parent as OptionResult;
            if (option is null || option.Option.Arity.MaximumNumberOfValues == 0)
            {
                continue;
            }
            var name = option.Option.Name;
            if (option.Tokens.Count == 0 && option.IdentifierToken is not null)
            {
                var choices = option.Option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
                var what = choices.Count > 0 ? $"one of {string.Join(", ", choices)}" : option.Option.HelpName ?? "a value";
                return $"`{name}` needs a value ({what}) {help}";
            }
            if (option.Tokens.Count > option.Option.Arity.MaximumNumberOfValues)
            {
                var values = string.Join(", ", option.Tokens.Select(t => $"`{Scenarios.Quote.Short(t.Value)}`"));
                return $"`{name}` takes one value and was given {option.Tokens.Count} ({values}); give it once {help}";
            }
        }

        var missingOptions = command.Options.Where(o => o.Required && parsed.GetResult(o) is not { IdentifierToken: not null }).Select(o => $"`{o.Name}`").ToList();
        var missingArguments = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && (parsed.GetResult(a) is null || parsed.GetResult(a)!.Tokens.Count < a.Arity.MinimumNumberOfValues))
            .Select(a => $"`{a.Name}`").ToList();
        if (missingOptions.Count > 0 || missingArguments.Count > 0)
        {
            return $"`{path}` needs {Words.List([.. missingArguments, .. missingOptions])} {help}";
        }

        if (command is RootCommand && command.Subcommands.Count > 0 && commandResult.Tokens.Count == 0)
        {
            return $"no command given: {Words.List(Visible(command.Subcommands).Select(c => c.Name).ToList())} {help}";
        }

        // Anything else System.CommandLine found: its own words, on one line.
        return $"{OneLine(parsed.Errors[0].Message)} {help}";
    }

    private static string Unmatched(string token, Command command, string path, string help)
    {
        var visibleCommands = Visible(command.Subcommands).ToList();
        if (token.StartsWith('-') && token.Length > 1)
        {
            var name = token.Split('=', 2)[0];
            var nearest = Nearest(name, OptionNames(command));
            var guess = nearest is null ? "" : $"; did you mean `{nearest}`?";
            return $"`{path}` has no option `{name}`{guess} {help}";
        }
        if (visibleCommands.Count > 0 && command.Arguments.Count == 0)
        {
            var nearest = Nearest(token, visibleCommands.SelectMany(c => c.Aliases.Prepend(c.Name)));
            var guess = nearest is null ? $"; the commands are {Words.List(visibleCommands.Select(c => c.Name).ToList())}" : $"; did you mean `{nearest}`?";
            var where = command is RootCommand ? "there is no command" : $"`{path}` has no command";
            return $"{where} `{token}`{guess} {help}";
        }
        return $"`{path}` takes no further argument, so `{token}` is unexpected {help}";
    }

    /// <summary>For a value outside its choices: <c>`--format`: `xml` is not one of json, text</c>; null otherwise.</summary>
    private static string? WrongValue(string what, IEnumerable<CompletionItem> choices, IReadOnlyList<Token> tokens)
    {
        var allowed = choices.Select(c => c.Label).ToList();
        var value = allowed.Count == 0 ? null : tokens.Select(t => t.Value).FirstOrDefault(v => !allowed.Contains(v, StringComparer.Ordinal));
        if (value is null)
        {
            return null;
        }
        var nearest = Nearest(value, allowed);
        var guess = nearest is null ? "" : $"; did you mean `{nearest}`?";
        return $"`{what}`: `{value}` is not one of {string.Join(", ", allowed)}{guess}";
    }

    /// <summary>The options a command accepts: its own and those inherited from its parents (<c>--rules</c>, <c>--help</c>).</summary>
    internal static IEnumerable<string> OptionNames(Command command)
    {
        var names = new List<string>();
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            names.Add(option.Name);
            names.AddRange(option.Aliases);
        }
        foreach (var parent in Ancestors(command))
        {
            foreach (var option in parent.Options.Where(o => o.Recursive && !o.Hidden))
            {
                names.Add(option.Name);
                names.AddRange(option.Aliases);
            }
        }
        return names.Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }

    private static IEnumerable<Command> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden);

    /// <summary><c>exclusivity evaluate</c>: the command as typed to reach it.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Command is RootCommand ? "exclusivity" : c.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// The candidate nearest to what was typed, if it is near enough to be what was meant: within a third of its length
    /// in edits (a transposition counts as one), or one that starts with what was typed.
    /// </summary>
    internal static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        if (best is null)
        {
            return null;
        }
        var core = typed.TrimStart('-');
        if (bestDistance <= Math.Max(1, best.TrimStart('-').Length / 3))
        {
            return best;
        }
        var prefixed = candidates.Where(c => core.Length >= 2 && c.TrimStart('-').StartsWith(core, StringComparison.OrdinalIgnoreCase)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from <paramref name="a"/> to <paramref name="b"/>.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}

/// <summary>Lists in words.</summary>
internal static class Words
{
    /// <summary><c>a</c>, <c>a and b</c>, <c>a, b and c</c>.</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };
}
