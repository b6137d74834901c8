using System.Linq.Expressions;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;
using NRules.Diagnostics;
using NRules.RuleModel;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>Every clause becomes an NRules rule at load, and NRules is the only rules engine the library uses.</summary>
public sealed class ClauseNetworkTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    [Test]
    public void Library_ReferencesNRulesAndNoOtherRulesEngine()
    {
        var references = typeof(Engine).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.That(references, Does.Contain("NRules").And.Contain("NRules.RuleModel"));
        Assert.That(references, Has.None.Contains("RulesEngine"), "Microsoft's RulesEngine is gone");
    }

    [Test]
    public void Network_HasOneRulePerClauseOfEveryVersionAndReading()
    {
        var network = Engine.Compiled.Network;
        var expected = Engine.Rules.Versions.SelectMany(v => v.Clauses.Concat(v.Readings.SelectMany(r => r.Clauses))).ToList();

        Assert.That(network.Clauses, Is.EqualTo(expected).Using((IEqualityComparer<Clause>)ReferenceEqualityComparer.Instance));
        Assert.That(network.Definitions, Has.Count.EqualTo(expected.Count));
        Assert.That(network.Definitions.Select(d => d.Name), Is.Unique);
        Assert.That(network.Definitions[0].Name, Does.StartWith("msft-openai-2019 `azure-exclusive-hosting` (rules/clauses/msft-openai-2019.json:"));
        var reading = network.Definitions[network.Clauses.ToList().FindIndex(c => c.Id == "first-party-products-on-azure")];
        Assert.That(reading.Name, Does.StartWith("msft-openai-2025-10@microsoft-2026-02 `first-party-products-on-azure`"));
    }

    [TestCase("msft-openai-2025-10", "stateless-api-exclusivity", 3)]
    [TestCase("msft-openai-2026-04", "azure-first-ship", 3)]
    [TestCase("aws-openai-2026-02", "frontier-exclusive-third-party-distribution", 2)]
    [TestCase("msft-openai-2025-10", "agi-declaration-unverified", 2)]
    [TestCase("msft-openai-2026-04", "agi-no-longer-trigger", 1)]
    public void Rule_ConditionsAreTheWhenSplitAtTopLevelAnds(string version, string clause, int conditions)
    {
        var network = Engine.Compiled.Network;
        var number = network.Clauses.ToList().FindIndex(c => c.Id == clause && Engine.Rules.Versions.Single(v => v.Id == version).Clauses.Contains(c));
        var pattern = (PatternElement)network.Definitions[number].LeftHandSide.ChildElements.Single();

        Assert.That(pattern.ValueType, Is.EqualTo(typeof(ScenarioFact)));
        Assert.That(pattern.Expressions.Count(), Is.EqualTo(conditions));
    }

    [Test]
    public void Network_SharesConditionsThatClausesHaveInCommon()
    {
        var network = Engine.Compiled.Network;
        var written = network.Definitions.Sum(d => ((PatternElement)d.LeftHandSide.ChildElements.Single()).Expressions.Count());
        var selections = network.Schema.Nodes.Count(n => n.NodeType == NodeType.Selection);

        // `product.offeredBy == "openai"` alone starts eleven clauses; the Rete network tests it once.
        Assert.That(selections, Is.LessThan(written - 10), $"{selections} selection nodes for {written} conditions");
    }

    [Test]
    public void Fire_AConditionThatThrows_IsAnErrorNamingTheClause()
    {
        // The guard refuses every condition that could throw; should one ever get through, the error names the clause.
        var clause = Engine.Rules.Versions.Single(v => v.Id == "msft-openai-2026-04").Clauses.Single(c => c.Id == "azure-first-ship");
        var conditions = new Dictionary<Clause, Expression>(Engine.Compiled.Conditions, ReferenceEqualityComparer.Instance);
        var declined = ConditionParser.Parameters.Single(p => p.Name == Facts.MicrosoftDeclined);
        conditions[clause] = Expression.Convert(declined, typeof(bool));
        var network = new ClauseNetwork(Engine.Rules, conditions);
        var scenario = new Scenario(Engine.Rules.Catalogue.ProductsById["chatgpt"], "aws", new DateOnly(2026, 5, 1));

        var error = Assert.Throws<ClauseEvaluationException>(() => network.Fire(scenario))!;

        Assert.That(error.Message, Does.Contain("msft-openai-2026-04 `azure-first-ship` (rules/clauses/msft-openai-2026-04.json:"));
        Assert.That(network.Fire(scenario with { MicrosoftDeclined = true })[network.Clauses.ToList().IndexOf(clause)], Is.True);
    }
}
