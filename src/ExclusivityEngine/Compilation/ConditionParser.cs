using System.Linq.Expressions;
using ExclusivityEngine.Model;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// Parses a clause's <c>when</c> with RulesEngine's own parser (the tree RulesEngine itself would run),
/// after bounding its size, and checks the tree against <see cref="ConditionGuard"/>.
/// </summary>
internal static class ConditionParser
{
    /// <summary>Longer conditions are refused before parsing: the parser recurses and a deep input overflows the stack.</summary>
    public const int MaxLength = 4000;

    /// <summary>Deepest nesting of brackets allowed before parsing.</summary>
    public const int MaxNesting = 32;

    /// <summary>The settings RulesEngine is created with, for both parsing and the reference path.</summary>
    public static ReSettings Settings() => new() { IsExpressionCaseSensitive = false, CustomTypes = [] };

    /// <summary>The parameters a condition can read, in <see cref="ClauseCondition"/> order.</summary>
    public static IReadOnlyList<ParameterExpression> Parameters { get; } =
    [
        Expression.Parameter(typeof(ProductFacts), Facts.Product),
        Expression.Parameter(typeof(string), Facts.Cloud),
        Expression.Parameter(typeof(DateOnly), Facts.Date),
        Expression.Parameter(typeof(string), Facts.Segment),
        Expression.Parameter(typeof(bool), Facts.AgiDeclared),
        Expression.Parameter(typeof(bool), Facts.AgiVerified),
        Expression.Parameter(typeof(bool?), Facts.MicrosoftDeclined),
        Expression.Parameter(typeof(bool?), Facts.ShippedOnAzureFirst),
        Expression.Parameter(typeof(bool?), Facts.MeetsOpenWeightCriteria),
        Expression.Parameter(typeof(bool?), Facts.StatelessCallsOnAzure),
    ];

    private static readonly Lazy<Task> Warm = new(() => Task.Run(() =>
    {
        // The first parse of a process pays for the expression parser's one-time set-up (about 0.3 s here).
        new RuleExpressionParser(Settings()).Parse("cloud == \"azure\"", [.. Parameters], typeof(bool));
    }));

    /// <summary>Starts the parser's one-time set-up in the background, so it overlaps reading the rule files.</summary>
    public static Task WarmUp() => Warm.Value;

    /// <summary>Parses and checks one condition; on failure returns null and the reason.</summary>
    public static Expression? Parse(RuleExpressionParser parser, string when, ConditionLiterals literals, out string? problem, out string code)
    {
        code = "invalid-expression";
        if (string.IsNullOrWhiteSpace(when))
        {
            problem = "the condition is empty";
            return null;
        }
        if (when.Length > MaxLength)
        {
            problem = $"the condition is {when.Length} characters long; at most {MaxLength} are allowed";
            return null;
        }
        if (Nesting(when) is var depth && depth > MaxNesting)
        {
            problem = $"the condition nests brackets {depth} deep; at most {MaxNesting} are allowed";
            return null;
        }
        Expression body;
        try
        {
            body = parser.Parse(when, [.. Parameters], typeof(bool));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problem = Describe(e.Message);
            code = e.Message.Contains("No property or field", StringComparison.Ordinal) || e.Message.Contains("Unknown identifier", StringComparison.Ordinal)
                ? "unknown-fact"
                : "invalid-expression";
            return null;
        }
        if (body.Type != typeof(bool))
        {
            problem = "the condition is not true or false";
            return null;
        }
        var offence = ConditionGuard.Check(body, literals);
        if (offence is not null)
        {
            code = "forbidden-expression";
            problem = offence;
            return null;
        }
        problem = null;
        return body;
    }

    private static int Nesting(string text)
    {
        int depth = 0, deepest = 0;
        char quote = '\0';
        foreach (var ch in text)
        {
            if (quote != '\0')
            {
                if (ch == quote)
                {
                    quote = '\0';
                }
                continue;
            }
            switch (ch)
            {
                case '"' or '\'':
                    quote = ch;
                    break;
                case '(' or '[' or '{':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
            }
        }
        return deepest;
    }

    private static string Describe(string message)
    {
        var text = message.TrimEnd('.');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "the condition does not parse";
    }
}
