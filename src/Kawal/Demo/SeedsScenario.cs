using System.Globalization;

namespace Kawal.Demo;

/// <summary>
/// <c>--scenario seeds</c>: what the five news reports in the project's seeds say, where Kawal has the concept
/// (docs/demo.md lists each figure and where it shows). South Kalimantan (ANTARA Kalsel, 2021): 382,746 participants
/// as of September 2021 — 270,951 PU (2,534 of them non-ASN), 33,041 BPU, 78,754 Jakon — registered here with start
/// dates up to 30 September 2021 and no end, so the indicator API for 63 and 2021-09 gives exactly those figures.
/// </summary>
internal sealed class SeedsScenario(DemoPopulation population)
{
    public const int KalselTotal = 382_746;
    public const int KalselPu = 270_951;
    public const int KalselBpu = 33_041;
    public const int KalselJakon = 78_754;
    public const int KalselNonAsn = 2_534;

    /// <summary>NIK serials of the scenario start here, apart from the generator's own participants of the same regencies.</summary>
    private const int Offset = 200_000;

    public static int Rows => KalselTotal;

    private IReadOnlyList<DemoRegency> Kalsel => population.Regencies.Where(r => r.Region.ParentCode == "63").ToList();

    /// <summary>South Kalimantan's participants as of September 2021, spread over its 13 regencies/cities by the same rule as everyone.</summary>
    public IEnumerable<string> KalselLines()
    {
        var regencies = Kalsel;
        var share = regencies.Select(_ => 1.0).ToList();
        var groups = new (string Segment, string Category, int Count)[]
        {
            ("PU", "non_asn", KalselNonAsn), ("PU", "regular", KalselPu - KalselNonAsn), ("BPU", "regular", KalselBpu), ("JAKON", "regular", KalselJakon),
        };
        var serial = new int[regencies.Count];
        foreach (var (segment, category, count) in groups)
        {
            var split = DemoPopulation.Apportion(count, share);
            for (var k = 0; k < regencies.Count; k++)
            {
                var r = regencies[k];
                for (var i = 0; i < split[k]; i++)
                {
                    var j = Offset + serial[k]++;
                    yield return Line(r, j, segment, category);
                }
            }
        }
    }

    private string Line(DemoRegency r, int j, string segment, string category)
    {
        var (a, b) = ((ulong)r.Index + 5000, (ulong)j);
        var female = population.Unit(a, b, 1) < 0.4;
        var birth = new DateOnly(1962, 1, 1).AddDays((int)(population.Unit(a, b, 2) * 14_000)); // born 1962–2000
        var nik = string.Create(CultureInfo.InvariantCulture,
            $"{r.Digits}{1 + (j / 9999 % 99):D2}{birth.Day + (female ? 40 : 0):D2}{birth.Month:D2}{birth.Year % 100:D2}{1 + (j % 9999):D4}");
        var start = new DateOnly(2012, 1, 1).AddDays((int)(population.Unit(a, b, 5) * (new DateOnly(2021, 9, 30).DayNumber - new DateOnly(2012, 1, 1).DayNumber)));
        if (start < birth.AddYears(18))
        {
            start = birth.AddYears(18);
        }

        var name = $"{(female ? "Siti" : "Muhammad")} {(char)('A' + population.Pick(26, a, b, 3))}. Banjar {j}";
        var k = 1 + population.Pick(r.PrivateEmployers, a, b, 14);
        var (npp, payer, wage, programmes) = (segment, category) switch
        {
            ("PU", "non_asn") => (DemoPopulation.Npp(r, 0, 1), "", 2_500_000L + (population.Pick(20, a, b, 16) * 100_000L), "JKK,JKM,JHT"),
            ("PU", _) => (DemoPopulation.Npp(r, 4 + (k / 100), k % 100), "", 3_000_000L + (population.Pick(60, a, b, 16) * 100_000L), ""),
            ("BPU", _) => ("", "", 1_000_000L + (population.Pick(20, a, b, 16) * 100_000L), "JKK,JKM"),
            _ => (DemoPopulation.Npp(r, 3, 1 + population.Pick(2, a, b, 10)), "", 3_500_000L, "JKK,JKM"),
        };
        return string.Join(',', nik, name, segment, npp, category, "", payer, wage.ToString(CultureInfo.InvariantCulture), Csv.Field(programmes), start.ToIso(), "");
    }
}
