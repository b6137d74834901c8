using ExclusivityEngine.Loading;

namespace ExclusivityEngine.Tests.Validation;

/// <summary>`validate` reports every problem of a rule set at once, each with its file, line and clause.</summary>
public sealed class RuleSetValidationTests
{
    /// <summary>
    /// The rule set's hash is computed when first read, not at load: it is still of the files as they were loaded, the
    /// same as the embedded rule set's (whose files these are), however the caller's buffers change after the load.
    /// </summary>
    [Test]
    public void Load_FromMemoryThenCallerBuffersOverwritten_HashIsOfTheFilesAsLoaded()
    {
        var files = RuleFiles.Embedded().Files.ToDictionary(f => f.Key, f => f.Value.ToArray());
        var engine = Engine.Load(RuleFiles.FromMemory("memory", files));

        foreach (var bytes in files.Values)
        {
            Array.Fill(bytes, (byte)' ');
        }

        Assert.That(engine.Rules.Hash, Is.EqualTo(Engine.LoadEmbedded().Rules.Hash).And.StartWith("sha256:"));
    }

    [Test]
    public void Validate_ManyProblems_ReportsEachWithPlace()
    {
        using var rules = new RuleSetCopy();
        const string v2019 = "clauses/msft-openai-2019.json";
        rules.Replace(v2019, "\"effect\": \"permit\"", "\"effect\": \"allow\"");
        rules.Replace(v2019, "\"overrides\": [\"azure-exclusive-hosting\"]", "\"overrides\": [\"azure-exclusive-hostin\"]");
        rules.Replace(v2019, "\"id\": \"microsoft-exclusive-license\"", "\"id\": \"azure-exclusive-hosting\"");
        rules.Replace(v2019, "\"when\": \"agiDeclared\"", "\"when\": \"agiDeclard\"");
        rules.Replace("clauses/msft-openai-2026-04.json", "\"anyOf\": [\"shippedOnAzureFirst\", \"microsoftDeclined\"]", "\"anyOf\": [\"shippedOnAzureFirst\", \"microsoftDeclind\"]");
        rules.Replace("clauses/msft-openai-2026-04.json", "\"source\": \"licence term ended\"", "\"source\": \"\"");
        rules.Replace("clauses/aws-openai-2025-11.json", "\"when\": \"cloud == \\\"aws\\\"\"", "\"when\": \"cloud == \\\"aws\\\" and (\"");
        rules.Replace("versions.json", "\"effective\": \"2025-11-03\"", "\"effective\": \"2025-11-31\"");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));
        var codes = problems.Select(p => (p.Code, p.Clause)).ToList();

        Assert.That(codes, Is.EquivalentTo(new (string, string?)[]
        {
            ("unknown-effect", "open-weight-distribution"),
            ("unknown-clause", "open-weight-distribution"),
            ("duplicate-id", "azure-exclusive-hosting"),
            ("unknown-fact", "agi-declared-ends-exclusivity"),
            ("unknown-fact", "azure-first-ship"),
            ("missing-source", "license-term-ended"),
            ("invalid-expression", "aws-compute-capacity"),
            ("invalid-date", null),
        }), string.Join("\n", problems));
        Assert.That(problems.All(p => p.Location is { Line: > 0, Column: > 0 }), Is.True, string.Join("\n", problems));
        var places = problems.Select(p => $"{p.Location!.File}:{p.Location.Line:D6}").ToList();
        Assert.That(places, Is.EqualTo(places.Order(StringComparer.Ordinal).ToList()), "sorted by place");
    }

    [TestCase("\"id\": \"frontier\"", "\"id\": \"chatgpt\"", "product `chatgpt` is listed 2 times")]
    [TestCase("\"id\": \"aws\"", "\"id\": \"azure\"", "cloud `azure` is listed 2 times")]
    [TestCase("\"id\": \"frontier\"", "\"id\": \"\"", "product `` is listed")]
    [TestCase("\"id\": \"frontier\"", "\"id\": \"Frontier\"", "product id `Frontier` must be lowercase letters")]
    [TestCase("\"id\": \"oracle\"", "\"id\": \"\"", "cloud id `` must be lowercase letters")]
    [TestCase("\"id\": \"frontier\"", "\"id\": \"-x\"", "product id `-x` must be lowercase letters")]
    public void Validate_CatalogueIdListedTwiceOrNotAnId_IsAProblemNotACrash(string from, string to, string expected)
    {
        // Found by the rules fuzzer: the catalogue was indexed by id before validation could report the duplicate.
        // Found by an adversarial run: an empty product id validated, and a batch line naming it was answered.
        using var rules = new RuleSetCopy();
        rules.Replace("catalogue.json", from, to);
        if (to == "\"id\": \"\"")
        {
            rules.Replace("catalogue.json", "\"id\": \"chatgpt\"", to);
        }

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Message), Has.Some.Contains(expected), string.Join("\n", problems));
        // At the entry written again (found by an adversarial run: a duplicate was said with no line).
        Assert.That(problems.First(p => p.Message.Contains(expected, StringComparison.Ordinal)).Location!.Line, Is.GreaterThan(0));
        Assert.Throws<ExclusivityEngine.Model.RuleSetException>(() => Engine.Load(RuleFiles.FromDirectory(rules.Directory)));
    }

    [Test]
    public void ValidateCommand_ProblemRuleSet_PrintsPlacesAndExits2()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", "\"effect\": \"forbid\"", "\"effect\": \"forbidd\"");

        var (exit, _, stderr) = CliRunner.Run("validate", "--rules", rules.Directory);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Match(@"msft-openai-2019\.json:\d+:\d+: clause `azure-exclusive-hosting`: field `effect`: effect `forbidd` is not one of"));
    }

    [Test]
    public void ValidateCommand_BrokenJson_NamesLineAndColumn()
    {
        using var rules = new RuleSetCopy();
        File.WriteAllText(rules.PathOf("clauses/aws-openai-2025-11.json"), "{\n  \"version\": \"aws-openai-2025-11\",\n  \"clauses\": [ { \"id\": \"x\" ,, } ]\n}\n");

        var (exit, stdout, _) = CliRunner.Run("validate", "--rules", rules.Directory, "--format", "json");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stdout, Does.Contain("\"code\": \"invalid-json\"").And.Contain("\"line\": 3"));
    }

    [Test]
    public void ValidateCommand_ShippedRules_Exits0()
    {
        var (exit, stdout, _) = CliRunner.Run("validate");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("valid"));
    }

    // Found by an adversarial run: both validated, then every evaluation (no attributes) or a timeline (no clouds)
    // ended in an unhandled exception.
    [TestCase("attributes", "missing-field", "`attributes` is required")]
    [TestCase("clouds", "invalid-field", "`clouds` must list at least one cloud")]
    public void Validate_CatalogueWithoutAttributesOrWithoutClouds_IsAProblem(string field, string code, string expected)
    {
        using var rules = new RuleSetCopy();
        var catalogue = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(rules.PathOf("catalogue.json")));
        if (field == "attributes")
        {
            catalogue.Remove("attributes");
        }
        else
        {
            catalogue["clouds"] = new Newtonsoft.Json.Linq.JArray();
        }
        File.WriteAllText(rules.PathOf("catalogue.json"), catalogue.ToString());

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => (p.Code, p.Field)), Does.Contain((code, field)), string.Join("\n", problems));
        Assert.That(problems.Select(p => p.Message), Has.Some.Contains(expected));
        Assert.Throws<ExclusivityEngine.Model.RuleSetException>(() => Engine.Load(RuleFiles.FromDirectory(rules.Directory)));
    }

    // Found by an adversarial run: each validated. A cycle made both clauses overridden whenever both applied, so the
    // forbid vanished and the verdict rested on nothing written.
    [TestCase("\"id\": \"stateless-api-exclusivity\",", "\"id\": \"stateless-api-exclusivity\",\n      \"overrides\": [\"national-security-exception\"],",
        "stateless-api-exclusivity", "overrides form a cycle: `stateless-api-exclusivity` overrides `national-security-exception` overrides `stateless-api-exclusivity`")]
    [TestCase("\"overrides\": [\"stateless-api-exclusivity\"],", "\"overrides\": [\"stateless-api-exclusivity\", \"stateless-api-exclusivity\"],",
        "national-security-exception", "overrides `stateless-api-exclusivity` 2 times")]
    [TestCase("\"revenueShare\": { \"payer\": \"openai\", \"payee\": \"microsoft\" }", "\"revenueShare\": { \"payer\": \"openai\", \"payee\": \"openai\" }",
        "revenue-share-openai-to-microsoft", "a revenue share paid by `openai` to itself obliges nothing")]
    public void Validate_OverrideCycleRepeatedOverrideOrSelfPayingShare_IsAProblem(string from, string to, string clause, string expected)
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2025-10.json", from, to);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Where(p => p.Clause == clause).Select(p => p.Message), Has.Some.EqualTo(expected), string.Join("\n", problems));
        Assert.That(problems.Select(p => p.Code), Has.All.EqualTo("invalid-field"), string.Join("\n", problems));
    }

    // Found by an adversarial run: a note overriding azure-exclusive-hosting validated, and turned chatgpt on AWS in
    // 2020 from Prohibited to Permitted with nothing decisive. agreements.md: a note is "an explanation only", an oblige
    // "never changes the permission".
    [TestCase("\"id\": \"agi-declared-ends-exclusivity\",", "\"id\": \"aws-remark\", \"effect\": \"note\", \"when\": \"cloud == \\\"aws\\\"\", \"overrides\": [\"azure-exclusive-hosting\"], \"source\": \"t\" },\n    {\n      \"id\": \"agi-declared-ends-exclusivity\",",
        "aws-remark", "a `note` clause is an explanation only: it cannot override a clause")]
    [TestCase("\"id\": \"agi-declared-ends-exclusivity\",", "\"id\": \"aws-share\", \"effect\": \"oblige\", \"when\": \"cloud == \\\"aws\\\"\", \"overrides\": [\"azure-exclusive-hosting\"], \"source\": \"t\" },\n    {\n      \"id\": \"agi-declared-ends-exclusivity\",",
        "aws-share", "an `oblige` clause never changes the permission: it can override only `oblige` clauses, and `azure-exclusive-hosting` is a `forbid` clause")]
    public void Validate_NoteOrObligeOverridingWhatDecidesThePermission_IsAProblem(string from, string to, string clause, string expected)
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", from, to);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => (p.Code, p.Clause, p.Field, p.Message)), Is.EqualTo(new[] { ("invalid-field", (string?)clause, (string?)"overrides", expected) }), string.Join("\n", problems));
        Assert.That(problems[0].Location!.Line, Is.GreaterThan(0));
    }

    // Found by a review: an effect that could not be read was taken for a note, and said to be one.
    [TestCase("\"effect\": \"permit\",\n      \"when\": \"product.interface == \\\"open-weights\\\"\"", "\"effect\": \"permt\",\n      \"when\": \"product.interface == \\\"open-weights\\\"\"", "unknown-effect")]
    [TestCase("\"effect\": \"permit\",\n      \"when\": \"product.interface == \\\"open-weights\\\"\"", "\"when\": \"product.interface == \\\"open-weights\\\"\"", "missing-field")]
    [TestCase("\"effect\": \"permit\",\n      \"when\": \"product.interface == \\\"open-weights\\\"\"", "\"effect\": 1,\n      \"when\": \"product.interface == \\\"open-weights\\\"\"", "invalid-field")]
    public void Validate_ClauseWithOverridesWhoseEffectCannotBeRead_IsThatOneProblem(string from, string to, string code)
    {
        // open-weight-distribution overrides azure-exclusive-hosting; an oblige overriding it is not said to override a note.
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", from, to);
        rules.Replace("clauses/msft-openai-2019.json", "\"id\": \"revenue-share-microsoft-to-openai\",",
            "\"id\": \"revenue-share-microsoft-to-openai\",\n      \"overrides\": [\"open-weight-distribution\"],");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => (p.Code, p.Clause)), Is.EqualTo(new[] { (code, (string?)"open-weight-distribution") }), string.Join("\n", problems));
    }

    [Test]
    public void Validate_ObligeOverridingAnotherObligation_IsValid()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", "\"id\": \"revenue-share-microsoft-to-openai\",",
            "\"id\": \"revenue-share-microsoft-to-openai\",\n      \"overrides\": [\"revenue-share-openai-to-microsoft\"],");

        Assert.That(Engine.Validate(RuleFiles.FromDirectory(rules.Directory)), Is.Empty);
    }

    // Found by an adversarial run: each validated, and changed verdicts unseen (a misspelt segment made the
    // national-security exception's verdict Prohibited and disputed; `cloud == "AWS"` never applied).
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.offeredBy == \\\"openai\\\" and cloud != \\\"Azure\\\"",
        "`cloud` is never `Azure` (the catalogue's clouds are azure, aws, google-cloud, oracle, openai, other), so comparing it with that is always true")]
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.offeredBy == \\\"OpenAI\\\" and cloud != \\\"azure\\\"",
        "`product.offeredBy` is never `OpenAI` (the catalogue's attributes allow openai, microsoft), so comparing it with that is never true")]
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.offeredBy == \\\"openai\\\" and cloud in (\\\"aws\\\", \\\"mars\\\")",
        "`cloud` is never `mars`")]
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.offeredBy == \\\"openai\\\" and not (segment == \\\"us-national-securty\\\")",
        "`segment` is never `us-national-securty` (a segment is general, us-national-security), so comparing it with that is never true")]
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.interface == \\\"agent platform\\\" or product.origin == \\\"firstparty\\\"",
        "`product.interface` is never `agent platform`", "`product.origin` is never `firstparty`")]
    [TestCase("product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"", "product.offeredBy == \\\"openai\\\" and (cloud == \\\"aws\\u200b\\\" or cloud == \\\"aws\\u200b\\\")",
        "`cloud` is never `aws\\u200B` (")]
    public void Validate_ConditionComparingAClosedFactWithAValueItNeverTakes_IsAProblemAtTheCondition(string from, string to, params string[] expected)
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", from, to);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems, Has.Count.EqualTo(expected.Length), string.Join("\n", problems));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(problems[i].Message, Does.StartWith(expected[i]), string.Join("\n", problems));
            Assert.That((problems[i].Code, problems[i].Clause, problems[i].Field), Is.EqualTo(("unknown-value", "azure-exclusive-hosting", "when")));
            Assert.That((problems[i].Location!.File, problems[i].Location!.Line), Is.EqualTo((rules.PathOf("clauses/msft-openai-2019.json"), 7)));
        }
    }

    [Test]
    public void Validate_ConditionNamingAProductIdOutsideTheCatalogue_IsValid()
    {
        // An inline product may have any id: a clause may name one the catalogue does not list.
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2019.json", "product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\"",
            "product.offeredBy == \\\"openai\\\" and cloud != \\\"azure\\\" and product.id != \\\"partner-built-model\\\"");

        Assert.That(Engine.Validate(RuleFiles.FromDirectory(rules.Directory)), Is.Empty);
    }

    // Found by an adversarial run: an empty track put a Microsoft version on a nameless track of its own, in force beside
    // its successor; an empty clause id was named as decisive. The schema's id pattern now holds for every id.
    [TestCase("versions.json", "\"track\": \"microsoft\"", "\"track\": \"\"", "track `` must be lowercase letters", "track")]
    [TestCase("versions.json", "\"track\": \"microsoft\"", "\"track\": \"Microsoft \"", "track `Microsoft ` must be lowercase letters", "track")]
    [TestCase("versions.json", "\"id\": \"msft-openai-2019\"", "\"id\": \"msft@2019\"", "version id `msft@2019` must be lowercase letters", "id")]
    [TestCase("clauses/msft-openai-2019.json", "\"id\": \"open-weight-distribution\"", "\"id\": \"\"", "clause id `` must be lowercase letters", "id")]
    [TestCase("clauses/msft-openai-2019.json", "\"id\": \"open-weight-distribution\"", "\"id\": \"   \"", "clause id `   ` must be lowercase letters", "id")]
    [TestCase("clauses/msft-openai-2025-10.json", "\"id\": \"microsoft-2026-02\"", "\"id\": \"Microsoft 2026\"", "reading id `Microsoft 2026` must be lowercase letters", "id")]
    public void Validate_BlankOrOddVersionTrackReadingOrClauseId_IsAProblemAtIt(string file, string from, string to, string expected, string field)
    {
        using var rules = new RuleSetCopy();
        rules.Replace(file, from, to);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        var problem = problems.FirstOrDefault(p => p.Message.Contains(expected, StringComparison.Ordinal));
        Assert.That(problem, Is.Not.Null, string.Join("\n", problems));
        Assert.That((problem!.Code, problem.Field, problem.Location!.File), Is.EqualTo(("invalid-field", (string?)field, rules.PathOf(file))));
        Assert.That(problem.Location.Line, Is.GreaterThan(0));
    }

    // Found by an adversarial run: an unknown key of megabytes was echoed whole, terminal escapes and all.
    [Test]
    public void Validate_HugeUnknownKeyWithAnEscape_IsQuotedShort()
    {
        using var rules = new RuleSetCopy();
        var key = new string('k', 100_000) + "\\u001b[31m"; // an escape, as JSON writes it
        rules.Replace("catalogue.json", "\"clouds\":", $"\"{key}\": 1, \"clouds\":");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        // The key is unknown, and its escape is a control character no rule text may hold: two problems, both short.
        Assert.That(problems.Select(p => p.Code), Is.EquivalentTo(new[] { "unknown-field", "invalid-field" }));
        Assert.That(problems.Select(p => p.ToString()), Has.All.Length.LessThan(400).And.All.Not.Contain("\u001b"));
        Assert.That(problems.Select(p => p.Field), Has.All.Contain(new string('k', 50)).And.All.EndsWith("…"));
    }

    // Found by an adversarial run: "error reading JToken from JsonReader", a library's words.
    [TestCase("")]
    [TestCase(" \n\t\r\n")]
    public void Validate_EmptyRuleFile_SaysItIsEmpty(string content)
    {
        using var rules = new RuleSetCopy();
        File.WriteAllText(rules.PathOf("catalogue.json"), content);

        var problem = Engine.Validate(RuleFiles.FromDirectory(rules.Directory)).Single();

        Assert.That((problem.Code, problem.Message), Is.EqualTo(("invalid-json", "the file is empty; a rule file is one JSON object { … }")));
    }

    // Found by a review of the interface: a file cut short said "error reading JObject from JsonReader".
    [TestCase("{\n")]
    [TestCase("{\"versions\": [\n")]
    [TestCase("{\"a\": 1,\n")]
    [TestCase("[")]
    public void Validate_RuleFileCutShort_SaysItEndsTooEarly(string content)
    {
        using var rules = new RuleSetCopy();
        File.WriteAllText(rules.PathOf("catalogue.json"), content);

        var problem = Engine.Validate(RuleFiles.FromDirectory(rules.Directory)).Single();

        Assert.That((problem.Code, problem.Message), Is.EqualTo(("invalid-json", "the file ends before its JSON does (an object { or a list [ is not closed)")));
        Assert.That(problem.Location!.File, Does.EndWith("catalogue.json"));
    }

    // Found by an adversarial run: a clause's note of cursor-up and erase-line escapes hid, on the reviewer's terminal,
    // the `when` that `impact` showed changed beside it. Rule text is shown verbatim everywhere, so it may hold no control.
    [TestCase("versions.json", "\"title\": \"original partnership terms\"", "\"title\": \"original\\u001b[1A\\u001b[2K terms\"", "versions[0].title", "U+001B")]
    [TestCase("versions.json", "\"title\": \"original partnership terms\"", "\"title\": \"original \\u202e terms\"", "versions[0].title", "U+202E")]
    [TestCase("versions.json", "\"title\": \"original partnership terms\"", "\"title\": \"original\\npartnership terms\"", "versions[0].title", "U+000A")]
    [TestCase("clauses/msft-openai-2019.json", "\"source\": \"", "\"source\": \"\\u0007", "clauses[0].source", "U+0007")]
    public void Validate_ControlCharacterInRuleText_IsAProblemWithItsPlace(string file, string old, string replacement, string field, string character)
    {
        using var rules = new RuleSetCopy();
        var text = File.ReadAllText(rules.PathOf(file));
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0));
        File.WriteAllText(rules.PathOf(file), text[..at] + replacement + text[(at + old.Length)..]);

        var problem = Engine.Validate(RuleFiles.FromDirectory(rules.Directory)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(problem.Code, Is.EqualTo("invalid-field"));
            Assert.That(problem.Field, Is.EqualTo(field));
            Assert.That(problem.Message, Does.Contain(character));
            Assert.That(problem.Location!.File, Does.EndWith(file));
            Assert.That(problem.Location.Line, Is.GreaterThan(0));
        });
    }

    [TestCase("versions.json", "\"title\": \"original partnership terms\"", "\"title\": \"original\u2028partnership terms\"", "versions[0].title", "U+2028")]
    public void Validate_LineSeparatorInRuleText_IsAProblemWithItsPlace(string file, string old, string replacement, string field, string character) =>
        Validate_ControlCharacterInRuleText_IsAProblemWithItsPlace(file, old, replacement, field, character);

    // Found by a review: the embedded rule set was told apart by its origin, so files whose origin read `embedded` (a
    // folder so named, given as `--rules embedded`) skipped the strict-JSON and control-character checks.
    [Test]
    public void Validate_FilesWhoseOriginReadsEmbedded_AreCheckedLikeAnyOther()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("versions.json", "\"title\": \"original partnership terms\"", "\"title\": \"original\\u001b[2J terms\"");
        rules.Replace("catalogue.json", "{", "{ // a comment\n");
        var files = RuleFiles.FromDirectory(rules.Directory).Files;

        var problems = Engine.Validate(RuleFiles.FromMemory("embedded", files));

        Assert.That(problems.Select(p => p.Code), Is.EquivalentTo(new[] { "invalid-json", "invalid-field" }), string.Join("\n", problems));
        Assert.That(problems.Select(p => p.Location!.File), Has.Some.EqualTo(Path.Combine("embedded", "catalogue.json")));
    }

    [Test]
    public void Validate_UnknownFieldAndReadingOverrideOfMissingClause_AreReported()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2025-10.json", "\"id\": \"first-party-products-on-azure\",", "\"id\": \"first-party-products-on-azure\",\n          \"overides\": [\"x\"],");
        rules.Replace("clauses/msft-openai-2025-10.json", "\"id\": \"collaboration-calls-on-azure\",", "\"id\": \"collaboration-calls-on-azure\",\n          \"overrides\": [\"no-such-clause\"],");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Code), Is.EquivalentTo(new[] { "unknown-field", "unknown-clause" }), string.Join("\n", problems));
    }
}

