using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>One expectation that the verdict did not meet.</summary>
/// <param name="Key">The <c>expect</c> key (<see cref="ExpectKeys"/>).</param>
/// <param name="Row">For <c>versions</c> and <c>decisive</c>: the version or reading.</param>
/// <param name="Expected">What was written: a permission name, true/false, or a list of clause ids.</param>
/// <param name="Actual">What came out, in the same form.</param>
/// <param name="Note">A hint that helps act on it (why a row decides nothing, an id that is no clause), if any.</param>
internal sealed record Mismatch(string Key, string? Row, ExpectedValue Expected, ExpectedValue Actual, string? Note)
{
    /// <summary><c>combined</c>, or <c>versions.msft-openai-2025-10</c> for a per-row key.</summary>
    public string Path => Row is null ? Key : $"{Key}.{Row}";
}

/// <summary>A value of an expectation: a word (permission), a truth value, or a set of clause ids.</summary>
internal sealed record ExpectedValue(string? Word, bool? Truth, IReadOnlyList<string>? Clauses)
{
    /// <summary>A permission.</summary>
    public static ExpectedValue Of(Permission p) => new(AssessmentJson.Name(p), null, null);

    /// <summary>A truth value.</summary>
    public static ExpectedValue Of(bool b) => new(null, b, null);

    /// <summary>A list of clause ids.</summary>
    public static ExpectedValue Of(IReadOnlyList<string> clauses) => new(null, null, clauses);

    /// <inheritdoc />
    public override string ToString() =>
        Word ?? (Truth is { } t ? (t ? "true" : "false") : Clauses!.Count == 0 ? "[] (none)" : $"[{string.Join(", ", Clauses)}]");
}

/// <summary>The outcome of one scenario: its assessment and every expectation it did not meet.</summary>
internal sealed record ScenarioResult(ScenarioTestCase Case, Assessment Assessment, IReadOnlyList<Mismatch> Mismatches)
{
    /// <summary>True when every written expectation was met.</summary>
    public bool Passed => Mismatches.Count == 0;
}

/// <summary>A whole run: the files read, the scenarios run (after the filter), and the coverage they reached.</summary>
/// <param name="Files">Every file, usable or not, in the order run.</param>
/// <param name="Results">Every scenario run, in file order then written order.</param>
/// <param name="Coverage">Per version and reading, what the scenarios reached.</param>
/// <param name="RuleSetHash">The rule set the verdicts came from.</param>
internal sealed record TestRun(IReadOnlyList<TestFile> Files, IReadOnlyList<ScenarioResult> Results, TestCoverage Coverage, string RuleSetHash)
{
    /// <summary>Scenarios whose expectations were all met.</summary>
    public int Passed => Results.Count(r => r.Passed);

    /// <summary>Scenarios with at least one expectation not met.</summary>
    public int Failed => Results.Count(r => !r.Passed);

    /// <summary>Files that could not be used (their scenarios are not counted).</summary>
    public IReadOnlyList<TestFile> Unusable => Files.Where(f => !f.Usable).ToList();

    /// <summary>The interface's exit code: 2 for an unusable file or no scenario at all, else 1 if a scenario failed, else 0.</summary>
    public int ExitCode => Unusable.Count > 0 || Results.Count == 0 ? 2 : Failed > 0 ? 1 : 0;
}

