using System.CommandLine;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Validation;

namespace ExclusivityEngine.Cli.Commands;

/// <summary>
/// <c>impact --before DIR [--after DIR]</c>: what a rule edit changes, exhaustively: the rule files' entries, every
/// region of scenarios whose combined verdict changes, and the given scenarios whose answer changes.
/// </summary>
public static class ImpactCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Io io)
    {
        var before = new Option<string>("--before") { Description = "the rule set before the edit (e.g. a checkout of main)", Required = true, HelpName = "DIR" };
        var after = new Option<string?>("--after") { Description = "the rule set after the edit [default: --rules, itself defaulting to the embedded set]", HelpName = "DIR" };
        var product = new Option<string?>("--product") { Description = "only this catalogue product [default: every product both sets have]" };
        var (from, to) = (DiffCommand.DateOption("--from", "2019-01-01"), DiffCommand.DateOption("--to", "2035-12-31"));
        var scenarios = new Option<string[]>("--scenarios")
        {
            Description = "scenario test files (*.json, or folders of them) and batch inputs (*.csv as CSV, others as JSON Lines): list those whose answer changes",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "FILE",
        };
        var format = CommonOptions.Format("text", "json");
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 1 when anything changed (for CI), 0 when nothing did" };
        var command = new Command("impact", "what a rule edit changes: every region of scenarios whose answer differs between two rule sets, the clauses changed, the given scenarios that change")
        {
            before, after, product, from, to, scenarios, format, exitCode,
        };
        command.SetAction(parsed =>
        {
            var json = parsed.GetValue(format) == "json";
            var (start, end) = DiffCommand.Range(parsed, from, to);
            // The two rule sets are compiled at once, one per core; a problem of the before set is reported first.
            var afterDirectory = parsed.GetValue(after) ?? parsed.GetValue(CommonOptions.Rules);
            var afterLoad = Task.Run(() => Side.Load("after", afterDirectory));
            var beforeSide = Side.Load("before", parsed.GetValue(before)!);
            var afterSide = afterLoad.GetAwaiter().GetResult();
            if (beforeSide.Engine is null || afterSide.Engine is null)
            {
                return Refuse(io, json, beforeSide, afterSide);
            }
            var (old, now) = (beforeSide.Engine, afterSide.Engine);
            var only = parsed.GetValue(product);
            if (only is not null)
            {
                CheckProduct(only, old.Rules.Catalogue, now.Rules.Catalogue);
            }

            var impact = RuleSetImpact.Compare(old, now, start, end, only);
            var problems = new List<string>();
            if (parsed.GetValue(scenarios) is { Length: > 0 } paths)
            {
                var checkedScenarios = ImpactScenarios.CheckAsync(old, now, paths).GetAwaiter().GetResult();
                problems.AddRange(checkedScenarios.Problems);
                if (problems.Count > 0)
                {
                    problems.Add($"{checkedScenarios.Problems.Count} problem(s) in the --scenarios files: the scenarios of those files were not compared");
                }
                else if (checkedScenarios.Checked == 0)
                {
                    // As `test` does: a run over no scenario at all is more likely a wrong path than an answer.
                    problems.Add("no scenario found in the given --scenarios paths");
                    checkedScenarios = checkedScenarios with { Problems = [.. problems] };
                }
                impact = impact with { Scenarios = checkedScenarios };
            }

            if (json)
            {
                io.WriteJson(w => QuestionsJson.Write(w, impact));
            }
            else
            {
                io.Write(QuestionsText.Render(impact, old.Rules, now.Rules));
            }
            foreach (var problem in problems)
            {
                Io.WriteError(io.Stderr, problem);
            }
            if (problems.Count > 0)
            {
                return ExitCodes.Usage;
            }
            return parsed.GetValue(exitCode) && impact.Changed ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command.WithHelp(
            [
                "exclusivity impact --before ../main/rules --after rules",
                "exclusivity impact --before ../main/rules --after rules --scenarios tests/scenarios --format json",
                "exclusivity impact --before ../main/rules --after rules --exit-code > /dev/null || echo \"the edit changes answers\"",
            ],
            "0  answered (with --exit-code: nothing changed)",
            "1  with --exit-code: some answer, clause or product changed",
            CommandHelp.UsageExit);
    }

    private static void CheckProduct(string id, Catalogue old, Catalogue now)
    {
        var (inBefore, inAfter) = (old.ProductsById.ContainsKey(id), now.ProductsById.ContainsKey(id));
        if (!inBefore && !inAfter)
        {
            throw new UsageException($"--product: `{id}` is not a catalogue product ({string.Join(", ", now.Products.Select(p => p.Id))})");
        }
        if (!inBefore || !inAfter)
        {
            throw new UsageException($"--product: `{id}` is only in the {(inAfter ? "after" : "before")} rule set's catalogue: there are no {(inAfter ? "before" : "after")} verdicts to compare with");
        }
    }

    /// <summary>Either rule set cannot be used: its problems as <c>validate</c> reports them, exit 2.</summary>
    private static int Refuse(Io io, bool json, Side before, Side after)
    {
        var broken = new[] { before, after }.Where(s => s.Engine is null).ToList();
        foreach (var side in broken)
        {
            if (side.Files is null)
            {
                Io.WriteError(io.Stderr, side.Unreadable!);
                continue;
            }
            Io.WriteError(io.Stderr, $"the {side.Name} rule set `{side.Files.Origin}` cannot be used ({side.Problems.Count} problem(s)):");
            ValidateCommand.WriteProblems(io.Stderr, side.Files, side.Problems);
        }
        if (json)
        {
            io.WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("code", "invalid-rule-set");
                w.WriteString("message", $"the {string.Join(" and the ", broken.Select(s => s.Name))} rule set cannot be used");
                w.WriteEndObject();
                foreach (var side in new[] { before, after })
                {
                    w.WritePropertyName(side.Name);
                    ValidationJson.Write(w, side.Files?.Origin ?? side.Origin, side.Files?.Hash(), side.Problems);
                }
                w.WriteEndObject();
            });
        }
        return ExitCodes.Usage;
    }

    /// <summary>
    /// One side of the comparison: its rule files and, when they can be used, its engine; else their problems. Files
    /// that cannot be read at all (a missing folder, a FIFO, a file over the size limit) leave no rule files, one
    /// <c>unreadable-rule-files</c> problem (as <c>validate --format json</c> and the service's reload report it) and
    /// the sentence that says so.
    /// </summary>
    private sealed record Side(string Name, string Origin, RuleFiles? Files, Engine? Engine, IReadOnlyList<Diagnostic> Problems, string? Unreadable = null)
    {
        public static Side Load(string name, string? directory)
        {
            RuleFiles files;
            try
            {
                files = directory is null ? RuleFiles.Embedded() : RuleFiles.FromDirectory(directory);
            }
            catch (Exception e) when (directory is not null && e is IOException or UnauthorizedAccessException)
            {
                var sentence = e is DirectoryNotFoundException ? e.Message : $"the rule directory `{directory}` cannot be read: {e.Message}";
                var file = (e as UnreadableFileException)?.FilePath ?? directory;
                return new Side(name, directory, null, null, [new Diagnostic("unreadable-rule-files", e.Message, new SourceLocation(file, 0, 0))], $"--{name}: {sentence}");
            }
            try
            {
                return new Side(name, files.Origin, files, directory is null ? Engine.LoadEmbedded() : Engine.Load(files), []);
            }
            catch (RuleSetException e)
            {
                return new Side(name, files.Origin, files, null, e.Diagnostics);
            }
        }
    }
}
