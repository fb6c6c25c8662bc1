using System.Globalization;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Kawal.Ui;

namespace Kawal.Monev.Pages;

/// <summary>Labels and formatting of monev figures for the pages (Indonesian first).</summary>
public static class MonevLabels
{
    public static IndicatorDef Def(string key) => IndicatorQueries.Definitions.First(d => d.Key == key);

    public static string Label(string key) => Def(key) is var d ? L.T(d.LabelId, d.LabelEn) : key;

    public static string Show(string key, decimal? value) => MonevReports.Format(Def(key), value);

    public static string Score(decimal s) => s.ToString("0.0", CultureInfo.GetCultureInfo(L.IsEnglish ? "en-GB" : "id-ID"));

    public static string Band(string band) => band switch
    {
        "hijau" => L.T("baik", "good"),
        "kuning" => L.T("cukup", "fair"),
        "oranye" => L.T("kurang", "poor"),
        _ => L.T("buruk", "bad"),
    };

    public static string Status(string s) => L.IsEnglish ? s.Replace('_', ' ') : MonevReports.StatusLabel(s);

    public static string Kind(string k) => L.IsEnglish ? k : MonevReports.KindLabel(k);

    /// <summary>The indicators a map can be coloured by.</summary>
    public static IReadOnlyList<string> MapIndicators { get; } = ["participants.total", "employed.coverage_pct", "non_asn.coverage_pct", "participants.category.vulnerable",
        "participants.new", "apbd.realisation_pct", "contributions.collection_pct", "contributions.arrears", "score"];

    public static string MapLabel(string key) => key == "score" ? L.T("Skor indeks", "Index score") : Label(key);

    private static readonly string[] Greens = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];

    /// <summary>Five classes by quantile; regions without a value stay grey.</summary>
    public static (Func<string, string?> Fill, IReadOnlyList<(string Colour, string Range)> Legend) Classes(IReadOnlyDictionary<string, decimal?> values, Func<decimal, string> show)
    {
        var sorted = values.Values.Where(v => v is not null).Select(v => v!.Value).OrderBy(v => v).ToList();
        if (sorted.Count == 0)
        {
            return (_ => "#dddddd", [("#dddddd", L.T("tidak ada data", "no data"))]);
        }

        var cuts = Enumerable.Range(1, 4).Select(i => sorted[Math.Min(sorted.Count - 1, i * sorted.Count / 5)]).ToList();
        int Class(decimal v) => cuts.Count(c => v >= c);
        var legend = new List<(string, string)>();
        for (var i = 0; i < 5; i++)
        {
            var lo = i == 0 ? sorted[0] : cuts[i - 1];
            var hi = i == 4 ? sorted[^1] : cuts[i];
            legend.Add((Greens[i], $"{show(lo)} – {show(hi)}"));
        }

        legend.Add(("#dddddd", L.T("tidak ada data", "no data")));
        return (code => values.TryGetValue(code, out var v) && v is { } x ? Greens[Class(x)] : "#dddddd", legend);
    }
}
