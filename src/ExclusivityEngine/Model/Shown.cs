using System.Globalization;
using System.Text;

namespace ExclusivityEngine.Model;

/// <summary>
/// How a value someone wrote is quoted in a message: a short prefix, with control and format characters escaped, so a
/// megabyte-long or hostile value (terminal escapes, bidi overrides) can neither flood nor rewrite an error line.
/// </summary>
internal static class Shown
{
    /// <summary>The most characters of a value a message quotes.</summary>
    public const int MaxChars = 60;

    /// <summary>At most <see cref="MaxChars"/> characters of <paramref name="text"/>, then <c>…</c> if it was longer.</summary>
    public static string Value(string? text)
    {
        if (text is null)
        {
            return "null";
        }
        if (text.Length <= MaxChars && IsPlain(text))
        {
            return text;
        }
        var shown = new StringBuilder(MaxChars + 8);
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == MaxChars)
            {
                shown.Append('…');
                break;
            }
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                shown.Append(rune.ToString());
            }
            count++;
        }
        return shown.ToString();
    }

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c < ' ' || c is >= '\u007f' and <= '\u009f' || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }
        }
        return true;
    }
}
