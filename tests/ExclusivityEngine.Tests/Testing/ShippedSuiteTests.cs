using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Tests.Testing;

/// <summary>The shipped suite, tests/scenarios/, run through the library on both evaluators: a rule change that breaks a lawyer's expectation fails here.</summary>
public sealed class ShippedSuiteTests
{
    private static string Suite => Path.Combine(Repository.Root, "tests", "scenarios");

    private static readonly Lazy<IReadOnlyList<TestFile>> Files = new(() =>
        ScenarioTestRunner.Discover([Suite]).Select(f => TestFileReader.Read(f.Path, Path.GetFileName(f.Path), Engine.LoadEmbedded().Rules)).ToList());

    private static IEnumerable<TestCaseData> Scenarios() =>
        Files.Value.SelectMany(f => f.Cases).Select(c => new TestCaseData(c.File, c.Name).SetName($"{c.File}: {c.Name}"));

    [Test]
    public void ShippedSuite_EveryFile_IsUsable()
    {
        Assert.That(Files.Value, Has.Count.GreaterThanOrEqualTo(6));
        Assert.That(Files.Value.SelectMany(f => f.Problems).Select(p => p.ToString()), Is.Empty);
    }

    [TestCaseSource(nameof(Scenarios))]
    public void ShippedScenario_OnBothEvaluators_MeetsItsExpectations(string file, string name)
    {
        var testCase = Files.Value.Single(f => f.File == file).Cases.Single(c => c.Name == name);
        foreach (var (path, runner) in new[] { ("memo", new ScenarioTestRunner(Engine.LoadEmbedded())), ("NRules session", new ScenarioTestRunner(Engine.LoadEmbedded(), referencePath: true)) })
        {
            var result = runner.Check(testCase);
            var report = new System.Text.StringBuilder();
            TestReportText.Failure(report, result);
            Assert.That(result.Passed, Is.True, $"{path}:\n{report}");
        }
    }

    [Test]
    public void ShippedSuite_Coverage_ReachesEveryClauseAndEveryDecidingClauseDecides()
    {
        var run = new ScenarioTestRunner(Engine.LoadEmbedded()).Run([Suite]);

        Assert.That(run.ExitCode, Is.Zero, TestReportText.Render(run, coverage: false));
        var unreached = run.Coverage.Entries.SelectMany(e => e.With(CoverageStatus.Unreached).Select(c => $"{e.Id} {c.Clause.Id}"));
        Assert.That(unreached, Is.Empty, "clauses the shipped suite never reaches");
        // forbid, permit and require clauses must each decide somewhere; oblige and note clauses can only apply.
        var neverDecisive = run.Coverage.Entries.SelectMany(e => e.Clauses
            .Where(c => c.Clause.Effect is Effect.Forbid or Effect.Permit or Effect.Require && c.Status != CoverageStatus.Decisive)
            .Select(c => $"{e.Id} {c.Clause.Id}"));
        Assert.That(neverDecisive, Is.Empty, "clauses the shipped suite never makes decisive");
        // Every version and reading of the catalogue appears (agreements.md: five versions, one reading).
        Assert.That(run.Coverage.Entries.Select(e => e.Id), Is.EqualTo(new[]
        {
            "msft-openai-2019", "msft-openai-2025-10", "msft-openai-2025-10@microsoft-2026-02", "msft-openai-2026-04", "aws-openai-2025-11", "aws-openai-2026-02",
        }));
    }

    [Test]
    public void ShippedSuite_WithTheAmendmentOneDayLate_Fails()
    {
        // A rule change a lawyer would notice: msft-openai-2026-04 effective 2026-04-28 instead of 2026-04-27.
        var rules = Path.Combine(Path.GetTempPath(), $"rules-{Guid.NewGuid():N}");
        CopyDirectory(Repository.Rules, rules);
        try
        {
            var versions = Path.Combine(rules, "versions.json");
            var text = File.ReadAllText(versions);
            Assert.That(text, Does.Contain("\"effective\": \"2026-04-27\""));
            File.WriteAllText(versions, text.Replace("\"effective\": \"2026-04-27\"", "\"effective\": \"2026-04-28\"", StringComparison.Ordinal));

            var run = new ScenarioTestRunner(Engine.Load(rules)).Run([Suite]);

            Assert.That(run.Results.Where(r => !r.Passed).Select(r => r.Case.Name),
                Is.EquivalentTo(new[] { "Boundary 2026-04-27: from the amended agreement Frontier on AWS is permitted and undisputed" }));
            Assert.That(run.ExitCode, Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(rules, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
