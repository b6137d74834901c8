using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace ExclusivityEngine.Revenue;

/// <summary>
/// Reads periods of revenue from JSON Lines or CSV (interface.md, "Revenue share"). Input is read whole and refused
/// whole: the first problem, with its line and field, is the answer, since a partial schedule of money owed is worse
/// than none.
/// </summary>
public static class RevenueInput
{
    private static readonly JsonReaderOptions JsonOptions = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonSerializerOptions IdOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Fields = [RevenueFields.Id, RevenueFields.Date, RevenueFields.Revenue];

    /// <summary>Reads <paramref name="stream"/> as CSV (a header row with <c>date</c>, <c>revenue</c>, optional <c>id</c>) or JSON Lines.</summary>
    public static IReadOnlyList<RevenuePeriod>? Read(Stream stream, bool csv, out RevenueError? error) =>
        csv ? ReadCsv(stream, out error) : ReadJsonLines(stream, out error);

    /// <summary>The longest line (or CSV record) read, as for batch input: a longer one refuses the input.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>One period per line, a JSON object; blank lines are skipped but still counted.</summary>
    public static IReadOnlyList<RevenuePeriod>? ReadJsonLines(Stream stream, out RevenueError? error)
    {
        ArgumentNullException.ThrowIfNull(stream);
        error = null;
        var periods = new List<RevenuePeriod>();
        // Through the same filter as CSV batches: lines are bounded (a stream of /dev/zero cannot fill memory) and bytes
        // that are not UTF-8 are refused rather than read as U+FFFD.
        var lines = new Scenarios.LongLineFilter(stream, MaxLineBytes, crEndsLines: false);
        var buffer = new byte[1 << 16];
        var line = new MemoryStream();
        long number = 0;
        while (true)
        {
            var read = lines.Read(buffer, 0, buffer.Length);
            var chunk = buffer.AsSpan(0, read);
            while (true)
            {
                var end = chunk.IndexOf((byte)'\n');
                if (end < 0 && read > 0)
                {
                    line.Write(chunk);
                    break;
                }
                if (end < 0 && line.Length == 0)
                {
                    return periods;
                }
                line.Write(end < 0 ? chunk : chunk[..end]);
                chunk = end < 0 ? [] : chunk[(end + 1)..];
                number++;
                var period = Line(line.GetBuffer().AsSpan(0, (int)line.Length), number, lines, out error);
                line.SetLength(0);
                if (error is not null)
                {
                    return null;
                }
                if (period is not null)
                {
                    periods.Add(period);
                }
                if (end < 0)
                {
                    return periods;
                }
            }
        }
    }

    private static RevenuePeriod? Line(ReadOnlySpan<byte> text, long number, Scenarios.LongLineFilter lines, out RevenueError? error)
    {
        error = null;
        if (lines.Overlong.Contains(number))
        {
            error = new RevenueError($"the line is longer than {MaxLineBytes} bytes", number);
            return null;
        }
        if (lines.NotUtf8.Contains(number))
        {
            error = new RevenueError("the line is not UTF-8", number);
            return null;
        }
        if (number == 1 && text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }
        if (text.EndsWith("\r"u8))
        {
            text = text[..^1];
        }
        return text.Trim(" \t\r"u8).IsEmpty ? null : ReadJsonLine(text, number, out error);
    }

    private static RevenueError? Broken(Scenarios.LongLineFilter lines, long line, long record) =>
        lines.Overlong.Contains(line) ? new RevenueError($"the record is longer than {MaxLineBytes} bytes", line, Record: record)
        : lines.NotUtf8.Contains(line) ? new RevenueError("the record is not UTF-8", line, Record: record)
        : null;

