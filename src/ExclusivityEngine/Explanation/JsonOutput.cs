using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExclusivityEngine.Explanation;

/// <summary>
/// How every JSON answer is written, by the command line and the decision service alike, so that the same question
/// gets the same bytes from both: indented, non-ASCII and HTML characters left as they are, a newline after the document.
/// </summary>
internal static class JsonOutput
{
    /// <summary>The writer options of a whole JSON document (<c>evaluate</c>, <c>versions</c>, <c>timeline</c>, ...).</summary>
    public static JsonWriterOptions Document { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The writer options of one JSON Lines line (batch answers, decision log lines).</summary>
    public static JsonWriterOptions Line { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one document with <paramref name="write"/> and the newline that ends it.</summary>
    public static void WriteDocument(IBufferWriter<byte> output, Action<Utf8JsonWriter> write)
    {
        using (var w = new Utf8JsonWriter(output, Document))
        {
            write(w);
        }
        output.Write("\n"u8);
    }
}
