using System.Text;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Scenarios.Testing;

namespace ExclusivityEngine.Tests.Loading;

/// <summary>Rule files and scenario test files are strict JSON (RFC 8259): what Newtonsoft would read leniently is refused with file, line and column.</summary>
public sealed class StrictRuleFileTests
{
    private const string Versions = "versions.json";

    // Each edit is made to the first `"versions": [` of versions.json, which stands on line 2 at column 3.
    [TestCase("{\n  // the table\n  \"versions\": [", 2, 3, "comments are not JSON")]
    [TestCase("{\n  /* the table */ \"versions\": [", 2, 3, "comments are not JSON")]
    [TestCase("{\n  'versions': [", 2, 3, "single quotes")]
    [TestCase("{\n  versions: [", 2, 3, "a name must be written in double quotes")]
    [TestCase("{\n  \"versions\": [NaN, ", 2, 16, "NaN")]
    [TestCase("{\n  \"versions\": [Infinity, ", 2, 16, "NaN, Infinity")]
    [TestCase("{\n  \"versions\": [\"\\ud800\", ", 2, 16, "lone surrogate")]
    public void Validate_RuleFileThatIsNotStrictJson_IsRefusedWithItsPlace(string start, int line, int column, string message)
    {
        using var rules = new RuleSetCopy();
        var path = rules.PathOf(Versions);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, start + text[(text.IndexOf('[', StringComparison.Ordinal) + 1)..]);

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        var problem = problems.Single(p => p.Location!.File.EndsWith(Versions, StringComparison.Ordinal));
        Assert.That(problem.Code, Is.EqualTo("invalid-json"));
        Assert.That((problem.Location!.Line, problem.Location.Column), Is.EqualTo((line, column)), problem.ToString());
        Assert.That(problem.Message, Does.Contain(message));
    }

    [Test]
    public void Validate_TrailingComma_IsRefused()
    {
        using var rules = new RuleSetCopy();
        rules.Replace(Versions, "\"title\": \"original partnership terms\" }", "\"title\": \"original partnership terms\", }");

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems.Any(p => p.Code == "invalid-json" && p.Message.Contains("trailing comma") && p.Location!.Line == 3), Is.True, string.Join("\n", problems));
    }

    [Test]
    public void Load_RuleFileWithAByteOrderMark_IsReadLikeAnyOther()
    {
        using var rules = new RuleSetCopy();
        foreach (var file in new[] { Versions, "catalogue.json", "clauses/msft-openai-2019.json" })
        {
            var path = rules.PathOf(file);
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(path)]);
        }

        var problems = Engine.Validate(RuleFiles.FromDirectory(rules.Directory));

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [TestCase("{ // a suite\n \"scenarios\": [] }", 1, 3)]
    [TestCase("{ \"scenarios\": [], }", 1, 20)]
    [TestCase("{ 'scenarios': [] }", 1, 3)]
    public void TestFile_NotStrictJson_IsRefusedWithItsPlace(string json, int line, int column)
    {
        var file = TestFileReader.Read(Encoding.UTF8.GetBytes(json), "suite.json", Engine.LoadEmbedded().Rules);

        Assert.That(file.Usable, Is.False);
        Assert.That((file.Problems[0].Line, file.Problems[0].Column), Is.EqualTo((line, column)), file.Problems[0].ToString());
        Assert.That(file.Problems[0].Message, Does.Contain("not strict JSON"));
    }
}
