using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>The product's value when the line writes the product inline (<see cref="Inline"/>).</summary>
    public const int InlineProduct = -2;

    /// <summary>By fact index.</summary>
    public readonly Span<int> Values = values;

    /// <summary>The date of the question.</summary>
    public DateOnly Date;

    /// <summary>The inline product, when the product's value is <see cref="InlineProduct"/>.</summary>
    public PlainInlineProduct Inline;
}

/// <summary>
/// An inline product as a plain line writes it: its id's bytes, each attribute as its index among the catalogue's
/// allowed values (<see cref="Catalogue.AttributeValues"/>), and its <c>shippedOnAzureFirst</c> as a trit.
/// </summary>
internal ref struct PlainInlineProduct
{
    public ReadOnlySpan<byte> Id;
    public int Interface;
    public int Origin;
    public int OfferedBy;
    public int ShippedOnAzureFirst;
}

/// <summary>
/// The batch's fast path. Most lines of a large batch are plain: a product (a catalogue id, or inline with its four
/// attributes) and a cloud, a date, choices and true/false/null values, occurrences in order, written without escapes.
/// Such a line is read here into <see cref="PlainFacts"/> by one pass over its bytes, with no allocation and no string,
/// and its class's verdict found by a few array reads and one hash probe. Anything else (an escape, a number, an
/// unknown or repeated field, a value of the wrong kind, occurrences out of order, a class not met before, any JSON
/// this scanner does not expect) is declined, and the line goes the full way (<see cref="ScenarioJson"/>,
/// <see cref="ScenarioInput.Resolve"/>, <see cref="Engine"/>), which answers it or says what is wrong. So the fast path
/// only ever answers lines the full path would answer alike; the memo-agreement tests compare both with NRules itself,
/// and the plain-line tests compare the two paths' output on lines written to be awkward.
/// </summary>
internal sealed class PlainLineReader
{
    private readonly Utf8Index _fieldNames = ScenarioJson.FieldNames;
    private readonly Utf8Index _products;
    private readonly Utf8Index _clouds;
    private readonly Utf8Index?[] _choices;
    private readonly Utf8Index _interfaces;
    private readonly Utf8Index _origins;
    private readonly Utf8Index _offeredBy;
    private readonly Fact[] _facts = [.. Facts.All];
    private readonly int _productFact = Facts.Of(Facts.Product).Index;
    private readonly int _cloudFact = Facts.Of(Facts.Cloud).Index;
    private readonly int _dateFact = Facts.Of(Facts.Date).Index;
    private readonly int[] _choiceFacts = [.. Facts.All.Where(f => f.Kind == FactKind.Choice).Select(f => f.Index)];
    private readonly (int Later, int Earlier)[] _ordered = [.. Facts.All.Where(f => f.NotBefore is not null).Select(f => (f.Index, Facts.Of(f.NotBefore!).Index))];

    public PlainLineReader(Catalogue catalogue)
    {
        _products = new Utf8Index(catalogue.Products.Select(p => p.Id));
        _clouds = new Utf8Index(catalogue.Clouds.Select(c => c.Id));
        _choices = [.. Facts.All.Select(f => f.Kind == FactKind.Choice ? new Utf8Index(f.Choices) : null)];
        _interfaces = Allowed(catalogue, "interface");
        _origins = Allowed(catalogue, "origin");
        _offeredBy = Allowed(catalogue, "offeredBy");

        static Utf8Index Allowed(Catalogue catalogue, string attribute) =>
            new(catalogue.AttributeValues.TryGetValue(attribute, out var values) ? values : []);
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
        // Most lines are short and ASCII, with no backslash and no control character: then one vectorised pass checks
        // that and marks every quote, and the line's strings are its marked quotes taken two by two. A line with none of
        // those but longer or not ASCII has its strings' ends searched for; only a line with an escape is read a byte at
        // a time.
        var strings = new LineStrings { Quotes = stackalloc ulong[MarkedBytes / 64] };
        strings.Scan = MarkQuotes(utf8, strings.Quotes) ? StringScan.Marked
            : !System.Text.Unicode.Utf8.IsValid(utf8) ? StringScan.None
            : utf8.ContainsAny(StringStops) ? StringScan.Escapable
            : StringScan.Simple;
        return strings.Scan switch
        {
            StringScan.None => false, // as the full path: a line that is not UTF-8 is refused even where no string is decoded (the echoed id)
            StringScan.Marked => ReadMarked(utf8, strings, ref facts, out id) && Complete(ref facts),
            _ => ReadMembers(utf8, strings, ref facts, out id) && Complete(ref facts),
        };
    }

