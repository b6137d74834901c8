using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExclusivityEngine.Benchmarks;

/// <summary>
/// The floor a batch is compared with (issue 15): every line of a JSON Lines file read with <c>Utf8JsonReader</c> and a
/// line of a batch answer's size (about 670 bytes: the line's fields echoed, then padding) written with
/// <c>Utf8JsonWriter</c>, on one thread, no evaluation at all. <c>benchmarks/measure-batch.sh</c> runs it under
/// <c>taskset -c 0</c> beside <c>batch</c> on one core.
/// Usage: <c>ExclusivityEngine.Benchmarks --utf8-pass IN OUT</c>.
/// </summary>
public static class Utf8JsonPass
{
    private const int AnswerBytes = 670;

    public static int Run(string inputPath, string outputPath)
    {
        var input = File.ReadAllBytes(inputPath);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        var padding = new string('x', AnswerBytes);
        var lines = 0L;
        var rest = input.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }
            var before = buffer.WrittenCount;
            writer.Reset(buffer);
            writer.WriteStartObject();
            var reader = new Utf8JsonReader(line);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(reader.ValueSpan);
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(reader.ValueSpan);
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                    default:
                        break; // the outer object is written around; nested ones are flattened
                }
            }
            writer.Flush();
            var pad = Math.Max(0, AnswerBytes - (buffer.WrittenCount - before) - 12);
            writer.WriteString("pad"u8, padding.AsSpan(0, pad));
            writer.WriteEndObject();
            writer.Flush();
            buffer.Write("\n"u8);
            lines++;
            if (buffer.WrittenCount > (1 << 20) - 4096)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }
        output.Write(buffer.WrittenSpan);
        Console.Error.WriteLine($"utf8 pass: {lines} lines");
        return 0;
    }
}