/// <summary>One mistake in a rule folder is one problem, said where it is; a file the rule set does not read is refused.</summary>
public sealed class RuleFolderProblemTests
{
    // Found by an adversarial run: a broken versions.json also called every clause file "not named in versions.json".
    [Test]
    public void Validate_VersionsTableNotJson_IsOneProblem()
    {
        using var rules = new RuleSetCopy();
        File.WriteAllText(rules.PathOf("versions.json"), "{");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { "invalid-json" }), string.Join("\n", problems));
        Assert.That(problems[0].Location!.File, Does.EndWith("versions.json"));
    }

    // Found by an adversarial run: a stray JSON file changed the rule set's hash while validate called the set valid.
    [Test]
    public void Validate_JsonFileOutsideTheRuleSetLayout_IsRefusedByName()
    {
        using var rules = new RuleSetCopy();
        File.WriteAllText(rules.PathOf("notes.json"), "{garbage");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { "unknown-file" }), string.Join("\n", problems));
        Assert.That(problems[0].Message, Does.StartWith("`notes.json` is not part of a rule set"));
    }

    [Test]
    public void Validate_ClauseFileInAFolderBelowClauses_SaysWhereItBelongs()
    {
        using var rules = new RuleSetCopy();
        Directory.CreateDirectory(rules.PathOf("clauses/old"));
        File.Copy(rules.PathOf("clauses/aws-openai-2025-11.json"), rules.PathOf("clauses/old/aws-openai-2025-11.json"));

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { "unknown-version" }), string.Join("\n", problems));
        Assert.That(problems[0].Message, Does.Contain("is in a folder below `clauses/`").And.Not.Contain("not named in"));
    }

    // Found by an adversarial run: a byte that is not UTF-8 in a rule file had no place; in a test file it had one.
    [Test]
    public void Validate_ByteThatIsNotUtf8_IsPlacedByLineAndColumn()
    {
        using var rules = new RuleSetCopy();
        var path = rules.PathOf("clauses/aws-openai-2025-11.json");
        var lines = File.ReadAllLines(path);
        File.WriteAllBytes(path, [.. System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines[..2]) + "\n  "), 0xFF, .. System.Text.Encoding.UTF8.GetBytes("\n" + string.Join("\n", lines[2..]))]);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => (p.Code, p.Message)), Is.EqualTo(new[] { ("invalid-json", "the file is not UTF-8") }), string.Join("\n", problems));
        Assert.That((problems[0].Location!.Line, problems[0].Location!.Column), Is.EqualTo((3, 3)));
    }

    [TestCase("catalogue.json")]
    [TestCase("clauses/aws-openai-2025-11.json")]
    public void Validate_FolderWhereARuleFileBelongs_SaysItIsAFolder(string file)
    {
        using var rules = new RuleSetCopy();
        File.Delete(rules.PathOf(file));
        Directory.CreateDirectory(rules.PathOf(file));

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { "missing-file" }), string.Join("\n", problems));
        Assert.That(problems[0].Message, Does.EndWith($"(`{file}` is a folder, not a file)"));
    }

    [Test]
    public void Location_WithALineButNoColumn_IsFileAndLine()
    {
        Assert.That(new Model.SourceLocation("versions.json", 2, 0).ToString(), Is.EqualTo("versions.json:2"));
        Assert.That(new Model.SourceLocation("versions.json", 2, 5).ToString(), Is.EqualTo("versions.json:2:5"));
        Assert.That(new Model.SourceLocation("versions.json", 0, 0).ToString(), Is.EqualTo("versions.json"));
    }
}
