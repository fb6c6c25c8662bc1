using System.Globalization;

namespace Kawal;

/// <summary>An amount of money in whole Indonesian rupiah. Stored as BIGINT; never a floating-point number.</summary>
public readonly record struct Rupiah(long Value) : IComparable<Rupiah>
{
    public static readonly Rupiah Zero = new(0);

    public static Rupiah operator +(Rupiah a, Rupiah b) => new(checked(a.Value + b.Value));
    public static Rupiah operator -(Rupiah a, Rupiah b) => new(checked(a.Value - b.Value));
    public static Rupiah operator -(Rupiah a) => new(checked(-a.Value));
    public static bool operator <(Rupiah a, Rupiah b) => a.Value < b.Value;
    public static bool operator >(Rupiah a, Rupiah b) => a.Value > b.Value;
    public static bool operator <=(Rupiah a, Rupiah b) => a.Value <= b.Value;
    public static bool operator >=(Rupiah a, Rupiah b) => a.Value >= b.Value;

    public int CompareTo(Rupiah other) => Value.CompareTo(other.Value);

    /// <summary>Rounds a decimal amount to whole rupiah, half away from zero (the one rounding step per amount).</summary>
    public static Rupiah Round(decimal amount) =>
        new((long)Math.Round(amount, 0, MidpointRounding.AwayFromZero));

    /// <summary>Indonesian display form: <c>Rp1.234.567</c>, negative <c>-Rp1.234.567</c>.</summary>
    public override string ToString()
    {
        var digits = Math.Abs(Value).ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
        return Value < 0 ? "-Rp" + digits : "Rp" + digits;
    }

    /// <summary>Parses whole-rupiah text as people type it: 5000000, 5.000.000, Rp 5.000.000, 5.000.000,00.</summary>
    public static bool TryParse(string? text, out Rupiah value)
    {
        value = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative)
        {
            s = s[1..];
        }

        if (s.StartsWith("Rp", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..].TrimStart('.');
        }

        // A decimal comma with zero cents is allowed ("5.000.000,00"); any other cents are not whole rupiah.
        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            var cents = s[(comma + 1)..];
            if (cents.Length is < 1 or > 2 || cents.Any(c => c != '0'))
            {
                return false;
            }

            s = s[..comma];
        }

        if (s.Contains('.', StringComparison.Ordinal) && !IsDotGrouped(s))
        {
            return false;
        }

        s = s.Replace(".", "", StringComparison.Ordinal);
        if (s.Length == 0 || !s.All(char.IsAsciiDigit) ||
            !long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        value = new Rupiah(negative ? -v : v);
        return true;
    }

    private static bool IsDotGrouped(string s)
    {
        var groups = s.Split('.');
        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
    }
}
