using System.Text.Json;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// The oracle for batch output (shared with the fuzzing harness): every line is UTF-8, ends with a line feed, and is one
/// JSON object whose every string and name decodes to text (no escape that is not a character).
/// </summary>
internal static class OutputLines
{
    /// <summary>Checks <paramref name="output"/> and returns its lines as JSON objects; throws on the first broken line.</summary>
    public static List<JsonElement> Parse(ReadOnlySpan<byte> output)
    {
        if (!System.Text.Unicode.Utf8.IsValid(output))
        {
            throw new InvalidDataException("the output is not UTF-8");
        }
        if (!output.IsEmpty && output[^1] != (byte)'\n')
        {
            throw new InvalidDataException("the output does not end with a line feed");
        }
        var lines = new List<JsonElement>();
        while (!output.IsEmpty)
        {
            var end = output.IndexOf((byte)'\n');
            lines.Add(ParseLine(output[..end], lines.Count + 1));
            output = output[(end + 1)..];
        }
        return lines;
    }

    private static JsonElement ParseLine(ReadOnlySpan<byte> line, int number)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }
            using var document = JsonDocument.Parse(line.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"output line {number} is not a JSON object");
            }
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"output line {number} is not JSON: {e.Message}", e);
        }
    }
}
