using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.Json;
using ExclusivityEngine.Loading;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh|fish|pwsh</c> prints a script to source; the script asks the hidden <c>complete</c> command
/// for the words that may follow what is typed: commands, options, option values (their choices) and the ids of the
/// rule set's products, clouds and versions (the one <c>--rules</c> names on the line, else the embedded one).
/// </summary>
public static class CompletionCommand
{
    /// <summary>The shells a script is written for.</summary>
    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh", "fish", "pwsh"];

    /// <summary>Builds the <c>completion</c> command.</summary>
    public static Command Create(Io io)
    {
        var shell = new Argument<string>("SHELL") { Description = "the shell to complete in" };
        shell.AcceptOnlyFromAmong([.. Shells]);
        var command = new Command("completion", "print a script that makes your shell complete exclusivity's commands, options, values and rule-set ids") { shell };
        command.SetAction(parsed =>
        {
            io.Write(Script(parsed.GetValue(shell)!));
            return ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "source <(exclusivity completion bash)                                 # bash, now (add it to ~/.bashrc to keep it)",
                "exclusivity completion zsh > \"${fpath[1]}/_exclusivity\"               # zsh, from the next shell on",
                "exclusivity completion fish > ~/.config/fish/completions/exclusivity.fish",
                "exclusivity completion pwsh | Out-String | Invoke-Expression          # PowerShell (add it to $PROFILE)",
            ],
            "0  the script was printed",
            CommandHelp.UsageExit);
    }

    /// <summary>Builds the hidden <c>complete -- WORD...</c> command the scripts call: the last word is the one being completed.</summary>
    public static Command CreateComplete(Io io)
    {
        var words = new Argument<string[]>("WORD") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("complete", "the words that may follow WORD... (used by the completion scripts)") { words };
        command.Hidden = true;
        command.SetAction(parsed =>
        {
            var root = (RootCommand)parsed.RootCommandResult.Command;
            var typed = parsed.GetValue(words) ?? [];
            io.Write(string.Concat(Complete(root, typed).Select(c => c + "\n")));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The completions of the last of <paramref name="words"/> (<c>""</c> for a new word), one per line, in order.</summary>
    public static IReadOnlyList<string> Complete(RootCommand root, IReadOnlyList<string> words)
    {
        var line = words.Count == 0 ? [""] : words.ToArray();
        var current = line[^1];
        var before = line[..^1];
        var prefix = root.Parse(before, Cli.Parsing);
        // After an option that takes a value, the word is that value: System.CommandLine, given words rather than a
        // line and a cursor, would complete the command's options instead.
        var items = before.Length > 0 && OptionNamed(prefix.CommandResult.Command, before[^1]) is { } option && TakesValue(option)
            ? option.GetCompletions(prefix.GetCompletionContext())
            : root.Parse(line, Cli.Parsing).GetCompletions();
        return [.. items
            .Select(c => c.InsertText ?? c.Label)
            .Where(c => c.StartsWith(current, StringComparison.OrdinalIgnoreCase) && !c.StartsWith('/') && c != "-?")
            .Distinct(StringComparer.Ordinal)];
    }

    private static Option? OptionNamed(Command command, string name)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            var option = c.Options.FirstOrDefault(o => (ReferenceEquals(c, command) || o.Recursive) && (o.Name == name || o.Aliases.Contains(name)));
            if (option is not null)
            {
                return option;
            }
        }
        return null;
    }

    private static bool TakesValue(Option option) => option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);

    /// <summary>Adds the rule set's ids as completions of <c>--product</c> and <c>--cloud</c>, on every command that has them.</summary>
    public static void AddRuleSetCompletions(Command command)
    {
        foreach (var option in command.Options)
        {
            var source = option.Name switch
            {
                "--product" => (Func<RuleSetIds, IEnumerable<string>>)(ids => ids.Products),
                "--cloud" => ids => ids.Clouds,
                _ => null,
            };
            if (source is not null)
            {
                option.CompletionSources.Add(context => source(RuleSetIds.Of(context)));
                // Help lists an option's completions as its value; the products are too many for that.
                if (option.Name == "--product")
                {
                    option.HelpName ??= "PRODUCT";
                }
            }
        }
        foreach (var subcommand in command.Subcommands)
        {
            AddRuleSetCompletions(subcommand);
        }
    }