    /// <summary>
    /// The members of a marked line (<see cref="StringScan.Marked"/>), whose only white space is the space: each string
    /// opens at the next quote not yet taken and closes at the one after, so no string's end is searched for.
    /// </summary>
    private bool ReadMarked(ReadOnlySpan<byte> utf8, scoped LineStrings strings, ref PlainFacts facts, out Range id)
    {
        id = default;
        // The next quote not yet taken is the lowest bit left in bits, of word word of the marks.
        ReadOnlySpan<ulong> words = strings.Quotes[..((utf8.Length + 63) >> 6)];
        var word = -1;
        var bits = 0UL;
        var at = Spaces(utf8, 0);
        if (!At(utf8, at, (byte)'{'))
        {
            return false;
        }
        var seen = 0L;
        do
        {
            // at is at the '{' or the ',' before this member, so the name's opening quote is the next quote of all.
            at = Spaces(utf8, at + 1);
            var open = NextMarked(words, ref word, ref bits);
            var close = NextMarked(words, ref word, ref bits);
            if (open != at || close < 0)
            {
                return false;
            }
            var field = _fieldNames.IndexOf(utf8[(open + 1)..close]);
            if (field < 0 || (seen & (1L << field)) != 0)
            {
                return false;
            }
            seen |= 1L << field;
            at = Spaces(utf8, close + 1);
            if (!At(utf8, at, (byte)':'))
            {
                return false;
            }
            at = Spaces(utf8, at + 1);
            var start = at;
            Token value;
            ReadOnlySpan<byte> text;
            if (At(utf8, at, (byte)'"'))
            {
                NextMarked(words, ref word, ref bits); // the quote at at
                var end = NextMarked(words, ref word, ref bits);
                if (end < 0)
                {
                    return false;
                }
                value = Token.String;
                text = utf8[(at + 1)..end];
                at = end + 1;
            }
            else
            {
                value = Unquoted(utf8, ref at, out text);
            }
            if (value == Token.None || (value == Token.Object && field == 0))
            {
                return false;
            }
            if (field == 0)
            {
                id = start..at;
            }
            else if (value == Token.Object)
            {
                at = ReadObject(field, utf8, at, strings, ref facts);
                if (at < 0)
                {
                    return false;
                }
                // No quote before the object's end is to be taken again.
                word = at >> 6;
                bits = word < words.Length ? words[word] & (ulong.MaxValue << (at & 63)) : 0;
            }
            else if (!Set(_facts[field - 1], value, text, ref facts))
            {
                return false;
            }
            at = Spaces(utf8, at);
        }
        while (At(utf8, at, (byte)','));
        return At(utf8, at, (byte)'}') && Spaces(utf8, at + 1) == utf8.Length;
    }

    /// <summary>The members of any other line that is UTF-8, its strings' ends searched for or found a byte at a time.</summary>
    private bool ReadMembers(ReadOnlySpan<byte> utf8, scoped LineStrings strings, ref PlainFacts facts, out Range id)
    {
        id = default;
        var at = 0;
        if (!Next(utf8, ref at, (byte)'{'))
        {
            return false;
        }
        var seen = 0L;
        while (true)
        {
            if (!Name(utf8, ref at, strings, out var name))
            {
                return false;
            }
            var field = _fieldNames.IndexOf(name);
            if (field < 0 || (seen & (1L << field)) != 0)
            {
                return false;
            }
            seen |= 1L << field;
            var value = Value(utf8, ref at, strings, out var text);
            if (value == Token.None || (value == Token.Object && field == 0))
            {
                return false;
            }
            if (field == 0)
            {
                id = (at - text.Length - (value == Token.String ? 2 : 0))..at;
            }
            else if (value == Token.Object)
            {
                at = ReadObject(field, utf8, at, strings, ref facts);
                if (at < 0)
                {
                    return false;
                }
            }
            else if (!Set(_facts[field - 1], value, text, ref facts))
            {
                return false;
            }
            var next = AfterValue(utf8, ref at);
            if (next == ',')
            {
                continue;
            }
            if (next == '}')
            {
                break;
            }
            return false;
        }
        SkipSpace(utf8, ref at);
        return at == utf8.Length;
    }

