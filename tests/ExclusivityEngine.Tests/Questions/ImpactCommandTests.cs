using System.Text.Json;
using ExclusivityEngine.Loading;

namespace ExclusivityEngine.Tests.Questions;

/// <summary><c>exclusivity impact</c>: text, JSON, exit codes, scenario files, broken rule sets.</summary>
public sealed class ImpactCommandTests
{
    private static string Rules => Repository.Rules;

    private static string ShippedSuite => Path.Combine(Repository.Root, "tests", "scenarios");

    [Test]
    public void Impact_IdenticalRuleSets_NoRegionAndExit0WithExitCode()
    {
        using var copy = new RuleSetCopy();
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--exit-code", "--format", "json");

        Assert.That(exit, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("regions").GetArrayLength(), Is.Zero);
        Assert.That(json.RootElement.GetProperty("changed").GetBoolean(), Is.False);
        Assert.That(json.RootElement.GetProperty("before").GetString(), Is.EqualTo(json.RootElement.GetProperty("after").GetString()));
    }

    [Test]
    public void Impact_AfterDefaultsToTheEmbeddedSet_SameAsRules()
    {
        // rules/ and the embedded set are the same files: no change, whichever way --after is given.
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--exit-code");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("impact of " + Rules + " ("));
        Assert.That(stdout, Does.Contain("-> embedded ("));
        Assert.That(stdout, Does.Contain("Answers that change: 0 region(s)"));
    }

    [Test]
    public void Impact_AfterFromRules_SameAnswerAsAfter()
    {
        using var copy = ImpactEdits.FrontierExclusivityIncludesAzure();
        var viaAfter = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--format", "json");
        var viaRules = CliRunner.Run("impact", "--before", Rules, "--rules", copy.Directory, "--format", "json");

        Assert.That(viaRules.Exit, Is.Zero, viaRules.Stderr);
        Assert.That(viaRules.Stdout, Is.EqualTo(viaAfter.Stdout));
    }

    [Test]
    public void Impact_Json_FrontierExclusivityIncludesAzure()
    {
        using var copy = ImpactEdits.FrontierExclusivityIncludesAzure();
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--format", "json", "--exit-code");

        Assert.That(exit, Is.EqualTo(1), "--exit-code: something changed");
        Assert.That(stderr, Is.Empty);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.That(root.GetProperty("before").GetString(), Is.EqualTo(RuleFiles.FromDirectory(Rules).Hash()));
        Assert.That(root.GetProperty("after").GetString(), Is.EqualTo(RuleFiles.FromDirectory(copy.Directory).Hash()));
        Assert.That(root.GetProperty("changed").GetBoolean(), Is.True);

        var changed = root.GetProperty("clauses").GetProperty("changed").EnumerateArray().Single();
        Assert.That(changed.GetProperty("version").GetString(), Is.EqualTo("aws-openai-2026-02"));
        Assert.That(changed.GetProperty("clause").GetString(), Is.EqualTo("frontier-exclusive-third-party-distribution"));
        Assert.That(changed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "when" }));
        Assert.That(changed.GetProperty("after").GetProperty("when").GetString(), Does.Contain("\"azure\""));
        Assert.That(root.GetProperty("clauses").GetProperty("added").GetArrayLength() + root.GetProperty("clauses").GetProperty("removed").GetArrayLength(), Is.Zero);
        Assert.That(root.GetProperty("products").GetProperty("added").GetArrayLength(), Is.Zero);
        Assert.That(root.GetProperty("scenarios").GetArrayLength(), Is.Zero);

