using System.ComponentModel;
using System.Globalization;
using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.CustomTypeProviders;
using System.Linq.Dynamic.Core.Parser;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// Parses a clause's <c>when</c> with System.Linq.Dynamic.Core, after bounding its size, and checks the tree against
/// <see cref="ConditionGuard"/>. The parser sees one parameter per declared fact (<see cref="Facts.All"/>), named as
/// conditions read it, no types, no replacement values and no <c>new</c>; the guard refuses whatever else it lets through.
/// </summary>
internal static class ConditionParser
{
    /// <summary>Longer conditions are refused before parsing: the parser recurses and a deep input overflows the stack.</summary>
    public const int MaxLength = 4000;

    /// <summary>Deepest nesting of brackets allowed before parsing.</summary>
    public const int MaxNesting = 32;

    /// <summary>The parameters a condition can read: one per declared fact, by its condition name.</summary>
    public static IReadOnlyList<ParameterExpression> Parameters { get; } =
        [.. Facts.All.Select(f => Expression.Parameter(f.ConditionType, f.ConditionName))];

    /// <summary>The declared fact behind each parameter.</summary>
    public static IReadOnlyDictionary<ParameterExpression, Fact> FactOf { get; } =
        Facts.All.Select((f, i) => (Parameters[i], f)).ToDictionary(x => x.Item1, x => x.f);

    private static readonly ParsingConfig Config = new()
    {
        // Rule files read `product.offeredBy` for the property OfferedBy.
        IsCaseSensitive = false,
        CustomTypeProvider = new NoTypes(),
        AllowNewToEvaluateAnyType = false,
        DisallowNewKeyword = true,
        AllowEqualsAndToStringMethodsOnObject = false,
        SupportEnumerationsFromSystemNamespace = false,
        SupportCastingToFullyQualifiedTypeAsString = false,
        LoadAdditionalAssembliesFromCurrentDomainBaseDirectory = false,
        ResolveTypesBySimpleName = false,
        // A date literal is strict yyyy-mm-dd, as in scenarios; the default converter reads "01/02/2026" by culture.
        TypeConverters = new Dictionary<Type, TypeConverter> { [typeof(DateOnly)] = new IsoDateConverter() },
    };

    /// <summary>The parser's one-time set-up, which a process's first parse pays for (see <see cref="WarmUps"/>).</summary>
    public static void WarmUpParse() => Parse("cloud == \"azure\"", new ConditionLiterals(), out _, out _);

    /// <summary>Parses and checks one condition; on failure returns null, the reason and its code.</summary>
    public static Expression? Parse(string when, ConditionLiterals literals, out string? problem, out string code)
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
        if (Words(when, out var wordCode) is { } word)
        {
            (problem, code) = (word, wordCode);
            return null;
        }
        Expression body;
        try
        {
            // The parser itself rather than ParseLambda, which would wrap the body in a lambda over the ten facts: a
            // generic delegate type made at run time, which a native (ahead-of-time compiled) build cannot make.
            body = new ExpressionParser([.. Parameters], when, null, Config).Parse(typeof(bool), false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message;
            problem = Describe(message, when);
            code = message.Contains("No property or field", StringComparison.Ordinal) || message.Contains("Unknown identifier", StringComparison.Ordinal)
                ? "unknown-fact"
                : "invalid-expression";
            return null;
        }
        if (body.Type != typeof(bool))
        {
            problem = "the condition is not true or false";
            return null;
        }
        var offence = ConditionGuard.Check(body, when, literals);
        if (offence is not null)
        {
            code = "forbidden-expression";
            problem = offence;
            return null;
        }
        problem = null;
        return body;
    }

