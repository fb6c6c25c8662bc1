using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Kawal.Regions;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Monev;

/// <summary>
/// A hand-made population (eight people, docs in each row) imported through the registry, with the monev handlers on it.
/// Figures the tests expect are worked out by hand in the comments, not by the code under test.
/// </summary>
internal sealed class MonevFixture : IAsyncDisposable
{
    // nik, name, segment, employer_npp, category, occupation, payer, wage, programmes, start_date, end_date
    public const string Population = """
        nik,name,segment,employer_npp,category,occupation,payer,wage,programmes,start_date,end_date
        6371011005900001,A man 1990 non-ASN Banjarmasin,PU,63710001,non_asn,,employer,3000000,"JKK,JKM,JHT,JP,JKP",2025-01-01,
        6371014303950002,B woman 1995 non-ASN new in Oct 2026,PU,63710001,non_asn,,employer,3000000,"JKK,JKM,JHT,JP,JKP",2026-10-05,
        6371010101600003,C man 1960 farmer paid by APBD Banjarmasin,BPU,,vulnerable,farmer,apbd:63.71,2000000,"JKK,JKM",2024-06-01,
        6301015212000004,D woman 2000 trader Tanah Laut,BPU,,vulnerable,trader,self,1500000,"JKK,JKM",2025-02-01,
        6301010707850005,E man 1985 construction ended Oct 2026,JAKON,63010002,regular,,employer,3000000,"JKK,JKM",2025-01-01,2026-10-01
        6371010101990006,F man 1999 migrant worker new in Oct 2026,PMI,,regular,,self,0,"JKK,JKM",2026-10-20,
        1206014202700007,G woman 1970 Karo,PU,12060004,regular,,employer,4000000,"JKK,JKM,JHT",2020-01-01,
        9301010101800008,H man 1980 fisher Merauke,BPU,,vulnerable,fisher,self,1000000,"JKK,JKM",2021-01-01,
        """;

    public static readonly Period October = new(2026, 10);

    private MonevFixture(TestDatabase t)
    {
        T = t;
        Regions = new RegionLookup(t.Database);
        Snapshots = new SnapshotCache(t.Database, Regions);
        Indicators = new IndicatorQueries(t.Database, Snapshots, Regions, DisclosureRule.Default);
        Scorecards = new ScorecardQueries(t.Database, Snapshots, Regions, ScoreWeights.Default, DisclosureRule.Default);
        Commitments = new CommitmentsHandler(t.Database, Regions, Today);
        Visits = new VisitsHandler(t.Database, Regions, Today);
        Refresher = new SummaryRefresher(t.Database, Today);
        Reports = new MonevReports(Indicators, Scorecards, Commitments, Visits, new AddresseeCatalogue(Regions), Regions, Today, DisclosureRule.Default);
    }

    public TestDatabase T { get; }
    public RegionLookup Regions { get; }
    public SnapshotCache Snapshots { get; }
    public IndicatorQueries Indicators { get; }
    public ScorecardQueries Scorecards { get; }
    public CommitmentsHandler Commitments { get; }
    public VisitsHandler Visits { get; }
    public SummaryRefresher Refresher { get; }
    public MonevReports Reports { get; }

    public static Caller Admin { get; } = Caller.Operator("monev-test");

    public static Caller Officer(Role role, string region) => new($"user:{role.Name()}-{region}", role, RegionScope.Of(RegionCode.Parse(region)), Permissions.Of(role));

    public static Caller National { get; } = new("user:monev", Role.NationalMonitor, RegionScope.National, Permissions.Of(Role.NationalMonitor));

    public static async Task<MonevFixture> CreateAsync(Engine engine, bool refresh = true)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var file = Path.Combine(Path.GetTempPath(), $"kawal-monev-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(file, Population.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        var summary = await Import(t, "participants", file);
        System.IO.File.Delete(file);
        Assert.Equal(0, summary.Rejected);
        var f = new MonevFixture(t);
        if (refresh)
        {
            await f.Refresher.RefreshAsync(new Period(2022, 3), October, Admin);
        }

        return f;
    }

    public ValueTask DisposeAsync() => T.DisposeAsync();
}