        var regions = root.GetProperty("regions").EnumerateArray().ToList();
        Assert.That(regions.Select(r => (r.GetProperty("product").GetString(), r.GetProperty("cloud").GetString(), r.GetProperty("from").GetString(), r.GetProperty("to").GetString())),
            Is.EqualTo(new[]
            {
                ("frontier", "azure", "2026-02-27", "2026-04-26"),
                ("frontier", "azure", "2026-02-27", "2026-04-26"),
                ("frontier", "azure", "2026-04-27", "2035-12-31"),
            }));
        var first = regions[0];
        Assert.That(first.GetProperty("facts").GetProperty("agiVerified").GetBoolean(), Is.False);
        Assert.That(first.GetProperty("before").GetProperty("permission").GetString(), Is.EqualTo("Permitted"));
        Assert.That(first.GetProperty("before").GetProperty("disputed").GetBoolean(), Is.False);
        Assert.That(Decisive(first.GetProperty("before")), Is.EqualTo(new[] { "msft-openai-2025-10 non-api-any-cloud" }));
        Assert.That(first.GetProperty("after").GetProperty("permission").GetString(), Is.EqualTo("Prohibited"));
        Assert.That(Decisive(first.GetProperty("after")), Is.EqualTo(new[] { "aws-openai-2026-02 frontier-exclusive-third-party-distribution" }));
        Assert.That(regions[2].GetProperty("facts").EnumerateObject(), Is.Empty, "from 2026-04-27 whatever the facts");
    }

    // Found by an adversarial run: "0 regions … every value of the facts gets the same" while evaluate's answer for
    // frontier without the fact changed. agreements.md: on AWS in May 2026 azure-first-ship needs shippedOnAzureFirst or
    // microsoftDeclined, so with the default true Frontier is Permitted, with false (declined unknown) Conditional.
    [Test]
    public void Impact_ChangedDefault_IsSaidBesideTheRegionsAndFoundByScenarios()
    {
        using var copy = ImpactEdits.FrontierNotShippedOnAzureFirstByDefault();
        var scenarios = Path.Combine(copy.Directory, "..", Path.GetFileName(copy.Directory) + "-scenarios.jsonl");
        File.WriteAllText(scenarios, """{"id": "omits", "product": "frontier", "cloud": "aws", "date": "2026-05-01"}""" + "\n"
            + """{"id": "gives", "product": "frontier", "cloud": "aws", "date": "2026-05-01", "shippedOnAzureFirst": true}""" + "\n");
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--scenarios", scenarios, "--exit-code");

            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stdout, Does.Contain("when the facts are given\n  and frontier's default for shippedOnAzureFirst changed (true -> false): a scenario that omits the fact, answered before as one giving true, is now answered as one giving false"));
            var (_, json, _) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--scenarios", scenarios, "--format", "json");
            var changed = JsonDocument.Parse(json).RootElement.GetProperty("scenarios").EnumerateArray().ToList();
            Assert.That(changed.Select(s => (s.GetProperty("id").GetString(), s.GetProperty("before").GetString(), s.GetProperty("after").GetString())),
                Is.EqualTo(new[] { ("omits", "Permitted", "Conditional") }));
        }
        finally
        {
            File.Delete(scenarios);
        }
    }

    [Test]
    public void Impact_Text_GroupedByProductAndCloudWithTheClauses()
    {
        using var copy = ImpactEdits.FrontierExclusivityIncludesAzure();
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory);

        Assert.That(exit, Is.Zero, stderr);
        var normalised = stdout.Replace(Rules, "<before>").Replace(copy.Directory, "<after>");
        normalised = System.Text.RegularExpressions.Regex.Replace(normalised, "sha256:[0-9a-f]{12}…", "sha256:…");
        GoldenFiles.AssertMatches("impact-frontier-exclusivity-includes-azure.txt", normalised);
    }

    [Test]
    public void Impact_Text_ReadingDeletedWithScenarios()
    {
        using var copy = ImpactEdits.MicrosoftReadingDeleted();
        var file = Path.Combine(ShippedSuite, "microsoft-2026-02-reading.json");
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--product", "frontier", "--scenarios", file);

        Assert.That(exit, Is.Zero, stderr);
        var normalised = stdout.Replace(copy.Directory, "<after>").Replace(Rules, "<before>").Replace(Repository.Root, "<repo>");
        normalised = System.Text.RegularExpressions.Regex.Replace(normalised, "sha256:[0-9a-f]{12}…", "sha256:…");
        GoldenFiles.AssertMatches("impact-microsoft-reading-deleted-frontier.txt", normalised);
    }

    [Test]
    public void Impact_Scenarios_ListsTheTestFileAndBatchScenariosThatChange()
    {
        using var copy = ImpactEdits.FrontierExclusivityIncludesAzure();
        var dir = Directory.CreateTempSubdirectory("impact-scenarios-");
        try
        {
            var jsonl = Path.Combine(dir.FullName, "questions.jsonl");
            File.WriteAllText(jsonl, string.Join("\n",
                """{"id": "q-1", "product": "frontier", "cloud": "azure", "date": "2026-03-15"}""",
                "",
                """{"id": "q-2", "product": "frontier", "cloud": "aws", "date": "2026-03-15"}""",
                """{"product": "frontier", "cloud": "azure", "date": "2027-01-01", "segment": "us-national-security"}""",
                """{"id": "q-5", "product": "frontier", "cloud": "azure", "date": "2026-02-26"}""",
                "not json"));
            var csv = Path.Combine(dir.FullName, "questions.csv");
            File.WriteAllText(csv, "id,product,cloud,date\nc-1,chatgpt,azure,2026-03-15\nc-2,frontier,azure,2030-06-01\n");

            var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--format", "json", "--scenarios", ShippedSuite, jsonl, csv);

            Assert.That(exit, Is.Zero, stderr);
            using var json = JsonDocument.Parse(stdout);
            var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
            // The shipped suite has two scenarios of Frontier on Azure on or after 2026-02-27; the batch lines 1 and 4
            // (blank line 2 is counted, the day before the AWS agreement on line 5 is not affected), record 2 of the CSV.
            Assert.That(scenarios.Select(s => s.TryGetProperty("name", out var n) ? $"{Path.GetFileName(s.GetProperty("file").GetString())}: {n.GetString()}" : $"{Path.GetFileName(s.GetProperty("file").GetString())}:{s.GetProperty("line").GetInt64()} {s.GetProperty("id").GetRawText()}"),
                Is.EqualTo(new[]
                {
                    "aws-openai.json: AWS Feb 2026: Frontier on Azure is not restricted, Microsoft is no third party",
                    "microsoft-2026-02-reading.json: Microsoft's reading: Frontier on Azure is undisputed",
                    "questions.jsonl:1 \"q-1\"",
                    "questions.jsonl:4 null",
                    "questions.csv:2 \"c-2\"",
                }));
            Assert.That(scenarios.All(s => s.GetProperty("before").GetString() == "Permitted" && s.GetProperty("after").GetString() == "Prohibited"));
            var line1 = scenarios[2];
            Assert.That(line1.GetProperty("scenario").GetProperty("date").GetString(), Is.EqualTo("2026-03-15"));
            Assert.That(Decisive(line1.GetProperty("verdicts").GetProperty("after")), Is.EqualTo(new[] { "aws-openai-2026-02 frontier-exclusive-third-party-distribution" }));
            Assert.That(json.RootElement.GetProperty("scenariosRejected").GetInt64(), Is.EqualTo(1), "`not json` is refused by both");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Impact_ScenariosNamingTheDeletedReading_ReadWithTheBeforeSet()
    {
        // microsoft-2026-02-reading.json names the deleted reading in its expectations, so the after set cannot read
        // it; the before set can, and its scenarios are still compared (expectations are not checked by impact).
        using var copy = ImpactEdits.MicrosoftReadingDeleted();
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--format", "json", "--scenarios", ShippedSuite);

        Assert.That(exit, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var fromReadingFile = json.RootElement.GetProperty("scenarios").EnumerateArray()
            .Where(s => s.GetProperty("file").GetString()!.EndsWith("microsoft-2026-02-reading.json", StringComparison.Ordinal))
            .Select(s => $"{s.GetProperty("name").GetString()}: {s.GetProperty("before").GetString()} -> {s.GetProperty("after").GetString()}");
        // Every scenario of the file where the reading disagreed with the announced version, no other.
        Assert.That(fromReadingFile, Is.EqualTo(new[]
        {
            "Frontier sold through AWS in March 2026 is disputed: Prohibited -> Permitted",
            "Microsoft's reading: the announced version does not decide Frontier on AWS, it permits it: Prohibited -> Permitted",
            "Microsoft's reading: Frontier on OpenAI's own infrastructure is still disputed (AWS's deal does not restrict it): Prohibited -> Permitted",
            "Microsoft's reading: Frontier on Oracle is forbidden by both Microsoft's reading and AWS's exclusivity: Prohibited -> Prohibited",
            "Microsoft's reading: the stateful runtime on AWS is conditional on its stateless calls being on Azure: Conditional -> Permitted",
            "Microsoft's reading: the stateful runtime on AWS with its stateless calls elsewhere is disputed and prohibited: Prohibited -> Permitted",
            "Microsoft's reading: the stateful runtime on Google Cloud is prohibited by AWS's exclusivity and still disputed: Prohibited -> Prohibited",
        }));
    }

    [Test]
    public void Impact_UnusableScenarioFile_ReportStillWrittenAndExit2()
    {
        var dir = Directory.CreateTempSubdirectory("impact-scenarios-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "broken.json"), "{\"scenarios\": [ {\"name\": \"x\", \"product\": \"frontier\",");
            var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--scenarios", dir.FullName);

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stdout, Does.Contain("Answers that change: 0 region(s)"));
            Assert.That(stderr, Does.Contain("broken.json:1:"));
            Assert.That(stderr, Does.Contain("the file is not valid JSON"));
            // In JSON too (found by an adversarial run: it looked like a clean answer, the problem on stderr only).
            var json = CliRunner.Run("impact", "--before", Rules, "--scenarios", dir.FullName, "--format", "json");
            Assert.That(json.Exit, Is.EqualTo(2));
            var problem = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("scenarioProblems").EnumerateArray().Single().GetString();
            Assert.That(problem, Does.Contain("broken.json:1:").And.Contain("the file is not valid JSON"));

            File.Delete(Path.Combine(dir.FullName, "broken.json"));
            var empty = CliRunner.Run("impact", "--before", Rules, "--scenarios", dir.FullName);
            Assert.That(empty.Exit, Is.EqualTo(2));
            Assert.That(empty.Stderr, Does.Contain("no scenario found"));
            var emptyJson = CliRunner.Run("impact", "--before", Rules, "--scenarios", dir.FullName, "--format", "json");
            Assert.That(emptyJson.Exit, Is.EqualTo(2));
            Assert.That(JsonDocument.Parse(emptyJson.Stdout).RootElement.GetProperty("scenarioProblems").EnumerateArray().Select(p => p.GetString()),
                Is.EqualTo(new[] { "no scenario found in the given --scenarios paths" }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Impact_ScenarioOfARemovedProduct_ListedAsRefusedAfter()
    {
        using var copy = new RuleSetCopy();
        ImpactEdits.Edit(copy, "catalogue.json", root =>
        {
            var products = root["products"]!.AsArray();
            products.Remove(products.Single(p => (string?)p!["id"] == "consumer-device"));
        });
        var file = Path.Combine(copy.Directory, "..", Path.GetFileName(copy.Directory) + "-questions.jsonl");
        File.WriteAllText(file, """{"id": 7, "product": "consumer-device", "cloud": "aws", "date": "2026-06-01"}""" + "\n");
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--scenarios", file, "--exit-code", "--format", "json");

            Assert.That(exit, Is.EqualTo(1), stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.That(json.RootElement.GetProperty("products").GetProperty("removed").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "consumer-device" }));
            var scenario = json.RootElement.GetProperty("scenarios").EnumerateArray().Single();
            Assert.That(scenario.GetProperty("id").GetInt32(), Is.EqualTo(7));
            // 2026-04's azure-first-ship with both facts unknown (the device's default and microsoftDeclined).
            Assert.That(scenario.GetProperty("before").GetString(), Is.EqualTo("Conditional"));
            Assert.That(scenario.GetProperty("after").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(scenario.GetProperty("verdicts").GetProperty("after").GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("unknown-product"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Impact_ScenarioFileMissing_Exit2()
    {
        var (exit, _, stderr) = CliRunner.Run("impact", "--before", Rules, "--scenarios", Path.Combine(Rules, "no-such-file.jsonl"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no-such-file.jsonl: there is no such file or folder"));
    }

    [Test]
    public void Impact_ScenariosFromStandardInput_IsRefusedAsSuch()
    {
        var (exit, _, stderr) = CliRunner.Run("impact", "--before", Rules, "--scenarios", "-");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("-: standard input is not read by --scenarios"));
    }

    [TestCase("--before")]
    [TestCase("--after")]
    public void Impact_BrokenRuleSet_Exit2WithItsProblems(string side)
    {
        using var broken = new RuleSetCopy();
        broken.Replace("clauses/aws-openai-2026-02.json", "\"effect\": \"forbid\"", "\"effect\": \"forbids\"");
        var other = side == "--before" ? "--after" : "--before";

        var (exit, stdout, stderr) = CliRunner.Run("impact", side, broken.Directory, other, Rules);
        var validate = CliRunner.Run("validate", "--rules", broken.Directory);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain($"error: the {side[2..]} rule set `{broken.Directory}` cannot be used (1 problem(s)):"));
        Assert.That(stderr, Does.Contain(validate.Stderr), "the problems as validate reports them");
        Assert.That(validate.Stderr, Does.Contain("aws-openai-2026-02.json"));

        var (jsonExit, jsonOut, _) = CliRunner.Run("impact", side, broken.Directory, other, Rules, "--format", "json");
        Assert.That(jsonExit, Is.EqualTo(2));
        using var json = JsonDocument.Parse(jsonOut);
        Assert.That(json.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-rule-set"));
        var report = json.RootElement.GetProperty(side[2..]);
        Assert.That(report.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(report.GetProperty("problems").EnumerateArray().Single().GetProperty("file").GetString(), Does.EndWith("clauses/aws-openai-2026-02.json"));
        Assert.That(json.RootElement.GetProperty(other[2..]).GetProperty("valid").GetBoolean(), Is.True);
    }

    [Test]
    public void Impact_RuleSetThatCannotBeRead_JsonStillSaysBothSidesProblems()
    {
        using var broken = new RuleSetCopy();
        broken.Replace("clauses/aws-openai-2026-02.json", "\"effect\": \"forbid\"", "\"effect\": \"forbids\"");
        using var unreadable = new RuleSetCopy();
        var fifo = Path.Combine(unreadable.Directory, "clauses", "aws-openai-2025-11.json");
        File.Delete(fifo);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }

        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", broken.Directory, "--after", unreadable.Directory, "--format", "json");

        Assert.That(exit, Is.EqualTo(2), stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-rule-set"));
        Assert.That(json.RootElement.GetProperty("before").GetProperty("problems").EnumerateArray().Single().GetProperty("code").GetString(), Is.EqualTo("unknown-effect"));
        var after = json.RootElement.GetProperty("after");
        Assert.That(after.GetProperty("ruleSet").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var problem = after.GetProperty("problems").EnumerateArray().Single();
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("unreadable-rule-files"));
        Assert.That(problem.GetProperty("file").GetString(), Is.EqualTo(fifo));
        Assert.That(stderr, Does.Contain("error: --after: the rule directory").And.Contain("is a FIFO"));
    }

    [Test]
    public void Impact_Product_OnlyThatProduct()
    {
        using var copy = ImpactEdits.MicrosoftReadingDeleted();
        var (exit, stdout, stderr) = CliRunner.Run("impact", "--before", Rules, "--after", copy.Directory, "--product", "stateful-runtime", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json");

        Assert.That(exit, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var regions = json.RootElement.GetProperty("regions").EnumerateArray().ToList();
        Assert.That(regions.Select(r => r.GetProperty("product").GetString()).Distinct(), Is.EqualTo(new[] { "stateful-runtime" }));
        Assert.That(regions.Min(r => r.GetProperty("from").GetString()), Is.EqualTo("2026-01-01"));
        Assert.That(regions.Max(r => r.GetProperty("to").GetString()), Is.EqualTo("2026-03-31"));
        // Per cloud off Azure (5): false and unknown calls before 2026-02-27, and from it.
        Assert.That(regions, Has.Count.EqualTo(5 * 4));
    }

    [TestCase("--product", "no-such-product", "is not a catalogue product")]
    [TestCase("--from", "2027-01-01", "is after --to")]
    [TestCase("--to", "2026-02-30", "is not a calendar date")]
    public void Impact_BadOption_Exit2(string option, string value, string message)
    {
        string[] to = option == "--to" ? [] : ["--to", "2026-12-31"];
        var (exit, _, stderr) = CliRunner.Run(["impact", "--before", Rules, option, value, .. to]);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
    }

    [Test]
    public void Impact_MissingBefore_Exit2()
    {
        var (exit, _, stderr) = CliRunner.Run("impact", "--before", Path.Combine(Rules, "no-such-dir"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--before: rule directory"));
    }

    private static IEnumerable<string> Decisive(JsonElement verdict) =>
        verdict.GetProperty("decisive").EnumerateArray().Select(d => $"{d.GetProperty("version").GetString()} {d.GetProperty("clause").GetString()}");
}
