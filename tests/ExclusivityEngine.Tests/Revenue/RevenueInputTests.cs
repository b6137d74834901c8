using System.Text;
using ExclusivityEngine.Revenue;

namespace ExclusivityEngine.Tests.Revenue;

public sealed class RevenueInputTests
{
    private static IReadOnlyList<RevenuePeriod>? Read(string text, bool csv, out RevenueError? error) =>
        RevenueInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), csv, out error);

    [Test]
    public void ReadJsonLines_NumbersAndStrings_KeepTheirWrittenDigits()
    {
        var periods = Read("{\"id\": \"q1\", \"date\": \"2026-03-31\", \"revenue\": 100.10}\n\n{\"id\": 7, \"date\": \"2026-06-30\", \"revenue\": \"0.30\"}\n", csv: false, out var error);

        Assert.That(error, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(periods!.Select(p => MoneyText.Format(p.Revenue)), Is.EqualTo(new[] { "100.10", "0.30" }));
            Assert.That(periods!.Select(p => p.Line), Is.EqualTo(new long[] { 1, 3 }), "blank lines are counted");
            Assert.That(periods!.Select(p => p.Id), Is.EqualTo(new[] { "\"q1\"", "7" }));
        });
    }

    [TestCase("{\"date\": \"2026-03-31\"}", "revenue", "missing")]
    [TestCase("{\"revenue\": 1}", "date", "missing")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": -1}", "revenue", "negative")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": \"-0.5\"}", "revenue", "negative")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": \"ten\"}", "revenue", "not a decimal number")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": \"1,5\"}", "revenue", "not a decimal number")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": true}", "revenue", "decimal number")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": 1e-40}", "revenue", "exactly")]
    [TestCase("{\"date\": \"2026-02-30\", \"revenue\": 1}", "date", "not a date")]
    [TestCase("{\"date\": \"31/03/2026\", \"revenue\": 1}", "date", "not a date")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": 1, \"revenu\": 2}", "revenu", "not a field")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": 1, \"revenue\": 2}", "revenue", "twice")]
    [TestCase("{\"date\": \"2026-03-31\", \"revenue\": 1", null, "not valid JSON")]
    [TestCase("[1, 2]", null, "not a JSON object")]
    public void ReadJsonLines_BadLine_IsRefusedNamingLineAndField(string badLine, string? field, string message)
    {
        var periods = Read("{\"date\": \"2026-01-31\", \"revenue\": 1}\n" + badLine + "\n", csv: false, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(periods, Is.Null);
            Assert.That(error!.Line, Is.EqualTo(2));
            Assert.That(error.Field, Is.EqualTo(field));
            Assert.That(error.Message, Does.Contain(message));
        });
    }

    [Test]
    public void ReadCsv_HeaderAndRecords_GiveRecordNumbersAndLines()
    {
        var periods = Read("id,date,revenue\n\"a,b\",2026-03-31,100.10\n\n,2026-06-30,5\n", csv: true, out var error);

        Assert.That(error, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(periods!.Select(p => p.Number), Is.EqualTo(new long[] { 1, 2 }), "the record number, the header being record 0");
            Assert.That(periods!.Select(p => p.Line), Is.EqualTo(new long[] { 2, 4 }));
            Assert.That(periods!.Select(p => p.Id), Is.EqualTo(new[] { "\"a,b\"", null }));
            Assert.That(MoneyText.Format(periods![0].Revenue), Is.EqualTo("100.10"));
        });
    }

    [TestCase("date,revenue\n2026-03-31,-3\n", 2, "revenue")]
    [TestCase("date,revenue\n2026-03-31,\n", 2, "revenue")]
    [TestCase("date,revenue\n2026-03-31,1\n2026-13-01,1\n", 3, "date")]
    [TestCase("date,amount\n2026-03-31,1\n", 1, "amount")]
    [TestCase("date\n2026-03-31\n", 1, "revenue")]
    [TestCase("date,revenue\n2026-03-31,1,2\n", 2, null)]
    public void ReadCsv_BadRecord_IsRefusedNamingLineAndField(string csv, int line, string? field)
    {
        var periods = Read(csv, csv: true, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(periods, Is.Null);
            Assert.That(error!.Line, Is.EqualTo(line));
            Assert.That(error.Field, Is.EqualTo(field));
        });
    }

    [Test]
    public void ReadCsv_RecordWithTooManyCells_SaysSoInItsOwnNumbering()
    {
        Read("date,revenue\n2026-03-31,1\n2026-04-30,1,2\n", csv: true, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Line, Is.EqualTo(3));
            Assert.That(error.ToString(), Does.StartWith("line 3 (record 2): the CSV is malformed (the record has 3 fields but 2 were expected)"));
            Assert.That(error.ToString(), Does.Not.Contain("Record"), "one numbering, not CsvHelper's beside ours");
        });
    }

    [TestCase("100.10", "100.10")]
    [TestCase("0", "0")]
    [TestCase("-0", "0")]
    [TestCase("1.50e1", "15.0")]
    [TestCase("79228162514264337593543950335", "79228162514264337593543950335")]
    public void TryParse_DecimalText_IsExact(string text, string expected)
    {
        Assert.That(MoneyText.TryParse(text, out var value), Is.EqualTo(MoneyParseFailure.None));
        Assert.That(MoneyText.Format(value), Is.EqualTo(expected));
    }

    [TestCase("0.12345678901234567890123456789", nameof(MoneyParseFailure.NotExact))]
    [TestCase("79228162514264337593543950336", nameof(MoneyParseFailure.NotExact))]
    [TestCase("1e-29", nameof(MoneyParseFailure.NotExact))]
    [TestCase("+1", nameof(MoneyParseFailure.NotANumber))]
    [TestCase(" 1", nameof(MoneyParseFailure.NotANumber))]
    [TestCase("1.", nameof(MoneyParseFailure.NotANumber))]
    [TestCase("NaN", nameof(MoneyParseFailure.NotANumber))]
    public void TryParse_TextNotHeldExactly_IsRefused(string text, string failure)
    {
        Assert.That(MoneyText.TryParse(text, out _).ToString(), Is.EqualTo(failure));
    }

    [Test]
    public void TryMultiply_ProductBeyondDecimalDigits_IsRefused()
    {
        var a = decimal.Parse("0.1234567890123456", System.Globalization.CultureInfo.InvariantCulture);
        var b = decimal.Parse("1234567890123.456789", System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(MoneyText.TryMultiply(a, b, out _), Is.False);
    }
}
