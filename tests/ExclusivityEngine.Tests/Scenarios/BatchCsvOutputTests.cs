using System.Text;
using System.Text.Json;
using ExclusivityEngine.Scenarios;
using ExclusivityEngine.Tests.Testing;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// <c>batch --output-format csv</c>: the summary as CSV for analysts' spreadsheets, one record per non-blank input line,
/// in order, the same verdicts as the JSON Lines summary, rejected lines in place with their error.
/// </summary>
public sealed class BatchCsvOutputTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    private static readonly string Input = string.Join("\n",
        """{"id": "q-1", "product": "frontier", "cloud": "aws", "date": "2026-03-15"}""",
        """{"id": 2, "product": "chatgpt", "cloud": "azure", "date": "2026-03-15"}""",
        "",
        """{"id": "q-3", "product": "gpt-9", "cloud": "aws", "date": "2026-03-15"}""",
        """{"id": "=HYPERLINK(\"x\")", "product": "openai-api", "cloud": "google-cloud", "date": "2026-05-01", "segment": "us-national-security"}""",
        """{"product": "stateful-runtime", "cloud": "azure", "date": "2026-05-01", "microsoftDeclined": false}""",
        "not json") + "\n";

    [Test]
    public async Task Csv_EveryLineInPlace_SameVerdictsAsJsonLines()
    {
        var csv = Records(await RunAsync(BatchOutput.Csv));
        var json = (await RunAsync(BatchOutput.JsonLines)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var rows = Engine.Rules.Rows.Select(r => r.Id).ToList();
        Assert.That(csv[0], Is.EqualTo(new[] { "id", "line", "permission", "disputed", "decisive", "inForce" }.Concat(rows).Concat(["error", "message"])));
        var records = csv.Skip(1).ToList();
        Assert.That(records, Has.Count.EqualTo(json.Count).And.Count.EqualTo(6), "one record per non-blank line");
        for (var i = 0; i < records.Count; i++)
        {
            var (record, line) = (records[i], json[i]);
            var cell = (string column) => record[csv[0].IndexOf(column)];
            Assert.That(cell("line"), Is.EqualTo(line.GetProperty("line").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (line.TryGetProperty("error", out var error))
            {
                Assert.That(cell("error"), Is.EqualTo(error.GetProperty("code").GetString()));
                Assert.That(cell("message"), Is.EqualTo(error.GetProperty("message").GetString()));
                Assert.That(cell("permission"), Is.Empty);
                continue;
            }
            var combined = line.GetProperty("combined");
            Assert.That(cell("permission"), Is.EqualTo(combined.GetProperty("permission").GetString()));
            Assert.That(cell("disputed"), Is.EqualTo(combined.GetProperty("disputed").GetBoolean() ? "true" : "false"));
            Assert.That(cell("decisive"), Is.EqualTo(string.Join(' ', combined.GetProperty("decisive").EnumerateArray().Select(d => $"{d.GetProperty("version").GetString()}:{d.GetProperty("clause").GetString()}"))));
            Assert.That(cell("inForce"), Is.EqualTo(string.Join(' ', line.GetProperty("inForce").EnumerateArray().Select(v => v.GetString()))));
            foreach (var row in rows)
            {
                Assert.That(cell(row), Is.EqualTo(line.GetProperty("versions").GetProperty(row).GetProperty("permission").GetString()), row);
            }
            Assert.That(cell("error") + cell("message"), Is.Empty);
        }
    }

    [Test]
    public async Task Csv_Ids_AsTextAndNeverAFormula()
    {
        var records = Records(await RunAsync(BatchOutput.Csv)).Skip(1).ToList();

        Assert.That(records.Select(r => r[0]), Is.EqualTo(new[] { "q-1", "2", "q-3", "'=HYPERLINK(\"x\")", "", "" }));
    }

    /// <summary>
    /// Frontier on AWS on 2026-03-15 (agreements.md): Microsoft's February 2026 reading of msft-openai-2025-10 forbids it
    /// (first-party-products-on-azure) while the announced version permits it: Prohibited and disputed.
    /// </summary>
    [Test]
    public void Cli_OutputFormatCsv_WritesTheSummaryAndExitsOneForTheRejectedLines()
    {
        var input = Path.Combine(Path.GetTempPath(), "exclusivity-csv-out-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(input, Input);
        try
        {
            var run = CliRun.Of("batch", "--input", input, "--output-format", "csv", "--quiet");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
            var records = Records(run.Stdout);
            Assert.That(records, Has.Count.EqualTo(7));
            Assert.That(records[1].Take(4), Is.EqualTo(new[] { "q-1", "1", "Prohibited", "true" }));
            Assert.That(records[1][4], Does.Contain("msft-openai-2025-10@microsoft-2026-02:first-party-products-on-azure"));
            Assert.That(records[3][^2], Is.EqualTo("unknown-product"));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public void Cli_CsvWithDetailFull_IsRefused()
    {
        var run = CliRun.Of("batch", "--input", "-", "--output-format", "csv", "--detail", "full");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("CSV output is the summary"));
    }

    private static async Task<string> RunAsync(BatchOutput output)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(Input));
        using var result = new MemoryStream();
        await new Batch(Engine, new BatchOptions { Output = output, BlockLines = 2 }).RunAsync(input, result);
        return Encoding.UTF8.GetString(result.ToArray());
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    private static List<List<string>> Records(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }
        Assert.That(field.Length == 0 && record.Count == 0, Is.True, "the CSV ends with a line end");
        return records;
    }
}
