using System.Text;

namespace ExclusivityEngine.Tests.Revenue;

public sealed class RevenueCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("revenue-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private (int Code, string Out, string Err) Run(string fileName, string content, params string[] args)
    {
        var path = Path.Combine(_directory, fileName);
        File.WriteAllText(path, content);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = global::ExclusivityEngine.Cli.Cli.Run(["revenue", "--input", path, .. args], stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Test]
    public void Revenue_InterfaceExample_WritesTheDocumentedJson()
    {
        var (code, output, _) = Run("periods.jsonl", "{\"id\": \"2026-Q1\", \"date\": \"2026-03-31\", \"revenue\": 100}\n", "--rate", "0.2", "--cap", "1000", "--format", "json");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Is.EqualTo(
            "{\"rate\": \"0.2\", \"cap\": \"1000\",\n \"periods\": [\n"
            + "   {\"line\":1,\"id\":\"2026-Q1\",\"date\":\"2026-03-31\",\"revenue\":\"100\",\"version\":\"msft-openai-2025-10\","
            + "\"clause\":\"revenue-share-openai-to-microsoft\",\"owed\":\"20.0\",\"cappedTotal\":\"0\",\"capReached\":false}\n ],\n"
            + " \"total\": \"20.0\"}\n"));
    }

    [Test]
    public void Revenue_CsvInAndOut_EchoesRecordNumbersAndExactAmounts()
    {
        var (code, output, _) = Run("periods.csv", "id,date,revenue\nq1,2026-03-31,100.10\nq2,2031-03-31,5\n", "--rate", "0.2", "--format", "csv");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Is.EqualTo(
            "line,id,date,revenue,version,clause,owed,cappedTotal,capReached\n"
            + "1,q1,2026-03-31,100.10,msft-openai-2025-10,revenue-share-openai-to-microsoft,20.020,0,false\n"
            + "2,q2,2031-03-31,5,,,0,0,false\n"));
    }

    [TestCase("periods.jsonl", "{\"date\": \"2026-03-31\", \"revenue\": 1}\n{\"date\": \"2026-06-30\", \"revenue\": -1}\n", "line 2", "`revenue`")]
    [TestCase("periods.jsonl", "{\"date\": \"2026-06-30\", \"revenue\": 1}\n{\"date\": \"2026-03-31\", \"revenue\": 1}\n", "line 2", "`date`")]
    [TestCase("periods.csv", "date,revenue\n2026-03-31,1\n2026-06-30,x\n", "line 3 (record 2)", "`revenue`")]
    public void Revenue_BadPeriod_IsRefusedWholeWithLineAndField(string fileName, string content, string place, string field)
    {
        var (code, output, error) = Run(fileName, content, "--rate", "0.2", "--format", "json");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty, "no partial schedule");
            Assert.That(error, Does.Contain(fileName + ": " + place));
            Assert.That(error, Does.Contain(field));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        });
    }

    [TestCase("--rate", "1.5", "--rate")]
    [TestCase("--rate", "x", "--rate")]
    [TestCase("--cap", "-5", "--cap")]
    [TestCase("--agi-verified", "2026-01-01", "--agi-verified")]
    public void Revenue_BadOption_IsRefusedNamingIt(string option, string value, string named)
    {
        string[] args = option == "--rate" ? [option, value] : ["--rate", "0.2", option, value];

        var (code, output, error) = Run("periods.jsonl", "{\"date\": \"2026-03-31\", \"revenue\": 1}\n", args);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith("error: " + named + ":"));
        });
    }
}
