using System.Globalization;
using System.Text;

namespace ExclusivityEngine.Explanation;

/// <summary>
/// Text for XML and HTML. XML 1.0 cannot carry most control characters at all (not even as character references), and
/// HTML treats them as errors, so each character outside XML 1.0's set (a control other than tab, line feed and carriage
/// return, a lone surrogate, U+FFFE and U+FFFF) is written visibly as <c>\uXXXX</c>. Escaping <c>&lt;</c>, <c>&amp;</c>
/// and quotes is the writer's part.
/// </summary>
internal static class MarkupText
{
    /// <summary><paramref name="text"/> with every character XML 1.0 cannot carry written as <c>\uXXXX</c>.</summary>
    public static string Clean(string? text)
    {
        if (text is null)
        {
            return "";
        }
        var i = 0;
        while (i < text.Length && Allowed(text, i, out var width))
        {
            i += width;
        }
        if (i == text.Length)
        {
            return text;
        }
        var clean = new StringBuilder(text.Length + 16);
        clean.Append(text, 0, i);
        while (i < text.Length)
        {
            if (Allowed(text, i, out var width))
            {
                clean.Append(text, i, width);
            }
            else
            {
                clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
            }
            i += width;
        }
        return clean.ToString();
    }

    private static bool Allowed(string text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            return true;
        }
        return c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
    }
}
