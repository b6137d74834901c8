using System.Text;
using ExclusivityEngine.Scenarios.Testing;
using Newtonsoft.Json.Linq;

namespace ExclusivityEngine.Tests.Testing;

public sealed class TestFileReaderTests
{
    private static TestFile Read(string json) => TestFileReader.Read(Encoding.UTF8.GetBytes(json), "t.json", Engine.LoadEmbedded().Rules);

    private static string[] Problems(string json) => Read(json).Problems.Select(p => p.ToString()).ToArray();

    [Test]
    public void Read_DuplicateKey_IsBrokenJsonWithItsPlace()
    {
        var problems = Problems("{\"scenarios\": [],\n \"scenarios\": []}");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("t.json:2:"));
        Assert.That(problems[0], Does.Contain("the file is not valid JSON"));
    }

    // Found by fuzzing: Newtonsoft holds an integer too long for a long as a BigInteger, which NJsonSchema cannot convert.
    [TestCase("\"product\": 99999999999999999999999999999", "t.json:1:41: scenario `n`: field `product`: must be a string or an object, not the number 99999999999999999999999999999")]
    [TestCase("\"product\": \"chatgpt\", \"microsoftDeclined\": -123456789012345678901234567890123", "t.json:1:73: scenario `n`: field `microsoftDeclined`: -123456789012345678901234567890123 is not one of true, false, null, \"true\", \"false\", \"unknown\"")]
    [TestCase("\"product\": [1, 123456789012345678901234567890123]", "t.json:1:41: scenario `n`: field `product`: must be a string or an object, not a list")]
    [TestCase("\"product\": \"chatgpt\", \"id\": 1e29", "t.json:1:58: the number 1e29 is too large for a test file (a number here must fit a decimal: below 7.9e28 in size)")]
    [TestCase("\"product\": \"chatgpt\", \"id\": -1e400", "t.json:1:58: the number -1e400 is too large for a test file (a number here must fit a decimal: below 7.9e28 in size)")]
    public void Read_OutsizedNumber_IsAProblemWithItsPlace(string fields, string expected)
    {
        var problems = Problems($$$"""{"scenarios": [{"name": "n", {{{fields}}}, "cloud": "aws", "date": "2026-01-01", "expect": {}}]}""");

        Assert.That(problems, Is.EqualTo(new[] { expected }));
    }

    // Found by an adversarial run: a list or object where true, false or unknown is wanted was shown as nothing
    // ("field `microsoftDeclined`:  is not one of …"), and a value nested past a batch line's depth was "the line is not
    // valid JSON at byte 39", under an empty field, about a line the file does not have.
    [TestCase("\"microsoftDeclined\": [1]", "t.json:1:111: scenario `n`: field `microsoftDeclined`: a list is not one of true, false, null, \"true\", \"false\", \"unknown\"")]
    [TestCase("\"microsoftDeclined\": {\"a\": 1}", "t.json:1:111: scenario `n`: field `microsoftDeclined`: an object is not one of true, false, null, \"true\", \"false\", \"unknown\"")]
    [TestCase("\"id\": [[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]", "t.json:1:96: scenario `n`: field `id`: `id` nests deeper than a scenario's value may (15 levels, as in a batch line) (invalid-json)")]
    public void Read_ValueOfTheWrongShape_IsNamedWithItsField(string field, string expected)
    {
        var problems = Problems($$$"""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", {{{field}}}, "expect": {}}]}""");

        Assert.That(problems, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Read_ValueNestedAsDeepAsABatchLineAllows_IsAccepted()
    {
        var fifteen = new string('[', 15) + new string(']', 15);

        Assert.That(Problems($$$"""{"scenarios": [{"name": "n", "id": {{{fifteen}}}, "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {}}]}"""), Is.Empty);
    }

    // Found by an adversarial run: a misspelt key of megabytes was echoed whole as the problem's field.
    [Test]
    public void Read_HugeUnknownKey_IsQuotedShort()
    {
        var key = new string('k', 1_000_000) + "\\u001b"; // an escape, as JSON writes it
        var problems = Problems($$$"""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "{{{key}}}": 1, "expect": {}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Has.Length.LessThan(600).And.Contains("field `" + new string('k', 60) + "…`").And.Not.Contain("\u001b"));
    }

    // Found by an adversarial run: such a file was "not valid JSON: unexpected character … �", with no place.
    [TestCase(new byte[] { 0xFF, (byte)'{', (byte)'}' }, "t.json:1:1: the file is not UTF-8")]
    [TestCase(new byte[] { 0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0 }, "t.json:1:1: the file is not UTF-8")]
    [TestCase(new byte[] { (byte)'{', (byte)'\n', (byte)' ', (byte)'"', 0xC0, 0xAF, (byte)'"', (byte)'}' }, "t.json:2:3: the file is not UTF-8")]
    public void Read_BytesThatAreNotUtf8_NameTheFirstPlace(byte[] bytes, string expected)
    {
        var problems = TestFileReader.Read(bytes, "t.json", Engine.LoadEmbedded().Rules).Problems.Select(p => p.ToString()).ToArray();

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith(expected));
    }

    // A value of the wrong kind where one of a few strings is wanted broke the type and the list: one problem, its kind
    // (found by an adversarial run: two problems for one field).
    [TestCase("\"combined\": 5", "expect.combined", "must be a string in quotes, not the number 5")]
    [TestCase("\"combined\": 99999999999999999999999999999", "expect.combined", "must be a string in quotes, not the number 99999999999999999999999999999")]
    [TestCase("\"versions\": {\"msft-openai-2019\": true}", "expect.versions.msft-openai-2019", "must be a string in quotes, not true")]
    public void Read_ExpectedVerdictOfTheWrongKind_OneProblem(string expect, string field, string message)
    {
        var problems = Problems($$$"""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {{{{expect}}}}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1), string.Join("\n", problems));
        Assert.That(problems[0], Does.EndWith($"scenario `n`: field `{field}`: {message}"));
    }

    [Test]
    public void Read_OutsizedIntegerAsId_IsKeptAndTheScenarioRuns()
    {
        var file = Read("""{"scenarios": [{"name": "n", "id": 123456789012345678901234567890123, "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {}}]}""");

        Assert.That(file.Problems, Is.Empty);
        Assert.That(file.Cases.Single().Name, Is.EqualTo("n"));
    }

    [Test]
    public void Read_ScenarioWithoutName_NamesItsPosition()
    {
        var problems = Problems("""{"scenarios": [{"product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {}}]}""");

        Assert.That(problems, Is.EqualTo(new[] { "t.json:1:16: scenario `#1`: field `name`: `name` is required" }));
    }

    [Test]
    public void Read_MisspeltFact_IsRefused()
    {
        var problems = Problems("""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "segmnet": "general", "expect": {}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("t.json:1:90: scenario `n`: field `segmnet`: `segmnet` is not a scenario field; known: name, id, product"));
    }

    [Test]
    public void Read_UnknownRowInDecisive_IsRefused()
    {
        var problems = Problems("""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {"decisive": {"msft-openai-2025-10@microsoft": []}}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("t.json:1:114: scenario `n`: field `expect.decisive.msft-openai-2025-10@microsoft`: `msft-openai-2025-10@microsoft` is not a version or reading of the rule set"));
    }

    [Test]
    public void Read_InlineProductWithUnknownInterface_NamesTheAttribute()
    {
        var problems = Problems("""{"scenarios": [{"name": "n", "product": {"id": "x", "interface": "robot", "origin": "first-party", "offeredBy": "openai"}, "cloud": "aws", "date": "2026-01-01", "expect": {}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("t.json:1:66: scenario `n`: field `product.interface`: the inline product `x` has interface `robot`"));
    }

    [Test]
    public void Read_VerificationWithoutDeclaration_IsInconsistent()
    {
        var problems = Problems("""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "agiVerifiedOn": "2026-01-01", "expect": {}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.Contain("field `agiVerifiedOn`").And.Contain("(inconsistent-facts)"));
    }

    [Test]
    public void Read_GoodFile_KeepsOnlyTheKeysWritten()
    {
        var file = Read("""{"title": "t", "scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "2026-01-01", "expect": {"combined": "Permitted"}}]}""");

        Assert.That(file.Usable, Is.True);
        var expect = file.Cases.Single().Expect;
        Assert.That(expect.Combined, Is.EqualTo(Model.Permission.Permitted));
        Assert.That((expect.Disputed, expect.Versions, expect.Decisive, expect.Conditions, expect.Obligations), Is.EqualTo(((bool?)null, (object?)null, (object?)null, (object?)null, (object?)null)));
    }

    [Test]
    public void RulesSchema_EveryShippedRuleFile_Validates()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.Rules, "*.json", SearchOption.AllDirectories))
        {
            var errors = JsonSchemas.RuleFile.Validate(JToken.Parse(File.ReadAllText(file)));
            Assert.That(errors.Select(e => e.ToString()), Is.Empty, file);
        }
    }

    [Test]
    public void RulesSchema_MisspeltClauseField_IsRefused()
    {
        var clause = JObject.Parse(File.ReadAllText(Path.Combine(Repository.Rules, "clauses", "aws-openai-2025-11.json")));
        var first = (JObject)clause["clauses"]![0]!;
        first["efect"] = first["effect"];
        first.Remove("effect");

        Assert.That(JsonSchemas.RuleFile.Validate(clause), Is.Not.Empty);
    }

    [Test]
    public void TestSchema_ImpossibleDate_IsRefusedByTheValidator()
    {
        static JToken File(string date) => JToken.Parse($$$"""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "{{{date}}}", "agiDeclaredOn": null, "expect": {}}]}""");

        var errors = JsonSchemas.ScenarioTest.Validate(File("2026-02-30"));

        var date = Flatten(errors).Where(e => e.Kind == NJsonSchema.Validation.ValidationErrorKind.DateExpected).ToList();
        Assert.That(date, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(date[0].Path, Does.EndWith("date"));
        Assert.That(JsonSchemas.ScenarioTest.Validate(File("2026-02-28")), Is.Empty, "a real date, and a null date fact, pass");
    }

    [Test]
    public void RulesSchema_ImpossibleEffectiveDate_IsRefusedByTheValidator()
    {
        var versions = JObject.Parse(System.IO.File.ReadAllText(Path.Combine(Repository.Rules, "versions.json")));
        versions["versions"]![0]!["effective"] = "2026-02-30";

        var errors = Flatten(JsonSchemas.RuleFile.Validate(versions)).ToList();

        Assert.That(errors.Select(e => e.Kind), Does.Contain(NJsonSchema.Validation.ValidationErrorKind.DateExpected), string.Join("\n", errors));
    }

    // A date that may be null (agiDeclaredOn) went through the schema's two types, whose message was "must be a string
    // or null, not the string …" (found by an adversarial run).
    [TestCase("date", "2026-02-30")]
    [TestCase("date", "0000-01-01")]
    [TestCase("agiDeclaredOn", "2026-02-30")]
    [TestCase("agiDeclaredOn", "0000-01-01")]
    [TestCase("agiVerifiedOn", "26-01-01")]
    public void Read_ImpossibleDate_OneProblemWithItsCode(string field, string date)
    {
        var extra = field == "date" ? "" : $", \"{field}\": \"{date}\"";
        var day = field == "date" ? date : "2026-01-01";
        var problems = Problems($$$"""{"scenarios": [{"name": "n", "product": "chatgpt", "cloud": "aws", "date": "{{{day}}}"{{{extra}}}, "expect": {}}]}""");

        Assert.That(problems, Has.Length.EqualTo(1));
        Assert.That(problems[0], Does.Contain($"field `{field}`").And.Contain(date).And.Contain("(invalid-date)"));
    }

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors) =>
        errors.SelectMany(e => e is NJsonSchema.Validation.ChildSchemaValidationError child
            ? child.Errors.Values.SelectMany(Flatten).Prepend(e)
            : [e]);
}