/// <summary>
/// Runs scenario test files: reads each (a file that cannot be used is reported and the others still run), evaluates
/// every scenario whose name contains the filter, and checks only the <c>expect</c> keys written.
/// </summary>
/// <param name="engine">The engine whose verdicts are checked.</param>
/// <param name="referencePath">Evaluate each scenario in an NRules session of its own instead of on the memoised path.</param>
internal sealed class ScenarioTestRunner(Engine engine, bool referencePath = false)
{
    /// <summary>The files below each path: a file as named, a folder's every <c>*.json</c> at any depth, in ordinal order of path.</summary>
    /// <returns>The path to read and the path to show, or a problem for a path that does not exist.</returns>
    public static IReadOnlyList<(string Path, string Display, TestFileProblem? Problem)> Discover(IEnumerable<string> paths)
    {
        var found = new List<(string, string, TestFileProblem?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var full = Path.GetFullPath(path);
                // Links to folders are not followed; a folder or link that cannot be walked is a problem of its own.
                // Hidden entries (an editor's lock `.#suite.json`, a `.git` folder) are no one's scenarios.
                var (files, problems) = Loading.RegularFiles.JsonFilesBelow(full, path, skipHidden: true);
                foreach (var file in files)
                {
                    if (seen.Add(file))
                    {
                        found.Add((file, Path.Combine(path, Path.GetRelativePath(full, file)), null));
                    }
                }
                foreach (var problem in problems)
                {
                    found.Add((problem.FilePath, problem.FilePath, new TestFileProblem(problem.FilePath, 0, 0, null, null, problem.Message)));
                }
            }
            else if (File.Exists(path))
            {
                if (seen.Add(Path.GetFullPath(path)))
                {
                    found.Add((path, path, null));
                }
            }
            else if (new FileInfo(path).LinkTarget is not null)
            {
                // A link that leads nowhere, or in a loop: reading it says which.
                found.Add((path, path, null));
            }
            else
            {
                found.Add((path, path, new TestFileProblem(path, 0, 0, null, null, "there is no such file or folder")));
            }
        }
        return found;
    }

    /// <summary>Reads and runs every test file below <paramref name="paths"/>; <paramref name="filter"/> keeps the scenarios whose name contains it (ignoring case).</summary>
    public TestRun Run(IEnumerable<string> paths, string? filter = null) => Run(ReadAll(paths, engine.Rules), filter);

    /// <summary>Every test file below <paramref name="paths"/>, read; a path that cannot be used is a file with its problem.</summary>
    public static List<TestFile> ReadAll(IEnumerable<string> paths, RuleSet rules) =>
        [.. Discover(paths).Select(f => f.Problem is { } problem ? new TestFile(f.Display, null, [], [problem]) : TestFileReader.Read(f.Path, f.Display, rules))];

    /// <summary>Runs files already read.</summary>
    public TestRun Run(IReadOnlyList<TestFile> files, string? filter = null)
    {
        var results = new List<ScenarioResult>();
        foreach (var file in files)
        {
            foreach (var testCase in file.Cases)
            {
                if (filter is null || testCase.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(Check(testCase));
                }
            }
        }
        return new TestRun(files, results, TestCoverage.Compute(engine.Rules, results), engine.Rules.Hash);
    }

    /// <summary>Evaluates one scenario and compares every expectation written with what came out.</summary>
    public ScenarioResult Check(ScenarioTestCase testCase)
    {
        var a = referencePath ? engine.EvaluateInSession(testCase.Scenario) : engine.Evaluate(testCase.Scenario);
        var e = testCase.Expect;
        var mismatches = new List<Mismatch>();
        var combined = a.Combined;
        if (e.Combined is { } permission && permission != combined.Permission)
        {
            mismatches.Add(new Mismatch(ExpectKeys.Combined, null, ExpectedValue.Of(permission), ExpectedValue.Of(combined.Permission), null));
        }
        if (e.Disputed is { } disputed && disputed != combined.Disputed)
        {
            mismatches.Add(new Mismatch(ExpectKeys.Disputed, null, ExpectedValue.Of(disputed), ExpectedValue.Of(combined.Disputed), null));
        }
        foreach (var (rowId, expected) in e.Versions ?? [])
        {
            var row = a.Rows[engine.Rules.RowsById[rowId].Index];
            if (row.Permission != expected)
            {
                var note = row.InForce ? null : $"{rowId} is not in force on {a.Scenario.Date:yyyy-MM-dd}: this is what its terms would give if they applied";
                mismatches.Add(new Mismatch(ExpectKeys.Versions, rowId, ExpectedValue.Of(expected), ExpectedValue.Of(row.Permission), note));
            }
        }
        foreach (var (rowId, expected) in e.Decisive ?? [])
        {
            var actual = combined.Decisive.Where(d => d.Row.Id == rowId).Select(d => d.Clause.Id).ToList();
            if (!SameSet(expected, actual))
            {
                mismatches.Add(new Mismatch(ExpectKeys.Decisive, rowId, ExpectedValue.Of(expected), ExpectedValue.Of(actual), DecisiveNote(a, rowId, expected)));
            }
        }
        if (e.Conditions is { } conditions)
        {
            var actual = combined.Conditions.Select(c => c.Clause.Id).ToList();
            if (!SameSet(conditions, actual))
            {
                mismatches.Add(new Mismatch(ExpectKeys.Conditions, null, ExpectedValue.Of(conditions), ExpectedValue.Of(actual),
                    combined.Permission == Permission.Conditional ? null : $"the combined verdict is {AssessmentJson.Name(combined.Permission)}: conditions are listed only when it is Conditional"));
            }
        }
        if (e.Obligations is { } obligations)
        {
            var actual = combined.Obligations.Select(c => c.Clause.Id).ToList();
            if (!SameSet(obligations, actual))
            {
                mismatches.Add(new Mismatch(ExpectKeys.Obligations, null, ExpectedValue.Of(obligations), ExpectedValue.Of(actual), null));
            }
        }
        return new ScenarioResult(testCase, a, mismatches);
    }

    private static bool SameSet(IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
        expected.ToHashSet(StringComparer.Ordinal).SetEquals(actual);

    /// <summary>Why a row's decisive clauses in the combined verdict are not what was written, in the catalogue's terms.</summary>
    private string? DecisiveNote(Assessment a, string rowId, IReadOnlyList<string> expected)
    {
        var row = a.Rows[engine.Rules.RowsById[rowId].Index];
        var own = row.Decisive.Select(c => c.Id).ToList();
        var notes = new List<string>();
        var strangers = expected.Where(id => !row.Row.Clauses.Any(c => c.Id == id)).Distinct(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
        {
            notes.Add($"{string.Join(", ", strangers.Select(s => $"`{s}`"))} {(strangers.Count == 1 ? "is no clause" : "are no clauses")} of {rowId}");
        }
        var ownText = own.Count == 0 ? "no clause" : string.Join(", ", own.Select(c => $"`{c}`"));
        if (!row.InForce)
        {
            notes.Add($"{rowId} is not in force on {a.Scenario.Date:yyyy-MM-dd}, so it decides nothing (its own terms would give {AssessmentJson.Name(row.Permission)} by {ownText})");
        }
        else if (row.Permission != a.Combined.Permission)
        {
            notes.Add($"{rowId} is {AssessmentJson.Name(row.Permission)} while the combined verdict is {AssessmentJson.Name(a.Combined.Permission)}, so it does not decide it (its own verdict rests on {ownText})");
        }
        else
        {
            foreach (var shared in own.Where(id => a.Combined.Decisive.Any(d => d.Clause.Id == id && d.Row.Id != rowId)))
            {
                var first = a.Combined.Decisive.First(d => d.Clause.Id == shared).Row.Id;
                notes.Add($"`{shared}` decides {rowId} too, but a clause several rows share is listed once, under {first}");
            }
        }
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }
}
