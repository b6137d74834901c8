using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Compilation;

/// <summary>The dates a rule set's conditions compare with: where what a condition says can change.</summary>
internal sealed class ConditionLiterals
{
    /// <summary>Every date a condition compares <c>date</c> with.</summary>
    public SortedSet<DateOnly> Dates { get; } = [];
}

/// <summary>
/// The allow-list a condition's parsed tree must pass, and nothing else gets through: the declared facts (and the
/// product's attributes), literals, <c>==</c>/<c>!=</c>, date ordering, and/or/not. The only conversion allowed is
/// the one that lifts a value to its nullable type, which cannot throw; so a condition that passes cannot throw when
/// it is evaluated, whatever the scenario. Dynamic LINQ's settings cannot enforce this (it makes
/// <c>System.Object</c>'s members callable), hence the check of the tree before anything is compiled.
/// </summary>
internal static class ConditionGuard
{
    /// <summary>The product attributes a condition may read, by property.</summary>
    private static readonly Dictionary<PropertyInfo, string> ProductAttributes =
        Facts.Of(Facts.Product).AttributeProperties.ToDictionary(a => a.Value, a => a.Key);

    private static readonly HashSet<Type> ComparableTypes = [typeof(string), typeof(DateOnly), typeof(bool)];

    /// <summary>The operator method a comparison node of this kind calls, when it calls one (<c>op_Equality</c> for ==).</summary>
    internal static string? OperatorName(ExpressionType comparison) => comparison switch
    {
        ExpressionType.Equal => "op_Equality",
        ExpressionType.NotEqual => "op_Inequality",
        ExpressionType.LessThan => "op_LessThan",
        ExpressionType.LessThanOrEqual => "op_LessThanOrEqual",
        ExpressionType.GreaterThan => "op_GreaterThan",
        ExpressionType.GreaterThanOrEqual => "op_GreaterThanOrEqual",
        _ => null,
    };

    /// <summary>
    /// A declared fact (<c>cloud</c>), or an attribute of the product (<c>product.interface</c>), as a condition names
    /// it, seen through at most a lifting conversion; null for anything else.
    /// </summary>
    internal static string? FactName(Expression e) => Unlifted(e) switch
    {
        ParameterExpression p when ConditionParser.FactOf.TryGetValue(p, out var fact) && fact.Kind != FactKind.Product => fact.ConditionName,
        MemberExpression { Expression: ParameterExpression p, Member: PropertyInfo property }
            when ConditionParser.FactOf.TryGetValue(p, out var fact) && fact.Kind == FactKind.Product && ProductAttributes.TryGetValue(property, out var attribute)
            => $"{fact.ConditionName}.{attribute}",
        _ => null,
    };

    /// <summary>The operand of a conversion from T to T? (which cannot throw); anything else as it is.</summary>
    internal static Expression Unlifted(Expression e) =>
        e is UnaryExpression { NodeType: ExpressionType.Convert, Method: null } u && Nullable.GetUnderlyingType(u.Type) == u.Operand.Type
            ? u.Operand
            : e;

    /// <summary>
    /// Returns null when the tree of <paramref name="when"/> is allowed, else a sentence naming the offending part.
    /// Records the literals it compares with in <paramref name="literals"/>.
    /// </summary>
    public static string? Check(Expression body, string when, ConditionLiterals literals)
    {
        var visitor = new Visitor(WrittenLiterals(when), when);
        visitor.Check(body);
        if (visitor.Offence is null)
        {
            literals.Dates.UnionWith(visitor.Dates);
        }
        return visitor.Offence;
    }

    /// <summary>The string literals as written between quotes, escapes and all.</summary>
    private static List<string> WrittenLiterals(string when)
    {
        var written = new List<string>();
        for (var i = 0; i < when.Length; i++)
        {
            if (when[i] is not ('"' or '\''))
            {
                continue;
            }
            var quote = when[i];
            var end = i + 1;
            while (end < when.Length && when[end] != quote)
            {
                end += when[end] == '\\' ? 2 : 1;
            }
            written.Add(when[(i + 1)..Math.Min(end, when.Length)]);
            i = end;
        }
        return written;
    }

