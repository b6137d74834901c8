using System.Text;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Questions;

/// <summary>
/// A scenario of the given files whose combined permission or disputed flag the edit changes, or which one rule set
/// answers and the other refuses (a product or cloud only one catalogue has).
/// </summary>
/// <param name="File">The file, as named.</param>
/// <param name="Name">The scenario's name, for a test file.</param>
/// <param name="Line">The line (JSON Lines) or record number (CSV, header = 0), for a batch input.</param>
/// <param name="Id">The line's <c>id</c> as JSON text, for a batch input that gives one.</param>
/// <param name="Scenario">The scenario, as the after set resolves it (the before set where only it can).</param>
/// <param name="Before">The before set's verdict, or null where it refuses the scenario.</param>
/// <param name="After">The after set's verdict, or null where it refuses the scenario.</param>
/// <param name="BeforeError">Why the before set refuses it.</param>
/// <param name="AfterError">Why the after set refuses it.</param>
public sealed record ScenarioChange(string File, string? Name, long? Line, string? Id, Scenario Scenario,
    VerdictSummary? Before, VerdictSummary? After, ScenarioError? BeforeError, ScenarioError? AfterError);

/// <summary>The given scenarios run through both rule sets.</summary>
/// <param name="Changed">The scenarios whose answer changes, in file order.</param>
/// <param name="Checked">Scenarios read (test-file scenarios and non-blank batch lines).</param>
/// <param name="Rejected">Batch lines both rule sets refuse (bad input whatever the rules: no change).</param>
/// <param name="Problems">Files that could not be used at all, one sentence each with its place.</param>
public sealed record ScenarioImpact(IReadOnlyList<ScenarioChange> Changed, long Checked, long Rejected, IReadOnlyList<string> Problems);

/// <summary>
/// <c>impact --scenarios</c>: a legal team's scenario test files (<c>*.json</c>, or folders of them) and batch inputs
/// (<c>*.csv</c> as CSV, anything else as JSON Lines), each scenario resolved and evaluated by both engines.
/// </summary>
public static class ImpactScenarios
{
    /// <summary>Reads every file below <paramref name="paths"/> and lists the scenarios whose answer changes.</summary>
    public static async Task<ScenarioImpact> CheckAsync(Engine before, Engine after, IEnumerable<string> paths, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(paths);
        var run = new Run(before, after);
        foreach (var path in paths)
        {
            if (Directory.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (file, display, problem) in ScenarioTestRunner.Discover([path]))
                {
                    if (problem is not null)
                    {
                        run.Problems.Add(problem.ToString());
                    }
                    else
                    {
                        run.TestFile(file, display);
                    }
                }
            }
            else if (File.Exists(path))
            {
                await run.BatchInputAsync(path, cancel).ConfigureAwait(false);
            }
            else
            {
                // `-` is standard input to `batch` and `test`; here the scenarios are read twice (both rule sets), so files only.
                run.Problems.Add(path == "-"
                    ? "-: standard input is not read by --scenarios (each scenario is answered by both rule sets): give files or folders"
                    : $"{path}: there is no such file or folder");
            }
        }
        return new ScenarioImpact(run.Changed, run.Checked, run.Rejected, run.Problems);
    }

    private sealed class Run(Engine before, Engine after)
    {
        public List<ScenarioChange> Changed { get; } = [];

        public List<string> Problems { get; } = [];

        public long Checked { get; private set; }

        public long Rejected { get; private set; }

        /// <summary>
        /// A test file is read against the after set, or the before set where only it can use the file (an edit that
        /// removes a version the file's <c>expect</c> names); expectations are not checked, only the answers compared.
        /// </summary>
        public void TestFile(string path, string display)
        {
            var file = TestFileReader.Read(path, display, after.Rules);
            if (!file.Usable && TestFileReader.Read(path, display, before.Rules) is { Usable: true } readable)
            {
                file = readable;
            }
            if (!file.Usable)
            {
                Problems.AddRange(file.Problems.Select(p => p.ToString()));
                return;
            }
            foreach (var c in file.Cases)
            {
                Compare(c.Input!, display, c.Name, null, null);
            }
        }

        /// <summary>A batch input, read as <c>batch</c> reads it: same line numbers, same errors.</summary>
        public async Task BatchInputAsync(string path, CancellationToken cancel)
        {
            var options = new BatchOptions { Format = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? BatchFormat.Csv : BatchFormat.JsonLines };
            var pool = new BlockPool(options.BlockLines);
            try
            {
                await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                IBlockSource source = options.Format == BatchFormat.Csv ? new CsvBlockSource(input, options, pool) : new LineBlockSource(input, options, pool);
                while (await source.NextAsync(cancel).ConfigureAwait(false) is { } block)
                {
                    for (var i = 0; i < block.Count; i++)
                    {
                        CompareLine(path, block, ref block.Items[i]);
                    }
                    pool.Return(block);
                }
            }
            catch (InvalidDataException e)
            {
                Problems.Add($"{path}: {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Problems.Add($"{path}: the file cannot be read ({e.Message})");
            }
        }

        private void CompareLine(string path, Block block, ref BlockLine line)
        {
            if (line.Blank)
            {
                return;
            }
            var (input, error, id) = (line.Input, line.Error, line.Id is { } csvId ? Encoding.UTF8.GetString(csvId) : null);
            if (input is null && error is null)
            {
                var text = block.Bytes.AsSpan(line.Start, line.Length);
                input = ScenarioJson.ReadAt(text, out var at, out error);
                id = at.Equals(default(Range)) ? null : Encoding.UTF8.GetString(text[at]);
            }
            if (input is null)
            {
                // Not a scenario under either rule set: `batch` rejects it whatever the rules say.
                Checked++;
                Rejected++;
                return;
            }
            Compare(input, path, null, line.Number, id);
        }

        private void Compare(ScenarioInput input, string file, string? name, long? line, string? id)
        {
            Checked++;
            var (b, bError, bScenario) = Answer(before, input);
            var (a, aError, aScenario) = Answer(after, input);
            if (a is null && b is null)
            {
                Rejected++;
                return;
            }
            if (a is null || b is null || a.AnswersDifferently(b))
            {
                Changed.Add(new ScenarioChange(file, name, line, id, (aScenario ?? bScenario)!, b, a, bError, aError));
            }
        }

        private static (VerdictSummary?, ScenarioError?, Scenario?) Answer(Engine engine, ScenarioInput input)
        {
            var scenario = input.Resolve(engine.Rules.Catalogue, out var error);
            return scenario is null ? (null, error, null) : (VerdictSummary.Of(engine.Evaluate(scenario).Combined), null, scenario);
        }
    }
}
