using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ExclusivityEngine.Scenarios;
using ExclusivityEngine.Scenarios.Testing;
using ExclusivityEngine.Timeline;

namespace ExclusivityEngine.Tests.Testing;

/// <summary>Every string that reaches XML, JSON or HTML output is encoded for it, control characters included.</summary>
public sealed class ReportEncodingTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    /// <summary>Names as a test file may write them: controls (XML 1.0 cannot carry them at all), an escape sequence, markup.</summary>
    private const string Name = "bell\\u0007 nul\\u0000 esc\\u001b[31m </testcase><x a=\\\"&\\\"> \\ufffe end";

    private static TestRun Run()
    {
        // chatgpt on azure in March 2026 is Permitted (non-api-any-cloud), so expecting Prohibited fails and the failure
        // report (which quotes the name) is written too.
        var json = $$$"""
            {"scenarios": [
              {"name": "{{{Name}}}", "product": "chatgpt", "cloud": "azure", "date": "2026-03-15", "expect": {"combined": "Prohibited"}},
              {"name": "{{{Name}}} 2", "product": "chatgpt", "cloud": "azure", "date": "2026-03-15", "expect": {"combined": "Permitted"}}
            ]}
            """;
        var file = TestFileReader.Read(Encoding.UTF8.GetBytes(json), "suite\u0001.json", Engine.Rules);
        Assert.That(file.Usable, Is.True, string.Join("\n", file.Problems));
        var broken = TestFileReader.Read(Encoding.UTF8.GetBytes("{\"scenarios\": [{\"name\": \"x\u0002\", \"product\": \"no\u0003pe\"}]}"), "broken\u0004.json", Engine.Rules);
        return new ScenarioTestRunner(Engine).Run([file, broken]);
    }

    [Test]
    public void JUnit_ControlCharactersInNamesAndMessages_WellFormedXmlShowingThem()
    {
        var run = Run();
        using var output = new MemoryStream();

        TestReportJUnit.Write(output, run);

        var document = XDocument.Parse(Encoding.UTF8.GetString(output.ToArray()));
        var cases = document.Descendants("testcase").ToList();
        Assert.That(cases.Select(c => (string?)c.Attribute("name")), Does.Contain("bell\\u0007 nul\\u0000 esc\\u001B[31m </testcase><x a=\"&\"> \\uFFFE end"));
        Assert.That(cases.Count(c => c.Element("failure") is not null), Is.EqualTo(1));
        Assert.That(document.Descendants("testsuite").Select(s => (string?)s.Attribute("name")), Is.EqualTo(new[] { "suite\\u0001.json", "broken\\u0004.json" }));
        Assert.That(document.Descendants("error").Single().Value, Does.Contain("broken\\u0004.json"));
    }

    [Test]
    public void Json_ControlCharactersInNames_EscapedAndReadBack()
    {
        var run = Run();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            TestReportJson.Write(w, run, coverage: false);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);

        Assert.That(document.RootElement.GetProperty("results")[0].GetProperty("name").GetString(), Does.StartWith("bell\u0007 nul\u0000 esc\u001b[31m </testcase>"));
    }

    [Test]
    public void TimelineHtml_InlineProductIdWithMarkupAndControls_EncodedInThePage()
    {
        var input = ScenarioJson.Read("""{"product": {"id": "<script>alert(1)</script>\u0001\u001b", "interface": "app", "origin": "first-party", "offeredBy": "openai"}, "cloud": "aws", "date": "2026-03-15"}""", out var error);
        Assert.That(error, Is.Null);
        var scenario = input!.Resolve(Engine.Rules.Catalogue, out error)!;

        var page = TimelineHtml.Render(Engine.Timeline(scenario, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)), Engine.Rules.Hash);

        Assert.That(page, Does.Not.Contain("<script>"));
        Assert.That(page, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;\\u0001\\u001B"));
        Assert.That(page.Any(c => c < ' ' && c is not '\n' and not '\t' and not '\r'), Is.False);
    }
}
