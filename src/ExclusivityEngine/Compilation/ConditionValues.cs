using System.Linq.Expressions;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// The values a checked condition compares a closed fact with (<c>cloud</c>, <c>segment</c>, the product's
/// <c>interface</c>, <c>origin</c> and <c>offeredBy</c>), against those the catalogue allows: a scenario can take no
/// other, so <c>cloud == "AWS"</c> is never true and <c>cloud != "AWS"</c> always, and a misspelling would silently
/// change what a clause applies to (found by an adversarial run: <c>segment != "us-national-securty"</c> validated
/// and turned a national-security answer from Permitted to Prohibited). <c>product.id</c> is not checked: an inline
/// product may have any id.
/// </summary>
internal sealed class ConditionValues
{
    private readonly Dictionary<string, (IReadOnlyList<string> Values, string Whose)> _allowed = new(StringComparer.Ordinal);

    /// <summary>The values each closed fact can take under <paramref name="catalogue"/>, gathered once per rule set.</summary>
    public ConditionValues(Catalogue catalogue)
    {
        _allowed[Facts.Cloud] = ([.. catalogue.Clouds.Select(c => c.Id)], "the catalogue's clouds are");
        _allowed[Facts.Segment] = (Segments.All, "a segment is");
        var product = Facts.Of(Facts.Product).ConditionName;
        foreach (var (attribute, values) in catalogue.AttributeValues)
        {
            _allowed[$"{product}.{attribute}"] = (values, "the catalogue's attributes allow");
        }
    }

    /// <summary>One sentence per value compared with that the fact cannot take; empty when there is none.</summary>
    public List<string> Unknown(Expression body)
    {
        // Once per fact and value: `cloud == "AWS" or cloud == "AWS"` is one mistake.
        var found = new List<string>();
        var seen = new HashSet<(string, string)>();
        Visit(body);
        return found;

        void Visit(Expression node)
        {
            switch (node)
            {
                case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } b:
                    Visit(b.Left);
                    Visit(b.Right);
                    break;
                case UnaryExpression { NodeType: ExpressionType.Not } u:
                    Visit(u.Operand);
                    break;
                case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } b:
                    var (fact, literal) = ConditionGuard.FactName(b.Left) is not null ? (b.Left, b.Right) : (b.Right, b.Left);
                    if (ConditionGuard.Unlifted(literal) is ConstantExpression { Value: string value })
                    {
                        Check(ConditionGuard.FactName(fact), value, b.NodeType == ExpressionType.Equal ? "never" : "always");
                    }
                    break;
                case MethodCallExpression { Arguments: [NewArrayExpression list, Expression inFact] }:
                    foreach (var item in list.Expressions)
                    {
                        if (item is ConstantExpression { Value: string listed })
                        {
                            Check(ConditionGuard.FactName(inFact), listed, "never");
                        }
                    }
                    break;
            }
        }

        void Check(string? fact, string value, string holds)
        {
            if (fact is not null && _allowed.TryGetValue(fact, out var known) && !known.Values.Contains(value, StringComparer.Ordinal) && seen.Add((fact, value)))
            {
                found.Add($"`{fact}` is never `{Visible(value)}` ({known.Whose} {string.Join(", ", known.Values)}), so comparing it with that is {holds} true: a misspelt value silently changes what the clause applies to");
            }
        }
    }

    /// <summary>
    /// The value quoted with every character outside printable ASCII as <c>\uXXXX</c>: the mistake may be one that
    /// looks like nothing (a zero-width or no-break space, a Cyrillic а in "аws"), and shown as written it would read
    /// as the very value allowed.
    /// </summary>
    private static string Visible(string value)
    {
        var quoted = Quote.Short(value);
        return quoted.All(c => c is >= ' ' and <= '~')
            ? quoted
            : string.Concat(quoted.Select(c => c is >= ' ' and <= '~' || c == '…' ? c.ToString() : $"\\u{(int)c:X4}"));
    }
}
