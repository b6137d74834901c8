using NJsonSchema;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>The JSON Schemas shipped with the tool: scenario test files and rule files (embedded resources).</summary>
internal static class JsonSchemas
{
    /// <summary>The name of the scenario test file schema (<c>exclusivity schema test</c>).</summary>
    public const string Test = "test";

    /// <summary>The name of the rule file schema (<c>exclusivity schema rules</c>).</summary>
    public const string Rules = "rules";

    private static readonly Lazy<JsonSchema> TestSchema = new(() => Parse(Test), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<JsonSchema> RulesSchema = new(() => Parse(Rules), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The names <see cref="Text"/> knows, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Test, Rules];

    /// <summary>The schema's text as shipped; throws <see cref="ArgumentOutOfRangeException"/> for an unknown name.</summary>
    public static string Text(string name)
    {
        var resource = name switch
        {
            Test => "schemas/scenario-test.schema.json",
            Rules => "schemas/rules.schema.json",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a shipped schema"),
        };
        using var stream = typeof(JsonSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the library does not embed `{resource}`");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The scenario test file schema, parsed once for validation.</summary>
    public static JsonSchema ScenarioTest => TestSchema.Value;

    /// <summary>The rule file schema, parsed once for validation.</summary>
    public static JsonSchema RuleFile => RulesSchema.Value;

    // The schemas are resources of this assembly, so no reference resolution leaves it: FromJsonAsync on a string never waits on I/O.
    private static JsonSchema Parse(string name) => JsonSchema.FromJsonAsync(Text(name)).GetAwaiter().GetResult();
}
