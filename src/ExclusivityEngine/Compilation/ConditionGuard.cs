using System.Linq.Expressions;
using System.Reflection;

namespace ExclusivityEngine.Compilation;

/// <summary>The literals a rule set's conditions compare with: they cut the scenario space into classes.</summary>
internal sealed class ConditionLiterals
{
    /// <summary>Every date a condition compares <c>date</c> with.</summary>
    public SortedSet<DateOnly> Dates { get; } = [];

    /// <summary>Every string a condition compares a fact with.</summary>
    public HashSet<string> Strings { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The allow-list a condition's parsed tree must pass: the scenario's facts, literals (strings, booleans, dates),
/// equality on strings, comparisons on dates, boolean operators and <c>in (…)</c>. Nothing else: no member of any
/// other type, no method call, no object creation. Settings cannot enforce this (RulesEngine's type provider makes
/// <c>System.Object</c> callable), so the tree is checked before RulesEngine ever sees the expression.
/// </summary>
internal static class ConditionGuard
{
    private static readonly HashSet<Type> LiteralTypes = [typeof(string), typeof(bool), typeof(bool?), typeof(DateOnly), typeof(DateOnly?)];

    private static readonly MethodInfo ContainsString = ((Func<IEnumerable<string>, string, bool>)Enumerable.Contains).Method;
    private static readonly MethodInfo ContainsDate = ((Func<IEnumerable<DateOnly>, DateOnly, bool>)Enumerable.Contains).Method;

    /// <summary>Returns null when the tree is allowed, else a sentence naming the offending part.</summary>
    public static string? Check(Expression body, ConditionLiterals literals)
    {
        var visitor = new Visitor(literals);
        visitor.Visit(body);
        return visitor.Offence;
    }

    private static bool IsFact(Expression e) => e switch
    {
        ParameterExpression p => ConditionParser.Parameters.Contains(p),
        MemberExpression { Expression: ParameterExpression p, Member: PropertyInfo prop } => p.Type == typeof(ProductFacts) && prop.DeclaringType == typeof(ProductFacts) && ConditionParser.Parameters.Contains(p),
        UnaryExpression { NodeType: ExpressionType.Convert, Method: null } u => IsFact(u.Operand),
        _ => false,
    };

    private static bool IsLiteral(Expression e) => e switch
    {
        ConstantExpression c => c.Value is null || LiteralTypes.Contains(c.Type),
        UnaryExpression { NodeType: ExpressionType.Convert, Method: null } u => IsLiteral(u.Operand),
        _ => false,
    };

    private static object? LiteralValue(Expression e) => e switch
    {
        ConstantExpression c => c.Value,
        UnaryExpression u => LiteralValue(u.Operand),
        _ => null,
    };

    private sealed class Visitor(ConditionLiterals literals) : ExpressionVisitor
    {
        public string? Offence { get; private set; }

        private Expression Refuse(Expression node, string why)
        {
            Offence ??= $"`{node}` is not allowed: {why}; a condition may read the scenario's facts and use literals, comparisons and and/or/not";
            return node;
        }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || Offence is not null)
            {
                return node;
            }
            return node.NodeType switch
            {
                ExpressionType.AndAlso or ExpressionType.OrElse => Logical((BinaryExpression)node),
                ExpressionType.Not when node.Type == typeof(bool) || node.Type == typeof(bool?) => base.Visit(node),
                ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
                    or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual => Comparison((BinaryExpression)node),
                ExpressionType.Parameter or ExpressionType.MemberAccess when IsFact(node) => Fact(node),
                ExpressionType.Constant when IsLiteral(node) => node,
                ExpressionType.Convert when ((UnaryExpression)node).Method is null && LiteralTypes.Contains(node.Type) => base.Visit(node),
                ExpressionType.Call => In((MethodCallExpression)node),
                _ => Refuse(node, "only facts, literals and plain operators may be used"),
            };
        }

        private Expression Fact(Expression node) =>
            node.Type == typeof(bool) || node.Type == typeof(bool?) ? node : Refuse(node, "a fact that is not true or false must be compared with a literal");

        private Expression Logical(BinaryExpression node)
        {
            if (node.Method is not null)
            {
                return Refuse(node, "operators may not call methods");
            }
            Visit(node.Left);
            Visit(node.Right);
            return node;
        }

        private Expression Comparison(BinaryExpression node)
        {
            var (fact, literal) = IsFact(node.Left) && IsLiteral(node.Right) ? (node.Left, node.Right)
                : IsFact(node.Right) && IsLiteral(node.Left) ? (node.Right, node.Left)
                : (null, null);
            if (fact is null || literal is null)
            {
                return Refuse(node, "a comparison must set one fact against one literal");
            }
            var type = Nullable.GetUnderlyingType(fact.Type) ?? fact.Type;
            var ordering = node.NodeType is not (ExpressionType.Equal or ExpressionType.NotEqual);
            if (ordering && type != typeof(DateOnly))
            {
                return Refuse(node, "only dates can be compared with <, <=, > or >=");
            }
            if (node.Method is { } method && !(method.DeclaringType == type && method.IsSpecialName && method.IsStatic))
            {
                return Refuse(node, $"`{method.DeclaringType?.Name}.{method.Name}` may not be called");
            }
            Record(LiteralValue(literal));
            return node;
        }

        private Expression In(MethodCallExpression node)
        {
            // `x in ("a", "b")` parses to `new [] {"a", "b"}.Contains(x)`: the one call allowed.
            if (node.Object is not null || node.Arguments.Count != 2
                || !(node.Method == ContainsString || node.Method == ContainsDate)
                || node.Arguments[0] is not NewArrayExpression { NodeType: ExpressionType.NewArrayInit } list
                || !IsFact(node.Arguments[1]))
            {
                return Refuse(node, $"the method `{node.Method.Name}` may not be called");
            }
            foreach (var item in list.Expressions)
            {
                if (!IsLiteral(item))
                {
                    return Refuse(item, "a list after `in` may hold literals only");
                }
                Record(LiteralValue(item));
            }
            return node;
        }

        private void Record(object? value)
        {
            switch (value)
            {
                case string s:
                    literals.Strings.Add(s);
                    break;
                case DateOnly d:
                    literals.Dates.Add(d);
                    break;
            }
        }
    }
}
