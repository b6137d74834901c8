using System.Text.Json;

namespace ExclusivityEngine.Tests.Cli;

/// <summary>`batch`: every non-blank line answered in order, bad lines in place with the interface's codes, exit 1 if any.</summary>
public sealed class BatchCommandTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "exclusivity-batch-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private static readonly (string Line, string? Code)[] Mixed =
    [
        ("{\"id\":\"ok-1\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", null),
        ("", null),
        ("{\"id\":\"json\",\"product\":\"frontier\",", "invalid-json"),
        ("{\"id\":\"missing\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", "missing-field"),
        ("{\"id\":\"product\",\"product\":\"frontiers\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", "unknown-product"),
        ("   ", null),
        ("{\"id\":\"cloud\",\"product\":\"frontier\",\"cloud\":\"azur\",\"date\":\"2026-03-15\"}", "unknown-cloud"),
        ("{\"id\":\"date\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-02-30\"}", "invalid-date"),
        ("{\"id\":\"fact\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"microsoftDecline\":true}", "invalid-fact"),
        ("{\"id\":\"inline\",\"product\":{\"id\":\"x\",\"interface\":\"api\",\"origin\":\"first-party\",\"offeredBy\":\"openai\"},\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", "invalid-product"),
        ("{\"id\":\"agi\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"agiDeclaredOn\":\"2026-02-01\",\"agiVerifiedOn\":\"2026-01-01\"}", "inconsistent-facts"),
        ("[1,2]", "invalid-json"),
        ("{\"id\":7,\"product\":\"chatgpt\",\"cloud\":\"oracle\",\"date\":\"2019-07-21\"}\r", null),
        (new string('[', 2000) + new string(']', 2000), "invalid-json"),
        ("{\"id\":\"utf8\",\"product\":\"fr\u00ffontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}", "unknown-product"),
    ];

    [Test]
    public void Batch_MixedLines_AnswersEveryNonBlankLineInOrder()
    {
        var input = Path.Combine(_dir, "in.jsonl");
        var output = Path.Combine(_dir, "out.jsonl");
        File.WriteAllText(input, string.Join("\n", Mixed.Select(m => m.Line)) + "\n");

        var (exit, _, stderr) = CliRunner.Run("batch", "--input", input, "--output", output);

        Assert.That(exit, Is.EqualTo(1), "a rejected line makes the exit code 1");
        Assert.That(stderr, Does.Contain("15 lines read").And.Contain("rejected").And.Contain("sha256:"));
        var lines = File.ReadAllLines(output);
        var expected = Mixed.Select((m, i) => (m, Number: i + 1)).Where(x => !string.IsNullOrWhiteSpace(x.m.Line)).ToList();
        Assert.That(lines, Has.Length.EqualTo(expected.Count));
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var root = doc.RootElement;
            Assert.That(root.GetProperty("line").GetInt32(), Is.EqualTo(expected[i].Number), lines[i]);
            if (expected[i].m.Code is { } code)
            {
                Assert.That(root.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo(code), lines[i]);
                Assert.That(root.GetProperty("error").GetProperty("message").GetString(), Is.Not.Empty);
            }
            else
            {
                Assert.That(root.TryGetProperty("combined", out _), Is.True, lines[i]);
            }
        }
        Assert.That(JsonDocument.Parse(lines[0]).RootElement.GetProperty("id").GetString(), Is.EqualTo("ok-1"));
        Assert.That(JsonDocument.Parse(lines[1]).RootElement.GetProperty("id").GetString(), Is.EqualTo("json").Or.Null.Or.Empty.Or.EqualTo(""), "an id is echoed where it could be read");
        Assert.That(lines.Single(l => l.Contains("\"line\":13", StringComparison.Ordinal)), Does.StartWith("{\"id\":7,"));
    }

    [Test]
    public void Batch_BytesThatAreNotUtf8_AreOneRejectedLine()
    {
        var input = Path.Combine(_dir, "in.jsonl");
        var good = "{\"id\":\"ok\",\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n"u8.ToArray();
        byte[] bad = [.. "{\"id\":\"bad\",\"product\":\"fr"u8, 0xFF, .. "ontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n"u8];
        File.WriteAllBytes(input, [.. good, .. bad, .. good]);

        var (exit, stdout, _) = CliRunner.Run("batch", "--input", input, "--quiet");

        Assert.That(exit, Is.EqualTo(1));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid-json"));
        Assert.That(JsonDocument.Parse(lines[2]).RootElement.GetProperty("line").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public void Batch_SummaryDetail_HasExactlyTheInterfaceFields()
    {
        var input = Path.Combine(_dir, "in.jsonl");
        File.WriteAllText(input, "{\"id\":\"q-17\",\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n");

        var summary = JsonDocument.Parse(CliRunner.Run("batch", "--input", input).Stdout).RootElement;
        var versions = JsonDocument.Parse(CliRunner.Run("batch", "--input", input, "--detail", "versions").Stdout).RootElement;
        var full = JsonDocument.Parse(CliRunner.Run("batch", "--input", input, "--detail", "full").Stdout).RootElement;

        Assert.That(summary.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "line", "inForce", "combined", "versions" }));
        Assert.That(summary.GetProperty("versions").GetProperty("msft-openai-2025-10").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "permission" }));
        Assert.That(versions.GetProperty("versions").GetProperty("msft-openai-2025-10").EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "inForce", "permission", "decisive", "conditions", "obligations" }));
        Assert.That(full.GetProperty("versions").GetProperty("msft-openai-2025-10").EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "inForce", "permission", "decisive", "conditions", "obligations", "trace" }));
        Assert.That(summary.GetProperty("versions").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "msft-openai-2019", "msft-openai-2025-10", "msft-openai-2025-10@microsoft-2026-02", "msft-openai-2026-04", "aws-openai-2025-11", "aws-openai-2026-02",
        }));
    }

    [Test]
    public void Batch_StdinToStdout_IsALineFilter()
    {
        var input = Path.Combine(_dir, "in.jsonl");
        File.WriteAllText(input, "{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n\n{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-16\"}");

        var (exit, stdout, _) = CliRunner.Run("batch", "--input", input, "--output", "-", "--quiet");

        Assert.That(exit, Is.EqualTo(0));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt32()), Is.EqualTo(new[] { 1, 3 }));
    }

    [Test]
    public void Batch_MissingInput_Exits2WithOneSentence()
    {
        var (exit, _, stderr) = CliRunner.Run("batch", "--input", Path.Combine(_dir, "nope.jsonl"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("nope.jsonl"));
    }

    [Test]
    public void Batch_UnwritableOutput_Exits2AndLeavesNoFile()
    {
        var input = Path.Combine(_dir, "in.jsonl");
        File.WriteAllText(input, "{\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\"}\n");

        var (exit, _, stderr) = CliRunner.Run("batch", "--input", input, "--output", Path.Combine(_dir, "no-such-folder", "out.jsonl"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("out.jsonl"));
    }

    [Test]
    public void Batch_BadUsage_Exits2()
    {
        Assert.That(CliRunner.Run("batch").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("batch", "--input", "x", "--detail", "everything").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("frobnicate").Exit, Is.EqualTo(2));
    }
}
