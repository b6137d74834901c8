using System.Text.Json;
using System.Xml.Linq;

namespace ExclusivityEngine.Tests.Testing;

/// <summary>
/// <c>exclusivity test</c> on a suite written by someone else: right and wrong expectations, a broken file, a misspelt
/// key, an unknown version id, an unknown product, a bad date. Counts, messages and exit codes are the interface's.
/// </summary>
public sealed class TestCommandTests
{
    private static readonly string Suite = Path.Combine(Repository.Root, "tests", "ExclusivityEngine.Tests", "Testing", "Fixtures", "someone-elses-suite");
    private static string RightAndWrong => Path.Combine(Suite, "01-right-and-wrong.json");
    private static string WrongDecisive => Path.Combine(Suite, "02-wrong-decisive.json");

    private const string Rows = "msft-openai-2019, msft-openai-2025-10, msft-openai-2025-10@microsoft-2026-02, msft-openai-2026-04, aws-openai-2025-11, aws-openai-2026-02";
    private const string Products = "openai-api, chatgpt, frontier, stateful-runtime, joint-api-product, open-weight-model, consumer-device, azure-openai-service, microsoft-copilot";

    private static string Relative(string text) => text.Replace(Suite, "<suite>", StringComparison.Ordinal);

    [Test]
    public void Test_SomeoneElsesSuite_CountsTheUsableScenariosAndRefusesEveryBadFile()
    {
        var run = CliRun.Of("test", Suite);

        Assert.That(run.ExitCode, Is.EqualTo(2), "an unusable file makes the run exit 2");
        Assert.That(run.StdoutLines[^1], Is.EqualTo("2 passed, 2 failed"));
        Assert.That(Relative(run.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "error: <suite>/03-broken-json.json:5:28: the file is not valid JSON: after parsing a value an unexpected character was encountered: `\"`",
            "error: <suite>/04-misspelt-key.json:6:19: scenario `Frontier on Azure is permitted`: field `expect.combinde`: `combinde` is not an expect key; known: combined, disputed, versions, decisive, conditions, obligations (a misspelt key is refused, never ignored)",
            $"error: <suite>/05-unknown-version.json:6:33: scenario `ChatGPT on Oracle in January 2026`: field `expect.versions.msft-openai-2025-11`: `msft-openai-2025-11` is not a version or reading of the rule set ({Rows}): a misspelt id is refused, never ignored",
            $"error: <suite>/06-unknown-product.json:5:18: scenario `Sora on AWS`: field `product`: `sora` is not a catalogue product ({Products}) (unknown-product)",
            "error: <suite>/07-bad-date.json:5:53: scenario `ChatGPT on AWS on a day that does not exist`: field `date`: `date` must be a calendar date written yyyy-mm-dd, not `2026-02-30` (invalid-date)",
            "5 file(s) could not be used: their scenarios were not run",
        }));
    }

    [Test]
    public void Test_RightAndWrongExpectations_ExitOneAndReportEachFailure()
    {
        var run = CliRun.Of("test", RightAndWrong, WrongDecisive);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stderr, Is.Empty);
        Assert.That(run.StdoutLines[^1], Is.EqualTo("2 passed, 2 failed"));
        var failures = run.StdoutLines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).Select(Relative);
        Assert.That(failures, Is.EqualTo(new[]
        {
            "FAIL <suite>/01-right-and-wrong.json:22: A lawyer who thinks the OpenAI API on Google Cloud was fine in January 2026",
            "FAIL <suite>/02-wrong-decisive.json:3: A lawyer who expects the announced version to decide Frontier on AWS",
        }));
    }

    [Test]
    public void Test_FailingRun_TextOutputMatchesGoldenFile()
    {
        var run = CliRun.Of("test", RightAndWrong, WrongDecisive);

        GoldenFile.AssertMatches("test-failing-run.txt", Relative(run.Stdout));
    }

    [Test]
    public void Test_FailureDecidedByARequire_SaysHowItResolvedAndWhatAConditionalWaitsFor()
    {
        // chatgpt off Azure after April 2026: msft-openai-2026-04's azure-first-ship requires shippedOnAzureFirst or
        // microsoftDeclined (the catalogue); unknown leaves it Conditional, one true meets it, both false fail it.
        var folder = Directory.CreateTempSubdirectory("require-labels").FullName;
        var file = Path.Combine(folder, "requires.json");
        File.WriteAllText(file, """
            {"title": "requires", "scenarios": [
              {"name": "unresolved", "product": "chatgpt", "cloud": "google-cloud", "date": "2026-05-01", "shippedOnAzureFirst": null, "expect": {"combined": "Permitted"}},
              {"name": "met", "product": "chatgpt", "cloud": "google-cloud", "date": "2026-05-01", "microsoftDeclined": true, "expect": {"combined": "Prohibited"}},
              {"name": "failed", "product": "chatgpt", "cloud": "google-cloud", "date": "2026-05-01", "microsoftDeclined": false, "shippedOnAzureFirst": false, "expect": {"combined": "Permitted"}}
            ]}
            """);
        try
        {
            var run = CliRun.Of("test", file);

            Assert.That(run.ExitCode, Is.EqualTo(1));
            var lines = run.StdoutLines.Select(l => l.Split(": seed", 2)[0]).ToList();
            Assert.That(lines, Does.Contain("    msft-openai-2026-04 `azure-first-ship` (require, unresolved)"));
            Assert.That(lines, Does.Contain("  condition: msft-openai-2026-04 `azure-first-ship` needs one of shippedOnAzureFirst, microsoftDeclined to be true"));
            Assert.That(lines, Does.Contain("    msft-openai-2026-04 `azure-first-ship` (require, met)"));
            Assert.That(lines, Does.Contain("    msft-openai-2026-04 `azure-first-ship` (require, failed: shippedOnAzureFirst and microsoftDeclined are false)"));
            Assert.That(run.StdoutLines.Count(l => l.StartsWith("  condition:", StringComparison.Ordinal)), Is.EqualTo(1), "only the Conditional verdict waits for a condition");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Test_OnlyRightExpectations_ExitZero()
    {
        var run = CliRun.Of("test", RightAndWrong, "--filter", "AFTER APRIL");

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Stdout, Is.EqualTo("1 passed, 0 failed\n"));
    }

    [Test]
    public void Test_FilterMatchingNothing_ExitTwoNamingTheFilter()
    {
        var run = CliRun.Of("test", RightAndWrong, "--filter", "no such scenario");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stdout, Is.EqualTo("0 passed, 0 failed\n"));
        Assert.That(run.Stderr, Is.EqualTo("error: no scenario's name contains `no such scenario`\n"));
    }

    [Test]
    public void Test_FolderWithoutScenarios_ExitTwo()
    {
        var empty = Directory.CreateTempSubdirectory("no-scenarios").FullName;
        try
        {
            var run = CliRun.Of("test", empty);

            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Is.EqualTo("error: no scenario found in the given paths\n"));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Test]
    public void Test_MissingPath_IsAnUnusableFile()
    {
        var run = CliRun.Of("test", RightAndWrong, "no/such/file.json");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.StderrLines[0], Is.EqualTo("error: no/such/file.json: there is no such file or folder"));
        Assert.That(run.StdoutLines[^1], Is.EqualTo("2 passed, 1 failed"));
    }

    // Found by an adversarial run: an editor's lock link `.#suite.json` (dangling) made a run exit 2.
    [Test]
    public void Test_Folder_HiddenEntriesAreLeftOut()
    {
        var folder = Path.Combine(Path.GetTempPath(), "exclusivity-hidden-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, ".git"));
        try
        {
            File.Copy(RightAndWrong, Path.Combine(folder, "suite.json"));
            File.CreateSymbolicLink(Path.Combine(folder, ".#suite.json"), "root@host.4242:1700000000");
            File.WriteAllText(Path.Combine(folder, ".git", "broken.json"), "{");

            var run = CliRun.Of("test", folder);

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
            Assert.That(run.StdoutLines[^1], Is.EqualTo("2 passed, 1 failed"));
            Assert.That(run.Stderr, Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Found by an adversarial run: the results replaced the suite they were about, and the run exited 0.
    [Test]
    public void Test_JunitOntoATestFile_IsRefusedAndTheFileKept()
    {
        var folder = Path.Combine(Path.GetTempPath(), "exclusivity-junit-victim-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var suite = Path.Combine(folder, "suite.json");
            File.Copy(RightAndWrong, suite);
            File.CreateSymbolicLink(Path.Combine(folder, "results.xml"), suite);
            Directory.CreateSymbolicLink(Path.Combine(folder, "..", Path.GetFileName(folder) + "-via"), folder);
            var hard = Path.Combine(folder, "hard.json");
            using (var ln = System.Diagnostics.Process.Start("ln", [suite, hard])!)
            {
                ln.WaitForExit();
            }
            var before = File.ReadAllText(suite);

            foreach (var (path, junit) in new[]
            {
                (suite, suite), (folder, suite), (folder, Path.Combine(folder, "results.xml")),
                (hard, suite), // a hard link: one file, two names
                (suite, Path.Combine(folder + "-via", "suite.json")), // a linked folder on the way
            })
            {
                var run = CliRun.Of("test", path, "--junit", junit);

                Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
                Assert.That(run.StderrLines.Single(), Does.StartWith($"error: --junit `{junit}` is the test file").And.Contain("would replace its scenarios"));
                Assert.That(File.ReadAllText(suite), Is.EqualTo(before));
            }
        }
        finally
        {
            File.Delete(folder + "-via");
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Test_NothingRan_JunitHasAnErrorCase()
    {
        var junit = Path.Combine(Path.GetTempPath(), "exclusivity-junit-" + Guid.NewGuid().ToString("N") + ".xml");
        try
        {
            var run = CliRun.Of("test", RightAndWrong, "--filter", "no such name", "--junit", junit);

            Assert.That(run.ExitCode, Is.EqualTo(2));
            var root = System.Xml.Linq.XDocument.Load(junit).Root!;
            Assert.That(root.Attribute("errors")!.Value, Is.EqualTo("1"), "a run that exits 2 is not green in its XML");
            var error = root.Descendants("error").Single();
            Assert.That(error.Attribute("type")!.Value, Is.EqualTo("no-scenario"));
            Assert.That(error.Attribute("message")!.Value, Is.EqualTo("no scenario's name contains `no such name`"));
        }
        finally
        {
            File.Delete(junit);
        }
    }

    [Test]
    public void Test_FormatJson_MissingPath_HasNoLineOrColumn()
    {
        var run = CliRun.Of("test", RightAndWrong, "no/such/file.json", "--format", "json");

        using var doc = JsonDocument.Parse(run.Stdout);
        var missing = doc.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == "no/such/file.json");
        var problem = missing.GetProperty("problems").EnumerateArray().Single();
        Assert.That(problem.GetProperty("line").ValueKind, Is.EqualTo(JsonValueKind.Null), run.Stdout);
        Assert.That(problem.GetProperty("column").ValueKind, Is.EqualTo(JsonValueKind.Null), run.Stdout);
        Assert.That(problem.GetProperty("text").GetString(), Is.EqualTo("no/such/file.json: there is no such file or folder"));
    }

    [Test]
    public void Test_FormatJson_GivesCountsProblemsAndResults()
    {
        var run = CliRun.Of("test", Suite, "--format", "json");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("passed").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("failed").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("unusable").GetInt32(), Is.EqualTo(5));
        Assert.That(root.GetProperty("files").GetArrayLength(), Is.EqualTo(7));
        Assert.That(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Is.EqualTo("2 passed, 2 failed"), "the run still ends with its counts line, on stderr");
        var misspelt = root.GetProperty("files")[3];
        Assert.That(misspelt.GetProperty("usable").GetBoolean(), Is.False);
        var problem = misspelt.GetProperty("problems")[0];
        Assert.That((problem.GetProperty("line").GetInt32(), problem.GetProperty("column").GetInt32()), Is.EqualTo((6, 19)));
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("expect.combinde"));

        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Select(r => r.GetProperty("passed").GetBoolean()), Is.EqualTo(new[] { true, true, false, false }));
        var failure = results[2].GetProperty("failures")[0];
        Assert.That(failure.GetProperty("key").GetString(), Is.EqualTo("combined"));
        Assert.That(failure.GetProperty("expected").GetString(), Is.EqualTo("Permitted"));
        Assert.That(failure.GetProperty("actual").GetString(), Is.EqualTo("Prohibited"));
        var decisive = results[2].GetProperty("combined").GetProperty("decisive").EnumerateArray()
            .Select(d => $"{d.GetProperty("version").GetString()} {d.GetProperty("clause").GetString()}");
        Assert.That(decisive, Is.EqualTo(new[] { "msft-openai-2025-10 stateless-api-exclusivity", "msft-openai-2025-10@microsoft-2026-02 first-party-products-on-azure" }));
    }

    [Test]
    public void Test_Junit_WritesASuitePerFileWithFailuresAndErrors()
    {
        var junit = Path.Combine(Path.GetTempPath(), $"junit-{Guid.NewGuid():N}.xml");
        try
        {
            var run = CliRun.Of("test", Suite, "--junit", junit);

            Assert.That(run.ExitCode, Is.EqualTo(2));
            var root = XDocument.Load(junit).Root!;
            Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
            Assert.That((string?)root.Attribute("tests"), Is.EqualTo("9"), "4 scenarios and 5 unusable files");
            Assert.That((string?)root.Attribute("failures"), Is.EqualTo("2"));
            Assert.That((string?)root.Attribute("errors"), Is.EqualTo("5"));
            Assert.That(root.Elements("testsuite").Count(), Is.EqualTo(7));
            var failed = root.Descendants("testcase").Where(t => t.Element("failure") is not null).Select(t => (string?)t.Attribute("name"));
            Assert.That(failed, Is.EqualTo(new[]
            {
                "A lawyer who thinks the OpenAI API on Google Cloud was fine in January 2026",
                "A lawyer who expects the announced version to decide Frontier on AWS",
            }));
            var error = root.Descendants("error").First();
            Assert.That(Relative((string)error.Attribute("message")!), Does.StartWith("<suite>/03-broken-json.json:5:28: the file is not valid JSON"));
        }
        finally
        {
            File.Delete(junit);
        }
    }

    [Test]
    public void Test_Coverage_ListsPerVersionAndReadingWhatTheRunReached()
    {
        // The three scenarios of 01: frontier/aws/2026-03-15, openai-api/aws/2026-06-01, openai-api/google-cloud/2026-01-15.
        var run = CliRun.Of("test", RightAndWrong, "--coverage", "--format", "json");

        using var doc = JsonDocument.Parse(run.Stdout);
        var versions = doc.RootElement.GetProperty("coverage").GetProperty("versions");
        string[] Ids(string row, string status) => versions.GetProperty(row).GetProperty(status).EnumerateArray().Select(e => e.GetString()!).ToArray();

        Assert.That(Ids("msft-openai-2019", "unreached"), Has.Length.EqualTo(6), "no scenario has the 2019 terms in force or names them");
        Assert.That(Ids("msft-openai-2026-04", "decisive"), Is.EqualTo(new[] { "any-product-any-cloud", "azure-first-ship" }));
        Assert.That(Ids("msft-openai-2026-04", "applied"), Is.EqualTo(new[] { "revenue-share-cap-2030" }));
        Assert.That(Ids("msft-openai-2026-04", "unreached"), Is.EqualTo(new[] { "non-exclusive-license-2032", "license-term-ended", "agi-no-longer-trigger" }));
        Assert.That(Ids("msft-openai-2025-10@microsoft-2026-02", "decisive"), Is.EqualTo(new[] { "first-party-products-on-azure" }));
        Assert.That(Ids("msft-openai-2025-10@microsoft-2026-02", "unreached"), Is.EqualTo(new[] { "collaboration-calls-on-azure" }));
        Assert.That(Ids("msft-openai-2025-10", "decisive"), Is.EqualTo(new[] { "stateless-api-exclusivity", "non-api-any-cloud" }));

        var text = CliRun.Of("test", RightAndWrong, "--coverage");
        Assert.That(text.Stdout, Does.Contain("  msft-openai-2026-04\n    decisive:      any-product-any-cloud, azure-first-ship\n    only applied:  revenue-share-cap-2030\n    never reached: non-exclusive-license-2032, license-term-ended, agi-no-longer-trigger\n"));
    }

    [Test]
    public void Schema_Test_PrintsTheShippedSchema()
    {
        var run = CliRun.Of("schema", "test");

        Assert.That(run.ExitCode, Is.Zero);
        var shipped = File.ReadAllText(Path.Combine(Repository.Root, "src", "ExclusivityEngine", "Schemas", "scenario-test.schema.json"));
        Assert.That(run.Stdout.TrimEnd('\n'), Is.EqualTo(shipped.TrimEnd('\n')));
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.That(doc.RootElement.GetProperty("definitions").GetProperty("expect").GetProperty("additionalProperties").GetBoolean(), Is.False);
    }

    [Test]
    public void Schema_Rules_PrintsTheShippedSchema()
    {
        var run = CliRun.Of("schema", "rules");

        Assert.That(run.ExitCode, Is.Zero);
        var shipped = File.ReadAllText(Path.Combine(Repository.Root, "src", "ExclusivityEngine", "Schemas", "rules.schema.json"));
        Assert.That(run.Stdout.TrimEnd('\n'), Is.EqualTo(shipped.TrimEnd('\n')));
    }

    [Test]
    public void Schema_UnknownKind_ExitTwo()
    {
        Assert.That(CliRun.Of("schema", "tests").ExitCode, Is.EqualTo(2));
    }
}
