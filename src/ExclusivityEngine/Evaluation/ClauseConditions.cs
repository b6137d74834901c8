using ExclusivityEngine.Compilation;
using ExclusivityEngine.Model;
using RulesEngine.Models;

namespace ExclusivityEngine.Evaluation;

/// <summary>Decides which clauses of a row apply to a scenario: the one step RulesEngine (or its compiled form) takes.</summary>
internal interface IClauseConditions
{
    /// <summary>Sets <paramref name="applies"/>[i] to whether the row's i-th clause's condition holds.</summary>
    void Evaluate(Row row, ProductFacts product, Scenario scenario, bool[] applies);
}

/// <summary>The fast path: each condition compiled once, from RulesEngine's parse of the rule file, into a delegate.</summary>
internal sealed class CompiledClauseConditions(CompiledRules compiled) : IClauseConditions
{
    public void Evaluate(Row row, ProductFacts product, Scenario s, bool[] applies)
    {
        var conditions = compiled.Conditions[row.Index];
        var agiDeclared = s.AgiDeclared;
        var agiVerified = s.AgiVerified;
        for (var i = 0; i < conditions.Length; i++)
        {
            applies[i] = conditions[i](product, s.Cloud, s.Date, s.Segment, agiDeclared, agiVerified,
                s.MicrosoftDeclined, s.ShippedOnAzureFirst, s.MeetsOpenWeightCriteria, s.StatelessCallsOnAzure);
        }
    }
}

/// <summary>
/// The reference path: Microsoft's RulesEngine runs each row as a workflow, one rule per clause, on every call.
/// Slow (microseconds a call) but it is the engine itself deciding; the fast path must agree with it.
/// </summary>
internal sealed class RulesEngineClauseConditions : IClauseConditions
{
    private readonly RulesEngine.RulesEngine _engine;

    public RulesEngineClauseConditions(CompiledRules compiled)
    {
        var workflows = compiled.Rules.Rows.Select(row => new Workflow
        {
            WorkflowName = row.Id,
            Rules = row.Clauses.Select((clause, i) => new Rule
            {
                RuleName = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Expression = clause.When,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
            }).ToList(),
        }).ToArray();
        _engine = new RulesEngine.RulesEngine(workflows, ConditionParser.Settings());
    }

    public void Evaluate(Row row, ProductFacts product, Scenario s, bool[] applies)
    {
        var parameters = new[]
        {
            RuleParameter.Create(Facts.Product, product),
            RuleParameter.Create(Facts.Cloud, s.Cloud),
            RuleParameter.Create(Facts.Date, s.Date),
            RuleParameter.Create(Facts.Segment, s.Segment),
            RuleParameter.Create(Facts.AgiDeclared, s.AgiDeclared),
            RuleParameter.Create(Facts.AgiVerified, s.AgiVerified),
            RuleParameter.Create(Facts.MicrosoftDeclined, s.MicrosoftDeclined),
            RuleParameter.Create(Facts.ShippedOnAzureFirst, s.ShippedOnAzureFirst),
            RuleParameter.Create(Facts.MeetsOpenWeightCriteria, s.MeetsOpenWeightCriteria),
            RuleParameter.Create(Facts.StatelessCallsOnAzure, s.StatelessCallsOnAzure),
        };
        var results = _engine.ExecuteAllRulesAsync(row.Id, parameters).AsTask().GetAwaiter().GetResult();
        foreach (var result in results)
        {
            if (!string.IsNullOrEmpty(result.ExceptionMessage))
            {
                throw new InvalidOperationException($"RulesEngine failed on `{row.Id}` clause #{result.Rule.RuleName}: {result.ExceptionMessage}");
            }
            applies[int.Parse(result.Rule.RuleName, System.Globalization.CultureInfo.InvariantCulture)] = result.IsSuccess;
        }
    }
}