    private static readonly HashSet<string> Keywords = new(["and", "or", "not", "in", "true", "false", "null"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> FactWords = new(
        Facts.All.Where(f => f.Kind != FactKind.Product).Select(f => f.ConditionName), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ProductWords = new(
        Facts.All.Where(f => f.Kind == FactKind.Product).Select(f => f.ConditionName), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The first thing outside a condition's vocabulary, before the parser sees it: words are facts,
    /// <c>product.</c> and an attribute, and <c>and</c>, <c>or</c>, <c>not</c>, <c>in</c>, <c>true</c>, <c>false</c>,
    /// <c>null</c>; strings are quoted; the rest is comparison and grouping. The parser's own extras (<c>np</c>,
    /// <c>iif</c>, <c>it</c>, <c>@0</c>, <c>new</c>, casts, type names, escapes) never reach it.
    /// </summary>
    private static string? Words(string when, out string code)
    {
        code = "forbidden-expression";
        for (var i = 0; i < when.Length;)
        {
            var ch = when[i];
            if (ch is '"' or '\'')
            {
                var end = i + 1;
                while (end < when.Length && when[end] != ch)
                {
                    end += when[end] == '\\' ? 2 : 1;
                }
                i = end + 1;
            }
            else if (char.IsAsciiLetter(ch) || ch == '_')
            {
                var word = Word(when, ref i);
                if (ProductWords.Contains(word) && i < when.Length && when[i] == '.')
                {
                    i++;
                    var attribute = Word(when, ref i);
                    if (!ProductAttributes.Contains(attribute))
                    {
                        return $"`{Quote.Short(word)}.{Quote.Short(attribute)}` is not allowed: a product's attributes are {string.Join(", ", ProductAttributes.Select(a => $"`{word}.{a}`"))}";
                    }
                }
                else if (!FactWords.Contains(word) && !Keywords.Contains(word))
                {
                    code = "unknown-fact";
                    return $"`{Quote.Short(word)}` is not a fact: a condition may name the facts ({string.Join(", ", FactWords.Order(StringComparer.Ordinal))}, " +
                        $"{string.Join(", ", ProductAttributes.Select(a => "product." + a))}) and use `and`, `or`, `not`, `in`, `true`, `false` and `null`";
                }
                else if (i < when.Length && when[i] == '.')
                {
                    return $"`{Quote.Short(word)}.` is not allowed: only the product has attributes";
                }
            }
            else if (char.IsWhiteSpace(ch) || "=!<>&|(),".Contains(ch))
            {
                i++;
            }
            else
            {
                // The token alone (`1`, not `1)` or the rest of the condition).
                var end = i + 1;
                while (end < when.Length && !char.IsWhiteSpace(when[end]) && !"=!<>&|(),\"'".Contains(when[end]))
                {
                    end++;
                }
                return $"`{Quote.Short(when[i..end])}` is not allowed: a condition holds facts, quoted strings, ==, !=, <, <=, >, >=, and, or, not, in and brackets";
            }
        }
        return null;
    }

    private static readonly HashSet<string> ProductAttributes = new(Facts.Of(Facts.Product).Attributes, StringComparer.OrdinalIgnoreCase);

    private static string Word(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }
        return text[start..i];
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

    private static string Describe(string message, string when)
    {
        // The parser's words for the mistakes a rule author makes, said in the condition's own terms.
        if (Regex.Match(message, @"^Operator '([^']+)' incompatible with operand types '([^']+)' and '([^']+)'", RegexOptions.IgnoreCase) is { Success: true } types)
        {
            if (types.Groups[2].Value.StartsWith("DateOnly", StringComparison.Ordinal) && Regex.IsMatch(when, @"\bdate\s+in\b", RegexOptions.IgnoreCase))
            {
                return "`in` takes strings, not dates: compare `date` with one date at a time (date == \"2026-01-01\" or date == \"2026-01-02\"), or give a range (date >= \"2026-01-01\" and date <= \"2026-01-31\")";
            }
            return $"`{types.Groups[1].Value}` cannot set {Kind(types.Groups[2].Value)} against {Kind(types.Groups[3].Value)}: a date is compared with one date written \"yyyy-mm-dd\", "
                + "a true/false/unknown fact with true, false or null, anything else with a string (and `in` takes strings)";
        }
        if (Regex.Match(message, @"Unrecognized escape sequence (\\.)") is { Success: true } escape)
        {
            return $"a string holds the escape `{Quote.Short(escape.Groups[1].Value)}`, which stands for no character: write the value as it is";
        }
        if (Regex.Match(message, @"^(.*) is not a valid value for Boolean", RegexOptions.Singleline) is { Success: true } notBoolean)
        {
            return $"`{Quote.Short(notBoolean.Groups[1].Value)}` is not true or false";
        }
        var text = Quote.Short(message.TrimEnd('.'));
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "the condition does not parse";
    }

    private static string Kind(string type) => type switch
    {
        "DateOnly" or "DateOnly?" => "a date",
        "String" => "a string",
        "Boolean" or "Boolean?" or "Nullable`1" => "a true/false value",
        "Object" => "null",
        _ => $"a {Quote.Short(type)}",
    };

    /// <summary>Resolves no type name at all: a condition names facts, never types.</summary>
    private sealed class NoTypes : IDynamicLinqCustomTypeProvider
    {
        public HashSet<Type> GetCustomTypes() => [];

        public Dictionary<Type, List<MethodInfo>> GetExtensionMethods() => [];

        public Type? ResolveType(string typeName) => null;

        public Type? ResolveTypeBySimpleName(string simpleTypeName) => null;
    }

    /// <summary>A string becomes a date only when it is exactly a <c>yyyy-mm-dd</c> calendar date.</summary>
    private sealed class IsoDateConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string text && ScenarioInput.TryParseIsoDate(text, out var date)
                ? date
                : throw new FormatException($"`{Quote.Short(value as string)}` is not a date written yyyy-mm-dd");
    }
}
