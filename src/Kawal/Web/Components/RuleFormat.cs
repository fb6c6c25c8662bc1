using System.Globalization;
using Kawal.Rules;
using Kawal.Ui;

namespace Kawal.Web.Components;

/// <summary>How rule values and trace steps are shown on pages.</summary>
internal static class RuleFormat
{
    public static string Value(decimal value, string? unit) => unit switch
    {
        "percent" => value.ToString("0.###", CultureInfo.InvariantCulture).Replace('.', ',') + "%",
        "rupiah" => Fmt.Money((long)value),
        "months" => L.T($"{value:0} bulan", $"{value:0} months"),
        "years" => L.T($"{value:0} tahun", $"{value:0} years"),
        "days" => L.T($"{value:0} hari", $"{value:0} days"),
        "day_of_month" => L.T($"tanggal {value:0}", $"day {value:0}"),
        "multiplier" => $"{value:0}×",
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static string Step(TraceStep s) => L.IsEnglish ? s.DescriptionEn : s.Description;

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
}
