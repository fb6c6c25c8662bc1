using Dapper;
using Kawal.Data;
using Kawal.Regions;
using Kawal.Regions.Features.GetRegion;
using Kawal.Regions.Features.ListRegions;
using Kawal.Testing;


namespace Kawal.Tests.Regions;

public class RegionsTests
{
    private static readonly FixedTime Now = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(7)));

    private static async Task<IReadOnlyList<Region>> List(TestDatabase t, string? level, string? parent, string? date) =>
        (await new ListRegionsHandler(t.Database, Now).HandleAsync(ListRegions.FromText(level, parent, date))).Regions;

    [EngineTheory]
    public async Task The_2021_state_has_34_provinces_and_514_regencies(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);

        var provinces = await List(t, "province", null, "2021-08-01");
        var regencies = await List(t, "regency", null, "2021-08-01");

        Assert.Equal(34, provinces.Count);
        Assert.Equal(514, regencies.Count);
        Assert.Equal(416, regencies.Count(r => r.Type == "kabupaten"));
        Assert.Equal(98, regencies.Count(r => r.Type == "kota"));
        Assert.DoesNotContain(provinces, p => p.Code is "93" or "94" or "95" or "96");
    }

    [EngineTheory]
    public async Task Today_has_38_provinces_and_in_between_37(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);

        Assert.Equal(38, (await List(t, "province", null, null)).Count);
        Assert.Equal(514, (await List(t, "regency", null, null)).Count);
        Assert.Equal(37, (await List(t, "province", null, "2022-08-01")).Count);
        Assert.Equal(34, (await List(t, "province", null, "2022-07-24")).Count);
        Assert.Equal(38, (await List(t, "province", null, "2022-12-08")).Count);
    }

    [EngineTheory]
    public async Task Papua_loses_its_southern_regencies_on_the_split(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);

        var before = await List(t, null, "91", "2022-07-24");
        var after = await List(t, null, "91", "2022-07-25");

        Assert.Contains(before, r => r.Code == "91.01" && r.Name == "Kabupaten Merauke");
        Assert.DoesNotContain(after, r => r.Code == "91.01");
        Assert.Equal(20, before.Count - after.Count);
        Assert.Contains(await List(t, null, "93", "2022-07-25"), r => r.Code == "93.01" && r.Name == "Kabupaten Merauke");
    }

    [EngineTheory]
    public async Task A_retired_code_names_its_successor_and_shows_its_last_valid_day(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var handler = new GetRegionHandler(t.Database, Now);

        var merauke = await handler.HandleAsync(new GetRegion("91.01", null));
        var papua = await handler.HandleAsync(new GetRegion("91", new DateOnly(2021, 8, 1)));

        Assert.NotNull(merauke);
        Assert.Equal("93.01", merauke.Successor!.Code);
        Assert.Equal("Papua", merauke.Parent!.Name);
        Assert.Equal(new DateOnly(2022, 7, 24), merauke.AsOf);
        Assert.Equal(29, papua!.Children.Count);
        Assert.Null(await handler.HandleAsync(new GetRegion("99", null)));
        Assert.Null(await handler.HandleAsync(new GetRegion("not-a-code", null)));
    }

    [EngineTheory]
    public async Task Kalimantan_Selatan_has_its_regencies_and_cities(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);

        var kalsel = await new GetRegionHandler(t.Database, Now).HandleAsync(new GetRegion("63", null));

        Assert.Equal("Kalimantan Selatan", kalsel!.Region.Name);
        Assert.Equal(13, kalsel.Children.Count);
        Assert.Contains(kalsel.Children, c => c.Code == "63.71" && c.Name == "Kota Banjarmasin" && c.Type == "kota");
    }

    [EngineTheory]
    public async Task Reloading_reference_data_never_duplicates(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE regions SET name = 'edited by hand' WHERE code = '63'");
            await c.ExecuteAsync("UPDATE reference_data SET checksum = 'stale' WHERE name = 'regions'");
        }

        var report = await new MigrationRunner(t.Database, Modules.Data, TimeProvider.System).MigrateAsync();
        var again = await new MigrationRunner(t.Database, Modules.Data, TimeProvider.System).MigrateAsync();

        Assert.Equal(["regions"], report.ReferenceDataLoaded);
        Assert.Empty(again.ReferenceDataLoaded);
        await using var c2 = await t.Database.OpenAsync();
        Assert.Equal(578, await c2.ExecuteScalarAsync<long>("SELECT count(*) FROM regions"));
        Assert.Equal("Kalimantan Selatan", await c2.ExecuteScalarAsync<string>("SELECT name FROM regions WHERE code = '63'"));
    }

    [Theory]
    [InlineData("district", null, null, "level")]
    [InlineData(null, "6", null, "parent")]
    [InlineData(null, null, "2021-13-01", "date")]
    [InlineData(null, null, "01/08/2021", "date")]
    public void Bad_filters_name_their_field(string? level, string? parent, string? date, string field) =>
        Assert.Equal(field, Assert.Throws<UsageException>(() => ListRegions.FromText(level, parent, date)).Field);
}
