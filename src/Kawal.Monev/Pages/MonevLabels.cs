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

    /// <summary>An indicator of a set, or of a table row, as shown: withheld ones as <see cref="MonevReports.WithheldMark"/>.</summary>
    public static string Show(string key, IndicatorSetDto set) => MonevReports.Shown(set, key);

    public static string Show(string key, ChildRow row) => MonevReports.Format(Def(key), row.Values[key], row.Withheld.Contains(key));

    public static string Score(decimal? s) => MonevReports.Score(s);

    public static string Band(string band) => band switch
    {
        "hijau" => L.T("baik", "good"),
        "kuning" => L.T("cukup", "fair"),
        "oranye" => L.T("kurang", "poor"),
        _ => L.T("buruk", "bad"),
    };

    public static string Status(string s) => MonevReports.StatusLabel(s);

    public static string Kind(string k) => MonevReports.KindLabel(k);

    public static string TargetGroup(string g) => MonevReports.TargetGroupLabel(g);

    /// <summary>How an obligation of the Inpres is evidenced (data/addressees.json: <c>commitment:regulation</c>, <c>registry</c>, <c>visit</c>…).</summary>
    public static string Evidence(string evidence) => evidence switch
    {
        _ when evidence.StartsWith("commitment:", StringComparison.Ordinal) => L.T("Komitmen daerah – ", "Regional commitment – ") + Kind(evidence["commitment:".Length..]),
        "registry" => L.T("Data kepesertaan", "Membership records"),
        "document" => L.T("Dokumen", "Documents"),
        "visit" => L.T("Kunjungan monev", "Monitoring visits"),
        "compliance" => L.T("Kasus kepatuhan", "Compliance cases"),
        "report" => L.T("Laporan", "Reports"),
        _ => evidence,
    };

    /// <summary>The indicators a map can be coloured by.</summary>
    public static IReadOnlyList<string> MapIndicators { get; } = ["participants.total", "employed.coverage_pct", "non_asn.coverage_pct", "participants.category.vulnerable",
        "participants.new", "apbd.realisation_pct", "contributions.collection_pct", "contributions.arrears", "score"];

    public static string MapLabel(string key) => key == "score" ? L.T("Skor indeks", "Index score") : Label(key);

    /// <summary>How many colour classes a map has (the stylesheet's <c>c0</c>…<c>c4</c>, light to dark).</summary>
    public const int Palette = 5;

    /// <summary>
    /// Up to five classes by quantile, ascending. A class is a run of values as they are shown, so no two classes share
    /// a shown value and the legend's ranges never overlap (<c>14–47</c>, <c>48–86</c>…; a class of one value shows it
    /// alone). Regions without a value are <c>c-none</c>, <c>tidak ada data</c>, always the legend's last entry.
    /// </summary>
    public static MapClasses Classes(IReadOnlyDictionary<string, decimal?> values, Func<decimal, string> show, IReadOnlySet<string>? withheld = null)
    {
        var shown = values.Where(v => v.Value is not null).OrderBy(v => v.Value).GroupBy(v => show(v.Value!.Value)).ToList();
        var count = shown.Sum(g => g.Count());
        var classOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var legend = new List<MapClass>();
        var below = 0;
        foreach (var g in shown)
        {
            var css = "c" + (below * Palette / count).ToString(CultureInfo.InvariantCulture);
            if (legend.Count > 0 && legend[^1].Class == css)
            {
                legend[^1] = legend[^1] with { To = g.Key };
            }
            else
            {
                legend.Add(new MapClass(css, g.Key, g.Key));
            }

            foreach (var v in g)
            {
                classOf[v.Key] = css;
            }

            below += g.Count();
        }

        if (withheld is { Count: > 0 })
        {
            var hidden = L.T("x: dirahasiakan", "x: withheld");
            legend.Add(new MapClass(MapClass.None, hidden, hidden));
        }

        var none = L.T("tidak ada data", "no data");
        legend.Add(new MapClass(MapClass.None, none, none));
        return new MapClasses(code => classOf.GetValueOrDefault(code, MapClass.None), legend);
    }
}

/// <summary>One entry of a map's legend: its CSS class and the first and last value it holds, as shown.</summary>
public sealed record MapClass(string Class, string From, string To)
{
    public const string None = "c-none";

    /// <summary>What the class means: <c>14–47</c>, or one value alone, or <c>tidak ada data</c>.</summary>
    public string Range => From == To ? From : $"{From}–{To}";
}

/// <summary>A map's colouring: each region's class and the legend.</summary>
public sealed record MapClasses(Func<string, string> ClassOf, IReadOnlyList<MapClass> Legend);
