namespace ExclusivityEngine.Tests.Revenue;

/// <summary>
/// A period's id is the input's own text, and the schedule echoes it: as CSV it must never run as a spreadsheet formula
/// or break a row, and as text it must never reach the terminal raw (found by an adversarial run).
/// </summary>
public sealed class RevenueOutputInjectionTests
{
    private static (int Exit, string Stdout, string Stderr) Revenue(string jsonLines, string format)
    {
        var file = Path.Combine(Path.GetTempPath(), $"periods-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(file, jsonLines);
        try
        {
            return CliRunner.Run(["revenue", "--input", file, "--rate", "0.2", "--format", format]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("=HYPERLINK(\"http://evil\",\"click\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"")]
    [TestCase("+1", "\"'+1\"")]
    [TestCase("-1", "\"'-1\"")]
    [TestCase("@SUM(A1)", "\"'@SUM(A1)\"")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("plain", "plain")]
    public void Csv_IdThatStartsLikeAFormula_IsWrittenAsText(string id, string cell)
    {
        var (exit, stdout, stderr) = Revenue($"{{\"date\":\"2026-01-31\",\"revenue\":1,\"id\":{System.Text.Json.JsonSerializer.Serialize(id)}}}\n", "csv");

        Assert.That(exit, Is.Zero, stderr);
        var record = stdout.Split('\n')[1];
        Assert.That(record, Does.StartWith($"1,{cell},2026-01-31,1,"));
    }

    [Test]
    public void Text_IdWithControls_IsShownEscapedOnItsOwnRow()
    {
        var (exit, stdout, stderr) = Revenue("{\"date\":\"2026-01-31\",\"revenue\":1,\"id\":\"\\u001b]0;PWNED\\u0007\\r\\nFORGED\"}\n", "text");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Not.Contain("\u001b").And.Not.Contain("\u0007").And.Not.Contain("\r"));
        Assert.That(stdout.Split('\n').Count(l => l.StartsWith("1 ", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(stdout, Does.Contain("\\u001B]0;PWNED\\u0007\\u000D\\u000AFORGED"));
        Assert.That(stdout.Split('\n').Any(l => l.StartsWith("FORGED", StringComparison.Ordinal)), Is.False, "no forged row");
    }
}
