using System.Globalization;
using System.Text;
using Kawal.Regions;

namespace Kawal.Demo;

/// <summary>What to seed: size, seed, months, scenario.</summary>
public sealed record DemoOptions(int Participants, int Seed, Period From, Period To, string? Scenario = null, Period? BillFrom = null)
{
    public const int DefaultParticipants = 10_000;
    public const int DefaultSeed = 2021;

    /// <summary>The first month billed: all months for a small demo, the last twelve up to a million participants, the last one beyond (docs/demo.md).</summary>
    public Period FirstBilled => BillFrom ?? (Participants <= 50_000 && Scenario is null ? From : Later(From, To.AddMonths(Participants <= 1_000_000 ? -11 : 0)));

    /// <summary>The first month whose summaries the seed computes: all up to a million participants, the last twelve beyond (serve computes the rest).</summary>
    public Period FirstSummarised => Participants <= 1_000_000 ? From : Later(From, To.AddMonths(-11));

    private static Period Later(Period a, Period b) => a > b ? a : b;
}

/// <summary>One regency/city with the number of demo participants it gets and whether its budget pays vulnerable workers.</summary>
internal sealed record DemoRegency(Region Region, int Index, int Participants, bool BudgetPays, int PrivateEmployers)
{
    public string Digits => Region.Code.Replace(".", "", StringComparison.Ordinal);
}

/// <summary>
/// The deterministic synthetic population: every value is a function of the seed and a record's position (SplitMix64),
/// so the same seed gives the same files, in any chunking. Proportions follow handbook §8 (December 2024: PU 65 %,
/// BPU 22 %, Jakon and PMI 13 %); non-ASN about 5 % of participants (BKN 2022: 2.2 million of ~45 million).
/// </summary>
internal sealed class DemoPopulation
{
    private static readonly string[] MaleNames = ["Budi", "Agus", "Andi", "Joko", "Rudi", "Hendra", "Slamet", "Wayan", "Made", "Ahmad", "Yusuf", "Dedi", "Eko", "Fajar", "Rizky", "Tono", "Bambang", "Arif", "Putu", "Yohanes"];
    private static readonly string[] FemaleNames = ["Siti", "Dewi", "Sri", "Nur", "Rina", "Ani", "Wulan", "Ratna", "Yuni", "Lestari", "Ketut", "Maria", "Fitri", "Indah", "Ayu", "Nia", "Rahma", "Putri", "Novi", "Sari"];
    private static readonly string[] FamilyNames = ["Santoso", "Wijaya", "Saputra", "Hidayat", "Nasution", "Siregar", "Sitompul", "Pratama", "Kurniawan", "Lubis", "Harahap", "Simanjuntak", "Manurung", "Rahman", "Setiawan", "Gunawan", "Tarigan", "Sembiring", "Pasaribu", "Hasibuan"];
    private static readonly string[] Occupations = ["farmer", "fisher", "trader", "driver", "labourer", "porter", "parking_attendant", "artisan"];

    private readonly ulong _seed;
    private readonly DateOnly _today;

    public DemoPopulation(DemoOptions options, IReadOnlyList<DemoRegency> regencies, DateOnly today)
    {
        Options = options;
        Regencies = regencies;
        _seed = (ulong)options.Seed;
        _today = today;
    }

    public DemoOptions Options { get; }

    public IReadOnlyList<DemoRegency> Regencies { get; }

    /// <summary>SplitMix64 of the seed and a record's coordinates: a uniform 64-bit value.</summary>
    internal ulong Hash(ulong a, ulong b = 0, ulong c = 0)
    {
        var z = _seed * 0x9E3779B97F4A7C15UL ^ (a + 0x632BE59BD9B4E019UL) * 0xBF58476D1CE4E5B9UL ^ (b + 0x94D049BB133111EBUL) * 0x94D049BB133111EBUL ^ (c * 0xD6E8FEB86659FD93UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number in [0, 1).</summary>
    internal double Unit(ulong a, ulong b = 0, ulong c = 0) => (Hash(a, b, c) >> 11) * (1.0 / (1UL << 53));

    internal int Pick(int n, ulong a, ulong b = 0, ulong c = 0) => (int)(Hash(a, b, c) % (ulong)n);

    /// <summary>Splits <paramref name="total"/> by weights with the largest-remainder rule (deterministic, sums exactly).</summary>
    public static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => sum == 0 ? (double)total / weights.Count : total * w / sum).ToArray();
        var result = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - result.Sum();
        foreach (var i in exact.Select((e, i) => (Frac: e - Math.Floor(e), i)).OrderByDescending(x => x.Frac).ThenBy(x => x.i).Take(left).Select(x => x.i))
        {
            result[i]++;
        }

        return result;
    }

