using System.Numerics;
using System.Text;
using ExclusivityEngine.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ExclusivityEngine.Scenarios.Testing;

/// <summary>
/// Reads a scenario test file: JSON with line information (Newtonsoft), the shipped schema (NJsonSchema), then the
/// scenarios against the rule set's catalogue and rows. Every problem is collected with its place; nothing is thrown.
/// </summary>
internal static class TestFileReader
{
    private const string NameField = "name";
    private const string ExpectField = "expect";
    private static readonly IReadOnlySet<string> TestFields = new HashSet<string>(StringComparer.Ordinal) { NameField, ExpectField };

    private static readonly JsonLoadSettings LoadSettings = new()
    {
        LineInfoHandling = LineInfoHandling.Load,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
        CommentHandling = CommentHandling.Ignore,
    };

    /// <summary>Reads the file at <paramref name="path"/>, shown in messages as <paramref name="display"/>.</summary>
    public static TestFile Read(string path, string display, RuleSet rules)
    {
        byte[] bytes;
        try
        {
            bytes = Loading.RegularFiles.Read(path, display);
        }
        catch (Loading.UnreadableFileException e)
        {
            return Refused(display, new TestFileProblem(display, 0, 0, null, null, e.Message));
        }
        return Read(bytes, display, rules);
    }

    /// <summary>Reads a test file's bytes, shown in messages as <paramref name="display"/>.</summary>
    public static TestFile Read(byte[] utf8, string display, RuleSet rules)
    {
        // Checked first: decoded leniently, bytes that are not UTF-8 (a UTF-16 file, a stray byte) became U+FFFD, and
        // Newtonsoft's complaint about that character named neither the real cause nor the place.
        if (!System.Text.Unicode.Utf8.IsValid(utf8) && Loading.StrictJson.Check(Loading.StrictJson.WithoutByteOrderMark(utf8)) is { } encoding)
        {
            return Refused(display, new TestFileProblem(display, encoding.Line, encoding.Column, null, null, "the file is not UTF-8 (a test file is UTF-8 JSON; an editor can save it so)"));
        }
        JToken root;
        try
        {
            using var text = new StringReader(new UTF8Encoding(false).GetString(utf8).TrimStart('\uFEFF'));
            using var json = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
            root = JToken.ReadFrom(json, LoadSettings);
            if (json.Read())
            {
                return Refused(display, new TestFileProblem(display, json.LineNumber, json.LinePosition, null, null, "the file is not valid JSON: there is more after the end of the top-level object"));
            }
            // Newtonsoft reads more than JSON (comments, single quotes, trailing commas); a test file is strict JSON.
            if (Loading.StrictJson.Check(Loading.StrictJson.WithoutByteOrderMark(utf8)) is { } strict)
            {
                return Refused(display, new TestFileProblem(display, strict.Line, strict.Column, null, null, $"the file is not strict JSON (RFC 8259): {strict.Message}"));
            }
        }
        catch (JsonReaderException e) when (utf8.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return Refused(display, new TestFileProblem(display, e.LineNumber, e.LinePosition, null, null, "the file is empty; a test file is one JSON object { \"scenarios\": [ … ] }"));
        }
        catch (JsonReaderException e) when (OutsizedNumber(e) is { } number)
        {
            // Valid JSON that a decimal cannot hold: Newtonsoft reads a test file's fractions as decimals so that they are
            // not rounded; no test file field is a number, so saying which number and why is enough.
            // Newtonsoft's place is the number's last character; an editor should go to its first.
            return Refused(display, new TestFileProblem(display, e.LineNumber, Math.Max(1, e.LinePosition - number.Length + 1), null, null,
                $"the number {Quote.Short(number)} is too large for a test file (a number here must fit a decimal: below 7.9e28 in size)"));
        }
        catch (JsonReaderException e)
        {
            // Newtonsoft's position is the count of characters before the place: 0 at the start of a line.
            return Refused(display, new TestFileProblem(display, e.LineNumber, e.LineNumber > 0 ? Math.Max(e.LinePosition, 1) : 0, null, null, $"the file is not valid JSON: {Describe(e)}"));
        }

        if (root is not JObject)
        {
            var (line, column) = Place(root);
            return Refused(display, new TestFileProblem(display, line, column, null, null, "a test file must be one JSON object { \"scenarios\": [ … ] }"));
        }

        var problems = new List<TestFileProblem>();
        // Scenarios whose facts the schema refused are not resolved against the catalogue: one problem per mistake is enough.
        var factsRefused = new HashSet<int>();
        var errors = Flatten(SchemaErrors(root)).ToList();
        // A value of the wrong kind where a string of a list is wanted broke two rules; its kind is the one to say.
        var wrongKind = errors.Where(e => e.Kind is ValidationErrorKind.StringExpected or ValidationErrorKind.BooleanExpected
            or ValidationErrorKind.ArrayExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.NoTypeValidates)
            .Select(e => ValueOf(e.Token)).OfType<JToken>().ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var error in errors)
        {
            // A value of the wrong kind is one mistake: not also every key an object there would have needed.
            if (error.Kind is ValidationErrorKind.NotInEnumeration or ValidationErrorKind.PropertyRequired && ValueOf(error.Token) is { } token && wrongKind.Contains(token))
            {
                continue;
            }
            if (ScenarioIndex(error.Token) is not null
                && (error.Kind == ValidationErrorKind.DateExpected
                    || (error.Kind == ValidationErrorKind.NoTypeValidates && error.Schema?.ActualSchema.Format == "date" && ValueOf(error.Token) is JValue { Type: JTokenType.String })))
            {
                // (A date that may be null is checked against two types; a string that is no date then failed both,
                // and the schema's message said it must be a string.)
                // A scenario's dates are checked with its other facts, which name the error's code (invalid-date).
                continue;
            }
            var problem = Translate(error, display);
            problems.Add(problem);
            if (ScenarioIndex(error.Token) is { } index && !(problem.Field ?? "").StartsWith(ExpectField, StringComparison.Ordinal))
            {
                factsRefused.Add(index);
            }
        }

