using System.Buffers;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using Microsoft.AspNetCore.Http;

namespace ExclusivityEngine.Service;

/// <summary>The service's error codes beyond the batch's scenario codes (interface.md, "The decision service").</summary>
internal static class ErrorCodes
{
    public const string InvalidQuery = "invalid-query";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string Unauthorized = "unauthorized";
    public const string InvalidRuleSet = "invalid-rule-set";
    public const string NotReady = "not-ready";
    public const string Timeout = "timeout";
    public const string Busy = "busy";
    public const string BadRequest = "bad-request";
    public const string InternalError = "internal-error";
}

/// <summary>
/// Writes JSON answers with the library's writers and <see cref="JsonOutput.Document"/>, so an answer is byte for byte
/// what the command line prints. Each thread keeps one buffer and one writer: an answer is built there, then copied
/// into the response with its Content-Length, without allocating per request.
/// </summary>
internal static class Answers
{
    public const string Json = "application/json; charset=utf-8";
    public const string JsonLines = "application/x-ndjson; charset=utf-8";
    public const string RuleSetHeader = "X-Rule-Set";
    public const string DecisionIdHeader = "X-Decision-Id";

    private const int KeepBufferBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes one JSON document (and its closing newline) as the whole response body.</summary>
    public static void Write<T>(HttpResponse response, int status, T state, Action<Utf8JsonWriter, T> write) =>
        Write(response, status, (state, write), static (w, _, s) => s.write(w, s.state));

    /// <summary>As <see cref="Write{T}(HttpResponse, int, T, Action{Utf8JsonWriter, T})"/>, for a writer that also appends bytes it keeps ready (after flushing <c>w</c>).</summary>
    public static void Write<T>(HttpResponse response, int status, T state, Action<Utf8JsonWriter, IBufferWriter<byte>, T> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, JsonOutput.Document);
        w.Reset(buffer);
        write(w, buffer, state);
        w.Flush();
        buffer.Write("\n"u8);
        response.StatusCode = status;
        response.ContentType = Json;
        response.ContentLength = buffer.WrittenCount;
        // Copied synchronously: the thread's buffer is free again before anything awaits. Kestrel sends it when the
        // request ends, in one write with the headers.
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > KeepBufferBytes)
        {
            t_buffer = null;
            t_writer = null;
        }
    }

    /// <summary>Writes <c>{"error": {"code", "message", "field"}}</c>.</summary>
    public static void Error(HttpResponse response, int status, string code, string message, string? field = null) =>
        Write(response, status, (code, message, field), static (w, e) =>
        {
            w.WriteStartObject();
            WriteErrorProperty(w, e.code, e.message, e.field);
            w.WriteEndObject();
        });

    /// <summary>The <c>error</c> property of an open object.</summary>
    public static void WriteErrorProperty(Utf8JsonWriter w, string code, string message, string? field)
    {
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        if (field is not null)
        {
            w.WriteString("field", field);
        }
        w.WriteEndObject();
    }
}
