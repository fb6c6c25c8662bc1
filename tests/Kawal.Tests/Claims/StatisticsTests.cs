using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Claims;

public class StatisticsTests
{
    [EngineTheory]
    public async Task Published_claim_aggregates_import_with_row_errors_once_and_count_in_the_statistics(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var stats = new ClaimStatistics(t.Database, new Kawal.Regions.RegionLookup(t.Database), ClaimFixture.Clock());
        var file = Path.Combine(AppContext.BaseDirectory, "Claims", "Files", "claims-history.csv");
        ImportRequest Request() => new(file, Caller.Operator("officer"), Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")));
        var first = await stats.ImportHistoryAsync(Request());
        Assert.Equal((7, 2, 5), (first.Rows, first.Created, first.Rejected));
        var errors = await Query<(long Row, string Column, string Code)>(t, "SELECT row_number, column_name, code FROM import_errors WHERE import_id = @id ORDER BY row_number", new { id = first.ImportId });
        // Each column as the file heads it (kode_wilayah, bulan…), not by the field it fills.
        Assert.Equal([(4L, "kode_wilayah", "region.unknown"), (5L, "bulan", "period.format"), (6L, "program", "programme.unknown"), (7L, "kasus", "cases.format"), (8L, "sumber", "source.required")], errors);
        var again = await stats.ImportHistoryAsync(Request());
        Assert.Equal((0, 2), (again.Created, again.Unchanged));
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM claims_history"));

        var sumsel = await stats.StatsAsync("16", "2022-01", "2022-12", Caller.Operator("x"));
        Assert.Equal((5_769L, 84_615_384_615L, 5_769L), (sumsel.Cases, sumsel.Amount, sumsel.HistoryCases));
        var kalsel = await stats.StatsAsync("63", "2021-09", "2021-09", Caller.Operator("x"));
        Assert.Equal((12L, 504_000_000L), (kalsel.Programmes.Single(p => p.Programme == "JKM").Cases, kalsel.Programmes.Single(p => p.Programme == "JKM").Amount));
        Assert.Equal(0, (await stats.StatsAsync("16", "2021-01", "2021-12", Caller.Operator("x"))).Cases);
        await Assert.ThrowsAsync<UsageException>(() => stats.StatsAsync("16", "2022-12", "2022-01", Caller.Operator("x")));
        var karo = Caller.Operator("karo") with { Scope = RegionScope.Of(RegionCode.Parse("12.06")) };
        await Assert.ThrowsAsync<NotFoundException>(() => stats.StatsAsync("63", null, null, karo));
    }
}