    public static string Npp(DemoRegency r, int kind, int serial) => string.Create(CultureInfo.InvariantCulture, $"1{r.Digits}{kind}{serial:D2}");

    public static string ProvinceNpp(string province, int serial) => string.Create(CultureInfo.InvariantCulture, $"1{province}00{serial:D3}");

    public static string EmployersHeader => "npp,name,kind,region_code,risk_class,size,address,status";

    /// <summary>Every kind in every region: per province its government, a BUMN branch, a central agency's office and a cooperative (other); per regency/city its government, two villages, a BUMD, two contractors and private firms.</summary>
    public IEnumerable<string> EmployerLines()
    {
        foreach (var province in Regencies.Select(r => r.Region.ParentCode!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            yield return Line(ProvinceNpp(province, 1), $"Pemerintah Provinsi {province}", "regional_gov", province, 1, "large", "Kantor Gubernur", "active");
            yield return Line(ProvinceNpp(province, 2), $"PT Persero Nusantara Wilayah {province}", "bumn", province, 2, "large", "Kantor Wilayah", "active");
            yield return Line(ProvinceNpp(province, 3), $"Kantor Wilayah Kementerian Agama Provinsi {province}", "central_gov", province, 1, "medium", "Kantor Wilayah", "active");
            yield return Line(ProvinceNpp(province, 4), $"Koperasi Serba Usaha Pekerja Provinsi {province}", "other", province, 1, "small", "Jl. Koperasi", "active");
        }

        foreach (var r in Regencies)
        {
            var name = r.Region.Name;
            yield return Line(Npp(r, 0, 1), $"Pemerintah {name}", "regional_gov", r.Region.Code, 1, "large", "Kantor Bupati/Wali Kota", "active");
            yield return Line(Npp(r, 1, 1), $"Pemerintah Desa Sukamaju, {name}", "village", r.Region.Code, 1, "micro", "Kantor Desa", "active");
            yield return Line(Npp(r, 1, 2), $"Pemerintah Desa Mekarsari, {name}", "village", r.Region.Code, 1, "micro", "Kantor Desa", "active");
            yield return Line(Npp(r, 2, 1), $"Perumda Air Minum {name}", "bumd", r.Region.Code, 2, "medium", "Jl. Pahlawan", "active");
            yield return Line(Npp(r, 3, 1), $"PT Bangun Karya {name}", "private", r.Region.Code, 4, "medium", "Jl. Raya", "active");
            yield return Line(Npp(r, 3, 2), $"CV Konstruksi Mandiri {name}", "private", r.Region.Code, 5, "small", "Jl. Raya", "active");
            for (var k = 1; k <= r.PrivateEmployers; k++)
            {
                var size = Pick(4, 11, (ulong)r.Index, (ulong)k) switch { 0 => "micro", 1 => "small", 2 => "medium", _ => "large" };
                var status = Unit(12, (ulong)r.Index, (ulong)k) < 0.03 ? "inactive" : "active";
                yield return Line(Npp(r, 4 + (k / 100), k % 100), $"{(k % 3 == 0 ? "CV" : "PT")} {FamilyNames[Pick(FamilyNames.Length, 13, (ulong)r.Index, (ulong)k)]} {Sector(k)} {k}",
                    "private", r.Region.Code, 1 + Pick(3, 14, (ulong)r.Index, (ulong)k), size, $"Jl. Niaga {k}", status);
            }
        }
    }

    private static string Sector(int k) => (k % 6) switch { 0 => "Sejahtera", 1 => "Makmur", 2 => "Abadi", 3 => "Jaya", 4 => "Sentosa", _ => "Lestari" };

    private static string Line(string npp, string name, string kind, string region, int risk, string size, string address, string status) =>
        string.Join(',', npp, Csv.Field(name), kind, region, risk.ToString(CultureInfo.InvariantCulture), size, Csv.Field(address), status);

    public static string ParticipantsHeader => "nik,name,segment,employer_npp,category,occupation,payer,wage,programmes,start_date,end_date";

    /// <summary>
    /// The participants of a regency/city, in order. <paramref name="startFloor"/> (seeds scenario) makes every start
    /// fall on or after that day.
    /// </summary>
    public IEnumerable<string> ParticipantLines(DemoRegency r, int count, int offset = 0, DateOnly? startFloor = null)
    {
        var last = Min(Options.To.LastDay, _today);
        var first = Options.From.FirstDay;
        var stockFrom = new DateOnly(2015, 1, 1);
        for (var j = offset; j < offset + count; j++)
        {
            var (a, b) = ((ulong)r.Index + 1000, (ulong)j);
            var female = Unit(a, b, 1) < 0.42;
            var birth = new DateOnly(1962, 1, 1).AddDays((int)(Unit(a, b, 2) * 15_700)); // born 1962–2004
            var given = female ? FemaleNames[Pick(FemaleNames.Length, a, b, 3)] : MaleNames[Pick(MaleNames.Length, a, b, 3)];
            var name = $"{given} {FamilyNames[Pick(FamilyNames.Length, a, b, 4)]}";
            var nik = string.Create(CultureInfo.InvariantCulture,
                $"{r.Digits}{1 + (j / 9999 % 99):D2}{birth.Day + (female ? 40 : 0):D2}{birth.Month:D2}{birth.Year % 100:D2}{1 + (j % 9999):D4}");
            DateOnly start;
            if (startFloor is { } floor)
            {
                start = floor.AddDays((int)(Unit(a, b, 5) * Math.Max(1, last.DayNumber - floor.DayNumber)));
            }
            else if (Unit(a, b, 6) < 0.35)
            {
                start = stockFrom.AddDays((int)(Unit(a, b, 5) * (first.DayNumber - stockFrom.DayNumber)));
            }
            else
            {
                // More registrations in later months: the coverage drive after Inpres 2/2021.
                start = first.AddDays((int)(Math.Sqrt(Unit(a, b, 5)) * (last.DayNumber - first.DayNumber)));
            }

            if (start < birth.AddYears(17))
            {
                start = birth.AddYears(17);
            }

            if (start > last)
            {
                start = last;
            }

            DateOnly? end = Unit(a, b, 7) < 0.08 ? start.AddMonths(6 + Pick(30, a, b, 8)) : null;
            if (end > last)
            {
                end = null;
            }

            var u = Unit(a, b, 9);
            var (segment, npp, category, occupation, payer, wage, programmes) = u switch
            {
                < 0.05 => ("PU", Pick(5, a, b, 10) == 0 ? ProvinceNpp(r.Region.ParentCode!, 1) : Npp(r, 0, 1), "non_asn", "", "", Wage(a, b, 2_400_000, 4_500_000), "JKK,JKM,JHT"),
                < 0.07 => ("PU", Npp(r, 1, 1 + Pick(2, a, b, 10)), "village_apparatus", "", "", Wage(a, b, 2_000_000, 3_500_000), "JKK,JKM"),
                < 0.65 => ("PU", PuEmployer(r, a, b), "regular", "", "", Wage(a, b, 2_800_000, 12_000_000), ""),
                < 0.78 => ("BPU", "", "vulnerable", Occupations[Pick(Occupations.Length, a, b, 11)], VulnerablePayer(r, a, b), Wage(a, b, 1_000_000, 2_500_000), "JKK,JKM"),
                < 0.80 => ("BPU", "", "rt_rw", "", r.BudgetPays ? "apbd:" + r.Region.Code : "", Wage(a, b, 1_000_000, 2_000_000), "JKK,JKM"),
                < 0.87 => ("BPU", "", "regular", "", "", Wage(a, b, 1_000_000, 6_000_000), Unit(a, b, 12) < 0.3 ? "JKK,JKM,JHT" : "JKK,JKM"),
                < 0.99 => ("JAKON", Npp(r, 3, 1 + Pick(2, a, b, 10)), "regular", "", "", Wage(a, b, 3_000_000, 7_000_000), "JKK,JKM"),
                _ => ("PMI", "", "regular", "", "", 0L, "JKK,JKM"),
            };
            yield return string.Join(',', nik, Csv.Field(name), segment, npp, category, occupation, payer, wage.ToString(CultureInfo.InvariantCulture), Csv.Field(programmes),
                start.ToIso(), end?.ToIso() ?? "");
        }
    }

    private string PuEmployer(DemoRegency r, ulong a, ulong b)
    {
        var u = Unit(a, b, 13);
        if (u < 0.04)
        {
            return Npp(r, 2, 1);
        }

        if (u < 0.07)
        {
            return ProvinceNpp(r.Region.ParentCode!, 2 + Pick(2, a, b, 14));
        }

        var k = 1 + Pick(r.PrivateEmployers, a, b, 14);
        return Npp(r, 4 + (k / 100), k % 100);
    }

    private string VulnerablePayer(DemoRegency r, ulong a, ulong b) =>
        r.BudgetPays && Unit(a, b, 15) < 0.8 ? "apbd:" + r.Region.Code : Unit(a, b, 15) > 0.95 ? "baznas" : "";

    private long Wage(ulong a, ulong b, long min, long max) => (min + (long)(Unit(a, b, 16) * (max - min))) / 1000 * 1000;

    private static DateOnly Min(DateOnly x, DateOnly y) => x < y ? x : y;

    /// <summary>Writes lines to a UTF-8 CSV file (no byte-order mark) with a header.</summary>
    public static void Write(string path, string header, IEnumerable<string> lines)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.WriteLine(header);
        foreach (var line in lines)
        {
            w.WriteLine(line);
        }
    }
}
