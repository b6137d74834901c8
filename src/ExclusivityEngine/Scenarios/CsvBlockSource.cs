using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// Reads CSV scenarios with CsvHelper: a header row with the JSON Lines names, one scenario per record. An empty cell
/// is omitted, <c>unknown</c> is unknown (as JSON <c>null</c>), an inline product is a JSON object in its cell. A
/// broken record (bad quoting, wrong cell count) is answered in place with <c>invalid-csv</c>; records are numbered from
/// the header, record 0.
/// </summary>
internal sealed class CsvBlockSource : IBlockSource
{
    private const string Unknown = "unknown";

    private static readonly JsonWriterOptions IdWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CsvReader _reader;
    private readonly BatchOptions _options;
    private readonly BlockPool _pool;
    private string[]? _header;
    private Fact?[] _facts = []; // by column: the fact it names, looked up once with the header
    private long _record;
    private readonly Dictionary<long, CsvMalformedReason> _malformed = [];
    private bool _done;

    private readonly LongLineFilter _lines;

    public CsvBlockSource(Stream input, BatchOptions options, BlockPool pool)
    {
        _options = options;
        _pool = pool;
        _lines = new LongLineFilter(input, options.MaxLineBytes);
        var csv = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            // One record per line: an unclosed quote then breaks its own line only, and the records after it are
            // still read. Scenario cells never need a line break.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = Malformed,
            // The filter in front has already cut every overlong line to a placeholder; this is only a last guard.
            MaxRecordSize = options.MaxLineBytes + 1024,
            TrackLineNumbers = true,
        };
        _reader = CsvReader.Create(_lines, csv, leaveOpen: true);
    }

    /// <summary>Notes a record CsvHelper found malformed (numbered with the header as 1) and why; it is still returned.</summary>
    private void Malformed(CsvMalformedRecord record) => _malformed.TryAdd(record.RecordNumber, record.Reason);

    public async ValueTask<Block?> NextAsync(CancellationToken cancel)
    {
        if (_done)
        {
            // Returns the reader's pooled buffers; the input stream belongs to the caller.
            _reader.Dispose();
            return null;
        }
        if (_header is null && !await ReadHeaderAsync(cancel).ConfigureAwait(false))
        {
            return null;
        }
        var block = _pool.Rent();
        while (block.Count < _options.BlockLines)
        {
            bool more;
            try
            {
                more = await _reader.ReadAsync(cancel).ConfigureAwait(false);
            }
            catch (CsvFormatException e)
            {
                // A record too large to buffer: nothing after it can be found reliably, so it is the last one.
                ref var broken = ref block.Items[block.Count++];
                broken.Number = ++_record;
                broken.Error = new ScenarioError(ScenarioErrorCodes.InvalidCsv, $"the CSV record cannot be read ({Quote.Inner(e.Message)}); the rest of the input is not read");
                _done = true;
                break;
            }
            if (!more)
            {
                _done = true;
                break;
            }
            ref var item = ref block.Items[block.Count++];
            item.Number = ++_record;
            // CsvHelper counts the header as record 1; our records count it as 0.
            var malformed = _malformed.Remove(_record + 1, out var reason);
            if (_lines.Overlong.Remove(_reader.LineNumber))
            {
                item.Error = new ScenarioError(ScenarioErrorCodes.InvalidCsv, $"the CSV record is longer than {_options.MaxLineBytes} bytes");
            }
            else if (_lines.NotUtf8.Remove(_reader.LineNumber))
            {
                item.Error = new ScenarioError(ScenarioErrorCodes.InvalidCsv, "the CSV record is not UTF-8");
            }
            else if (malformed)
            {
                item.Error = new ScenarioError(ScenarioErrorCodes.InvalidCsv, $"the CSV record is broken: {Describe(reason)}");
            }
            else if (_reader.FieldCount != _header!.Length)
            {
                item.Error = new ScenarioError(ScenarioErrorCodes.InvalidCsv, $"the CSV record has {_reader.FieldCount} cells where the header has {_header.Length}");
            }
            else
            {
                item.Input = Read(out item.Id, out item.Error);
            }
        }
        block.Lines = block.Count;
        if (block.Count == 0)
        {
            _pool.Return(block);
            return null;
        }
        return block;
    }

    /// <summary>Reads the header; a header that cannot be used makes the whole input unusable.</summary>
    private async ValueTask<bool> ReadHeaderAsync(CancellationToken cancel)
    {
        try
        {
            await _reader.ReadHeaderAsync(cancel).ConfigureAwait(false);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"the CSV header (record 0) cannot be read: {Quote.Inner(e.Message)}", e);
        }
        var names = _reader.Headers.ToArray();
        if (names.Length == 0)
        {
            _done = true;
            return false;
        }
        if (_malformed.Remove(1, out var headerReason))
        {
            throw new InvalidDataException($"the CSV header (record 0) is broken: {Describe(headerReason)}");
        }
        if (names is [""])
        {
            // An input of blank lines has no header and no records; a header of one empty cell (`""`) with records
            // after it names no column, and its records must not be dropped unanswered (found by the fuzzer).
            if (await _reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                throw new InvalidDataException("the CSV header (record 0) names no column");
            }
            _done = true;
            return false;
        }
        if (_lines.Overlong.Remove(_reader.LineNumber))
        {
            throw new InvalidDataException($"the CSV header (record 0) is longer than {_options.MaxLineBytes} bytes");
        }
        if (_lines.NotUtf8.Remove(_reader.LineNumber))
        {
            throw new InvalidDataException("the CSV header (record 0) is not UTF-8");
        }
        var twice = names.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidDataException($"the CSV header (record 0) names the column `{Quote.Short(twice.Key)}` twice");
        }
        _header = names;
        _facts = [.. names.Select(n => Facts.TryGet(n, out var fact) ? fact : null)];
        return true;
    }

    /// <summary>The current record as a scenario input; the first problem in column order, as the JSON reader does.</summary>
    private ScenarioInput? Read(out byte[]? id, out ScenarioError? error)
    {
        id = null;
        error = null;
        var input = new ScenarioInput();
        var header = _header!;
        for (var i = 0; i < header.Length; i++)
        {
            if (_reader.IsEmpty(i))
            {
                continue;
            }
            var name = header[i];
            var cell = _reader.GetString(i);
            // `unknown` is what JSON Lines writes as null: unknown for a fact, "never" for a date fact, general for the
            // segment, and missing for the required fields.
            var text = cell == Unknown ? null : cell;
            ScenarioError? problem = null;
            if (name == "id")
            {
                id = JsonString(cell);
            }
            else if (_facts[i] is not { } fact)
            {
                problem = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{Quote.Short(name)}` is not a scenario field (a misspelt fact is refused, never ignored)", name);
            }
            else if (fact.Kind == FactKind.TriState)
            {
                fact.SetIn(input, Tri(name, cell, out problem));
            }
            else if (fact.Kind == FactKind.Product && cell.AsSpan().TrimStart().StartsWith('{'))
            {
                input.InlineProduct = ScenarioJson.ReadInlineProduct(cell, out var why);
                if (input.InlineProduct is null)
                {
                    problem = new ScenarioError(ScenarioErrorCodes.InvalidProduct, $"the `product` cell starts like an inline product but is not one JSON object: {why}", Facts.Product);
                }
            }
            else
            {
                fact.SetIn(input, text);
            }
            error ??= problem;
        }
        return error is null ? input : null;
    }

    private static TriStateInput Tri(string name, string cell, out ScenarioError? problem)
    {
        problem = null;
        var value = ScenarioJson.ParseTri(cell);
        if (value == TriStateInput.Omitted)
        {
            problem = new ScenarioError(ScenarioErrorCodes.InvalidFact, $"`{name}` must be true, false or unknown, not `{Quote.Short(cell)}`", name);
        }
        return value;
    }

    /// <summary>The id echoed back as a JSON string, escaped as the batch's own writer escapes.</summary>
    private static byte[] JsonString(string value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 8);
        using (var w = new Utf8JsonWriter(buffer, IdWriterOptions))
        {
            w.WriteStringValue(value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted cell",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a cell",
        CsvMalformedReason.UnterminatedQuote => "a quoted cell is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a quoted cell is not closed before the end of its line",
        CsvMalformedReason.FieldCountMismatch => "the number of cells differs from the header",
        _ => "bad quoting",
    };

}