    /// <summary>Reads one JSON Lines line (<paramref name="number"/> is its 1-based line).</summary>
    public static RevenuePeriod? ReadJsonLine(ReadOnlySpan<byte> utf8, long number, out RevenueError? error)
    {
        error = null;
        string? id = null, date = null, revenue = null;
        var seen = 0;
        try
        {
            var r = new Utf8JsonReader(utf8, JsonOptions);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                error = new RevenueError("the line is not a JSON object", number);
                return null;
            }
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.GetString()!;
                r.Read();
                var bit = name switch { RevenueFields.Id => 1, RevenueFields.Date => 2, RevenueFields.Revenue => 4, _ => 0 };
                if ((seen & bit) != 0)
                {
                    error = new RevenueError("the field is written twice", number, name);
                    return null;
                }
                seen |= bit;
                switch (name)
                {
                    case RevenueFields.Id:
                        if (r.TokenType == JsonTokenType.String)
                        {
                            // Echoed as written, so it must be text: an escape that is no character throws here.
                            _ = r.ValueIsEscaped ? r.GetString() : null;
                            var start = (int)r.TokenStartIndex;
                            id = Encoding.UTF8.GetString(utf8[start..(start + r.ValueSpan.Length + 2)]);
                        }
                        else if (r.TokenType == JsonTokenType.Number)
                        {
                            id = Encoding.UTF8.GetString(r.ValueSpan);
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            error = new RevenueError("an id must be a string or a number", number, name);
                            return null;
                        }
                        break;
                    case RevenueFields.Date:
                        if (r.TokenType == JsonTokenType.String)
                        {
                            date = r.GetString();
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            error = new RevenueError("a date must be a string `yyyy-mm-dd`", number, name);
                            return null;
                        }
                        break;
                    case RevenueFields.Revenue:
                        if (r.TokenType == JsonTokenType.String)
                        {
                            revenue = r.GetString();
                        }
                        else if (r.TokenType == JsonTokenType.Number)
                        {
                            // The number's own digits, never a double: the amount stays exactly as written.
                            revenue = Encoding.UTF8.GetString(r.ValueSpan);
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            error = new RevenueError("revenue must be a decimal number, written as a JSON number or a string", number, name);
                            return null;
                        }
                        break;
                    default:
                        error = new RevenueError($"`{Scenarios.Quote.Short(name)}` is not a field of a period (only `id`, `date` and `revenue` are)", number, name);
                        return null;
                }
            }
            if (r.TokenType != JsonTokenType.EndObject)
            {
                error = new RevenueError("the JSON object is not complete", number);
                return null;
            }
            if (r.Read())
            {
                error = new RevenueError("there is more after the JSON object", number);
                return null;
            }
        }
        catch (JsonException e)
        {
            error = new RevenueError($"the line is not valid JSON (at column {e.BytePositionInLine + 1})", number);
            return null;
        }
        catch (InvalidOperationException)
        {
            error = new RevenueError("the line holds a string escape that is no character (a lone surrogate)", number);
            return null;
        }
        return Period(number, 0, id, date, revenue, out error);
    }

    /// <summary>A header row naming <c>date</c>, <c>revenue</c> and optionally <c>id</c>, then one period per record.</summary>
    public static IReadOnlyList<RevenuePeriod>? ReadCsv(Stream stream, out RevenueError? error)
    {
        ArgumentNullException.ThrowIfNull(stream);
        error = null;
        var periods = new List<RevenuePeriod>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        var lines = new Scenarios.LongLineFilter(stream, MaxLineBytes);
        try
        {
            using var csv = CsvReader.Create(lines, options, leaveOpen: true);
            var headers = csv.Headers;
            if (Broken(lines, csv.LineNumber, 0) is { } headerError)
            {
                error = headerError;
                return null;
            }
            if (headers.Count == 0)
            {
                error = new RevenueError("the CSV input has no header row (it needs `date` and `revenue`)", 1);
                return null;
            }
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                var name = headers[i];
                if (!Fields.Contains(name))
                {
                    error = new RevenueError($"`{Scenarios.Quote.Short(name)}` in the header row is not a field of a period (only `id`, `date` and `revenue` are)", 1, name);
                    return null;
                }
                if (!index.TryAdd(name, i))
                {
                    error = new RevenueError("the header row names the column twice", 1, name);
                    return null;
                }
            }
            foreach (var required in new[] { RevenueFields.Date, RevenueFields.Revenue })
            {
                if (!index.ContainsKey(required))
                {
                    error = new RevenueError("the header row has no such column", 1, required);
                    return null;
                }
            }
            while (csv.Read())
            {
                var record = csv.RowNumber;
                var line = csv.LineNumber;
                if (Broken(lines, line, record) is { } broken)
                {
                    error = broken;
                    return null;
                }
                var id = index.TryGetValue(RevenueFields.Id, out var idColumn) ? csv.GetString(idColumn) : "";
                var date = csv.GetString(index[RevenueFields.Date]);
                var revenue = csv.GetString(index[RevenueFields.Revenue]);
                // An empty cell is the same as an omitted field (interface.md, scenario CSV).
                var period = Period(line, record, id.Length == 0 ? null : JsonSerializer.Serialize(id, IdOptions),
                    date.Length == 0 ? null : date, revenue.Length == 0 ? null : revenue, out error);
                if (period is null)
                {
                    return null;
                }
                periods.Add(period);
            }
        }
        catch (CsvFormatException e)
        {
            var record = Math.Max(0, e.RecordNumber - 1);
            // The place is ours to write; keep only CsvHelper's description of the problem.
            var detail = e.Message.TrimEnd('.');
            var colon = detail.IndexOf("): ", StringComparison.Ordinal);
            detail = colon >= 0 ? detail[(colon + 3)..] : detail;
            // CsvHelper numbers records from the header ("Record 2 (line 2) has 3 fields"); ours start after it.
            detail = System.Text.RegularExpressions.Regex.Replace(detail, @"^Record \d+ (\(line \d+\) )?", "the record ");
            // A record that stands replaced (overlong, not UTF-8) has one cell: say why it was replaced, not that it is short.
            error = Broken(lines, e.LineNumber, record) ?? new RevenueError($"the CSV is malformed ({detail})", e.LineNumber, null, record);
            return null;
        }
        return periods;
    }

    private static RevenuePeriod? Period(long line, long record, string? id, string? dateText, string? revenueText, out RevenueError? error)
    {
        error = null;
        if (dateText is null)
        {
            error = new RevenueError("the period's last day is missing", line, RevenueFields.Date, record);
            return null;
        }
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error = new RevenueError($"`{Scenarios.Quote.Short(dateText)}` is not a date `yyyy-mm-dd`", line, RevenueFields.Date, record);
            return null;
        }
        if (revenueText is null)
        {
            error = new RevenueError("the period's revenue is missing", line, RevenueFields.Revenue, record);
            return null;
        }
        if (!TryAmount(revenueText, RevenueFields.Revenue, out var revenue, out var problem))
        {
            error = problem! with { Line = line, Record = record };
            return null;
        }
        if (revenue < 0m)
        {
            error = new RevenueError($"the revenue {revenueText} is negative", line, RevenueFields.Revenue, record);
            return null;
        }
        return new RevenuePeriod(line, id, date, revenue, record);
    }

    /// <summary>Reads an amount (revenue, rate or cap) exactly; the error names <paramref name="field"/> but no line.</summary>
    public static bool TryAmount(string text, string field, out decimal value, out RevenueError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = MoneyText.TryParse(text, out value) switch
        {
            MoneyParseFailure.None => null,
            MoneyParseFailure.NotANumber => new RevenueError($"`{Scenarios.Quote.Short(text)}` is not a decimal number", Field: field),
            _ => new RevenueError($"`{Scenarios.Quote.Short(text)}` cannot be held exactly as a decimal (at most 28 digits after the point, magnitude below 7.9e28)", Field: field),
        };
        return error is null;
    }
}
