using System.Globalization;
using System.Numerics;

namespace ExclusivityEngine.Revenue;

/// <summary>Why a text is not an amount <see cref="MoneyText.TryParse"/> can take.</summary>
internal enum MoneyParseFailure
{
    /// <summary>It parsed.</summary>
    None,
    /// <summary>Not a decimal number (<c>-?digits[.digits][e±digits]</c>).</summary>
    NotANumber,
    /// <summary>A number that <see cref="decimal"/> cannot hold exactly (too large, or more digits than it carries).</summary>
    NotExact,
}

/// <summary>
/// Money as <see cref="decimal"/> text and arithmetic that never rounds: every amount is read from its written digits
/// (never through binary floating point), and every operation is checked to be exact, so that what is written is
/// exactly what the inputs imply.
/// </summary>
internal static class MoneyText
{
    private const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // Exponents beyond this cannot give a decimal (28 digits of scale, 29 of magnitude) except for zero; refusing them
    // early keeps the exactness check from building huge powers of ten.
    private const int MaxExponent = 80;

    /// <summary>
    /// Reads <paramref name="text"/> as a decimal number, written as JSON writes numbers (<c>-?digits[.digits][e±digits]</c>),
    /// keeping its scale (<c>100.10</c> stays <c>100.10</c>); refuses what a decimal cannot hold exactly.
    /// </summary>
    public static MoneyParseFailure TryParse(string text, out decimal value)
    {
        value = 0m;
        if (IsPlain(text))
        {
            // At most 28 digits and no exponent: a decimal holds it exactly, so the exact check can be skipped.
            value = decimal.Parse(text, Styles, CultureInfo.InvariantCulture);
            value = value == 0m ? decimal.Abs(value) : value;
            return MoneyParseFailure.None;
        }
        if (!TryExact(text, out var significand, out var scale))
        {
            return MoneyParseFailure.NotANumber;
        }
        if (scale < -MaxExponent || scale > MaxExponent + 28)
        {
            return significand.IsZero ? MoneyParseFailure.None : MoneyParseFailure.NotExact;
        }
        if (!decimal.TryParse(text, Styles, CultureInfo.InvariantCulture, out value) || !Equal(value, significand, scale))
        {
            return MoneyParseFailure.NotExact;
        }
        // "-0" reads as zero; dropping the sign keeps every amount written without one.
        value = value == 0m ? decimal.Abs(value) : value;
        return MoneyParseFailure.None;
    }

    /// <summary>The amount as written in outputs: invariant digits, scale kept (<c>20.020</c>).</summary>
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><paramref name="a"/> × <paramref name="b"/>, or false when the exact product does not fit a decimal.</summary>
    public static bool TryMultiply(decimal a, decimal b, out decimal product)
    {
        try
        {
            product = a * b;
        }
        catch (OverflowException)
        {
            product = 0m;
            return false;
        }
        // Decimal rounds only by lowering the scale: a product with the full scale is exact, and needs no check.
        if (product.Scale == a.Scale + b.Scale)
        {
            return true;
        }
        var (sa, ka) = Parts(a);
        var (sb, kb) = Parts(b);
        return Equal(product, sa * sb, ka + kb);
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>, or false when the exact sum does not fit a decimal.</summary>
    public static bool TryAdd(decimal a, decimal b, out decimal sum)
    {
        try
        {
            sum = a + b;
        }
        catch (OverflowException)
        {
            sum = 0m;
            return false;
        }
        // As for the product: a sum with the larger scale of the two is exact.
        if (sum.Scale == Math.Max(a.Scale, b.Scale))
        {
            return true;
        }
        var (sa, ka) = Parts(a);
        var (sb, kb) = Parts(b);
        var k = Math.Max(ka, kb);
        return Equal(sum, sa * BigInteger.Pow(10, k - ka) + sb * BigInteger.Pow(10, k - kb), k);
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>, or false when the exact difference does not fit a decimal.</summary>
    public static bool TrySubtract(decimal a, decimal b, out decimal difference) => TryAdd(a, -b, out difference);

    /// <summary>Whether <paramref name="text"/> is <c>-?digits[.digits]</c> with at most 28 digits in all.</summary>
    private static bool IsPlain(string text)
    {
        var i = text.StartsWith('-') ? 1 : 0;
        var digits = 0;
        var point = -1;
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsAsciiDigit(ch))
            {
                digits++;
            }
            else if (ch == '.' && point < 0 && digits > 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }
        return digits is > 0 and <= 28 && point != text.Length - 1;
    }

    /// <summary>The exact value of a JSON-number text as significand × 10^-scale; false when it is not one.</summary>
    private static bool TryExact(string text, out BigInteger significand, out int scale)
    {
        significand = BigInteger.Zero;
        scale = 0;
        var i = 0;
        var negative = i < text.Length && text[i] == '-';
        if (negative)
        {
            i++;
        }
        var digits = new System.Text.StringBuilder();
        var intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            digits.Append(text[i++]);
        }
        if (i == intStart)
        {
            return false;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fracStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                digits.Append(text[i++]);
            }
            if (i == fracStart)
            {
                return false;
            }
            scale = i - fracStart;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                expNegative = text[i] == '-';
                i++;
            }
            var expStart = i;
            long exponent = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                exponent = Math.Min(exponent * 10 + (text[i++] - '0'), 1_000_000);
            }
            if (i == expStart)
            {
                return false;
            }
            scale = (int)Math.Clamp(scale + (expNegative ? exponent : -exponent), -1_000_000, 1_000_000);
        }
        if (i != text.Length)
        {
            return false;
        }
        significand = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        if (negative)
        {
            significand = -significand;
        }
        return true;
    }

    private static (BigInteger Significand, int Scale) Parts(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return (bits[3] < 0 ? -magnitude : magnitude, scale);
    }

    /// <summary>Whether <paramref name="value"/> equals significand × 10^-scale exactly.</summary>
    private static bool Equal(decimal value, BigInteger significand, int scale)
    {
        var (s, k) = Parts(value);
        return scale >= k
            ? s * BigInteger.Pow(10, scale - k) == significand
            : significand * BigInteger.Pow(10, k - scale) == s;
    }
}
