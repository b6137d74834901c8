using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>The expectation keys of a scenario test file, as written in <c>expect</c>.</summary>
internal static class ExpectKeys
{
    /// <summary>The combined permission.</summary>
    public const string Combined = "combined";
    /// <summary>Whether the combined verdict is disputed.</summary>
    public const string Disputed = "disputed";
    /// <summary>Permission per version or reading.</summary>
    public const string Versions = "versions";
    /// <summary>Decisive clauses per version or reading, as the combined verdict lists them.</summary>
    public const string Decisive = "decisive";
    /// <summary>The combined conditions' clause ids.</summary>
    public const string Conditions = "conditions";
    /// <summary>The combined obligations' clause ids.</summary>
    public const string Obligations = "obligations";

    /// <summary>Every key, in the order they are checked and reported.</summary>
    public static IReadOnlyList<string> All { get; } = [Combined, Disputed, Versions, Decisive, Conditions, Obligations];
}

/// <summary>What a scenario expects; null means the key was not written and is not checked.</summary>
/// <param name="Combined">The combined permission.</param>
/// <param name="Disputed">Whether the combined verdict is disputed.</param>
/// <param name="Versions">Permission per row id (<c>version</c> or <c>version@reading</c>), in written order.</param>
/// <param name="Decisive">Clause ids per row id, in written order.</param>
/// <param name="Conditions">Clause ids of the combined conditions.</param>
/// <param name="Obligations">Clause ids of the combined obligations.</param>
internal sealed record Expectation(
    Permission? Combined,
    bool? Disputed,
    IReadOnlyList<KeyValuePair<string, Permission>>? Versions,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>? Decisive,
    IReadOnlyList<string>? Conditions,
    IReadOnlyList<string>? Obligations)
{
    /// <summary>The rows the expectation names (in <c>versions</c> or <c>decisive</c>).</summary>
    public IEnumerable<string> NamedRows =>
        (Versions ?? []).Select(v => v.Key).Concat((Decisive ?? []).Select(d => d.Key)).Distinct(StringComparer.Ordinal);
}

/// <summary>One scenario of a test file, checked against the catalogue and ready to run.</summary>
/// <param name="File">The file, as the user named it.</param>
/// <param name="Name">The scenario's name.</param>
/// <param name="Line">The line of the scenario's opening brace.</param>
/// <param name="Column">Its column.</param>
/// <param name="Scenario">The scenario, normalised.</param>
/// <param name="Expect">What it must give.</param>
internal sealed record ScenarioTestCase(string File, string Name, int Line, int Column, Scenario Scenario, Expectation Expect)
{
    /// <summary>The scenario as written, before the catalogue's defaults were applied (to resolve it against another rule set).</summary>
    public ScenarioInput? Input { get; init; }
}

/// <summary>
/// Why a test file cannot be used: one sentence with its place, the file and line and column, and where it concerns a
/// scenario, the scenario and the field.
/// </summary>
/// <param name="File">The file, as the user named it.</param>
/// <param name="Line">1-based line, 0 where unknown.</param>
/// <param name="Column">1-based column, 0 where unknown.</param>
/// <param name="Scenario">The scenario's name (or <c>#N</c>, 1-based, when it has none).</param>
/// <param name="Field">The field, as a dotted path inside the scenario (or the file).</param>
/// <param name="Message">One lower-case sentence.</param>
internal sealed record TestFileProblem(string File, int Line, int Column, string? Scenario, string? Field, string Message)
{
    /// <summary>The field's path, quoted as any value written by the user is: a key can be megabytes long or hold terminal escapes.</summary>
    public string? Field { get; init; } = Field is null ? null : Quote.Short(Field);

    /// <summary><c>file:line:col: scenario `name`: field `expect.x`: message</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(4) { Line > 0 ? $"{File}:{Line}:{Column}" : File };
        if (Scenario is not null)
        {
            parts.Add($"scenario `{Quote.Short(Scenario)}`");
        }
        if (Field is not null)
        {
            parts.Add($"field `{Field}`");
        }
        parts.Add(Message);
        // One line whatever the path holds (a file named with a line break forged a second error line).
        return Quote.Escaped(string.Join(": ", parts));
    }
}

/// <summary>A test file as read: its scenarios when it can be used, else every problem found in it.</summary>
/// <param name="File">The file, as the user named it.</param>
/// <param name="Title">Its title, if written.</param>
/// <param name="Cases">Its scenarios (empty when it cannot be used).</param>
/// <param name="Problems">Why it cannot be used, sorted by place; empty when it can.</param>
internal sealed record TestFile(string File, string? Title, IReadOnlyList<ScenarioTestCase> Cases, IReadOnlyList<TestFileProblem> Problems)
{
    /// <summary>True when nothing stops the file from running.</summary>
    public bool Usable => Problems.Count == 0;
}