        var cases = new List<ScenarioTestCase>();
        string? title = null;
        if (root is JObject file)
        {
            title = file["title"] is JValue { Type: JTokenType.String } t ? (string?)t : null;
            if (file["scenarios"] is JArray scenarios)
            {
                for (var i = 0; i < scenarios.Count; i++)
                {
                    if (scenarios[i] is JObject scenario)
                    {
                        var testCase = ReadScenario(scenario, i, !factsRefused.Contains(i), display, rules, problems);
                        if (testCase is not null)
                        {
                            cases.Add(testCase);
                        }
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            var sorted = problems.Distinct().OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
            return new TestFile(display, title, [], sorted);
        }
        return new TestFile(display, title, cases, []);
    }

    /// <summary>
    /// The schema's errors for <paramref name="root"/>. NJsonSchema converts every number it meets to decimal and throws
    /// on an integer too long for one (Newtonsoft holds it as a BigInteger); the schema has no numeric field, so such an
    /// integer only has to stay a number while it is checked: it is clamped to decimal's range for the check and put back
    /// before any message quotes it.
    /// </summary>
    private static List<ValidationError> SchemaErrors(JToken root)
    {
        var outsized = (root is JContainer container ? container.DescendantsAndSelf() : [root]).OfType<JValue>().Where(v => v.Value is BigInteger).ToList();
        var written = outsized.Select(v => v.Value).ToList();
        foreach (var value in outsized)
        {
            value.Value = ((BigInteger)value.Value!).Sign < 0 ? decimal.MinValue : decimal.MaxValue;
        }
        try
        {
            return [.. JsonSchemas.ScenarioTest.Validate(root)];
        }
        finally
        {
            for (var i = 0; i < outsized.Count; i++)
            {
                outsized[i].Value = written[i];
            }
        }
    }

    private static JToken? ValueOf(JToken? token) => token is JProperty property ? property.Value : token;

    private static TestFile Refused(string display, TestFileProblem problem) => new(display, null, [], [problem]);

    private static ScenarioTestCase? ReadScenario(JObject scenario, int index, bool resolve, string display, RuleSet rules, List<TestFileProblem> problems)
    {
        var name = scenario[NameField] is JValue { Type: JTokenType.String } n && ((string?)n)!.Length > 0 ? (string)n! : $"#{index + 1}";
        var (line, column) = Place(scenario);
        var before = problems.Count;
        void Problem(JToken? at, string field, string message)
        {
            var (l, c) = Place(at ?? scenario);
            problems.Add(new TestFileProblem(display, l, c, name, field, message));
        }

        Scenario? resolved = null;
        ScenarioInput? input = null;
        if (resolve)
        {
            var utf8 = Encoding.UTF8.GetBytes(scenario.ToString(Formatting.None));
            input = ScenarioJson.Read(utf8, out _, out var error, TestFields);
            if (input is not null)
            {
                resolved = input.Resolve(rules.Catalogue, out error);
            }
            if (error is { Code: ScenarioErrorCodes.InvalidJson } && TooDeep(scenario) is { } deep)
            {
                // The scenario parsed as part of the file; only the batch line's depth bound, which a scenario is held
                // to so that it means what the same line means in a batch, can refuse it here.
                Problem(deep.Value, deep.Name, $"`{Quote.Short(deep.Name)}` nests deeper than a scenario's value may ({ScenarioJson.MaxDepth - 1} levels, as in a batch line) ({error.Code})");
            }
            else if (error is not null)
            {
                var field = error.Field ?? "";
                Problem(Find(scenario, field), field, $"{error.Message} ({error.Code})");
            }
        }

        var expect = scenario[ExpectField] is JObject e ? ReadExpectation(e, rules, Problem) : null;
        return problems.Count == before && resolved is not null && expect is not null
            ? new ScenarioTestCase(display, name, line, column, resolved, expect) { Input = input }
            : null;
    }

    /// <summary>Reads <c>expect</c>, tolerating what the schema already refused, and refuses row ids the rule set does not know.</summary>
    private static Expectation ReadExpectation(JObject expect, RuleSet rules, Action<JToken?, string, string> problem)
    {
        var combined = Permission(expect[ExpectKeys.Combined]);
        bool? disputed = expect[ExpectKeys.Disputed] is JValue { Type: JTokenType.Boolean } d ? (bool)d : null;

        List<KeyValuePair<string, JToken>>? PerRow(string key)
        {
            if (expect[key] is not JObject map)
            {
                return null;
            }
            var list = new List<KeyValuePair<string, JToken>>();
            foreach (var property in map.Properties())
            {
                if (!rules.RowsById.ContainsKey(property.Name))
                {
                    problem(property, $"{ExpectField}.{key}.{property.Name}",
                        $"`{Quote.Short(property.Name)}` is not a version or reading of the rule set ({string.Join(", ", rules.Rows.Select(r => r.Id))}): a misspelt id is refused, never ignored");
                }
                else
                {
                    list.Add(new(property.Name, property.Value));
                }
            }
            return list;
        }

        var versions = PerRow(ExpectKeys.Versions)?
            .Where(kv => Permission(kv.Value) is not null).Select(kv => new KeyValuePair<string, Permission>(kv.Key, Permission(kv.Value)!.Value)).ToList();
        var decisive = PerRow(ExpectKeys.Decisive)?
            .Where(kv => Ids(kv.Value) is not null).Select(kv => new KeyValuePair<string, IReadOnlyList<string>>(kv.Key, Ids(kv.Value)!)).ToList();
        return new Expectation(combined, disputed, versions, decisive, Ids(expect[ExpectKeys.Conditions]), Ids(expect[ExpectKeys.Obligations]));

        static Permission? Permission(JToken? token) => token is JValue { Type: JTokenType.String } v ? (string?)v switch
        {
            "Permitted" => Model.Permission.Permitted,
            "Conditional" => Model.Permission.Conditional,
            "Prohibited" => Model.Permission.Prohibited,
            _ => null,
        } : null;

        static IReadOnlyList<string>? Ids(JToken? token) =>
            token is JArray array && array.All(t => t.Type == JTokenType.String) ? array.Values<string>().Select(s => s!).ToList() : null;
    }

    /// <summary>The token a scenario error's field names (<c>product.interface</c> inside an inline product), if written.</summary>
    /// <summary>The scenario's first field whose value nests deeper than a batch line allows, if any.</summary>
    private static JProperty? TooDeep(JObject scenario) =>
        scenario.Properties().FirstOrDefault(p => 1 + Nesting(p.Value) > ScenarioJson.MaxDepth);

    /// <summary>How many objects and arrays deep <paramref name="token"/> goes (0 for a plain value).</summary>
    private static int Nesting(JToken token) => token switch
    {
        JObject o => 1 + o.Properties().Select(p => Nesting(p.Value)).DefaultIfEmpty(0).Max(),
        JArray a => 1 + a.Select(Nesting).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static JToken? Find(JObject scenario, string field)
    {
        JToken? token = null;
        JObject? at = scenario;
        foreach (var part in field.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (at?.Property(part) is not { } property)
            {
                break;
            }
            token = property.Value;
            at = property.Value as JObject;
        }
        return token;
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            switch (error)
            {
                case ChildSchemaValidationError child when child.Kind != ValidationErrorKind.NotOneOf && child.Errors.Count > 0:
                    foreach (var inner in Flatten(child.Errors.SelectMany(e => e.Value)))
                    {
                        yield return inner;
                    }
                    break;
                default:
                    yield return error;
                    break;
            }
        }
    }

    private static TestFileProblem Translate(ValidationError error, string display)
    {
        var token = error.Token;
        var (line, column) = token is not null && Place(token) is { Line: > 0 } start ? start : error.HasLineInfo ? (error.LineNumber, error.LinePosition) : (0, 0);
        var scenarioIndex = ScenarioIndex(token);
        string? scenario = null;
        JToken? scenarioToken = null;
        if (scenarioIndex is { } i && token?.Root is JObject { } root && root["scenarios"] is JArray list && list[i] is JObject s)
        {
            scenarioToken = s;
            scenario = s[NameField] is JValue { Type: JTokenType.String } n && ((string?)n)!.Length > 0 ? (string)n! : $"#{i + 1}";
        }
        var field = FieldPath(token, scenarioToken);
        string Join(string? parent, string name) => string.IsNullOrEmpty(parent) ? name : $"{parent}.{name}";
        var value = token is JProperty prop ? prop.Value : token;
        var shown = value is JValue v ? (v.Type == JTokenType.Null ? "null" : Quote.Short(v.ToString(Formatting.None))) : Describe(value);
        string message;
        switch (error.Kind)
        {
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                {
                    var property = error.Property ?? (token as JProperty)?.Name ?? "?";
                    var owner = token is JProperty p ? p.Parent : token;
                    var known = error.Schema?.ActualSchema.Properties.Keys.ToList() ?? [];
                    var what = KindOfObject(owner, scenarioToken);
                    message = $"`{Quote.Short(property)}` is not {what}; known: {string.Join(", ", known)} (a misspelt key is refused, never ignored)";
                    if (token is not JProperty)
                    {
                        field = Join(field, property);
                    }
                    break;
                }
            case ValidationErrorKind.PropertyRequired:
                message = $"`{error.Property}` is required";
                field = Join(field, error.Property ?? "");
                break;
            case ValidationErrorKind.NotInEnumeration:
                message = $"{shown} is not one of {string.Join(", ", error.Schema?.ActualSchema.Enumeration.Select(e => e is null ? "null" : JToken.FromObject(e).ToString(Formatting.None)) ?? [])}";
                break;
            case ValidationErrorKind.PatternMismatch:
                message = error.Schema?.ActualSchema.Pattern?.Contains("[0-9]{4}", StringComparison.Ordinal) == true
                    ? $"{shown} is not a date written yyyy-mm-dd"
                    : $"{shown} is not a clause id (lower-case letters, digits and hyphens)";
                break;
            case ValidationErrorKind.DateExpected:
                message = $"{shown} is not a calendar date written yyyy-mm-dd";
                break;
            case ValidationErrorKind.StringTooShort:
                message = "must not be empty";
                break;
            case ValidationErrorKind.StringExpected:
                message = $"must be a string in quotes, not {Describe(value)}";
                break;
            case ValidationErrorKind.BooleanExpected:
                message = $"must be true or false, not {Describe(value)}";
                break;
            case ValidationErrorKind.ArrayExpected:
                message = $"must be a list [ … ], not {Describe(value)}";
                break;
            case ValidationErrorKind.ObjectExpected:
                message = $"must be an object {{ … }}, not {Describe(value)}";
                break;
            case ValidationErrorKind.NoTypeValidates:
                message = $"must be {Types(error.Schema?.ActualSchema.Type ?? JsonObjectType.None)}, not {Describe(value)}";
                break;
            default:
                message = $"does not follow the test file schema ({error.Kind})";
                break;
        }
        return new TestFileProblem(display, line, column, scenario, string.IsNullOrEmpty(field) ? null : field, message);
    }

    private static string KindOfObject(JToken? owner, JToken? scenario)
    {
        if (owner is JObject o)
        {
            if (ReferenceEquals(o, scenario))
            {
                return "a scenario field";
            }
            if (o.Parent is JProperty p)
            {
                return p.Name switch
                {
                    ExpectField when ReferenceEquals(p.Parent, scenario) => "an expect key",
                    "product" when ReferenceEquals(p.Parent, scenario) => "an attribute of an inline product",
                    _ => "a known key here",
                };
            }
            if (o.Parent is null)
            {
                return "a field of a test file";
            }
        }
        return "a known key here";
    }

    private static string Types(JsonObjectType type)
    {
        var names = new List<string>();
        if (type.HasFlag(JsonObjectType.String))
        {
            names.Add("a string");
        }
        if (type.HasFlag(JsonObjectType.Object))
        {
            names.Add("an object");
        }
        if (type.HasFlag(JsonObjectType.Boolean))
        {
            names.Add("true or false");
        }
        if (type.HasFlag(JsonObjectType.Null))
        {
            names.Add("null");
        }
        return names.Count == 0 ? "another kind of value" : string.Join(" or ", names);
    }

    private static string Describe(JToken? value) => value?.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "a list",
        JTokenType.String => $"the string {Quote.Short(value.ToString(Formatting.None))}",
        JTokenType.Null => "null",
        JTokenType.Boolean => value.ToString(Formatting.None),
        JTokenType.Integer or JTokenType.Float => $"the number {Quote.Short(value.ToString(Formatting.None))}",
        _ => "this value",
    };

    /// <summary>Which scenario (0-based) a token lies in, if any.</summary>
    private static int? ScenarioIndex(JToken? token)
    {
        for (var t = token; t is not null; t = t.Parent)
        {
            if (t.Parent is JArray { Parent: JProperty { Name: "scenarios", Parent: { Parent: null } } } array)
            {
                return array.IndexOf(t);
            }
        }
        return null;
    }

    /// <summary>The dotted path of a token inside its scenario (or the file, outside any scenario).</summary>
    private static string FieldPath(JToken? token, JToken? scenario)
    {
        var parts = new List<string>();
        for (var t = token; t is not null && !ReferenceEquals(t, scenario); t = t.Parent)
        {
            switch (t)
            {
                case JProperty p:
                    parts.Add(p.Name);
                    break;
                case JToken item when item.Parent is JArray array:
                    parts.Add($"[{array.IndexOf(item)}]");
                    break;
            }
        }
        parts.Reverse();
        return string.Join('.', parts).Replace(".[", "[", StringComparison.Ordinal);
    }

    /// <summary>
    /// Where a token starts. Newtonsoft records the position after a token was read (after the colon for a property, after
    /// the closing quote for a string), so it is moved back to the token's first character, which is where an editor should go.
    /// </summary>
    private static (int Line, int Column) Place(JToken token)
    {
        if (token is not IJsonLineInfo info || !info.HasLineInfo())
        {
            return (0, 0);
        }
        var back = token switch
        {
            JProperty p => JsonConvert.ToString(p.Name).Length,
            JValue v => v.ToString(Formatting.None).Length - 1,
            _ => 0,
        };
        return (info.LineNumber, Math.Max(1, info.LinePosition - back));
    }

    /// <summary>The number Newtonsoft could not read as a decimal, if that is what <paramref name="e"/> says.</summary>
    private static string? OutsizedNumber(JsonReaderException e)
    {
        const string Before = "Input string '", After = "' is not a valid decimal";
        var message = e.Message;
        var end = message.IndexOf(After, StringComparison.Ordinal);
        return message.StartsWith(Before, StringComparison.Ordinal) && end > Before.Length ? message[Before.Length..end] : null;
    }

    private static string Describe(JsonReaderException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(", line ", StringComparison.Ordinal);
        }
        message = (cut > 0 ? message[..cut] : message).TrimEnd(' ');
        message = message.EndsWith('.') ? message[..^1] : message;
        // "…character: ," names the character it found: quoted, so that it is not read (or trimmed) as punctuation.
        message = message.Length > 2 && message[^2] == ' ' && message[^3] == ':' ? $"{message[..^1]}`{message[^1]}`" : message.TrimEnd(' ', ',');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : "unreadable";
    }
}
