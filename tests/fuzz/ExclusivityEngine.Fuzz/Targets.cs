using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Scenarios;
using ExclusivityEngine.Scenarios.Testing;
using ExclusivityEngine.Tests.Scenarios;
using ExclusivityEngine.Timeline;

namespace ExclusivityEngine.Fuzz;

/// <summary>A fuzzing target: takes one input, throws when an invariant breaks (afl records the input as a crash).</summary>
internal delegate void Target(byte[] input);

/// <summary>An invariant the run broke.</summary>
internal sealed class InvariantException(string message) : Exception(message);

/// <summary>
/// The targets, each through the library's public API, with the interface's invariants as oracle: no exception escapes,
/// every line is answered in place and in order, every output line is UTF-8 JSON, every report is well-formed.
/// </summary>
internal static class Targets
{
    /// <summary>Small bounds, so that short inputs reach the overlong-line and block-boundary paths.</summary>
    private const int MaxLineBytes = 300;

    private static readonly Lazy<Engine> Embedded = new(Engine.LoadEmbedded);

    public static IReadOnlyDictionary<string, Target> All { get; } = new Dictionary<string, Target>(StringComparer.Ordinal)
    {
        ["jsonl"] = JsonLines,
        ["csv"] = Csv,
        ["testfile"] = TestFile,
        ["rules"] = RuleFile,
        ["condition"] = Condition,
    };

    private static List<JsonElement> RunBatch(byte[] input, BatchFormat format)
    {
        using var output = new MemoryStream();
        var options = new BatchOptions { Format = format, MaxLineBytes = MaxLineBytes, BlockLines = 3, Parallelism = 1 };
        new Batch(Embedded.Value, options).RunAsync(new MemoryStream(input), output).GetAwaiter().GetResult();
        return OutputLines.Parse(output.ToArray());
    }

    /// <summary>JSON Lines: one answer per non-blank line (an overlong one included), carrying that line's number, in order.</summary>
    public static void JsonLines(byte[] input)
    {
        var lines = RunBatch(input, BatchFormat.JsonLines);
        var expected = new List<long>();
        var number = 0L;
        foreach (var raw in Split(input, crAlone: false))
        {
            number++;
            var line = number == 1 && raw.AsSpan().StartsWith("\uFEFF"u8) ? raw[3..] : raw;
            var content = line.AsSpan().EndsWith("\r"u8) ? line.AsSpan(0, line.Length - 1) : line;
            if (raw.Length > MaxLineBytes || !content.Trim(" \t\r"u8).IsEmpty)
            {
                expected.Add(number);
            }
        }
        Check(lines, expected);
    }

    /// <summary>CSV: a header that cannot be used refuses the input; otherwise every record is answered, numbered 1..N in order.</summary>
    public static void Csv(byte[] input)
    {
        List<JsonElement> lines;
        try
        {
            lines = RunBatch(input, BatchFormat.Csv);
        }
        catch (InvalidDataException e) when (e.Message.StartsWith("the CSV header (record 0)", StringComparison.Ordinal))
        {
            return;
        }
        // A record is a non-empty line (CR, LF and CR LF end lines); the first is the header.
        var records = Split(input, crAlone: true).Count(l => l.Length > 0) - 1;
        Check(lines, [.. Enumerable.Range(1, Math.Max(0, records)).Select(i => (long)i)]);
    }

    private static void Check(List<JsonElement> lines, List<long> expected)
    {
        var numbers = lines.Select(l => l.GetProperty("line").GetInt64()).ToList();
        if (!numbers.SequenceEqual(expected))
        {
            throw new InvariantException($"answered lines [{string.Join(",", numbers)}] where the input has [{string.Join(",", expected)}]");
        }
        foreach (var line in lines)
        {
            var answered = line.TryGetProperty("error", out var error)
                ? error.GetProperty("code").ValueKind == JsonValueKind.String && error.GetProperty("message").ValueKind == JsonValueKind.String
                : line.GetProperty("combined").GetProperty("permission").GetString() is "Permitted" or "Prohibited" or "Conditional";
            if (!answered || !line.TryGetProperty("id", out _))
            {
                throw new InvariantException($"line {line.GetProperty("line")} is neither an assessment nor an error: {line}");
            }
        }
    }

