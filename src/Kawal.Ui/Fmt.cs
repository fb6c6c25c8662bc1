using System.Globalization;

namespace Kawal.Ui;

/// <summary>Display formats: <c>Rp1.234.567</c>, <c>1.234.567</c>, <c>17 Maret 2022</c>.</summary>
public static class Fmt
{
    private static readonly string[] MonthsId =
        ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

    private static readonly string[] MonthsEn =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Money(long rupiah) => new Rupiah(rupiah).ToString();

    public static string Money(Rupiah rupiah) => rupiah.ToString();

    public static string Number(long n) => n.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');

    public static string Date(DateOnly d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Day} {(L.IsEnglish ? MonthsEn : MonthsId)[d.Month - 1]} {d.Year}");

    public static string Date(DateOnly? d, string none = "–") => d is { } v ? Date(v) : none;

    /// <summary>An ISO date as the DTOs carry it (<c>2026-09-28</c>) → <c>28 September 2026</c>; other text unchanged.</summary>
    public static string Date(string? iso, string none = "–") =>
        iso is null ? none : DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Date(d) : iso;

    public static string Month(Period p) =>
        string.Create(CultureInfo.InvariantCulture, $"{(L.IsEnglish ? MonthsEn : MonthsId)[p.Month - 1]} {p.Year}");

    /// <summary>An instant in Western Indonesian Time (UTC+7), e.g. <c>17 Maret 2022 14.05 WIB</c>.</summary>
    public static string Time(DateTimeOffset t)
    {
        var wib = t.ToOffset(TimeSpan.FromHours(7));
        return string.Create(CultureInfo.InvariantCulture, $"{Date(DateOnly.FromDateTime(wib.DateTime))} {wib:HH.mm} WIB");
    }

    public static string Time(DateTimeOffset? t, string none = "–") => t is { } v ? Time(v) : none;
}