    /// <summary>
    /// The line's facts as a whole, once its members are read: the required ones there, each choice left out given
    /// its default, occurrences in order.
    /// </summary>
    private bool Complete(ref PlainFacts facts)
    {
        if (facts.Values[_productFact] == PlainFacts.Omitted || facts.Values[_cloudFact] < 0 || facts.Values[_dateFact] < 0)
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

    /// <summary>
    /// An object written as field <paramref name="field"/>'s value, <paramref name="at"/> just after its <c>{</c>: only
    /// the product is written so (inline). Where the object ends, or -1; given back rather than through a reference, so
    /// that no call is handed the address of a reader's position (which would keep it out of a register).
    /// </summary>
    private int ReadObject(int field, ReadOnlySpan<byte> utf8, int at, scoped LineStrings strings, ref PlainFacts facts) =>
        _facts[field - 1].Kind == FactKind.Product ? ReadInline(utf8, at, strings, ref facts) : -1;

    /// <summary>A fact's value into <paramref name="facts"/>; false when the full path is to read it.</summary>
    private bool Set(Fact fact, Token value, ReadOnlySpan<byte> text, ref PlainFacts facts)
    {
        if (value == Token.Null && fact.Kind is FactKind.Choice or FactKind.Occurrence)
        {
            return true; // null is as if left out: the default choice, never happened
        }
        var index = fact.Kind switch
        {
            FactKind.Product when value == Token.String => _products.IndexOf(text),
            FactKind.Cloud when value == Token.String => _clouds.IndexOf(text),
            FactKind.Choice when value == Token.String => _choices[fact.Index]!.IndexOf(text),
            FactKind.Date when value == Token.String => ScenarioInput.TryParseIsoDate(text, out facts.Date) ? 0 : -1,
            FactKind.Occurrence when value == Token.String => ScenarioInput.TryParseIsoDate(text, out var happened) ? happened.DayNumber : -1,
            FactKind.TriState => Trit(value),
            _ => -1,
        };
        if (index < 0)
        {
            return false;
        }
        facts.Values[fact.Index] = index;
        return true;
    }

    /// <summary>
    /// An inline product, <paramref name="at"/> just after its <c>{</c>: <c>id</c>, <c>interface</c>, <c>origin</c> and
    /// <c>offeredBy</c> as strings the catalogue allows, <c>shippedOnAzureFirst</c> true, false or null if written;
    /// where the object ends (just after its <c>}</c>), or -1.
    /// </summary>
    private int ReadInline(ReadOnlySpan<byte> utf8, int at, scoped LineStrings strings, ref PlainFacts facts)
    {
        facts.Values[_productFact] = PlainFacts.InlineProduct;
        ref var product = ref facts.Inline;
        product = new PlainInlineProduct { Interface = -1, Origin = -1, OfferedBy = -1, ShippedOnAzureFirst = 0 };
        var seen = 0;
        while (true)
        {
            if (!Name(utf8, ref at, strings, out var name))
            {
                return -1;
            }
            var value = Value(utf8, ref at, strings, out var text);
            var field = name.SequenceEqual("id"u8) ? 0
                : name.SequenceEqual("interface"u8) ? 1
                : name.SequenceEqual("origin"u8) ? 2
                : name.SequenceEqual("offeredBy"u8) ? 3
                : name.SequenceEqual("shippedOnAzureFirst"u8) ? 4
                : -1;
            if (field < 0 || (seen & (1 << field)) != 0 || value is Token.None or Token.Object)
            {
                return -1;
            }
            seen |= 1 << field;
            if (field == 4)
            {
                product.ShippedOnAzureFirst = Trit(value);
                if (product.ShippedOnAzureFirst < 0)
                {
                    return -1;
                }
            }
            else if (value != Token.String)
            {
                return -1;
            }
            else
            {
                switch (field)
                {
                    case 0:
                        product.Id = text;
                        break;
                    case 1:
                        product.Interface = _interfaces.IndexOf(text);
                        break;
                    case 2:
                        product.Origin = _origins.IndexOf(text);
                        break;
                    default:
                        product.OfferedBy = _offeredBy.IndexOf(text);
                        break;
                }
            }
            var next = AfterValue(utf8, ref at);
            if (next == ',')
            {
                continue;
            }
            return next == '}' && !product.Id.IsEmpty && product.Interface >= 0 && product.Origin >= 0 && product.OfferedBy >= 0 ? at : -1;
        }
    }

    private enum Token
    {
        None,
        String,
        True,
        False,
        Null,
        Object,
    }

    /// <summary>0 unknown (null), 1 true, 2 false; -1 for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Trit(Token value) => value switch
    {
        Token.Null => 0,
        Token.True => 1,
        Token.False => 2,
        _ => -1,
    };

    /// <summary>
    /// The value at <paramref name="at"/>: a string with no escape and no control character (<paramref name="text"/> its
    /// contents), true, false or null, or the start of an object (<paramref name="at"/> just after its <c>{</c>);
    /// <see cref="Token.None"/> for anything else (a number, an array, an escape, JSON that is not valid).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Token Value(ReadOnlySpan<byte> utf8, scoped ref int at, scoped LineStrings strings, out ReadOnlySpan<byte> text)
    {
        text = default;
        SkipSpace(utf8, ref at);
        if (at >= utf8.Length)
        {
            return Token.None;
        }
        return utf8[at] == (byte)'"'
            ? String(utf8, ref at, strings, out text) ? Token.String : Token.None
            : Unquoted(utf8, ref at, out text);
    }

    /// <summary>
    /// A value at <paramref name="at"/> that is not a string, as <see cref="Value"/> has it: true, false or null
    /// (<paramref name="text"/> the literal), each compared as one number, or the start of an object
    /// (<paramref name="at"/> just after its <c>{</c>). What follows a literal is not looked at here: every reader of
    /// members takes only white space and then a comma or a closing brace after a value (so a member's value is never a
    /// line's last byte, and five bytes are there to compare).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Token Unquoted(ReadOnlySpan<byte> utf8, scoped ref int at, out ReadOnlySpan<byte> text)
    {
        text = default;
        if ((uint)at >= (uint)utf8.Length)
        {
            return Token.None;
        }
        if (utf8[at] == (byte)'{')
        {
            at++;
            return Token.Object;
        }
        if (utf8.Length - at < 5)
        {
            return Token.None;
        }
        var (token, length) = BinaryPrimitives.ReadUInt32LittleEndian(utf8[at..]) switch
        {
            TrueBytes => (Token.True, 4),
            NullBytes => (Token.Null, 4),
            FalsBytes when utf8[at + 4] == (byte)'e' => (Token.False, 5),
            _ => (Token.None, 0),
        };
        text = utf8.Slice(at, length);
        at += length;
        return token;
    }

    private const uint TrueBytes = 't' | ('r' << 8) | ('u' << 16) | ((uint)'e' << 24);
    private const uint NullBytes = 'n' | ('u' << 8) | ('l' << 16) | ((uint)'l' << 24);
    private const uint FalsBytes = 'f' | ('a' << 8) | ('l' << 16) | ((uint)'s' << 24);

    /// <summary><c>"name"</c> and its colon, after any white space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Name(ReadOnlySpan<byte> utf8, scoped ref int at, scoped LineStrings strings, out ReadOnlySpan<byte> name)
    {
        name = default;
        SkipSpace(utf8, ref at);
        return at < utf8.Length && utf8[at] == (byte)'"' && String(utf8, ref at, strings, out name) && Next(utf8, ref at, (byte)':');
    }

    /// <summary>
    /// A string at <paramref name="at"/> (its opening quote); false at an escape or a control character.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool String(ReadOnlySpan<byte> utf8, scoped ref int at, scoped LineStrings strings, out ReadOnlySpan<byte> text)
    {
        int end;
        if (strings.Scan == StringScan.Marked)
        {
            end = NextQuote(strings.Quotes, at + 1);
        }
        else if (strings.Scan == StringScan.Simple)
        {
            // Searched in the rest of the line, which is long enough for the search's vectorised path.
            end = utf8[(at + 1)..].IndexOf((byte)'"');
            end = end < 0 ? end : end + at + 1;
        }
        else
        {
            end = EscapableStringEnd(utf8, at);
        }
        if (end < 0)
        {
            text = default;
            return false;
        }
        text = utf8[(at + 1)..end];
        at = end + 1;
        return true;
    }

    /// <summary>
    /// A byte at a time, where a string opened at <paramref name="at"/> ends: at its quote; -1 at a backslash or a
    /// control character (which JSON refuses), which the full path reads or explains.
    /// </summary>
    private static int EscapableStringEnd(ReadOnlySpan<byte> utf8, int at)
    {
        var end = at + 1;
        while (end < utf8.Length && !StringStop[utf8[end]])
        {
            end++;
        }
        return end < utf8.Length && utf8[end] == (byte)'"' ? end : -1;
    }

    /// <summary>How a line's strings are found, and where its quotes stand when they were marked.</summary>
    private ref struct LineStrings
    {
        public StringScan Scan;

        /// <summary>Bit i of word i / 64: byte i of the line is a quote (when <see cref="StringScan.Marked"/>).</summary>
        public Span<ulong> Quotes;
    }

    private enum StringScan
    {
        /// <summary>Not UTF-8: the line is declined.</summary>
        None,
        /// <summary>A backslash or a control character somewhere: strings are read a byte at a time.</summary>
        Escapable,
        /// <summary>Neither, but long or not ASCII: a string ends at the next quote, searched for.</summary>
        Simple,
        /// <summary>Short, ASCII, neither: a string ends at the next quote marked in <see cref="LineStrings.Quotes"/>.</summary>
        Marked,
    }

    /// <summary>Lines up to this long have their quotes marked (a summary-sized line is about 150 bytes).</summary>
    private const int MarkedBytes = 512;

    /// <summary>
    /// One vectorised pass over a line of at most <see cref="MarkedBytes"/>: true when every byte is ASCII and none is a
    /// backslash or a control character, with bit i of <paramref name="quotes"/>[w] set when byte 64w + i is a quote
    /// (each word the line reaches is written). (Searching for each string's end instead, in the rest of the line, cost
    /// a call a string, twelve a line, besides the passes checking the line's bytes.)
    /// </summary>
    private static bool MarkQuotes(ReadOnlySpan<byte> utf8, Span<ulong> quotes)
    {
        if (utf8.Length > MarkedBytes || !Vector128.IsHardwareAccelerated)
        {
            return false;
        }
        ref var first = ref MemoryMarshal.GetReference(utf8);
        var at = 0;
        for (; at + 64 <= utf8.Length; at += 64)
        {
            if (!Mark(ref Unsafe.Add(ref first, at), out quotes[at >> 6]))
            {
                return false;
            }
        }
        if (at == utf8.Length)
        {
            return true;
        }
        if (at > 0)
        {
            // The last 64 bytes, which end the line: the bytes before at were checked already, and their marks are
            // shifted out.
            var ok = Mark(ref Unsafe.Add(ref first, utf8.Length - 64), out var lastQuotes);
            quotes[at >> 6] = lastQuotes >> (64 - (utf8.Length - at));
            return ok;
        }
        // A line shorter than a word: padded with spaces (neither a quote nor refused) to a whole word's 64.
        Span<byte> last = stackalloc byte[64];
        last.Fill((byte)' ');
        utf8[at..].CopyTo(last);
        return Mark(ref MemoryMarshal.GetReference(last), out quotes[at >> 6]);

        // 64 bytes as four chunks, their quotes one word. As signed bytes, every byte from 0x80 up is below 0x20 too: one
        // comparison finds control characters and non-ASCII bytes alike.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool Mark(ref byte bytes, out ulong quotes)
        {
            var c0 = Vector128.LoadUnsafe(ref bytes);
            var c1 = Vector128.LoadUnsafe(ref bytes, 16);
            var c2 = Vector128.LoadUnsafe(ref bytes, 32);
            var c3 = Vector128.LoadUnsafe(ref bytes, 48);
            quotes = Quotes(c0) | (Quotes(c1) << 16) | (Quotes(c2) << 32) | (Quotes(c3) << 48);
            return (Refused(c0) | Refused(c1) | Refused(c2) | Refused(c3)) == Vector128<byte>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static ulong Quotes(Vector128<byte> chunk) => Vector128.Equals(chunk, Vector128.Create((byte)'"')).ExtractMostSignificantBits();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector128<byte> Refused(Vector128<byte> chunk) =>
            Vector128.LessThan(chunk.AsSByte(), Vector128.Create((sbyte)0x20)).AsByte() | Vector128.Equals(chunk, Vector128.Create((byte)'\\'));
    }

    /// <summary>The place of the first quote marked at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextQuote(ReadOnlySpan<ulong> quotes, int from)
    {
        var word = from >> 6;
        if (word >= quotes.Length)
        {
            return -1;
        }
        var bits = quotes[word] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++word >= quotes.Length)
            {
                return -1;
            }
            bits = quotes[word];
        }
        return (word * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>
    /// The place of a marked line's next quote not yet taken, or -1: the lowest bit set in <paramref name="bits"/>, which
    /// holds what is left of word <paramref name="word"/> of the marks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextMarked(ReadOnlySpan<ulong> words, ref int word, ref ulong bits)
    {
        while (bits == 0)
        {
            if (word + 1 >= words.Length)
            {
                return -1;
            }
            bits = words[++word];
        }
        var at = (word * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
        bits &= bits - 1;
        return at;
    }

    /// <summary>Past the spaces at <paramref name="at"/>: a marked line's only white space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Spaces(ReadOnlySpan<byte> utf8, int at)
    {
        while ((uint)at < (uint)utf8.Length && utf8[at] == (byte)' ')
        {
            at++;
        }
        return at;
    }

    /// <summary>Whether the byte at <paramref name="at"/> is <paramref name="expected"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool At(ReadOnlySpan<byte> utf8, int at, byte expected) => (uint)at < (uint)utf8.Length && utf8[at] == expected;

    /// <summary>Bytes that end a plain string's contents: the closing quote, a backslash, a control character.</summary>
    private static readonly bool[] StringStop = [.. Enumerable.Range(0, 256).Select(b => b is '"' or '\\' or < 0x20)];

    /// <summary>What makes a line not simple: a backslash or a control character (JSON white space included).</summary>
    private static readonly System.Buffers.SearchValues<byte> StringStops =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'\\']);

    /// <summary>What follows a member's value, after white space: <c>,</c> or <c>}</c> (and past it), or 0 for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char AfterValue(ReadOnlySpan<byte> utf8, scoped ref int at)
    {
        SkipSpace(utf8, ref at);
        if (at < utf8.Length && utf8[at] is (byte)',' or (byte)'}')
        {
            return (char)utf8[at++];
        }
        return '\0';
    }

    /// <summary>Past white space to <paramref name="expected"/>, and past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Next(ReadOnlySpan<byte> utf8, scoped ref int at, byte expected)
    {
        SkipSpace(utf8, ref at);
        if (at < utf8.Length && utf8[at] == expected)
        {
            at++;
            return true;
        }
        return false;
    }

    /// <summary>JSON's white space: space, tab, carriage return, line feed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipSpace(ReadOnlySpan<byte> utf8, scoped ref int at)
    {
        while (at < utf8.Length && utf8[at] <= (byte)' ' && utf8[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }
    }
}
