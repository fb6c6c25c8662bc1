using System.Globalization;
using System.Text.RegularExpressions;

namespace Kawal.Ui;

/// <summary>Display formats: <c>Rp1.234.567</c>, <c>1.234.567</c>, <c>17 Maret 2022</c>.</summary>
public static partial class Fmt
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

    /// <summary>A month as the DTOs carry it (<c>2026-11</c>) → <c>November 2026</c>; a full ISO date as a date; other text unchanged.</summary>
    public static string Month(string? text, string none = "–") =>
        text is null ? none : text.Length == 7 && Period.TryParse(text, out var p) ? Month(p) : Date(text, none);

    /// <summary>An instant in Western Indonesian Time (UTC+7), e.g. <c>17 Maret 2022 14.05 WIB</c>.</summary>
    public static string Time(DateTimeOffset t)
    {
        var wib = t.ToOffset(TimeSpan.FromHours(7));
        return string.Create(CultureInfo.InvariantCulture, $"{Date(DateOnly.FromDateTime(wib.DateTime))} {wib:HH.mm} WIB");
    }

    public static string Time(DateTimeOffset? t, string none = "–") => t is { } v ? Time(v) : none;

    /// <summary>An instant as the DTOs carry it (ISO 8601) → <c>17 Maret 2022 14.05 WIB</c>; other text unchanged.</summary>
    public static string Time(string? iso, string none = "–") =>
        iso is null ? none : DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && iso.Length > 10 ? Time(t) : Date(iso, none);

    /// <summary>A sentence written by the rules or the workflow with ISO dates in it: each date as <c>17 November 2026</c>.</summary>
    public static string Prose(string? text) =>
        string.IsNullOrEmpty(text) ? "" : IsoDate().Replace(text, m => Date(m.Value));

    /// <summary>A rule's value in its unit: <c>0,24%</c>, <c>Rp20.000.000</c>, <c>24 bulan</c>, <c>tanggal 15</c>, <c>48×</c>.</summary>
    public static string Quantity(decimal value, string? unit) => unit switch
    {
        "percent" => Figure(value) + "%",
        "rupiah" => Money((long)value),
        "months" => L.T($"{Figure(value)} bulan", $"{Figure(value)} months"),
        "years" => L.T($"{Figure(value)} tahun", $"{Figure(value)} years"),
        "days" => L.T($"{Figure(value)} hari", $"{Figure(value)} days"),
        "day_of_month" => L.T($"tanggal {Figure(value)}", $"day {Figure(value)}"),
        "multiplier" => $"{Figure(value)}×",
        _ => Figure(value),
    };

    /// <summary>The name of a rule's unit.</summary>
    public static string Unit(string unit) => unit switch
    {
        "percent" => "%",
        "rupiah" => "Rp",
        "months" => L.T("bulan", "months"),
        "years" => L.T("tahun", "years"),
        "days" => L.T("hari", "days"),
        "day_of_month" => L.T("tanggal", "day of month"),
        "multiplier" => L.T("kali upah", "× wage"),
        _ => L.T("jumlah", "count"),
    };

    /// <summary>A decimal number with the reader's separators: <c>1.234,5</c> in Indonesian, <c>1,234.5</c> in English.</summary>
    public static string Figure(decimal value)
    {
        var s = value.ToString("#,0.###", CultureInfo.InvariantCulture);
        return L.IsEnglish ? s : string.Concat(s.Select(c => c switch { ',' => '.', '.' => ',', _ => c }));
    }

    [GeneratedRegex(@"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")]
    private static partial Regex IsoDate();
}