    /// <summary>The script for <paramref name="shell"/>.</summary>
    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # bash completion for exclusivity. Load it with: source <(exclusivity completion bash)
            _exclusivity_complete()
            {
                local IFS=$'\n'
                local words=("${COMP_WORDS[@]:1:COMP_CWORD}")
                [ "${#words[@]}" -lt "$COMP_CWORD" ] && words+=("")
                COMPREPLY=($(exclusivity complete -- "${words[@]}" 2>/dev/null))
            }
            complete -o default -F _exclusivity_complete exclusivity

            """,
        "zsh" => """
            #compdef exclusivity
            # zsh completion for exclusivity. Load it with: source <(exclusivity completion zsh)
            _exclusivity() {
                local -a candidates
                candidates=("${(@f)$(exclusivity complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
                if (( ${#candidates} )) && [[ -n "${candidates[1]}" ]]; then
                    compadd -Q -a candidates
                else
                    _files
                fi
            }
            if (( $+functions[compdef] )); then
                compdef _exclusivity exclusivity
            fi

            """,
        "fish" => """
            # fish completion for exclusivity. Load it with: exclusivity completion fish | source
            function __exclusivity_complete
                set -l candidates (exclusivity complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)
                if test (count $candidates) -eq 0
                    __fish_complete_path (commandline -ct)
                else
                    printf '%s\n' $candidates
                end
            end
            complete -c exclusivity -f -a '(__exclusivity_complete)'

            """,
        "pwsh" => """
            # PowerShell completion for exclusivity. Load it with: exclusivity completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName exclusivity -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
                    Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
                if ($wordToComplete -eq '') { $words += '' }
                elseif ($words.Count -eq 0 -or $words[-1] -ne $wordToComplete) { $words += $wordToComplete }
                exclusivity complete -- @words 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "not a shell with a completion script"),
    };
}

/// <summary>
/// The ids a completion offers, read straight from the rule files (no compilation: a Tab must answer at once).
/// Files that cannot be read give no ids rather than an error: completing is no place to report them.
/// </summary>
public sealed record RuleSetIds(IReadOnlyList<string> Products, IReadOnlyList<string> Clouds, IReadOnlyList<string> Rows)
{
    /// <summary>The ids of the rule set that <c>--rules</c> names on the line being completed, else of the embedded one.</summary>
    public static RuleSetIds Of(CompletionContext context)
    {
        try
        {
            var directory = context.ParseResult.GetValue(CommonOptions.Rules);
            return Read(directory is null ? RuleFiles.Embedded() : RuleFiles.FromDirectory(directory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or ArgumentException)
        {
            return new RuleSetIds([], [], []);
        }
    }

    /// <summary>Completes a version or reading id (<c>diff A B</c>).</summary>
    public static IEnumerable<string> RowCompletions(CompletionContext context) => Of(context).Rows;

    /// <summary>The product, cloud, version and reading ids of <paramref name="files"/>, in the files' order.</summary>
    public static RuleSetIds Read(RuleFiles files)
    {
        List<string> products = [], clouds = [], rows = [];
        if (files.Files.TryGetValue("catalogue.json", out var catalogue))
        {
            using var document = JsonDocument.Parse(catalogue);
            products.AddRange(Ids(document.RootElement, "products"));
            clouds.AddRange(Ids(document.RootElement, "clouds"));
        }
        if (files.Files.TryGetValue("versions.json", out var versions))
        {
            using var document = JsonDocument.Parse(versions);
            foreach (var version in Ids(document.RootElement, "versions"))
            {
                rows.Add(version);
                if (files.Files.TryGetValue($"clauses/{version}.json", out var clauses))
                {
                    using var clauseDocument = JsonDocument.Parse(clauses);
                    rows.AddRange(Ids(clauseDocument.RootElement, "readings").Select(reading => $"{version}@{reading}"));
                }
            }
        }
        return new RuleSetIds(products, clouds, rows);
    }

    private static IEnumerable<string> Ids(JsonElement root, string list) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
                .Where(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(i => i.GetProperty("id").GetString()!)
                .ToList()
            : [];
}
