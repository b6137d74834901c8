using System.Text.Json.Nodes;

namespace ExclusivityEngine.Tests.Questions;

/// <summary>
/// The lawyer's edits the impact tests make, each on a fresh copy of the repository's <c>rules/</c>, by editing the
/// rule files' JSON as a lawyer would.
/// </summary>
internal static class ImpactEdits
{
    /// <summary>(a) The April 2026 amendment takes effect a month later.</summary>
    public static RuleSetCopy AmendmentAMonthLater()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "versions.json", root =>
        {
            var version = root["versions"]!.AsArray().Single(v => (string?)v!["id"] == "msft-openai-2026-04")!;
            Assert.That((string?)version["effective"], Is.EqualTo("2026-04-27"));
            version["effective"] = "2026-05-27";
        });
        return copy;
    }

    /// <summary>(b) AWS's Frontier exclusivity extended to Azure.</summary>
    public static RuleSetCopy FrontierExclusivityIncludesAzure()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "clauses/aws-openai-2026-02.json", root =>
        {
            var clause = Clause(root, "frontier-exclusive-third-party-distribution");
            clause["when"] = "product.id == \"frontier\" and cloud in (\"azure\", \"google-cloud\", \"oracle\", \"other\")";
        });
        return copy;
    }

    /// <summary>(c) Microsoft's February 2026 reading deleted.</summary>
    public static RuleSetCopy MicrosoftReadingDeleted()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "clauses/msft-openai-2025-10.json", root =>
        {
            var readings = root["readings"]!.AsArray();
            Assert.That(readings.Select(r => (string?)r!["id"]), Is.EqualTo(new[] { "microsoft-2026-02" }));
            root.AsObject().Remove("readings");
        });
        return copy;
    }

    /// <summary>The clause (d) adds: ChatGPT through Oracle forbidden from a date no clause used before.</summary>
    public const string NewDateClause = "chatgpt-oracle-from-2028";

    /// <summary>(d) A new clause comparing with a new date, 2028-01-01, added to the AWS February 2026 agreement.</summary>
    public static RuleSetCopy ClauseWithNewDate()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "clauses/aws-openai-2026-02.json", root => root["clauses"]!.AsArray().Add(new JsonObject
        {
            ["id"] = NewDateClause,
            ["effect"] = "forbid",
            ["when"] = "product.id == \"chatgpt\" and cloud == \"oracle\" and date >= \"2028-01-01\"",
            ["source"] = "a hypothetical announcement, for the impact tests",
        }));
        return copy;
    }

    /// <summary>
    /// A clause whose condition reads a true/false/unknown fact that no <c>anyOf</c> of ChatGPT's clauses lists
    /// (the shortcuts of <c>impact</c> must still vary it).
    /// </summary>
    public static RuleSetCopy ClauseReadingAFact()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "clauses/msft-openai-2026-04.json", root => root["clauses"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "chatgpt-oracle-criteria",
            ["effect"] = "forbid",
            ["when"] = "product.id == \"chatgpt\" and cloud == \"oracle\" and meetsOpenWeightCriteria == false",
            ["source"] = "a hypothetical reading, for the impact tests",
        }));
        return copy;
    }

    /// <summary>
    /// The other reported wording of the Azure-first condition ("cannot and chooses not to"): only shipping on Azure first
    /// meets it, Microsoft declining no longer does. Same clause, same conditions, another <c>anyOf</c>.
    /// </summary>
    public static RuleSetCopy AzureFirstWithoutDeclined()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "clauses/msft-openai-2026-04.json", root =>
            root["clauses"]!.AsArray().Single(c => (string?)c!["id"] == "azure-first-ship")!["anyOf"] = new JsonArray("shippedOnAzureFirst"));
        return copy;
    }

    /// <summary>A catalogue edit: Frontier described as an app rather than an agent platform (every clause unchanged).</summary>
    public static RuleSetCopy FrontierBecomesAnApp()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "catalogue.json", root =>
            root["products"]!.AsArray().Single(p => (string?)p!["id"] == "frontier")!["interface"] = "app");
        return copy;
    }

    /// <summary>A catalogue edit: Frontier's <c>shippedOnAzureFirst</c> default from true to false.</summary>
    public static RuleSetCopy FrontierNotShippedOnAzureFirstByDefault()
    {
        var copy = new RuleSetCopy();
        Edit(copy, "catalogue.json", root =>
            root["products"]!.AsArray().Single(p => (string?)p!["id"] == "frontier")!["shippedOnAzureFirst"] = false);
        return copy;
    }

    /// <summary>Parses a rule file of the copy, lets <paramref name="edit"/> change it, writes it back.</summary>
    public static void Edit(RuleSetCopy copy, string relative, Action<JsonNode> edit)
    {
        var path = copy.PathOf(relative);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        edit(root);
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static JsonNode Clause(JsonNode root, string id) =>
        root["clauses"]!.AsArray().Single(c => (string?)c!["id"] == id)!;
}
