using PublicApiGenerator;

namespace ExclusivityEngine.Tests;

/// <summary>
/// The library's public API is a decision, not an accident: it is written out in <c>src/ExclusivityEngine/PublicApi.txt</c>,
/// so that any change to it shows in review. After an intended change, run the tests with
/// EXCLUSIVITY_UPDATE_GOLDEN=1 and review the file's diff.
/// </summary>
public sealed class PublicApiTests
{
    [Test]
    public void PublicApi_IsTheOneWrittenDown()
    {
        var api = typeof(Engine).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(Repository.Root, "src", "ExclusivityEngine", "PublicApi.txt");
        if (Environment.GetEnvironmentVariable("EXCLUSIVITY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, api);
            Assert.Pass($"rewrote {path}");
        }

        Assert.That(api, Is.EqualTo(File.ReadAllText(path)),
            "the library's public API changed; if that is intended, rerun with EXCLUSIVITY_UPDATE_GOLDEN=1 and review src/ExclusivityEngine/PublicApi.txt");
    }

    [Test]
    public void PublicApi_ShowsNoParserOrCompilerInternals()
    {
        var names = typeof(Engine).Assembly.GetExportedTypes().Select(t => t.Name).ToList();

        Assert.That(names, Has.None.AnyOf("MoneyParseFailure", "RevenueFields", "ExpectKeys", "ScenarioTestRunner", "ClauseNetwork", "ClassTable", "ConditionGuard"));
        Assert.That(typeof(ExclusivityEngine.Scenarios.InlineProductInput).GetProperty("UnknownField"), Is.Null, "a parser's note is not the caller's business");
    }
}