    private sealed class Visitor(List<string> written, string when)
    {
        public string? Offence { get; private set; }

        public List<DateOnly> Dates { get; } = [];

        public void Check(Expression node)
        {
            if (Offence is not null)
            {
                return;
            }
            switch (node)
            {
                case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse, Method: null } b when b.Type == typeof(bool):
                    Check(b.Left);
                    Check(b.Right);
                    break;
                case UnaryExpression { NodeType: ExpressionType.Not, Method: null } u when u.Type == typeof(bool):
                    Check(u.Operand);
                    break;
                case ConstantExpression { Value: bool }:
                    break;
                case BinaryExpression
                {
                    NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
                    or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
                } b:
                    Comparison(b);
                    break;
                case MethodCallExpression call:
                    In(call);
                    break;
                default:
                    if (FactName(node) is { } name && node.Type == typeof(bool))
                    {
                        break;
                    }
                    Refuse(node, FactName(node) is { } fact
                        ? $"`{fact}` is not true or false: compare it with a literal"
                        : "only facts, literals and plain operators may be used");
                    break;
            }
        }

        private void Comparison(BinaryExpression node)
        {
            var (fact, literal) = FactName(node.Left) is not null ? (node.Left, node.Right) : (node.Right, node.Left);
            var name = FactName(fact);
            if (name is null && node.Left is MethodCallExpression { Method.Name: "Compare" })
            {
                // `segment < "a"`, which the parser writes String.Compare(segment, "a") < 0.
                Refuse(node, "only dates can be compared with <, <=, > or >=");
                return;
            }
            if (name is null || !IsLiteral(literal, out var value))
            {
                Refuse(node, "a comparison must set one fact against one literal");
                return;
            }
            var type = Nullable.GetUnderlyingType(Unlifted(fact).Type) ?? Unlifted(fact).Type;
            if (!ComparableTypes.Contains(type) || node.Type != typeof(bool) || node.IsLiftedToNull)
            {
                Refuse(node, $"`{name}` cannot be compared this way");
                return;
            }
            if (node.NodeType is not (ExpressionType.Equal or ExpressionType.NotEqual) && type != typeof(DateOnly))
            {
                Refuse(node, "only dates can be compared with <, <=, > or >=");
                return;
            }
            if (node.Method is { } method && !(method.DeclaringType == type && method.IsSpecialName && method.IsStatic && method.Name == OperatorName(node.NodeType)))
            {
                Refuse(node, $"`{method.DeclaringType?.Name}.{method.Name}` may not be called");
                return;
            }
            // The parser types a null set against a string as an object, and the tree would compare references: always
            // false for ==, as the fact always has a value. Said so, rather than let a rule test for a value it never takes.
            // Found by an adversarial run: `date == null` and `agiDeclared == null` were accepted, and are never true.
            if (value is null && type != typeof(string) && Nullable.GetUnderlyingType(Unlifted(fact).Type) is null)
            {
                Refuse(node, $"`{name}` always has a value ({(type == typeof(DateOnly) ? "the scenario's date" : "true or false")}): compared with null it is never true");
                return;
            }
            if (type == typeof(string) && value is null)
            {
                Refuse(node, $"`{name}` always has a value{(name == Facts.Segment ? $" (an omitted segment is \"{Segments.General}\")" : "")}: compare it with a string, not null");
                return;
            }
            // Strings compare by value through string's own operator; without it (a trimmed build that lost it, found by
            // reflection) the tree would compare references, and every such condition would be false.
            if (type == typeof(string) && node.Method is null)
            {
                Refuse(node, $"`{name}` would be compared by reference, not by value: this build lacks string's == operator");
                return;
            }
            if (value is string text && !WellFormed(text))
            {
                Refuse(node, LoneSurrogate);
                return;
            }
            Record(node, value);
        }

        // Found by an adversarial run: `"\ud800"` escapes past the rule file's strict JSON into the literal, no scenario
        // value can equal it (scenarios are read as UTF-8), and the batch's fast path, which finds named ids by their
        // UTF-8 bytes, took it for U+FFFD and answered a U+FFFD id with another product's verdict.
        private const string LoneSurrogate = "a string literal holds half of a surrogate pair (an escape such as \\ud800 alone), which no scenario's value can equal";

        /// <summary>No lone surrogate: every high surrogate followed by a low one, every low one preceded by a high one.</summary>
        private static bool WellFormed(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary><c>fact in (a, b)</c>, which the parser writes <c>new [] {a, b}.Contains(fact)</c>: the one call allowed.</summary>
        private void In(MethodCallExpression node)
        {
            var method = node.Method;
            if (node.Object is not null || node.Arguments.Count != 2
                || method.DeclaringType != typeof(Enumerable) || method.Name != nameof(Enumerable.Contains) || !method.IsGenericMethod
                || method.GetGenericArguments()[0] is not { } type || !(type == typeof(string) || type == typeof(DateOnly))
                || node.Arguments[0] is not NewArrayExpression { NodeType: ExpressionType.NewArrayInit } list
                || FactName(node.Arguments[1]) is null || node.Arguments[1].Type != type)
            {
                Refuse(node, method.Name == nameof(Enumerable.Contains) && node.Arguments is [NewArrayExpression, _]
                    ? "`in` takes a fact that is a string (`cloud in (\"aws\", \"oracle\")`); compare a true/false/unknown fact with == true, == false or == null"
                    : $"the method `{Quote.Short(method.Name)}` may not be called");
                return;
            }
            foreach (var item in list.Expressions)
            {
                if (item is not ConstantExpression { Value: not null } constant || constant.Type != type)
                {
                    Refuse(item, "a list after `in` may hold literals only");
                    return;
                }
                if (constant.Value is string text && !WellFormed(text))
                {
                    Refuse(item, LoneSurrogate);
                    return;
                }
                Record(node, constant.Value);
            }
        }

        private void Record(Expression node, object? value)
        {
            if (value is not DateOnly d)
            {
                return;
            }
            // The parser reads "01/02/2026" or " 2030-01-02 " as dates by its own rules: a date is only ever written
            // yyyy-mm-dd, so one must have been written exactly so for every date the tree holds.
            var iso = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!written.Remove(iso))
            {
                Refuse(node, "a date is written as a string yyyy-mm-dd, for example \"2026-04-27\"");
                return;
            }
            Dates.Add(d);
        }

        /// <summary>A string, date or boolean constant (or null), seen through at most a lifting conversion.</summary>
        private static bool IsLiteral(Expression e, out object? value)
        {
            value = null;
            if (Unlifted(e) is not ConstantExpression c)
            {
                return false;
            }
            value = c.Value;
            var type = Nullable.GetUnderlyingType(c.Type) ?? c.Type;
            return ComparableTypes.Contains(type) || (c.Value is null && c.Type == typeof(object));
        }

        private void Refuse(Expression node, string why)
        {
            // The part refused, as the parser rewrote it; shown only where it is what the author wrote (not String.Compare(…),
            // Convert(…, Nullable`1), new [] {…}.Contains(…) or product.Id): the place already points at it.
            var part = node.ToString();
            part = part.Length > 2 && part[0] == '(' && part[^1] == ')' ? part[1..^1] : part;
            var shown = when.Contains(part, StringComparison.Ordinal) ? $"`{Quote.Short(part)}`" : "this";
            Offence ??= $"{shown} is not allowed: {why}; a condition may read the scenario's facts and use literals, comparisons and and/or/not";
        }
    }
}