public sealed class TestFileReaderOneProblemTests
{
    private static string[] Problems(string json) =>
        TestFileReader.Read(Encoding.UTF8.GetBytes(json), "t.json", Engine.LoadEmbedded().Rules).Problems.Select(p => p.ToString()).ToArray();

    // Found by an adversarial run: a null scenario was "must be an object" and then each of the keys an object needs.
    [TestCase("null")]
    [TestCase("\"frontier\"")]
    [TestCase("[]")]
    public void Read_ScenarioOfTheWrongKind_IsOneProblem(string scenario)
    {
        var problems = Problems($"{{\"title\": \"x\", \"scenarios\": [{scenario}]}}");

        Assert.That(problems, Has.Length.EqualTo(1), string.Join("\n", problems));
        Assert.That(problems[0], Does.Contain("must be an object"));
    }

    // Found by an adversarial run: "invalid property identifier character: ," lost its comma to the trimming of the
    // message's full stop, and an error at the start of a line was at column 0.
    [Test]
    public void Read_BrokenJson_NamesTheCharacterFoundAndAColumnFromOne()
    {
        var doubled = Problems("{\"title\": \"x\", \"scenarios\": [\n {\"name\": \"x\", \"product\": \"frontier\",, \"cloud\": \"azure\"}\n]}");
        var unfinished = Problems("{\"title\": \"x\", \"scenarios\": [\n");

        Assert.That(doubled, Has.Length.EqualTo(1));
        Assert.That(doubled[0], Does.StartWith("t.json:2:").And.EndWith("invalid property identifier character: `,`"));
        Assert.That(unfinished, Has.Length.EqualTo(1));
        Assert.That(unfinished[0], Does.Not.Match(@"^t\.json:\d+:0:"));
    }
}
