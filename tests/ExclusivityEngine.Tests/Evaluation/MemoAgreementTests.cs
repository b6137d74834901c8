using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Evaluation;

/// <summary>
/// The memoised default path and a per-scenario NRules session give byte-identical JSON on generated
/// scenarios: catalogue and inline products (inline ids that clauses name included), every cloud, dates on the rule
/// set's boundaries and a day either side as well as anywhere in 2015–2040, both segments, AGI dates, and every fact
/// true, false, unknown or omitted. A failure prints the scenario as a line for Cases/catalogue.jsonl.
/// </summary>
public sealed class MemoAgreementTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Test]
    public void Evaluate_GeneratedScenarios_MemoAndSessionWriteTheSameJson()
    {
        Scenarios().Sample(json =>
        {
            var scenario = Resolve(json);
            var fast = Json(Engine.Evaluate(scenario));
            var reference = Json(Engine.EvaluateInSession(scenario));
            if (fast != reference)
            {
                throw new AssertionException($"the paths disagree{Difference(fast, reference)}");
            }
        }, iter: 1000, print: CaseLine);
    }

    [Test]
    public void RunAsync_GeneratedBatches_MemoAndNoCompileWriteTheSameLines()
    {
        Scenarios().Array[1, 100].Sample(batch =>
        {
            var fast = Run(batch, sessionPerScenario: false);
            var reference = Run(batch, sessionPerScenario: true);
            if (fast.Length != reference.Length)
            {
                throw new AssertionException($"{fast.Length} lines from the memo, {reference.Length} from --no-compile");
            }
            for (var i = 0; i < fast.Length; i++)
            {
                if (fast[i] != reference[i])
                {
                    throw new AssertionException($"line {i + 1} differs; paste into tests/ExclusivityEngine.Tests/Cases/catalogue.jsonl:\n{CaseLine(batch[i])}{Difference(fast[i], reference[i])}");
                }
            }
        }, iter: 20, print: batch => string.Join("\n", batch.Select(CaseLine)));
    }

    /// <summary>
    /// The batch's fast path answers a plain line only once its class has been met: a batch followed by itself sends
    /// every plain line of the second half that way, and each must read as NRules alone answers it.
    /// </summary>
    [Test]
    public void RunAsync_GeneratedBatchesSeenBefore_FastPathAndNoCompileWriteTheSameLines()
    {
        Scenarios().Array[1, 60].Sample(batch =>
        {
            var fast = Run([.. batch, .. batch], sessionPerScenario: false, Engine.Load(ExclusivityEngine.Loading.RuleFiles.Embedded()));
            var reference = Run([.. batch, .. batch], sessionPerScenario: true);
            Assert.That(fast, Is.EqualTo(reference));
        }, iter: 10, print: batch => string.Join("\n", batch.Select(CaseLine)));
    }

    /// <summary>
    /// Lines the fast path must decline or read exactly as the full path does: escapes, nulls, repeated and unknown
    /// fields, values of the wrong kind, occurrences out of order, ids of every JSON kind. Each is sent after a plain
    /// line of the same class, so the class is known when it arrives.
    /// </summary>
    [TestCase("""{"id":1,"product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"id":"a\"b","product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"id":"\ud800","product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"id":{"k":[1,"x"]},"product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"id":null,"product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aw\u0073","date":"2026-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","segment":null}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","segment":"General"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","cloud":"aws"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","clouds":"aws"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":"true"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":1}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-02-30"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-3-15"}""")]
    [TestCase("""{"product":"frontier","cloud":null,"date":"2026-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15"} {}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15",}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiVerifiedOn":"2026-01-01"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiDeclaredOn":"2026-02-01","agiVerifiedOn":"2026-01-01"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiDeclaredOn":null,"agiVerifiedOn":"2026-01-01"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiDeclaredOn":"2026-01-01","agiVerifiedOn":"2026-01-01"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiDeclaredOn":"2026-04-01"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","shippedOnAzureFirst":null}""")]
    [TestCase("""{"product":"stateful-runtime","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"frontier","interface":"agent-platform","origin":"first-party","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"frontier","interface":"agent-platform","origin":"joint","offeredBy":"openai","shippedOnAzureFirst":true},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai","shippedOnAzureFirst":null},"cloud":"aws","date":"2026-03-15","shippedOnAzureFirst":false}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai","shippedOnAzureFirst":"true"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai","id":"frontier"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai","colour":"red"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"hologram","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"","interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":null,"interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"fr\u006fntier","interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":{"x":1}},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai"}  ,"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase(" \t{ \"product\" :\t\"frontier\" , \"cloud\": \"aws\",\"date\" :\"2026-03-15\" }\t ")]
    [TestCase("{\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"id\":\"tab\there\"}")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":truex}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":nul}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":true""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15"}}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15" "segment":"general"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","date":"2026-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-1x"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"0000-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":"été 春"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":true}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":[1]}""")]
    [TestCase("""{"product":"frontier" ,"cloud":"aws","date":"2026-03-15","id":-1.5e3}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","agiDeclaredOn":"2026-01-01","agiVerifiedOn":"2026-02-01"}""")]
    [TestCase("""["product","frontier"]""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","segment":"us-national-security","statelessCallsOnAzure":false}""")]
    public void RunAsync_LineAfterItsClassIsKnown_AnsweredAsNRulesAnswersIt(string line)
    {
        string[] lines = ["""{"product":"frontier","cloud":"aws","date":"2026-03-15"}""", line, line];

        Assert.That(Run(lines, sessionPerScenario: false, Engine.Load(ExclusivityEngine.Loading.RuleFiles.Embedded())), Is.EqualTo(Run(lines, sessionPerScenario: true)));
    }

    /// <summary>A generated scenario is valid: every one is assessed, so the properties compare verdicts, not errors.</summary>
    [Test]
    public void Scenarios_Generated_AreAllValid() =>
        Scenarios().Sample(json => Assert.That(() => Resolve(json), Throws.Nothing), iter: 2000, print: CaseLine);

    /// <summary>Where two outputs first differ, with some context of each.</summary>
    internal static string Difference(string fast, string reference)
    {
        var at = fast.AsSpan().CommonPrefixLength(reference);
        var from = Math.Max(0, at - 80);
        string Around(string s) => s[from..Math.Min(s.Length, at + 80)];
        return $"\n  at character {at}:\n  memo:             …{Around(fast)}…\n  NRules session:   …{Around(reference)}…";
    }

    private static string[] Run(string[] lines, bool sessionPerScenario, Engine? engine = null)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        using var output = new MemoryStream();
        var options = new BatchOptions { Detail = Detail.Full, SessionPerScenario = sessionPerScenario, BlockLines = 16 };
        new Batch(engine ?? Engine, options).RunAsync(input, output).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    internal static Scenario Resolve(string json, Engine? engine = null)
    {
        var input = ScenarioJson.Read(json, out var readError) ?? throw new AssertionException($"generated scenario refused: {readError!.Message}\n{json}");
        return input.Resolve((engine ?? Engine).Rules.Catalogue, out var error) ?? throw new AssertionException($"generated scenario refused: {error!.Message}\n{json}");
    }

    internal static string Json(Assessment assessment, Engine? engine = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            AssessmentJson.WriteEvaluation(w, assessment, (engine ?? Engine).Rules.Hash);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The scenario as a catalogue case; its <c>expect</c> is left for a person to derive from agreements.md.</summary>
    internal static string CaseLine(string scenarioJson)
    {
        using var doc = JsonDocument.Parse(scenarioJson);
        var s = doc.RootElement;
        var product = s.GetProperty("product") is { ValueKind: JsonValueKind.Object } inline ? $"inline {inline.GetProperty("id").GetString()}" : s.GetProperty("product").GetString();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("name", $"memo and NRules session disagreed: {product} on {s.GetProperty("cloud").GetString()} on {s.GetProperty("date").GetString()}");
            w.WritePropertyName("scenario");
            s.WriteTo(w);
            w.WritePropertyName("expect");
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Scenarios as JSON Lines objects, the facts in random order of presence but always valid.</summary>
    internal static Gen<string> Scenarios(Engine? engine = null)
    {
        engine ??= Engine;
        var catalogue = engine.Rules.Catalogue;
        // Where verdicts change, from the compiled rule set itself, so a new clause date is covered without a test edit.
        var nearBoundaries = engine.Compiled.Boundaries.SelectMany(d => new[] { d.AddDays(-1), d, d.AddDays(1) }).Distinct().ToArray();
        var first = new DateOnly(2015, 1, 1);
        var span = new DateOnly(2040, 12, 31).DayNumber - first.DayNumber;
        var date = Gen.Frequency((3, Gen.OneOf(nearBoundaries)), (1, Gen.Int[0, span].Select(first.AddDays)));
        var tri = Gen.OneOf<string?>(null, "null", "true", "false");

        var inline = Gen.Select(
            Gen.OneOf("frontier", "stateful-runtime", "openai-api", "inline-x"),
            Gen.OneOf([.. catalogue.AttributeValues["interface"]]),
            Gen.OneOf([.. catalogue.AttributeValues["origin"]]),
            Gen.OneOf([.. catalogue.AttributeValues["offeredBy"]]),
            tri,
            (id, iface, origin, offeredBy, shipped) =>
                $"{{\"id\":{Quote(id)},\"interface\":{Quote(iface)},\"origin\":{Quote(origin)},\"offeredBy\":{Quote(offeredBy)}{(shipped is null ? "" : $",\"shippedOnAzureFirst\":{shipped}")}}}");
        var product = Gen.Frequency((3, Gen.OneOf([.. catalogue.Products.Select(p => Quote(p.Id))])), (1, inline));
        var cloud = Gen.OneOf([.. catalogue.Clouds.Select(c => c.Id)]);
        var segment = Gen.OneOf<string?>(null, "null", Quote(Segments.General), Quote(Segments.UsNationalSecurity));
        // Never declared (omitted or null), declared only, or declared then verified on or after it.
        var agi = Gen.Frequency(
            (2, Gen.OneOf<(string?, string?)>((null, null), ("null", "null"), ("null", null))),
            (1, date.Select(d => ((string?)Quote(d), (string?)null))),
            (1, Gen.Select(date, Gen.Frequency((1, Gen.Const(0)), (2, Gen.Int[0, 2000])), (d, later) => ((string?)Quote(d), (string?)Quote(d.AddDays(later))))));

        return Gen.Select(product, cloud, date, segment, agi, Gen.Select(tri, tri, tri, tri), (p, c, d, seg, a, facts) =>
        {
            var fields = new List<string> { $"\"product\":{p}", $"\"cloud\":{Quote(c)}", $"\"date\":{Quote(d)}" };
            void Add(string name, string? json)
            {
                if (json is not null)
                {
                    fields.Add($"{Quote(name)}:{json}");
                }
            }
            Add(Facts.Segment, seg);
            Add(Facts.AgiDeclaredOn, a.Item1);
            Add(Facts.AgiVerifiedOn, a.Item2);
            Add(Facts.MicrosoftDeclined, facts.Item1);
            Add(Facts.ShippedOnAzureFirst, facts.Item2);
            Add(Facts.MeetsOpenWeightCriteria, facts.Item3);
            Add(Facts.StatelessCallsOnAzure, facts.Item4);
            return "{" + string.Join(",", fields) + "}";
        });
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static string Quote(DateOnly date) => Quote(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
