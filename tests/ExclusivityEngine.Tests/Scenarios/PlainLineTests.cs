using System.Text;
using CsCheck;
using ExclusivityEngine.Model;
using ExclusivityEngine.Scenarios;

namespace ExclusivityEngine.Tests.Scenarios;

/// <summary>
/// Which lines the batch's fast path takes: plain ones, written any way JSON allows, with a catalogue or an inline
/// product. That it answers them as the full path does is <see cref="Evaluation.MemoAgreementTests"/>' part; this
/// makes sure those tests reach the fast path at all, and that it declines what it must.
/// </summary>
public sealed class PlainLineTests
{
    private static readonly Engine Engine = Engine.LoadEmbedded();

    [TestCase("""{"id":"a","product":"frontier","cloud":"aws","date":"2026-03-15"}""")]
    [TestCase(" {\t\"product\" : \"frontier\" ,\"cloud\":\"aws\" , \"date\":\"2026-03-15\",\"microsoftDeclined\":null } ")]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"frontier","interface":"agent-platform","origin":"joint","offeredBy":"openai","shippedOnAzureFirst":false},"cloud":"azure","date":"2027-01-01","segment":"general"}""")]
    [TestCase("{\"product\":\"frontier\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"id\":\"\u00e9t\u00e9\"}")]
    public void TryRead_PlainLine_IsReadAndItsClassFoundOnceMet(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var facts = new PlainFacts(new int[PlainLineReader.Width]);
        var reader = new PlainLineReader(Engine.Rules.Catalogue);

        Assert.That(reader.TryRead(bytes, ref facts, out _), Is.True);
        RunBatch(line); // the full path meets the class
        Assert.That(Engine.TryClassifyPlain(facts, out var verdict), Is.True);
        var resolved = ScenarioJson.Read(bytes, out _, out _)!.Resolve(Engine.Rules.Catalogue, out _)!;
        Assert.That(verdict.Combined, Is.EqualTo(Engine.Evaluate(resolved).Combined));
    }

    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":7}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":"a\"b"}""")]
    [TestCase("""{"product":{"id":"x","interface":"agent-platform","origin":"joint"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"x","interface":"agent-platform","origin":"joint","offeredBy":"openai","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":{"id":"","interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"aws","date":"2026-03-15"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":truex}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15"} x""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15",}""")]
    [TestCase("""{"product":"frontier","cloud":"aws"}""")]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":"a<U+0001>"}""")]
    public void TryRead_LineTheFullPathMustRead_IsDeclined(string line)
    {
        var facts = new PlainFacts(new int[PlainLineReader.Width]);

        // A control character is written as <U+0001> in the case, which keeps it out of the test's name (and the TRX).
        var bytes = Encoding.UTF8.GetBytes(line.Replace("<U+0001>", "\u0001", StringComparison.Ordinal));

        Assert.That(new PlainLineReader(Engine.Rules.Catalogue).TryRead(bytes, ref facts, out _), Is.False);
    }

    [Test]
    public void Utf8Index_Strings_FoundByTheirBytesTheFirstOfTwoKeepingItsPlace()
    {
        var index = new Utf8Index(["aws", "azure", "\u00e9t\u00e9", "aws", ""]);

        Assert.Multiple(() =>
        {
            Assert.That(index.IndexOf("aws"u8), Is.EqualTo(0));
            Assert.That(index.IndexOf("azure"u8), Is.EqualTo(1));
            Assert.That(index.IndexOf(Encoding.UTF8.GetBytes("\u00e9t\u00e9")), Is.EqualTo(2));
            Assert.That(index.IndexOf(""u8), Is.EqualTo(4));
            Assert.That(index.IndexOf("Aws"u8), Is.EqualTo(-1));
            Assert.That(index.IndexOf("aws "u8), Is.EqualTo(-1));
        });
    }

    /// <summary>
    /// Both ways of finding a string (at a slot of its own, compared by pieces of its bytes, or by hash when the list is
    /// long) agree with a list search on generated lists and probes: the first of two equal strings, and -1 for a string
    /// not listed. Strings of up to 30 characters (so every way of cutting pieces is met, and strings past the length
    /// pieces hold whole), lists of up to 100 (past the length that gets slots), probed as listed and with any one
    /// character changed.
    /// </summary>
    [Test]
    public void Utf8Index_GeneratedListsShortAndLong_FindsWhatAListSearchFinds()
    {
        var text = Gen.String[Gen.Char["abcé-"], 0, 30];
        Gen.Select(Gen.Frequency((3, text.List[0, 40]), (1, text.List[41, 100])), text.Array[1, 10]).Sample((values, probes) =>
        {
            var index = new Utf8Index(values);
            var nearMisses = values.SelectMany(v => Enumerable.Range(0, v.Length).Select(i => v[..i] + (v[i] == 'a' ? 'b' : 'a') + v[(i + 1)..]));
            foreach (var probe in probes.Concat(values).Concat(nearMisses))
            {
                Assert.That(index.IndexOf(Encoding.UTF8.GetBytes(probe)), Is.EqualTo(values.IndexOf(probe)), probe);
            }
        }, iter: 2000);
    }

    /// <summary>
    /// Strings past 24 bytes that share their first 16 and last 8 (so their pieces are alike and no slot can part them)
    /// are each found, by their whole bytes.
    /// </summary>
    [Test]
    public void Utf8Index_LongStringsAlikeInTheirPieces_EachFound()
    {
        var values = new[] { "0123456789abcdef-x-01234567", "0123456789abcdef-y-01234567", "0123456789abcdef-z-01234567", "aws" };
        var index = new Utf8Index(values);

        Assert.Multiple(() =>
        {
            for (var i = 0; i < values.Length; i++)
            {
                Assert.That(index.IndexOf(Encoding.UTF8.GetBytes(values[i])), Is.EqualTo(i), values[i]);
            }
            Assert.That(index.IndexOf("0123456789abcdef-w-01234567"u8), Is.EqualTo(-1));
        });
    }

    /// <summary>
    /// A line's strings are found three ways: in a short ASCII line with neither a backslash nor a control character, at
    /// the quotes one vectorised pass marked; in a longer one (or one not ASCII), by searching for the next quote; in a
    /// line with a tab between its tokens, a byte at a time. All three read the same facts, and the same id, from
    /// generated lines: as written, moved right by up to 600 spaces (so that the marks cross words, and the line the
    /// length past which quotes are searched for), with a tab after it, with tabs added, and with spaces around every
    /// brace, colon and comma (still read by its marks). Each also with a stray byte where it may not stand (a quote, a
    /// letter, a digit, a brace, a bracket, a colon, a comma, a space): the three ways still agree, and a line read at
    /// all is JSON.
    /// </summary>
    [Test]
    public void TryRead_GeneratedLines_ReadAlikeByMarksBySearchAndByteByByte()
    {
        var reader = new PlainLineReader(Engine.Rules.Catalogue);
        var strays = Gen.OneOf<string?>(null, null, null, "\"", "x", "1", "{", "}", "[", ":", ",", " ");
        var line = Gen.Select(Evaluation.MemoAgreementTests.Scenarios(), Gen.Int[0, 1000], strays, Gen.Int[0, 600], (json, at, stray, indent) =>
        {
            // The id last, so that a stray byte can land in it too.
            json = json[..^1] + ",\"id\":\"s-" + at + "\"}";
            return (Json: stray is null ? json : json.Insert(at % json.Length, stray), Stray: stray, Indent: indent);
        });
        line.Sample(sample =>
        {
            var json = sample.Json;
            var marked = Read(json);
            var moved = Read(new string(' ', sample.Indent) + json);
            var trailed = Read(json + "\t");
            Assert.That((moved.Read, trailed.Read), Is.EqualTo((marked.Read, marked.Read)), json);
            if (marked.Read)
            {
                Assert.DoesNotThrow(() => System.Text.Json.JsonDocument.Parse(json).Dispose(), json);
                Assert.That((moved.Facts, moved.Date, moved.Inline, moved.Id), Is.EqualTo((marked.Facts, marked.Date, marked.Inline, marked.Id)), json);
                Assert.That((trailed.Facts, trailed.Date, trailed.Inline, trailed.Id), Is.EqualTo((marked.Facts, marked.Date, marked.Inline, marked.Id)), json);
            }
            if (sample.Stray is not (null or "\""))
            {
                return; // the stray byte can stand in a string, where the variants below would change it
            }
            var tabbed = Read(json.Replace(",", "\t,", StringComparison.Ordinal).Replace(":", ":\t", StringComparison.Ordinal));
            // Still short and without a control character, so still read by its marks, spaces everywhere JSON allows them.
            var spaced = Read(" " + json.Replace("{", "{ ", StringComparison.Ordinal).Replace("}", " }", StringComparison.Ordinal)
                .Replace(",", " , ", StringComparison.Ordinal).Replace(":", " : ", StringComparison.Ordinal) + " ");
            Assert.That((tabbed.Read, spaced.Read), Is.EqualTo((marked.Read, marked.Read)), json);
            if (marked.Read)
            {
                Assert.That((tabbed.Facts, tabbed.Date, tabbed.Inline, tabbed.Id), Is.EqualTo((marked.Facts, marked.Date, marked.Inline, marked.Id)), json);
                Assert.That((spaced.Facts, spaced.Date, spaced.Inline, spaced.Id), Is.EqualTo((marked.Facts, marked.Date, marked.Inline, marked.Id)), json);
            }
        }, iter: 4000);

        (bool Read, string Facts, DateOnly Date, string Inline, string Id) Read(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var facts = new PlainFacts(new int[PlainLineReader.Width]);
            var read = reader.TryRead(bytes, ref facts, out var id);
            var inline = facts.Inline;
            return (read, string.Join(",", facts.Values.ToArray()), facts.Date,
                $"{Encoding.UTF8.GetString(inline.Id)} {inline.Interface} {inline.Origin} {inline.OfferedBy} {inline.ShippedOnAzureFirst}",
                Encoding.UTF8.GetString(bytes[id]));
        }
    }

    /// <summary>
    /// The quotes are marked 64 bytes at a time, the last bytes padded: the same line, moved right a space at a time
    /// until it is past the length quotes are marked for, reads the same at every length, its strings wherever they
    /// fall against the 64-byte words.
    /// </summary>
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","microsoftDeclined":true,"id":"s-\"1\"x"}""", false)]
    [TestCase("""{"product":{"id":"inline-x","interface":"agent-platform","origin":"joint","offeredBy":"openai"},"cloud":"azure","date":"2026-03-15","segment":"general","id":"s-1"}""", true)]
    [TestCase("""{"product":"frontier","cloud":"aws","date":"2026-03-15","id":"a"}""", true)]
    public void TryRead_LineMovedRightAByteAtATime_ReadsTheSameAtEveryLength(string json, bool plain)
    {
        var reader = new PlainLineReader(Engine.Rules.Catalogue);
        var expected = Read(json);
        Assert.That(expected.Read, Is.EqualTo(plain));
        for (var spaces = 1; json.Length + spaces <= 600; spaces++)
        {
            Assert.That(Read(new string(' ', spaces) + json), Is.EqualTo(expected), $"moved right by {spaces}");
            Assert.That(Read(json + new string(' ', spaces)), Is.EqualTo(expected), $"followed by {spaces} spaces");
        }

        (bool Read, string Facts, DateOnly Date, int Inline, string Id) Read(string line)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var facts = new PlainFacts(new int[PlainLineReader.Width]);
            var read = reader.TryRead(bytes, ref facts, out var id);
            return read ? (read, string.Join(",", facts.Values.ToArray()), facts.Date, facts.Inline.Interface, Encoding.UTF8.GetString(bytes[id])) : default;
        }
    }

    /// <summary>
    /// A literal (true, false, null) is read whole and only where a space, a comma or the closing brace follows it: each
    /// literal, whole and cut short, followed by every printable ASCII byte and then the brace, is read exactly when the
    /// line is JSON; and then the fact holds the value the JSON has.
    /// </summary>
    [Test]
    public void TryRead_LiteralFollowedByEachByte_ReadOnlyWhenTheLineIsJson()
    {
        var reader = new PlainLineReader(Engine.Rules.Catalogue);
        var fact = Facts.Of("microsoftDeclined").Index;
        Assert.Multiple(() =>
        {
            foreach (var literal in new[] { "true", "false", "null", "tru", "fals", "nul", "t" })
            {
                foreach (var next in Enumerable.Range(0x20, 0x7f - 0x20).Select(b => ((char)b).ToString()).Append(""))
                {
                    var json = "{\"id\":\"s-1\",\"product\":\"chatgpt\",\"cloud\":\"aws\",\"date\":\"2026-03-15\",\"microsoftDeclined\":" + literal + next + "}";
                    var facts = new PlainFacts(new int[PlainLineReader.Width]);
                    var read = reader.TryRead(Encoding.UTF8.GetBytes(json), ref facts, out _);
                    var value = Value(json);
                    Assert.That(read, Is.EqualTo(value is not null), json);
                    if (read)
                    {
                        Assert.That(facts.Values[fact], Is.EqualTo(value), json);
                    }
                }
            }
        });

        // As a trit (0 null, 1 true, 2 false), or null when the line is not JSON.
        static int? Value(string json)
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(json);
                return document.RootElement.GetProperty("microsoftDeclined").ValueKind switch
                {
                    System.Text.Json.JsonValueKind.True => 1,
                    System.Text.Json.JsonValueKind.False => 2,
                    _ => 0,
                };
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    private static void RunBatch(string line)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(line + "\n"));
        new Batch(Engine, new BatchOptions()).RunAsync(input, Stream.Null).GetAwaiter().GetResult();
    }
}
