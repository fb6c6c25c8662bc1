using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Demo;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

/// <summary>kawal demo seed --scenario seeds: the news reports' figures come back through Kawal's own indicator API.</summary>
public class DemoScenarioTests
{
    [EngineTheory]
    public async Task The_seeds_scenario_shows_South_Kalimantan_as_reported_for_September_2021(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        using (var scope = app.Services.CreateScope())
        {
            // Only what the report needs: registrations as they were; nothing billed (--bill-from after --to).
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
                .SeedAsync(new DemoOptions(500, 2021, new Period(2021, 1), new Period(2021, 12), "seeds", new Period(2022, 1)), TextWriter.Null);
        }

        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var kalsel = (await monitor.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?region=63&period=2021-09")).GetProperty("values");
        Assert.Equal(382_746, kalsel.GetProperty("participants.total").GetDecimal());
        Assert.Equal(270_951, kalsel.GetProperty("participants.PU").GetDecimal());
        Assert.Equal(33_041, kalsel.GetProperty("participants.BPU").GetDecimal());
        Assert.Equal(78_754, kalsel.GetProperty("participants.JAKON").GetDecimal());
        Assert.Equal(0, kalsel.GetProperty("participants.PMI").GetDecimal());
        Assert.Equal(2_534, kalsel.GetProperty("participants.category.non_asn").GetDecimal());

        // Claims paid as the seed reports give them: South Kalimantan to September 2021, South Sumatra and neighbours August 2021 – August 2022.
        var claimsKalsel = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/claims/stats?region=63&from=2021-01&to=2021-09");
        Assert.Equal((33_172L, 336_000_000_000L), (claimsKalsel.GetProperty("cases").GetInt64(), claimsKalsel.GetProperty("amount").GetInt64()));
        foreach (var (province, cases, amount) in new[] { ("16", 75_000L, 1_100_000_000_000L), ("18", 57_000L, 772_000_000_000L), ("17", 15_000L, 193_000_000_000L), ("15", 49_000L, 634_000_000_000L), ("19", 19_000L, 240_000_000_000L) })
        {
            var s = await monitor.GetFromJsonAsync<JsonElement>($"/api/v1/claims/stats?region={province}&from=2021-08&to=2022-08");
            Assert.Equal((cases, amount), (s.GetProperty("cases").GetInt64(), s.GetProperty("amount").GetInt64()));
        }

        // South Kalimantan's prosecutors in 2021: 13 SKK, Rp108,137,709 recovered, 5 %.
        var recovery = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/compliance/recovery?region=63&from=2021-01&to=2021-12");
        Assert.Equal((13L, 108_137_709L, 5.0m), (recovery.GetProperty("skkCount").GetInt64(), recovery.GetProperty("recovered").GetInt64(), recovery.GetProperty("recoveryPct").GetDecimal()));
        var december = (await monitor.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?region=63&period=2021-12")).GetProperty("values");
        Assert.Equal((13m, 5.0m), (december.GetProperty("compliance.skk_count").GetDecimal(), december.GetProperty("compliance.recovery_pct").GetDecimal()));

        var september = (await monitor.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?region=16&period=2022-08")).GetProperty("values");
        Assert.True(september.GetProperty("claims.amount").GetDecimal() > 80_000_000_000m);

        var karo = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/monev/visits?region=12.06");
        var visit = karo.EnumerateArray().Single(v => v.GetProperty("date").GetString() == "2022-03-17");
        Assert.Equal(4, visit.GetProperty("recommendations").GetArrayLength());
        Assert.Contains("honorer", visit.GetProperty("recommendations")[3].GetProperty("action").GetString(), StringComparison.Ordinal);
        var makassar = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/monev/visits?region=73");
        Assert.Contains(makassar.EnumerateArray(), v => v.GetProperty("date").GetString() == "2022-05-23" && v.GetProperty("regions").GetArrayLength() == 8);

        var home = await app.CreateClient().GetStringAsync("/");
        Assert.Contains("data-testid=\"demo-banner\"", home, StringComparison.Ordinal);
    }
}
