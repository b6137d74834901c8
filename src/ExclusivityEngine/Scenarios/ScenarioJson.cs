using System.Text;
using System.Text.Json;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>Reads one scenario from a JSON object (a JSON Lines line, or a scenario of a test file) without building a DOM.</summary>
public static class ScenarioJson
{
    /// <summary>How deep a scenario's JSON may nest, the scenario object itself counted (so its values: one less).</summary>
    internal const int MaxDepth = 16;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Reads <paramref name="utf8"/> as one scenario object. On success returns the input; otherwise null and the error.
    /// <paramref name="id"/> receives the raw JSON of <c>id</c> when it could be read, so a rejected line still echoes it.
    /// </summary>
    /// <param name="utf8">The object's bytes.</param>
    /// <param name="id">The raw JSON of the <c>id</c> field, if any.</param>
    /// <param name="error">Why the object cannot be read.</param>
    /// <param name="extraFields">Field names the caller reads itself (a test file's <c>name</c> and <c>expect</c>); skipped here.</param>
    public static ScenarioInput? Read(ReadOnlySpan<byte> utf8, out byte[]? id, out ScenarioError? error, IReadOnlySet<string>? extraFields = null)
    {
        var input = ReadAt(utf8, out var idRange, out error, extraFields);
        id = idRange.Equals(default(Range)) ? null : utf8[idRange].ToArray();
        return input;
    }

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, out byte[], out ScenarioError, IReadOnlySet{string})"/>, with <c>id</c> as where it stands in <paramref name="utf8"/> (the batch copies it from there).</summary>
    internal static ScenarioInput? ReadAt(ReadOnlySpan<byte> utf8, out Range id, out ScenarioError? error, IReadOnlySet<string>? extraFields = null)
    {
        id = default;
        error = null;
        var input = new ScenarioInput();
        ScenarioError? firstProblem = null;
        var seen = 0L;
        // Utf8JsonReader checks UTF-8 only where a string is decoded; a value copied as it stands (the echoed id) or
        // skipped would let bytes that are not UTF-8 through. So the whole line is checked once, up front.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            error = new ScenarioError(ScenarioErrorCodes.InvalidJson, $"the line is not UTF-8 (byte {FirstInvalidByte(utf8) + 1} starts a sequence that is not)");
            return null;
        }
        try
        {
            var r = new Utf8JsonReader(utf8, Options);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                error = new ScenarioError(ScenarioErrorCodes.InvalidJson, "the line is not a JSON object");
                return null;
            }
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = FieldName(ref r, out var field);
                r.Read();
                if (field >= 0)
                {
                    if ((seen & (1L << field)) != 0)
                    {
                        error = new ScenarioError(ScenarioErrorCodes.InvalidJson, $"the field `{Quote.Short(name)}` is written twice", name);
                        return null;
                    }
                    seen |= 1L << field;
                }
                ScenarioError? problem = null;
                if (field == IdField)
                {
                    var start = (int)r.TokenStartIndex;
                    int end;
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        SkipCheckingStrings(ref r);
                        end = (int)r.TokenStartIndex + 1;
                    }
                    else
                    {
                        CheckString(ref r);
                        end = (int)r.TokenStartIndex + r.ValueSpan.Length + (r.TokenType == JsonTokenType.String ? 2 : 0);
                    }
                    id = start..end;
                }
                else if (field > IdField)
                {
                    var fact = Facts.All[field - 1];
                    switch (fact.Kind)
                    {
                        case FactKind.Product when r.TokenType == JsonTokenType.StartObject:
                            input.InlineProduct = ReadInline(ref r);
                            break;
                        case FactKind.TriState:
                            fact.SetIn(input, Tri(ref r, name, out problem));
                            break;
                        default:
                            fact.SetIn(input, Text(ref r, name, ScenarioErrorCodes.ForValueOf(fact.Kind), out problem));
                            break;
                    }
                }
                else
                {
                    r.Skip();
                    if (extraFields is null || !extraFields.Contains(name))
                    {
                        problem = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{Quote.Short(name)}` is not a scenario field (a misspelt fact is refused, never ignored)", name);
                    }
                }
                if (problem is not null && firstProblem is null)
                {
                    firstProblem = problem;
                }
            }
            if (r.TokenType != JsonTokenType.EndObject)
            {
                error = new ScenarioError(ScenarioErrorCodes.InvalidJson, "the JSON object is not complete");
                return null;
            }
            if (r.Read())
            {
                error = new ScenarioError(ScenarioErrorCodes.InvalidJson, "there is more after the JSON object");
                return null;
            }
        }
        catch (JsonException e)
        {
            // A batch line has one line; a body sent to the service (one scenario, as a batch line) may be indented over many.
            var at = e.BytePositionInLine is not { } position ? ""
                : e.LineNumber is > 0 and var line ? $" at line {line + 1}, byte {position + 1}" : $" at byte {position + 1}";
            error = new ScenarioError(ScenarioErrorCodes.InvalidJson, $"the line is not valid JSON{at} ({Describe(e)})");
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or DecoderFallbackException)
        {
            // The bytes are UTF-8 (checked above): what could not be decoded is an escape that stands for no character.
            error = new ScenarioError(ScenarioErrorCodes.InvalidJson, "the line holds an escape that stands for no character (a lone surrogate such as \\ud800), which no text can carry");
            return null;
        }
        if (firstProblem is not null)
        {
            error = firstProblem;
            return null;
        }
        return input;
    }

    /// <summary>
    /// The id is echoed as written, so every string in it must be text: an escape that is no character (a lone
    /// surrogate, <c>"\ud800"</c>) makes the line invalid here, as it does in any field that is read.
    /// </summary>
    private static void CheckString(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && r.ValueIsEscaped)
        {
            // Throws InvalidOperationException for an escape that is not a character.
            _ = r.GetString();
        }
    }

    private static void SkipCheckingStrings(ref Utf8JsonReader r)
    {
        var depth = r.CurrentDepth;
        while (r.Read() && r.CurrentDepth > depth)
        {
            CheckString(ref r);
        }
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var at = 0;
        while (at < utf8.Length && Rune.DecodeFromUtf8(utf8[at..], out _, out var length) == System.Buffers.OperationStatus.Done)
        {
            at += length;
        }
        return at;
    }

    /// <summary>Reads a whole scenario from a string (the library's convenience form).</summary>
    public static ScenarioInput? Read(string json, out ScenarioError? error) => Read(Encoding.UTF8.GetBytes(json), out _, out error);

    private const int IdField = 0;

    /// <summary>The fields a scenario may have: <c>id</c>, then every declared fact (field i + 1 is fact i).</summary>
    private static readonly string[] KnownFields = ["id", .. Facts.All.Select(f => f.Name)];

    /// <summary>
    /// The known fields found by their bytes (unescaped), so a name costs a comparison or two and no allocation: 0 for
    /// <c>id</c>, fact index + 1, or -1.
    /// </summary>
    internal static readonly Utf8Index FieldNames = new(KnownFields);

    /// <summary>
    /// The property name, as one of the known field strings when it is one (no allocation on the hot path), and its
    /// number: 0 for <c>id</c>, fact index + 1 for a fact, -1 for a field a scenario does not have.
    /// </summary>
    private static string FieldName(ref Utf8JsonReader r, out int field)
    {
        if (!r.ValueIsEscaped && FieldNames.IndexOf(r.ValueSpan) is var known and >= 0)
        {
            field = known;
            return KnownFields[known];
        }
        var name = r.GetString()!;
        field = Array.IndexOf(KnownFields, name);
        return name;
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        message = (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
        // Two of System.Text.Json's messages speak of its reader's options and state; say what the line lacks instead.
        if (message.Contains("trailing comma", StringComparison.Ordinal))
        {
            message = "a comma with no value after it";
        }
        else if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
        {
            message = "the line ends before every object and array in it is closed";
        }
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : "unreadable";
    }

    private static string? Text(ref Utf8JsonReader r, string name, string code, out ScenarioError? problem)
    {
        problem = null;
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                return r.ValueIsEscaped ? r.GetString() : ValuePool.Get(r.ValueSpan);
            case JsonTokenType.Null:
                return null;
            default:
                r.Skip();
                problem = new ScenarioError(code, name == Facts.Product ? "`product` must be a catalogue product id (a string) or an inline product (an object)" : $"`{name}` must be a string", name);
                return null;
        }
    }

    private static TriStateInput Tri(ref Utf8JsonReader r, string name, out ScenarioError? problem)
    {
        problem = null;
        switch (r.TokenType)
        {
            case JsonTokenType.True:
                return TriStateInput.True;
            case JsonTokenType.False:
                return TriStateInput.False;
            case JsonTokenType.Null:
                return TriStateInput.Unknown;
            case JsonTokenType.String:
                var text = r.GetString();
                var parsed = ParseTri(text);
                if (parsed != TriStateInput.Omitted)
                {
                    return parsed;
                }
                problem = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{name}` must be true, false or null (unknown), not `{Quote.Short(text)}`", name);
                return TriStateInput.Omitted;
            default:
                r.Skip();
                problem = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{name}` must be true, false or null (unknown)", name);
                return TriStateInput.Omitted;
        }
    }

    /// <summary><c>true</c>, <c>false</c> or <c>unknown</c> as written in CSV cells and options; anything else is Omitted (not a value).</summary>
    public static TriStateInput ParseTri(string? text) => text switch
    {
        "true" => TriStateInput.True,
        "false" => TriStateInput.False,
        "unknown" => TriStateInput.Unknown,
        _ => TriStateInput.Omitted,
    };

    /// <summary>Reads an inline product written as a JSON object (a CSV cell); null when it is not one.</summary>
    public static InlineProductInput? ReadInlineProduct(string json) => ReadInlineProduct(json, out _);

    /// <summary>
    /// <see cref="ReadInlineProduct(string)"/>, and when it is not one JSON object, why, as the end of a sentence
    /// ("it is not valid JSON at byte 11 (…)", as a batch line's JSON is described): an adversarial run found every
    /// such product called "not a JSON object", also one that was an object holding a lone surrogate.
    /// </summary>
    internal static InlineProductInput? ReadInlineProduct(string json, out string why)
    {
        why = "";
        try
        {
            var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), Options);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                why = "it does not start with `{`";
                return null;
            }
            var inline = ReadInline(ref r);
            if (r.TokenType == JsonTokenType.EndObject && !r.Read())
            {
                return inline;
            }
            why = "it is not one JSON object";
            return null;
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine is not { } position ? ""
                : e.LineNumber is > 0 and var line ? $" at line {line + 1}, byte {position + 1}" : $" at byte {position + 1}";
            why = $"it is not valid JSON{at} ({Describe(e).Replace("the line ends", "it ends", StringComparison.Ordinal)})";
            return null;
        }
        catch (InvalidOperationException)
        {
            // An escape that is no character (a lone surrogate), found by the fuzzer.
            why = "a string in it holds an escape that stands for no character (a lone surrogate such as \\ud800)";
            return null;
        }
    }

    private static InlineProductInput ReadInline(ref Utf8JsonReader r)
    {
        var inline = new InlineProductInput();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            if (!seen.Add(name))
            {
                // The last one would win: a stray second attribute must never change a verdict unseen.
                inline.DuplicateField ??= name;
            }
            r.Read();
            string? Str(ref Utf8JsonReader reader)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }
                if (reader.TokenType != JsonTokenType.Null)
                {
                    inline.InvalidField ??= name;
                }
                reader.Skip();
                return null;
            }
            switch (name)
            {
                case "id":
                    inline.Id = Str(ref r);
                    break;
                case "interface":
                    inline.Interface = Str(ref r);
                    break;
                case "origin":
                    inline.Origin = Str(ref r);
                    break;
                case "offeredBy":
                    inline.OfferedBy = Str(ref r);
                    break;
                case "shippedOnAzureFirst":
                    inline.ShippedOnAzureFirst = Tri(ref r, name, out var problem);
                    if (problem is not null)
                    {
                        inline.InvalidField ??= name;
                    }
                    break;
                default:
                    inline.UnknownField ??= name;
                    r.Skip();
                    break;
            }
        }
        return inline;
    }
}

/// <summary>
/// Product ids, clouds, segments and dates repeat across millions of lines: short ASCII values are kept in a small
/// table and reused instead of allocating a string per line. A slot holds the last value that hashed to it; threads
/// may overwrite each other's slots, which only costs an allocation.
/// </summary>
internal static class ValuePool
{
    private const int MaxLength = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string?[] Slots = new string?[4096];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || !System.Text.Ascii.IsValid(utf8))
        {
            // Strict, as Utf8JsonReader.GetString is: bytes that are not UTF-8 make the line invalid, never a lookalike value.
            return StrictUtf8.GetString(utf8);
        }
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }
        var slot = (int)(hash & (uint)(Slots.Length - 1));
        var known = Slots[slot];
        if (known is not null && System.Text.Ascii.Equals(utf8, known))
        {
            return known;
        }
        var value = Encoding.ASCII.GetString(utf8);
        Slots[slot] = value;
        return value;
    }
}
