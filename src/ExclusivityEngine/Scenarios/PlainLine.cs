using System.Text;
using System.Text.Json;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// A batch line's facts as positions in the rule set, read straight from its bytes: the catalogue product's and the
/// cloud's index, each choice's index, each true/false/unknown value as a trit (0 unknown, 1 true, 2 false; -1 left
/// out), each occurrence as its <see cref="DateOnly.DayNumber"/> (-1 never), and the date. Indexed by <see cref="Fact.Index"/>; what <see cref="Evaluation.ClassTable.TryGetPlain"/> reads.
/// </summary>
internal ref struct PlainFacts(Span<int> values)
{
    public const int Omitted = -1;

    /// <summary>By fact index.</summary>
    public readonly Span<int> Values = values;

    /// <summary>The date of the question.</summary>
    public DateOnly Date;
}

/// <summary>
/// The batch's fast path. Most lines of a large batch are plain: a catalogue product and cloud by id, a date, choices
/// and true/false/null values, occurrences in order, written without escapes. Such a line is read here into
/// <see cref="PlainFacts"/> with no allocation and no string, and its class's verdict found by a few array reads and
/// one hash probe. Anything else (an inline product, an escape, an unknown or repeated field, a value of the wrong
/// kind, occurrences out of order, a class not met before) is declined, and the line goes the full way (<see cref="ScenarioJson"/>, <see cref="ScenarioInput.Resolve"/>,
/// <see cref="Engine"/>), which answers it or says what is wrong. So the fast path only ever answers lines the full
/// path would answer alike; the memo-agreement tests compare both with NRules itself.
/// </summary>
internal sealed class PlainLineReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    private readonly byte[][] _products;
    private readonly byte[][] _clouds;
    private readonly byte[][]?[] _choices;
    private readonly int _productFact = Facts.Of(Facts.Product).Index;
    private readonly int _cloudFact = Facts.Of(Facts.Cloud).Index;
    private readonly int _dateFact = Facts.Of(Facts.Date).Index;
    private readonly int[] _choiceFacts = [.. Facts.All.Where(f => f.Kind == FactKind.Choice).Select(f => f.Index)];
    private readonly (int Later, int Earlier)[] _ordered = [.. Facts.All.Where(f => f.NotBefore is not null).Select(f => (f.Index, Facts.Of(f.NotBefore!).Index))];

    public PlainLineReader(Catalogue catalogue)
    {
        _products = [.. catalogue.Products.Select(p => Encoding.UTF8.GetBytes(p.Id))];
        _clouds = [.. catalogue.Clouds.Select(c => Encoding.UTF8.GetBytes(c.Id))];
        _choices = [.. Facts.All.Select(f => f.Kind == FactKind.Choice ? f.Choices.Select(Encoding.UTF8.GetBytes).ToArray() : null)];
    }

    /// <summary>Facts a line has room for (<see cref="PlainFacts.Values"/> needs this many).</summary>
    public static int Width => Facts.All.Count;

    /// <summary>
    /// Reads <paramref name="utf8"/> when it is a plain line; false (and nothing is to be trusted) otherwise.
    /// <paramref name="id"/> is where the raw <c>id</c> stands, as <see cref="ScenarioJson.ReadAt"/> gives it.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> utf8, ref PlainFacts facts, out Range id)
    {
        id = default;
        facts.Values.Fill(PlainFacts.Omitted);
        // As the full path: a line that is not UTF-8 is refused even where no string is decoded (the echoed id).
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return false;
        }
        try
        {
            var r = new Utf8JsonReader(utf8, Options);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var seen = 0L;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var field = r.ValueIsEscaped ? -1 : ScenarioJson.FieldNumber(r.ValueSpan);
                if (field < 0 || (seen & (1L << field)) != 0)
                {
                    return false;
                }
                seen |= 1L << field;
                r.Read();
                if (field == 0)
                {
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray || r.ValueIsEscaped)
                    {
                        return false;
                    }
                    var start = (int)r.TokenStartIndex;
                    id = start..(start + r.ValueSpan.Length + (r.TokenType == JsonTokenType.String ? 2 : 0));
                    continue;
                }
                var fact = Facts.All[field - 1];
                if (r.TokenType == JsonTokenType.Null && fact.Kind is FactKind.Choice or FactKind.Occurrence)
                {
                    continue; // null is as if left out: the default choice, never happened
                }
                var value = fact.Kind switch
                {
                    FactKind.Product => Plain(ref r) ? IndexOf(_products, r.ValueSpan) : -1,
                    FactKind.Cloud => Plain(ref r) ? IndexOf(_clouds, r.ValueSpan) : -1,
                    FactKind.Choice => Plain(ref r) ? IndexOf(_choices[fact.Index]!, r.ValueSpan) : -1,
                    FactKind.Date => Plain(ref r) && ScenarioInput.TryParseIsoDate(r.ValueSpan, out facts.Date) ? 0 : -1,
                    FactKind.Occurrence => Plain(ref r) && ScenarioInput.TryParseIsoDate(r.ValueSpan, out var happened) ? happened.DayNumber : -1,
                    FactKind.TriState => r.TokenType switch
                    {
                        JsonTokenType.Null => 0,
                        JsonTokenType.True => 1,
                        JsonTokenType.False => 2,
                        _ => -1,
                    },
                    _ => -1,
                };
                if (value < 0)
                {
                    return false;
                }
                facts.Values[fact.Index] = value;
            }
            if (r.TokenType != JsonTokenType.EndObject || r.Read())
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
        if (facts.Values[_productFact] < 0 || facts.Values[_cloudFact] < 0 || facts.Values[_dateFact] < 0)
        {
            return false;
        }
        foreach (var choice in _choiceFacts)
        {
            if (facts.Values[choice] < 0)
            {
                facts.Values[choice] = 0; // the default is the first choice, as ScenarioInput.Resolve has it
            }
        }
        foreach (var (later, earlier) in _ordered)
        {
            if (facts.Values[later] >= 0 && (facts.Values[earlier] < 0 || facts.Values[later] < facts.Values[earlier]))
            {
                return false; // occurrences out of order: the full path says why
            }
        }
        return true;
    }

    private static bool Plain(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String && !r.ValueIsEscaped;

    private static int IndexOf(byte[][] known, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < known.Length; i++)
        {
            if (value.SequenceEqual(known[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
