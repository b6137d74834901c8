using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExclusivityEngine.Explanation;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// <c>batch</c> over CSV (interface.md, "Scenario input"): a header row with the JSON Lines names, an empty cell is
/// omitted, <c>unknown</c> is unknown, an inline product is a JSON object in its cell, a broken record is answered in
/// place with <c>invalid-csv</c>, and a line's number is its record number (the header is record 0).
/// </summary>
public sealed class CsvBatchTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    private static readonly string[] Columns =
    [
        "id", "product", "cloud", "date", "segment", "agiDeclaredOn", "agiVerifiedOn", "microsoftDeclined",
        "shippedOnAzureFirst", "meetsOpenWeightCriteria", "statelessCallsOnAzure",
    ];

    /// <summary>
    /// Good and bad records, every error code a CSV record can get; verdicts of the good ones from agreements.md:
    /// r1 frontier on aws on 2026-03-15: Microsoft's reading of msft-openai-2025-10 forbids it
    /// (first-party-products-on-azure), the announced reading permits it (non-api-any-cloud): Prohibited, disputed.
    /// r2 chatgpt on azure: non-api-any-cloud, no reading forbids an app on azure, aws-openai-2026-02 does not apply
    /// off aws: Permitted. r14 an inline product with id stateful-runtime on google-cloud: aws-openai-2026-02's
    /// stateful-runtime-exclusive-hosting forbids it; Microsoft's reading leaves it Conditional and the announced one
    /// Permitted, so the readings disagree: Prohibited, disputed.
    /// </summary>
    [Test]
    public async Task RunAsync_MixedGoodAndBadRecords_AnswersEachInPlaceWithItsRecordNumber()
    {
        const string Header = "id,product,cloud,date,segment,agiDeclaredOn,agiVerifiedOn,microsoftDeclined,shippedOnAzureFirst,meetsOpenWeightCriteria,statelessCallsOnAzure,note";
        var csv = string.Join("\n",
            Header,
            "r1,frontier,aws,2026-03-15,,,,,,,,",
            "r2,chatgpt,azure,2026-03-15,unknown,unknown,unknown,unknown,unknown,unknown,unknown,",
            "r3,,aws,2026-03-15,,,,,,,,",
            "r4,gpt-9,aws,2026-03-15,,,,,,,,",
            "r5,chatgpt,azur,2026-03-15,,,,,,,,",
            "r6,chatgpt,aws,2026-02-30,,,,,,,,",
            "r7,chatgpt,aws,2026-03-15,government,,,,,,,",
            "r8,chatgpt,aws,2026-03-15,,,,maybe,,,,",
            "r9,chatgpt,aws,2026-03-15,,,,,,,,hello",
            "r10,\"{\"\"id\"\":\"\"x\"\",\"\"interface\"\":\"\"app\"\",\"\"offeredBy\"\":\"\"openai\"\"}\",aws,2026-03-15,,,,,,,,",
            "r11,chatgpt,aws,2026-03-15,,,2026-01-01,,,,,",
            "r12,chat\"gpt,aws,2026-03-15,,,,,,,,",
            "r13,chatgpt,aws,2026-03-15",
            "",
            "r14,\"{\"\"id\"\":\"\"stateful-runtime\"\",\"\"interface\"\":\"\"stateful-runtime\"\",\"\"origin\"\":\"\"joint\"\",\"\"offeredBy\"\":\"\"openai\"\"}\",google-cloud,2026-03-15,,,,,,,,",
            "r15,\"chatgpt,aws,2026-03-15,,,,,,,,",
            "r16,chatgpt,unknown,2026-03-15,,,,,,,,",
            "r17,chatgpt,aws,2026-03-15,,,,,,,,") + "\n";

        var (lines, counts) = await RunAsync(csv, BatchFormat.Csv, Detail.Summary);

        var expected = new (long Line, string? Id, string Outcome)[]
        {
            (1, "r1", "Prohibited disputed"),
            (2, "r2", "Permitted"),
            (3, "r3", "missing-field product"),
            (4, "r4", "unknown-product product"),
            (5, "r5", "unknown-cloud cloud"),
            (6, "r6", "invalid-date date"),
            (7, "r7", "invalid-fact segment"),
            (8, "r8", "invalid-fact microsoftDeclined"),
            (9, "r9", "invalid-fact note"),
            (10, "r10", "invalid-product product.origin"),
            (11, "r11", "inconsistent-facts agiVerifiedOn"),
            (12, null, "invalid-csv"),
            (13, null, "invalid-csv"),
            (14, "r14", "Prohibited disputed"),
            (15, null, "invalid-csv"),
            (16, "r16", "missing-field cloud"),
            (17, "r17", "Permitted"),
        };
        Assert.That(lines.Select(Outcome), Is.EqualTo(expected.Select(e => $"{e.Line} {e.Id ?? "-"} {e.Outcome}")));
        Assert.That(counts, Is.EqualTo(new BatchCounts(17, 4, 13)));
    }

    /// <summary>r17 above: chatgpt on aws on 2026-03-15, non-api-any-cloud and aws-compute-capacity permit it.</summary>
    [Test]
    public async Task RunAsync_RecordAfterUnclosedQuote_IsStillRead()
    {
        var csv = "id,product,cloud,date\na,\"chatgpt,aws,2026-03-15\nb,chatgpt,aws,2026-03-15\n";

        var (lines, _) = await RunAsync(csv, BatchFormat.Csv, Detail.Summary);

        Assert.That(lines.Select(Outcome), Is.EqualTo(new[] { "1 - invalid-csv", "2 b Permitted" }));
    }

    [Test]
    public async Task RunAsync_UnknownColumnWithOnlyEmptyCells_IsAccepted()
    {
        var csv = "id,product,cloud,date,comment\na,chatgpt,azure,2026-03-15,\r\nb,chatgpt,azure,2026-03-15,\r\n";

        var (lines, counts) = await RunAsync(csv, BatchFormat.Csv, Detail.Summary);

        Assert.That(lines.Select(Outcome), Is.EqualTo(new[] { "1 a Permitted", "2 b Permitted" }));
        Assert.That(counts.Rejected, Is.Zero);
    }

    [Test]
    public void RunAsync_HeaderNamesAColumnTwice_RefusesTheFile()
    {
        var csv = "product,cloud,date,cloud\nchatgpt,azure,2026-03-15,aws\n";

        var e = Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(csv, BatchFormat.Csv, Detail.Summary));

        Assert.That(e!.Message, Does.Contain("`cloud`").And.Contain("record 0"));
    }

    [Test]
    public async Task RunAsync_EmptyInput_WritesNothing()
    {
        var (lines, counts) = await RunAsync("", BatchFormat.Csv, Detail.Summary);

        Assert.That(lines, Is.Empty);
        Assert.That(counts, Is.EqualTo(new BatchCounts(0, 0, 0)));
    }

    /// <summary>
    /// The same scenarios written as JSON Lines and as CSV (omitted as an empty cell, null as <c>unknown</c>) give the
    /// same output, byte for byte for assessments, the same line and code for rejections: every catalogue case, and
    /// scenarios where omitted and unknown differ.
    /// </summary>
    [Test]
    public async Task RunAsync_SameScenariosAsCsvAndJsonLines_GiveIdenticalAssessments()
    {
        var scenarios = CatalogueScenarios().Concat(
        [
            """{"product": "openai-api", "cloud": "aws", "date": "2026-05-01"}""",
            """{"product": "openai-api", "cloud": "aws", "date": "2026-05-01", "shippedOnAzureFirst": null}""",
            """{"product": "joint-api-product", "cloud": "oracle", "date": "2026-05-01", "shippedOnAzureFirst": false, "microsoftDeclined": true}""",
            """{"product": {"id": "frontier", "interface": "agent-platform", "origin": "first-party", "offeredBy": "openai", "shippedOnAzureFirst": false}, "cloud": "other", "date": "2026-03-01"}""",
            """{"product": {"id": "y", "interface": "open-weights", "origin": "first-party", "offeredBy": "openai", "shippedOnAzureFirst": null}, "cloud": "google-cloud", "date": "2026-01-01", "meetsOpenWeightCriteria": false}""",
            """{"product": "chatgpt", "cloud": "aws", "date": "2026-03-15", "segment": null, "agiDeclaredOn": null, "agiVerifiedOn": null}""",
            """{"product": "openai-api", "cloud": "google-cloud", "date": "2027-01-01", "segment": "us-national-security", "agiDeclaredOn": "2026-12-31", "agiVerifiedOn": "2027-01-01"}""",
            """{"product": "chatgpt", "cloud": "azur", "date": "2026-03-15"}""",
            """{"product": "chatgpt", "cloud": "aws", "date": "2026-03-15", "agiVerifiedOn": "2026-01-01"}""",
            """{"product": null, "cloud": "aws", "date": "2026-03-15"}""",
        ]).ToList();
        var jsonLines = new StringBuilder();
        var csv = new StringBuilder(string.Join(",", Columns) + "\n");
        for (var i = 0; i < scenarios.Count; i++)
        {
            using var doc = JsonDocument.Parse(scenarios[i]);
            var id = i == 0 ? "a,\"quoted\" é" : $"s-{i + 1}";
            jsonLines.Append(JsonLine(id, doc.RootElement)).Append('\n');
            csv.Append(CsvRecord(id, doc.RootElement)).Append('\n');
        }

        var (fromJson, jsonCounts) = await RunAsync(jsonLines.ToString(), BatchFormat.JsonLines, Detail.Full);
        var (fromCsv, csvCounts) = await RunAsync(csv.ToString(), BatchFormat.Csv, Detail.Full);

        Assert.That(fromCsv, Has.Count.EqualTo(scenarios.Count));
        Assert.That(csvCounts, Is.EqualTo(jsonCounts));
        Assert.That(jsonCounts.Rejected, Is.EqualTo(3));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < scenarios.Count; i++)
            {
                var expected = fromJson[i].Contains("\"error\":") ? Outcome(fromJson[i]) : fromJson[i];
                var actual = fromCsv[i].Contains("\"error\":") ? Outcome(fromCsv[i]) : fromCsv[i];
                Assert.That(actual, Is.EqualTo(expected), $"scenario {i + 1}: {scenarios[i]}\nCSV: {csv.ToString().Split('\n')[i + 1]}");
            }
        });
    }

    [Test]
    public void Cli_CsvExtensionInAnyCase_ReadsCsv()
    {
        var path = Path.Combine(Path.GetTempPath(), $"exclusivity-{Guid.NewGuid():N}.CSV");
        File.WriteAllText(path, "id,product,cloud,date\nq,chatgpt,azure,2026-03-15\nr,chatgpt,azure,2026-13-01\n");
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("batch", "--input", path);

            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stdout.TrimEnd('\n').Split('\n').Select(Outcome), Is.EqualTo(new[] { "1 q Permitted", "2 r invalid-date date" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Cli_InputFormatJsonl_OverridesTheExtension()
    {
        var path = Path.Combine(Path.GetTempPath(), $"exclusivity-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, """{"id": "q", "product": "chatgpt", "cloud": "azure", "date": "2026-03-15"}""" + "\n");
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("batch", "--input", path, "--input-format", "jsonl");

            Assert.That(exit, Is.EqualTo(0), stderr);
            Assert.That(Outcome(stdout.TrimEnd('\n')), Is.EqualTo("1 q Permitted"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Cli_BrokenHeader_ExitsWithUsageNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"exclusivity-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "product,date,date\nchatgpt,2026-03-15,2026-03-15\n");
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("batch", "--input", path);

            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain(Path.GetFileName(path)).And.Contain("`date`"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(List<string> Lines, BatchCounts Counts)> RunAsync(string text, BatchFormat format, Detail detail)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var output = new MemoryStream();
        // Small blocks, so records cross block boundaries.
        var counts = await new Batch(Engine, new BatchOptions { Format = format, Detail = detail, BlockLines = 4 }).RunAsync(input, output);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return (lines, counts);
    }

    /// <summary>A line as <c>N id outcome</c>: the combined permission (and "disputed"), or the error code and field.</summary>
    private static string Outcome(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var id = root.GetProperty("id").ValueKind == JsonValueKind.Null ? "-" : root.GetProperty("id").GetString();
        var head = $"{root.GetProperty("line").GetInt64()} {id}";
        if (root.TryGetProperty("error", out var error))
        {
            return error.TryGetProperty("field", out var field) ? $"{head} {error.GetProperty("code").GetString()} {field.GetString()}" : $"{head} {error.GetProperty("code").GetString()}";
        }
        var combined = root.GetProperty("combined");
        return $"{head} {combined.GetProperty("permission").GetString()}{(combined.GetProperty("disputed").GetBoolean() ? " disputed" : "")}";
    }

    private static IEnumerable<string> CatalogueScenarios()
    {
        foreach (var file in new[] { "catalogue.jsonl", "catalogue-trace.jsonl" })
        {
            foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Cases", file)).Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                using var doc = JsonDocument.Parse(line);
                yield return doc.RootElement.GetProperty("scenario").GetRawText();
            }
        }
    }

    private static string JsonLine(string id, JsonElement scenario)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            foreach (var p in scenario.EnumerateObject())
            {
                p.WriteTo(w);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The interface's mapping: omitted is an empty cell, null is <c>unknown</c>, an object is its JSON.</summary>
    private static string CsvRecord(string id, JsonElement scenario)
    {
        var cells = Columns.Select(column =>
        {
            if (column == "id")
            {
                return id;
            }
            if (!scenario.TryGetProperty(column, out var value))
            {
                return "";
            }
            return value.ValueKind switch
            {
                JsonValueKind.Null => "unknown",
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.String => value.GetString()!,
                _ => value.GetRawText(),
            };
        });
        return string.Join(",", cells.Select(c => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + c.Replace("\"", "\"\"") + "\"" : c));
    }
}