    private static IEnumerable<byte[]> Split(byte[] input, bool crAlone)
    {
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == (byte)'\n' || (crAlone && input[i] == (byte)'\r'))
            {
                yield return input[start..i];
                if (crAlone && input[i] == (byte)'\r' && i + 1 < input.Length && input[i + 1] == (byte)'\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < input.Length)
        {
            yield return input[start..];
        }
    }

    /// <summary>A scenario test file: read, run, and written as text, JSON and JUnit XML, each well-formed.</summary>
    public static void TestFile(byte[] input)
    {
        var engine = Embedded.Value;
        var file = TestFileReader.Read(input, "fuzz.json", engine.Rules);
        var run = new ScenarioTestRunner(engine).Run([file]);
        _ = TestReportText.Render(run, coverage: true);

        var json = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            TestReportJson.Write(w, run, coverage: true);
        }
        OutputLines.Parse([.. json.WrittenSpan, (byte)'\n']);

        using var xml = new MemoryStream();
        TestReportJUnit.Write(xml, run);
        xml.Position = 0;
        using var reader = XmlReader.Create(xml);
        while (reader.Read())
        {
            // Reading to the end is the check: a document that is not well-formed XML 1.0 throws.
        }
    }

    private static readonly Lazy<RuleFiles> EmbeddedFiles = new(RuleFiles.Embedded);

    private static readonly Lazy<string[]> RuleFileNames = new(() => [.. EmbeddedFiles.Value.Files.Keys.Order(StringComparer.Ordinal)]);

    /// <summary>A rule file (the first byte picks which one it replaces): validated, and if valid loaded and evaluated.</summary>
    public static void RuleFile(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }
        var name = RuleFileNames.Value[input[0] % RuleFileNames.Value.Length];
        var files = EmbeddedFiles.Value.Files.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        files[name] = input[1..];
        UseRuleSet(RuleFiles.FromMemory("fuzz", files));
    }

    /// <summary>A condition: the `when` of a clause of a rule file that is otherwise the shipped one.</summary>
    public static void Condition(byte[] input)
    {
        const string File = "clauses/msft-openai-2025-10.json";
        var files = EmbeddedFiles.Value.Files.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var root = JsonNode.Parse(files[File])!;
        root["clauses"]![0]!["when"] = Encoding.UTF8.GetString(input);
        files[File] = Encoding.UTF8.GetBytes(root.ToJsonString());
        UseRuleSet(RuleFiles.FromMemory("fuzz", files));
    }

    private static void UseRuleSet(RuleFiles files)
    {
        var problems = Engine.Validate(files);
        foreach (var problem in problems)
        {
            _ = problem.ToString();
        }
        if (problems.Count > 0)
        {
            return;
        }
        var engine = Engine.Load(files);
        var catalogue = engine.Rules.Catalogue;
        var json = new ArrayBufferWriter<byte>();
        foreach (var product in catalogue.Products.Take(4))
        {
            foreach (var cloud in catalogue.Clouds.Take(3))
            {
                foreach (var date in new[] { "2019-07-22", "2026-03-15", "2031-01-01" })
                {
                    foreach (var tri in new[] { TriStateInput.Unknown, TriStateInput.True, TriStateInput.False })
                    {
                        var input = new ScenarioInput
                        {
                            Product = product.Id,
                            Cloud = cloud.Id,
                            Date = date,
                            MicrosoftDeclined = tri,
                            ShippedOnAzureFirst = tri,
                            MeetsOpenWeightCriteria = tri,
                            StatelessCallsOnAzure = tri,
                            AgiDeclaredOn = tri == TriStateInput.True ? "2026-01-01" : null,
                        };
                        var assessment = engine.Evaluate(input);
                        json.ResetWrittenCount();
                        using var w = new Utf8JsonWriter(json);
                        AssessmentJson.WriteEvaluation(w, assessment, engine.Rules.Hash);
                    }
                }
            }
        }
        var scenario = new ScenarioInput { Product = catalogue.Products[0].Id, Cloud = catalogue.Clouds[0].Id, Date = "2026-03-15" }
            .Resolve(catalogue, out _);
        if (scenario is not null)
        {
            _ = TimelineHtml.Render(engine.Timeline(scenario, new DateOnly(2019, 1, 1), new DateOnly(2035, 12, 31)), engine.Rules.Hash);
        }
    }
}
