using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Testing;

namespace Kawal.Tests.Monev;

/// <summary>The indicator formulas on the hand-made population of <see cref="MonevFixture"/>, on both engines.</summary>
public class IndicatorTests
{
    [EngineTheory]
    public async Task National_figures_for_October_2026_are_the_hand_counts(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var v = (await f.Indicators.ForAsync(null, MonevFixture.October, MonevFixture.Admin)).Values;
        // Active on 31 Oct 2026: A B C D F G H (E ended on 1 Oct).
        Assert.Equal(7m, v["participants.total"]);
        Assert.Equal(3m, v["participants.PU"]);      // A B G
        Assert.Equal(3m, v["participants.BPU"]);     // C D H
        Assert.Equal(0m, v["participants.JAKON"]);   // E ended
        Assert.Equal(1m, v["participants.PMI"]);     // F
        Assert.Equal(2m, v["participants.category.non_asn"]);
        Assert.Equal(3m, v["participants.category.vulnerable"]);
        Assert.Equal(2m, v["participants.category.regular"]); // F G
        Assert.Equal(2m, v["participants.new"]);     // B (5 Oct), F (20 Oct)
        Assert.Equal(4m, v["participants.sex.M"]);   // A C F H
        Assert.Equal(3m, v["participants.sex.F"]);   // B D G
        Assert.Equal(3m, v["participants.age.25-34"]); // B 31, D 25, F 27
        Assert.Equal(1m, v["participants.age.35-44"]); // A 36
        Assert.Equal(1m, v["participants.age.45-54"]); // H 46
        Assert.Equal(1m, v["participants.age.55-64"]); // G 56
        Assert.Equal(1m, v["participants.age.65+"]);   // C 66
        Assert.Equal(1m, v["vulnerable.payer.apbd"]);  // C
        Assert.Equal(2m, v["vulnerable.payer.self"]);  // D H
        Assert.Equal(1m, v["apbd.workers_paid"]);
        // 31 Oct 2025: A C D E G H = 6; now 7: +16.7 %.
        Assert.Equal(16.7m, v["growth.yoy_pct"]);
        // National employed, BPS August 2025 (the latest year up to 2026): the sum of the 38 provinces.
        var employed2025 = LabourForce(2025).Sum(r => r.Employed);
        Assert.Equal(employed2025, v["employed.population"]);
        Assert.Equal(2025m, v["employed.year"]);
        Assert.Equal(146.54m, Math.Round(v["employed.population"]!.Value / 1_000_000m, 2)); // handbook §8: 146.54 million
        Assert.Equal(0m, v["claims.count"]);
    }

    [EngineTheory]
    public async Task Provinces_and_regencies_take_their_own_rows_and_September_still_counts_E(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var kalsel = (await f.Indicators.ForAsync("63", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Equal(5m, kalsel["participants.total"]);  // A B C F (63.71) + D (63.01)
        var banjarmasin = (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Equal(4m, banjarmasin["participants.total"]);
        Assert.Equal(1m, banjarmasin["apbd.workers_paid"]);
        var tanahLaut = (await f.Indicators.ForAsync("63.01", new Period(2026, 9), MonevFixture.Admin)).Values;
        Assert.Equal(2m, tanahLaut["participants.total"]); // D, and E until 1 Oct
        Assert.Equal(1m, tanahLaut["participants.JAKON"]);
        var employed63 = LabourForce(2025).Single(r => r.Code == "63").Employed;
        Assert.Equal(Math.Round(100m * 5 / employed63, 1, MidpointRounding.AwayFromZero), kalsel["employed.coverage_pct"]);
        Assert.Null(banjarmasin["employed.population"]); // BPS figures are per province only
    }

    [EngineTheory]
    public async Task Periods_to_2022_are_on_the_34_province_map_and_split_provinces_use_denominators_of_their_layout(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        // Merauke (93.01) lay in Papua (91) in March 2022.
        var papua2022 = await f.Indicators.ForAsync("91", new Period(2022, 3), MonevFixture.Admin);
        Assert.Equal(34, papua2022.Layout);
        Assert.Equal(1m, papua2022.Values["participants.total"]);
        Assert.Equal(0m, (await f.Indicators.ForAsync("93", new Period(2022, 3), MonevFixture.Admin)).Values["participants.total"]);
        Assert.Equal(LabourForce(2022).Single(r => r.Code == "91").Employed, papua2022.Values["employed.population"]); // latest year up to 2022, same layout
        var papuaSelatan = await f.Indicators.ForAsync("93", MonevFixture.October, MonevFixture.Admin);
        Assert.Equal(38, papuaSelatan.Layout);
        Assert.Equal(1m, papuaSelatan.Values["participants.total"]);
        // 2023 is reported on 38 provinces, but BPS's 2023 row for 91 is pre-split Papua: not used.
        await f.Refresher.RefreshAsync(new Period(2023, 6), new Period(2023, 6), MonevFixture.Admin);
        Assert.Null((await f.Indicators.ForAsync("91", new Period(2023, 6), MonevFixture.Admin)).Values["employed.population"]);
        Assert.NotNull((await f.Indicators.ForAsync("63", new Period(2023, 6), MonevFixture.Admin)).Values["employed.population"]);
    }

    [EngineTheory]
    public async Task Scope_public_counts_and_unrefreshed_months(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var regency = MonevFixture.Officer(Role.RegencyOfficer, "63.71");
        Assert.Equal("63.71", (await f.Indicators.ForAsync(null, MonevFixture.October, regency)).RegionCode);
        await Assert.ThrowsAsync<NotFoundException>(() => f.Indicators.ForAsync("63.01", MonevFixture.October, regency));
        await Assert.ThrowsAsync<NotFoundException>(() => f.Indicators.ForAsync("63", MonevFixture.October, regency));
        await Assert.ThrowsAsync<UsageException>(() => f.Indicators.ForAsync("6x", MonevFixture.October, MonevFixture.Admin));
        var open = await f.Indicators.PublicAsync("63", MonevFixture.October);
        Assert.Null(open.Values["participants.total"]);  // 5 people: suppressed
        Assert.Equal(0, open.Values["participants.JAKON"]); // zero is publishable
        var never = await f.Indicators.ForAsync(null, new Period(2021, 1), MonevFixture.Admin);
        Assert.Null(never.AsOf);
        Assert.Null(never.Values["participants.total"]);
    }

    internal static List<(string Code, int Year, long Employed)> LabourForce(int year) =>
        File.ReadAllLines(Path.Combine(Root(), "data", "reference", "labour_force.csv")).Skip(1).Select(l => l.Split(','))
            .Where(x => x[1] == year.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(x => (x[0], int.Parse(x[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(x[4], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
