using System.Text;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;
using Newtonsoft.Json;

namespace ExclusivityEngine.Tests.FactModel;

/// <summary>
/// Every fact is declared once (<see cref="Facts.All"/>) and every reader, writer, option and condition derives from
/// that declaration: for each declared fact, each of those places knows it.
/// </summary>
public sealed class FactsTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    private static IEnumerable<Fact> Optional() => Facts.Optional;

    /// <summary>A value of the fact other than its default, as JSON and as a CSV cell, and how the scenario holds it.</summary>
    private static (string Json, string Cell, object Value) NonDefault(Fact fact) => fact.Kind switch
    {
        FactKind.Choice => ($"\"{fact.Choices[^1]}\"", fact.Choices[^1], fact.Choices[^1]),
        FactKind.Occurrence => ("\"2026-01-01\"", "2026-01-01", new DateOnly(2026, 1, 1)),
        FactKind.TriState => ("false", "false", false),
        _ => throw new ArgumentOutOfRangeException(nameof(fact)),
    };

    /// <summary>The other facts set so that the fact's value is consistent (a verification needs a declaration).</summary>
    private static string Companions(Fact fact) =>
        fact.NotBefore is { } earlier ? $",\"{earlier}\":\"2025-06-01\"" : "";

    [TestCaseSource(nameof(Optional))]
    public void JsonLinesReader_ReadsTheFactIntoItsScenarioProperty(Fact fact)
    {
        var (json, _, value) = NonDefault(fact);
        var line = $"{{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"{fact.Name}\":{json}{Companions(fact)}}}";

        var scenario = ScenarioJson.Read(line, out var error)!.Resolve(Engine.Rules.Catalogue, out error);

        Assert.That(error, Is.Null);
        Assert.That(fact.ScenarioProperty.GetValue(scenario), Is.EqualTo(value));
    }

    [TestCaseSource(nameof(Optional))]
    public void JsonLinesReader_AFactWrittenTwice_IsInvalidJson(Fact fact)
    {
        var (json, _, _) = NonDefault(fact);
        var line = $"{{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"{fact.Name}\":{json},\"{fact.Name}\":{json}}}";

        Assert.That(ScenarioJson.Read(line, out var error), Is.Null);
        Assert.That(error!.Code, Is.EqualTo(ScenarioErrorCodes.InvalidJson));
    }

    [TestCaseSource(nameof(Optional))]
    public async Task CsvReader_ReadsTheFactFromItsColumn(Fact fact)
    {
        var (json, cell, _) = NonDefault(fact);
        var companion = fact.NotBefore is { } earlier ? ($",{earlier}", ",2025-06-01") : ("", "");
        var csv = $"id,product,cloud,date,{fact.Name}{companion.Item1}\nq,chatgpt,aws,2026-03-15,{cell}{companion.Item2}\n";
        var jsonl = $"{{\"id\":\"q\",\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"{fact.Name}\":{json}{Companions(fact)}}}\n";

        var fromCsv = await RunBatch(csv, BatchFormat.Csv);
        var fromJsonLines = await RunBatch(jsonl, BatchFormat.JsonLines);

        Assert.That(fromCsv, Does.Not.Contain("\"error\""));
        Assert.That(fromCsv, Is.EqualTo(fromJsonLines));
    }

    [TestCaseSource(nameof(Optional))]
    public void CommandLine_HasTheFactsOptionAndEchoesItsValue(Fact fact)
    {
        var (_, cell, _) = NonDefault(fact);
        var args = new List<string> { "evaluate", "--product", "chatgpt", "--cloud", "aws", "--date", "2026-03-15", fact.Option, cell, "--format", "json" };
        if (fact.NotBefore is { } earlier)
        {
            args.AddRange([Facts.Of(earlier).Option, "2025-06-01"]);
        }

        var (exit, stdout, stderr) = CliRunner.Run([.. args]);
        var (_, help, _) = CliRunner.Run("evaluate", "--help");

        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.That(help, Does.Contain(fact.Option));
        var echoed = JsonDocument.Parse(stdout).RootElement.GetProperty("scenario").GetProperty(fact.Name);
        Assert.That(echoed.ValueKind == JsonValueKind.String ? echoed.GetString() : echoed.GetRawText(), Is.EqualTo(cell));
    }

    [Test]
    public void ScenarioWriter_WritesEveryDeclaredFactInOrder()
    {
        var scenario = new Scenario(Engine.Rules.Catalogue.ProductsById["chatgpt"], "aws", new DateOnly(2026, 3, 15));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            AssessmentJson.WriteScenario(w, scenario);
        }

        var names = JsonDocument.Parse(buffer.ToArray()).RootElement.EnumerateObject().Select(p => p.Name);

        Assert.That(names, Is.EqualTo(Facts.All.Select(f => f.Name)));
    }

    [TestCaseSource(nameof(Optional))]
    public void Condition_ReadingTheFact_DecidesAndTheMemoTellsItsValuesApart(Fact fact)
    {
        // A clause that reads only this fact: the memo must put scenarios that differ in it into different classes.
        var (json, cell, _) = NonDefault(fact);
        var when = fact.Kind switch
        {
            FactKind.Choice => $"{fact.ConditionName} == \"{cell}\"",
            FactKind.Occurrence => $"{fact.ConditionName}",
            _ => $"{fact.ConditionName} == false",
        };
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/msft-openai-2026-04.json", "\"when\": \"product.offeredBy == \\\"microsoft\\\" and date > \\\"2032-12-31\\\"\"",
            "\"when\": " + JsonConvert.ToString($"product.offeredBy == \"microsoft\" and {when}"));
        var engine = Engine.Load(rules.Directory);
        var plain = ScenarioJson.Read("{\"product\":\"microsoft-copilot\",\"cloud\":\"aws\",\"date\":\"2026-06-01\"}", out _)!.Resolve(engine.Rules.Catalogue, out _)!;
        var set = ScenarioJson.Read($"{{\"product\":\"microsoft-copilot\",\"cloud\":\"aws\",\"date\":\"2026-06-01\",\"{fact.Name}\":{json}{Companions(fact)}}}", out _)!
            .Resolve(engine.Rules.Catalogue, out _)!;

        Assert.That(engine.Evaluate(plain).Combined.Permission, Is.EqualTo(Permission.Permitted));
        Assert.That(engine.Evaluate(set).Combined.Permission, Is.EqualTo(Permission.Prohibited));
        Assert.That(engine.Evaluate(plain).Combined.Permission, Is.EqualTo(Permission.Permitted), "the memo kept the classes apart");
        Assert.That(engine.EvaluateInSession(set).Combined.Permission, Is.EqualTo(Permission.Prohibited));
    }

    [Test]
    public void TriStates_AreExactlyTheFactsAnAnyOfMayName()
    {
        Assert.That(Facts.TriStates, Is.EqualTo(new[] { Facts.MicrosoftDeclined, Facts.ShippedOnAzureFirst, Facts.MeetsOpenWeightCriteria, Facts.StatelessCallsOnAzure }));
    }

    private static async Task<string> RunBatch(string input, BatchFormat format)
    {
        using var output = new MemoryStream();
        await new Batch(Engine, new BatchOptions { Format = format, Detail = Detail.Full }).RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
