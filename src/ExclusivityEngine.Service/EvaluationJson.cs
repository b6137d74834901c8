using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Service;

/// <summary>
/// <c>evaluate --format json</c>'s bytes, fast: the engine shares one verdict among all scenarios of a class, so the part
/// after <c>"ruleSet"</c> (in force, combined, every version with its trace: most of the 6 kB) is written once per
/// verdict with <see cref="AssessmentJson.WriteVerdicts"/> and kept; only the scenario and the hash are written per
/// request. The bytes are those of <see cref="AssessmentJson.WriteEvaluation"/>: the tests compare them with the CLI's.
/// </summary>
internal static class EvaluationJson
{
    private sealed record Tail(IReadOnlyList<AgreementVersion> InForce, IReadOnlyList<RowVerdict> Rows, byte[] Bytes);

    private static readonly ConditionalWeakTable<CombinedVerdict, Tail> Tails = [];

    public static void Write(Utf8JsonWriter w, IBufferWriter<byte> output, Assessment a, string ruleSetHash)
    {
        var tail = TailOf(a);
        w.WriteStartObject();
        w.WritePropertyName("scenario");
        AssessmentJson.WriteScenario(w, a.Scenario);
        w.WriteString("ruleSet", ruleSetHash);
        // The object stays open in the writer; its remaining properties and closing brace come from the kept tail.
        w.Flush();
        output.Write(","u8);
        output.Write(tail);
    }

    private static byte[] TailOf(Assessment a)
    {
        // Kept per verdict object, and used only for the very lists it was written from: a verdict built per call
        // (a path that shares nothing) just misses the table.
        if (Tails.TryGetValue(a.Combined, out var kept) && ReferenceEquals(kept.InForce, a.InForce) && ReferenceEquals(kept.Rows, a.Rows))
        {
            return kept.Bytes;
        }
        var bytes = AssessmentJson.EncodeTail(a.InForce, a.Combined, a.Rows, Detail.Full, JsonOutput.Document);
        Tails.AddOrUpdate(a.Combined, new Tail(a.InForce, a.Rows, bytes));
        return bytes;
    }
}
