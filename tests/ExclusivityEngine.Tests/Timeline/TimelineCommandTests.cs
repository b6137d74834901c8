using System.Text;
using System.Text.Json;

namespace ExclusivityEngine.Tests.Timeline;

public sealed class TimelineCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = ExclusivityEngine.Cli.Cli.Run(["timeline", .. args], stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Test]
    public void Json_StatefulRuntimeMicrosoftDeclinedFalse_ShowsTheBlockedPeriod()
    {
        var (code, output, error) = Run("--product", "stateful-runtime", "--microsoft-declined", "false", "--format", "json");

        Assert.That(code, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("product").GetString(), Is.EqualTo("stateful-runtime"));
        Assert.That(root.GetProperty("from").GetString(), Is.EqualTo("2019-01-01"));
        Assert.That(root.GetProperty("to").GetString(), Is.EqualTo("2035-12-31"));
        var periods = root.GetProperty("periods").EnumerateArray().ToList();
        Assert.That(periods.Select(p => (p.GetProperty("from").GetString(), p.GetProperty("to").GetString(), p.GetProperty("blocked").GetBoolean(), p.GetProperty("disputed").GetBoolean())),
            Is.EqualTo(new[]
            {
                ("2019-01-01", "2019-07-21", false, false),
                ("2019-07-22", "2025-10-27", false, false),
                ("2025-10-28", "2026-02-26", false, true),
                ("2026-02-27", "2026-04-26", false, true),
                ("2026-04-27", "2035-12-31", true, false),
            }));
        var aws = periods[3].GetProperty("clouds").GetProperty("aws");
        Assert.That(aws.GetProperty("permission").GetString(), Is.EqualTo("Conditional"));
        Assert.That(aws.GetProperty("disputed").GetBoolean(), Is.True);
        // On 2026-04-27 azure is forbidden by AWS's exclusive hosting (agreements.md, aws-openai-2026-02).
        var azure = periods[4].GetProperty("clouds").GetProperty("azure");
        Assert.That(azure.GetProperty("decisive").EnumerateArray().Select(d => $"{d.GetProperty("version").GetString()}/{d.GetProperty("clause").GetString()}"),
            Is.EqualTo(new[] { "aws-openai-2026-02/stateful-runtime-exclusive-hosting" }));
        Assert.That(periods[0].GetProperty("clouds").EnumerateObject().Select(c => c.Name),
            Is.EqualTo(new[] { "azure", "aws", "google-cloud", "oracle", "openai", "other" }));
    }

    [Test]
    public void Text_StatefulRuntimeMicrosoftDeclinedFalse_TableWithCloudColumnsAndBlockedFlag()
    {
        var (code, output, _) = Run("--product", "stateful-runtime", "--microsoft-declined", "false");

        Assert.That(code, Is.Zero);
        var lines = output.Split('\n');
        Assert.That(lines.Single(l => l.StartsWith("from", StringComparison.Ordinal)), Does.Match(@"^from\s+to\s+azure\s+aws\s+google-cloud\s+oracle\s+openai\s+other\s+flags$"));
        Assert.That(lines.Single(l => l.StartsWith("2026-04-27", StringComparison.Ordinal)), Does.Match(@"^2026-04-27  2035-12-31(  Prohibited\s+){6}BLOCKED$"));
        Assert.That(lines.Single(l => l.StartsWith("2026-02-27", StringComparison.Ordinal)), Does.Match(@"^2026-02-27  2026-04-26  Prohibited\s+Conditional\*\s+(Prohibited\*\s+){4}disputed$"));
    }

    [Test]
    public void InlineProduct_WithRange_PeriodsCoverTheRange()
    {
        // An inline product whose id is `frontier` is matched by the clauses that name Frontier (interface.md).
        var (code, output, error) = Run("--product", """{"id":"frontier","interface":"agent-platform","origin":"first-party","offeredBy":"openai"}""",
            "--from", "2026-03-01", "--to", "2026-05-31", "--shipped-on-azure-first", "false", "--microsoft-declined", "false", "--format", "json");

        Assert.That(code, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var periods = json.RootElement.GetProperty("periods").EnumerateArray()
            .Select(p => $"{p.GetProperty("from").GetString()} {p.GetProperty("to").GetString()} {p.GetProperty("blocked").GetBoolean()}").ToList();
        // Until 2026-04-26 azure is Permitted; from 2026-04-27 azure-first-ship is unmet off azure (both facts false)
        // and azure itself is still allowed (any-product-any-cloud): not blocked.
        Assert.That(periods, Is.EqualTo(new[] { "2026-03-01 2026-04-26 False", "2026-04-27 2026-05-31 False" }));
    }

    [TestCase(new[] { "--product", "frontier", "--from", "2030-01-01", "--to", "2029-12-31" }, "--from (2030-01-01) is after --to (2029-12-31)")]
    [TestCase(new[] { "--product", "frontier", "--from", "2030-02-30" }, "--from: must be a calendar date")]
    [TestCase(new[] { "--product", "frontier", "--to", "soon" }, "--to: must be a calendar date")]
    [TestCase(new[] { "--product", "nothing" }, "--product: `nothing` is not a catalogue product")]
    [TestCase(new[] { "--product", "frontier", "--agi-verified", "2026-01-01" }, "--agi-verified:")]
    [TestCase(new[] { "--product", "frontier", "--microsoft-declined", "maybe" }, "maybe")]
    public void BadUsage_ExitsTwoWithOneSentence(string[] args, string message)
    {
        var (code, output, error) = Run(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Html_ToFile_WritesASelfContainedPageAndTheTable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"timeline-{Guid.NewGuid():N}.html");
        try
        {
            var (code, output, error) = Run("--product", "frontier", "--html", path);

            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.StartWith("frontier, 2019-01-01 to 2035-12-31"));
            var page = File.ReadAllText(path);
            Assert.That(page, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(page, Does.Contain("<svg"));
            // Self-contained: nothing fetched (the SVG namespace is a name, not a request).
            Assert.That(page.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal), Does.Not.Contain("http").And.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("@import").And.Not.Contain("src="));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
