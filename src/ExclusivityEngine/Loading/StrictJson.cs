using System.Text;
using System.Text.Json;

namespace ExclusivityEngine.Loading;

/// <summary>Where a document breaks RFC 8259, and how, in words for the person who wrote it.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, in characters.</param>
/// <param name="Message">One clause, lower case.</param>
internal sealed record JsonProblem(int Line, int Column, string Message);

/// <summary>
/// Rule files and scenario test files are a contract, so they are strict JSON (RFC 8259). Newtonsoft, which reads them
/// with line information, is lenient (comments, single quotes, unquoted names, trailing commas, <c>NaN</c>); System.Text.Json's
/// reader is not, so every document passes through it too.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 64 };

    /// <summary>The UTF-8 byte order mark some editors write; it is not part of the document.</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>The first place where <paramref name="utf8"/> (without a byte order mark) is not one strict JSON value, or null.</summary>
    public static JsonProblem? Check(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            var valid = 0;
            while (Rune.DecodeFromUtf8(utf8[valid..], out _, out var length) == System.Buffers.OperationStatus.Done)
            {
                valid += length;
            }
            var (line, column) = Place(utf8, valid);
            return new JsonProblem(line, column, "the file is not UTF-8");
        }
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    try
                    {
                        // An escape that is no character (a lone surrogate) is syntax RFC 8259 allows but text it cannot carry.
                        _ = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        var (line, column) = Place(utf8, (int)reader.TokenStartIndex);
                        return new JsonProblem(line, column, "a string holds an escape that is no character (a lone surrogate)");
                    }
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var lineStart = LineStart(utf8, line);
            var inLine = (int)Math.Min(e.BytePositionInLine ?? 0, utf8.Length - lineStart);
            var column = Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, inLine)) + 1;
            var at = lineStart + inLine < utf8.Length ? utf8[lineStart + inLine] : (byte)0;
            return new JsonProblem(line + 1, column, Describe(e.Message, at));
        }
    }

    private static string Describe(string message, byte at)
    {
        if (at == (byte)'/')
        {
            return "comments are not JSON";
        }
        if (at == (byte)'\'')
        {
            return "single quotes are not JSON: write strings and names in double quotes";
        }
        if (message.Contains("trailing comma", StringComparison.OrdinalIgnoreCase))
        {
            return "a trailing comma is not JSON";
        }
        if (message.Contains("property name", StringComparison.OrdinalIgnoreCase) && (char.IsAsciiLetter((char)at) || at == (byte)'_' || at == (byte)'$'))
        {
            return "a name must be written in double quotes";
        }
        if (at is (byte)'N' or (byte)'I' or (byte)'+' or (byte)'-' && message.Contains("invalid", StringComparison.OrdinalIgnoreCase))
        {
            return "this is not a JSON value (numbers are finite decimals, with no NaN, Infinity or leading +)";
        }
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).Replace(" Change the reader options.", "", StringComparison.Ordinal).TrimEnd('.', ' ');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "not JSON";
    }

    private static int LineStart(ReadOnlySpan<byte> utf8, int line)
    {
        var start = 0;
        for (var i = 0; i < line; i++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return start;
            }
            start += next + 1;
        }
        return start;
    }

    private static (int Line, int Column) Place(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }
}
