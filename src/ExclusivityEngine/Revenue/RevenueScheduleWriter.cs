using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExclusivityEngine.Revenue;

/// <summary>Writes a schedule as JSON (interface.md's shape), as a text table for people, or as CSV; amounts as exact decimal text.</summary>
public static class RevenueScheduleWriter
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["line", "id", "date", "revenue", "version", "clause", "owed", "cappedTotal", "capReached"];

    /// <summary>
    /// The JSON document: <c>rate</c>, <c>cap</c> (null without one), <c>periods</c> (one object per line) and <c>total</c>.
    /// Amounts are JSON strings so that no reader turns them into binary floating point.
    /// </summary>
    public static void WriteJson(Stream destination, RevenueSchedule schedule)
    {
        // One write per period would be a system call per period on an unbuffered stdout.
        using var output = new BufferedStream(destination, 1 << 16);
        var cap = schedule.Terms.Cap is { } c ? Quote(MoneyText.Format(c)) : "null";
        Write(output, $"{{\"rate\": {Quote(MoneyText.Format(schedule.Terms.Rate))}, \"cap\": {cap},\n \"periods\": [");
        var first = true;
        using var json = new Utf8JsonWriter(output, Compact);
        foreach (var p in schedule.Periods)
        {
            Write(output, first ? "\n   " : ",\n   ");
            first = false;
            json.Reset(output);
            json.WriteStartObject();
            json.WriteNumber("line", p.Period.Number);
            json.WritePropertyName("id");
            if (p.Period.Id is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(p.Period.Id, skipInputValidation: true);
            }
            json.WriteString("date", p.Period.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("revenue", MoneyText.Format(p.Period.Revenue));
            WriteStringOrNull(json, "version", p.Obligation?.Version.Id);
            WriteStringOrNull(json, "clause", p.Obligation?.Clause.Id);
            json.WriteString("owed", MoneyText.Format(p.Owed));
            json.WriteString("cappedTotal", MoneyText.Format(p.CappedTotal));
            json.WriteBoolean("capReached", p.CapReached);
            json.WriteEndObject();
            json.Flush();
        }
        Write(output, (first ? "]" : "\n ]") + $",\n \"total\": {Quote(MoneyText.Format(schedule.Total))}}}\n");
        output.Flush();
        destination.Flush();
    }

    /// <summary>A header row, then one record per period; the total is not a period, so it is not written here.</summary>
    public static void WriteCsv(TextWriter output, RevenueSchedule schedule)
    {
        // As the batch's CSV: an id that starts like a formula (=, +, -, @, a tab, a carriage return) gets a leading '
        // so that a spreadsheet shows it as text and never runs it (ids come from the input).
        using (var csv = CsvHelper.CsvWriter.Create(output, Scenarios.BatchCsv.Options, leaveOpen: true))
        {
            foreach (var column in CsvColumns)
            {
                csv.WriteField(column);
            }
            csv.EndRecord();
            foreach (var p in schedule.Periods)
            {
                foreach (var cell in Cells(p))
                {
                    csv.WriteField(cell);
                }
                csv.EndRecord();
            }
        }
        output.Flush();
    }

    /// <summary>An aligned table with the terms above it and the total below, for people.</summary>
    public static void WriteText(TextWriter output, RevenueSchedule schedule)
    {
        var terms = schedule.Terms;
        var agi = (terms.AgiDeclaredOn, terms.AgiVerifiedOn) switch
        {
            (null, _) => "AGI never declared",
            ({ } d, null) => $"AGI declared {d:yyyy-MM-dd}, never verified",
            ({ } d, { } v) => $"AGI declared {d:yyyy-MM-dd}, verified {v:yyyy-MM-dd}",
        };
        var cap = terms.Cap is { } c ? $"cap {MoneyText.Format(c)} from {schedule.Rules.CapFrom:yyyy-MM-dd} on" : "no cap";
        output.Write($"revenue share owed by {schedule.Rules.Payer} to {schedule.Rules.Payee} (track {schedule.Rules.Track}): rate {MoneyText.Format(terms.Rate)}, {cap}, {agi}\n");
        var rows = new List<string[]> { CsvColumns.ToArray() };
        // The id is the input's own text: escaped, it can neither rewrite the terminal nor add a row to the table.
        rows.AddRange(schedule.Periods.Select(p => Cells(p).Select(v => v.Length == 0 ? "-" : Scenarios.Quote.Escaped(v)).ToArray()));
        var widths = Enumerable.Range(0, CsvColumns.Count).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i].PadRight(i == row.Length - 1 ? 0 : widths[i] + 2));
            }
            output.Write(line.ToString().TrimEnd());
            output.Write('\n');
        }
        output.Write($"total owed: {MoneyText.Format(schedule.Total)} over {schedule.Periods.Count} period(s)\n");
        output.Flush();
    }

    /// <summary>The id as text: a JSON string decoded, a number as written.</summary>
    public static string? IdText(string? id) =>
        id is null ? null : id.StartsWith('"') ? JsonSerializer.Deserialize<string>(id) : id;

    private static string[] Cells(ScheduledPeriod p) =>
    [
        p.Period.Number.ToString(CultureInfo.InvariantCulture),
        IdText(p.Period.Id) ?? "",
        p.Period.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        MoneyText.Format(p.Period.Revenue),
        p.Obligation?.Version.Id ?? "",
        p.Obligation?.Clause.Id ?? "",
        MoneyText.Format(p.Owed),
        MoneyText.Format(p.CappedTotal),
        p.CapReached ? "true" : "false",
    ];

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static void Write(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));
}
