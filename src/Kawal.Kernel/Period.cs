using System.Globalization;

namespace Kawal;

/// <summary>A contribution month, written <c>YYYY-MM</c>.</summary>
public readonly record struct Period : IComparable<Period>
{
    public Period(int year, int month)
    {
        if (year is < 1900 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "year must be between 1900 and 9999");
        }

        if (month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "month must be between 1 and 12");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public Period Next => AddMonths(1);
    public Period Previous => AddMonths(-1);

    public Period AddMonths(int months)
    {
        var d = FirstDay.AddMonths(months);
        return new Period(d.Year, d.Month);
    }

    /// <summary>Whole months from this period to <paramref name="other"/> (positive when other is later).</summary>
    public int MonthsUntil(Period other) => ((other.Year - Year) * 12) + (other.Month - Month);

    public static Period Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>A range of months from query text: <c>from</c> defaults to January of this year, <c>to</c> to this month; a bad or reversed range names the field.</summary>
    public static (Period From, Period To) Range(string? from, string? to, DateOnly today)
    {
        var f = string.IsNullOrWhiteSpace(from) ? new Period(today.Year, 1) : TryParse(from, out var pf) ? pf : throw new UsageException($"from must be a month YYYY-MM, not '{from}'", "from") { Indonesian = $"Bulan awal harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{from}'." };
        var t = string.IsNullOrWhiteSpace(to) ? Of(today) : TryParse(to, out var pt) ? pt : throw new UsageException($"to must be a month YYYY-MM, not '{to}'", "to") { Indonesian = $"Bulan akhir harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{to}'." };
        return t < f ? throw new UsageException("to must not be before from", "to") { Indonesian = "Bulan akhir tidak boleh sebelum bulan awal." } : (f, t);
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a month in the form YYYY-MM");

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (text is null || text.Length != 7 || text[4] != '-' ||
            !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ||
            !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ||
            y < 1900 || m is < 1 or > 12)
        {
            return false;
        }

        period = new Period(y, m);
        return true;
    }

    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(Period a, Period b) => a.CompareTo(b) < 0;
    public static bool operator >(Period a, Period b) => a.CompareTo(b) > 0;
    public static bool operator <=(Period a, Period b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Period a, Period b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
