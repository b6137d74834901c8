using System.Text.Json.Nodes;
using ExclusivityEngine.Model;
using ExclusivityEngine.Questions;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Questions;

/// <summary>Scenarios, facts and modified rule sets for the question tests.</summary>
internal static class QuestionFixtures
{
    public static Engine Shipped => Engine.LoadEmbedded();

    public static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A scenario as a user would write it (omitted facts take their defaults).</summary>
    public static Scenario Scenario(Engine engine, string product, string cloud, string date, Action<ScenarioInput>? facts = null)
    {
        var input = new ScenarioInput { Product = product, Cloud = cloud, Date = date };
        facts?.Invoke(input);
        return input.Resolve(engine.Rules.Catalogue, out var error) ?? throw new InvalidOperationException(error!.Message);
    }

    /// <summary>A region's or a change's facts as text, e.g. <c>segment=general, agiVerified=false</c>.</summary>
    public static string Text(IReadOnlyList<FactSetting> facts) =>
        string.Join(", ", facts.Select(f => $"{f.Fact}={QuestionsJson.Text(f.Value)}"));

    /// <summary>
    /// A copy of the repository's rules with extra clauses appended to one version's file, loaded as an engine.
    /// </summary>
    public static Engine WithExtraClauses(string version, params string[] clausesJson)
    {
        var dir = Directory.CreateTempSubdirectory("questions-rules-");
        foreach (var file in Directory.GetFiles(Repository.Rules, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir.FullName, Path.GetRelativePath(Repository.Rules, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var path = Path.Combine(dir.FullName, "clauses", version + ".json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var clause in clausesJson)
        {
            root["clauses"]!.AsArray().Add(JsonNode.Parse(clause));
        }
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        try
        {
            return Engine.Load(dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
