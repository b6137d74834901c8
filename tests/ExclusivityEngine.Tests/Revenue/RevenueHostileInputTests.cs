using System.Text;
using ExclusivityEngine.Revenue;

namespace ExclusivityEngine.Tests.Revenue;

/// <summary>Revenue input is refused whole, naming the line, when it holds bytes that are not UTF-8, an overlong line, or an id that is not text.</summary>
public sealed class RevenueHostileInputTests
{
    private static RevenueError? Read(byte[] input, bool csv)
    {
        var periods = RevenueInput.Read(new MemoryStream(input), csv, out var error);
        Assert.That(periods is null, Is.EqualTo(error is not null));
        return error;
    }

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    [Test]
    public void JsonLines_BytesThatAreNotUtf8_RefusedNamingTheLine()
    {
        var error = Read(Bytes("{\"date\":\"2026-03-31\",\"revenue\":1}\n{\"id\":\"q", new byte[] { 0xFF }, "\",\"date\":\"2026-06-30\",\"revenue\":1}\n"), csv: false);

        Assert.That(error!.Line, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("not UTF-8"));
    }

    [Test]
    public void JsonLines_OverlongLine_RefusedNamingItWithoutReadingItWhole()
    {
        var error = Read(Bytes("{\"date\":\"2026-03-31\",\"revenue\":1}\n{\"id\":\"", new string('x', RevenueInput.MaxLineBytes), "\"}\n"), csv: false);

        Assert.That(error!.Line, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("longer than"));
    }

    [Test]
    public void JsonLines_IdWithAnEscapeThatIsNoCharacter_Refused()
    {
        var error = Read(Bytes("{\"id\":\"\\udc00\",\"date\":\"2026-03-31\",\"revenue\":1}\n"), csv: false);

        Assert.That(error!.Line, Is.EqualTo(1));
    }

    [Test]
    public void JsonLines_ByteOrderMark_IsRead()
    {
        var periods = RevenueInput.Read(new MemoryStream(Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, "{\"date\":\"2026-03-31\",\"revenue\":1}\r\n\n")), csv: false, out var error);

        Assert.That(error, Is.Null);
        Assert.That(periods, Has.Count.EqualTo(1));
    }

    [Test]
    public void Csv_RecordThatIsNotUtf8_RefusedNamingTheRecord()
    {
        var error = Read(Bytes("id,date,revenue\nq1,2026-03-31,1\nq", new byte[] { 0xC3 }, ",2026-06-30,1\n"), csv: true);

        Assert.That((error!.Line, error.Record), Is.EqualTo((3L, 2L)));
        Assert.That(error.Message, Does.Contain("not UTF-8"));
    }
}
