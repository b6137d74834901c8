using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// What a scenario must satisfy before it is evaluated, whether it was read from a file or built in code: a known
/// cloud, product attributes the catalogue allows, facts that take their kind's values, and occurrences in order.
/// One place, so every entry point refuses the same scenarios with the same sentences.
/// </summary>
internal static class ScenarioCheck
{
    /// <summary>The first problem of <paramref name="s"/> in field order, or null when it can be evaluated.</summary>
    public static ScenarioError? Problem(Scenario s, Catalogue catalogue)
    {
        foreach (var fact in Facts.All)
        {
            var problem = fact.Kind switch
            {
                FactKind.Product => ProductProblem(s.Product, catalogue),
                FactKind.Cloud => CloudProblem(fact.TextOf(s), catalogue),
                FactKind.Choice => fact.Choices.Contains(fact.TextOf(s))
                    ? null
                    : new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{fact.Name}` must be {Either(fact.Choices)}, not `{Quote.Short(fact.TextOf(s))}`", fact.Name),
                FactKind.Occurrence => OrderProblem(fact, s),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private static ScenarioError? ProductProblem(Product? p, Catalogue catalogue)
    {
        if (p is null || string.IsNullOrEmpty(p.Id))
        {
            return new ScenarioError(ScenarioErrorCodes.MissingField, "`product` is required", Facts.Product);
        }
        if (!p.IsInline && catalogue.ProductsById.TryGetValue(p.Id, out var listed) && ReferenceEquals(listed, p))
        {
            // The catalogue's own product was checked when the rule set loaded.
            return null;
        }
        return AttributeProblem(p, "interface", p.Interface, catalogue)
            ?? AttributeProblem(p, "origin", p.Origin, catalogue)
            ?? AttributeProblem(p, "offeredBy", p.OfferedBy, catalogue);
    }

    private static ScenarioError? AttributeProblem(Product p, string name, string? value, Catalogue catalogue)
    {
        var allowed = catalogue.AttributeValues.TryGetValue(name, out var values) ? values : [];
        if (value is not null && allowed.Contains(value))
        {
            return null;
        }
        var what = p.IsInline ? $"the inline product `{Quote.Short(p.Id)}`" : $"the product `{Quote.Short(p.Id)}`";
        return value is null
            ? new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"{what} has no `{name}`", $"product.{name}")
            : new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"{what} has {name} `{Quote.Short(value)}`, which is not one of {string.Join(", ", allowed)}", $"product.{name}");
    }

    private static ScenarioError? CloudProblem(string? cloud, Catalogue catalogue) =>
        cloud is null ? new ScenarioError(ScenarioErrorCodes.MissingField, "`cloud` is required", Facts.Cloud)
        : catalogue.CloudIndex.ContainsKey(cloud) ? null
        : new ScenarioError(ScenarioErrorCodes.UnknownCloud, $"`{Quote.Short(cloud)}` is not a known cloud ({string.Join(", ", catalogue.Clouds.Select(c => c.Id))})", Facts.Cloud);

    /// <summary>An occurrence that needs another one on or before it (a verification needs a declaration).</summary>
    private static ScenarioError? OrderProblem(Fact fact, Scenario s)
    {
        if (fact.NotBefore is not { } earlierName || fact.OccurrenceOf(s) is not { } happened)
        {
            return null;
        }
        var earlier = Facts.Of(earlierName);
        return earlier.OccurrenceOf(s) switch
        {
            null => new ScenarioError(ScenarioErrorCodes.InconsistentFacts,
                $"`{fact.Name}` is given without `{earlier.Name}`: {Requirement(fact, earlier)}", fact.Name),
            { } before when happened < before => new ScenarioError(ScenarioErrorCodes.InconsistentFacts,
                $"`{fact.Name}` ({happened:yyyy-MM-dd}) is before `{earlier.Name}` ({before:yyyy-MM-dd}): {Requirement(fact, earlier)}", fact.Name),
            _ => null,
        };
    }

    private static string Requirement(Fact fact, Fact earlier) =>
        fact.NotBeforeReason.Length > 0 ? fact.NotBeforeReason : $"`{fact.Name}` needs `{earlier.Name}` on or before it";

    private static string Either(IReadOnlyList<string> choices) =>
        choices.Count == 2 ? $"`{choices[0]}` or `{choices[1]}`" : string.Join(", ", choices.Select(c => $"`{c}`"));
}

/// <summary>
/// How an offending value is quoted in a message: a short prefix, with the characters that would rewrite a line
/// (<see cref="IsHidden"/>) escaped, so a megabyte-long or hostile value (terminal escapes, bidi overrides) can neither
/// flood nor rewrite an error line. Other invisible characters are left as they are: a zero-width joiner belongs to
/// Persian words and emoji sequences.
/// </summary>
internal static class Quote
{
    /// <summary>Longest part of a value a message quotes.</summary>
    public const int MaxLength = 60;

    /// <summary><paramref name="value"/>, or its first <see cref="MaxLength"/> characters and an ellipsis; controls as <c>\uXXXX</c>.</summary>
    public static string Short(string? value) => Shown(value, MaxLength);

    /// <summary>
    /// <paramref name="value"/> whole, controls as <c>\uXXXX</c>: for what a text report echoes of its input (a scenario's
    /// name, an inline product's id, a file's path), which must not rewrite the terminal it is read on.
    /// </summary>
    public static string Escaped(string? value) => Shown(value, int.MaxValue);

    private static string Shown(string? value, int maxLength)
    {
        if (value is null)
        {
            return "";
        }
        if (value.Length <= maxLength && IsPlain(value))
        {
            return value;
        }
        var shown = new System.Text.StringBuilder(Math.Min(value.Length, MaxLength) + 8);
        var count = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count == maxLength)
            {
                shown.Append('…');
                break;
            }
            if (rune.IsBmp && IsHidden((char)rune.Value))
            {
                shown.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                shown.Append(rune.ToString());
            }
            count++;
        }
        return shown.ToString();
    }

    /// <summary>A runtime's message inside one of ours: its first letter lower case, its closing period dropped.</summary>
    public static string Inner(string message) =>
        message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.') : message;

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            // A lone surrogate is not plain either: enumerating runes shows it as U+FFFD.
            if (IsHidden(c) || char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A character that rewrites what a terminal or an editor shows around it: C0 and C1 controls and DEL (escapes, line
    /// breaks, tabs), the line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
    /// The rule-file check refuses the same set (<see cref="Loading.RuleSetLoader"/>).
    /// </summary>
    public static bool IsHidden(char c) =>
        c < '\u0020' || c is >= '\u007f' and <= '\u009f' or '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029'
            or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
