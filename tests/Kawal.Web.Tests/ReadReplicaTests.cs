using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Npgsql;

namespace Kawal.Web.Tests;

/// <summary>
/// A node with a read database (issue #24 item 4): searches, dashboards and statistics are read from a streaming
/// standby (CI starts one with pg_basebackup: <c>KAWAL_TEST_POSTGRES_STANDBY</c>), writes and read-your-write pages
/// from the primary; an unreachable standby falls back to the primary.
/// </summary>
public class ReadReplicaTests
{
    private static string? Standby => Environment.GetEnvironmentVariable("KAWAL_TEST_POSTGRES_STANDBY") is { Length: > 0 } s ? s : null;

    [Fact]
    public async Task Searches_and_dashboards_read_the_standby_and_writes_go_to_the_primary()
    {
        if (TestEngines.PostgresAdmin is not { } admin || Standby is not { } standby)
        {
            return; // needs PostgreSQL and its standby (CI starts both)
        }

        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        var schema = new NpgsqlConnectionStringBuilder(db.Spec.ConnectionString).SearchPath!;
        var node = "replica-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = new KawalFactory(db, new Dictionary<string, string?>
        {
            [Settings.NodeKey] = node,
            [Settings.ReadDatabaseKey] = new NpgsqlConnectionStringBuilder(standby) { SearchPath = schema }.ConnectionString,
        });
        await Seed.RegistryAsync(app);
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        await CaughtUpAsync(admin, standby);

        // A search and the dashboard figures are answered, from the standby.
        var search = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/employers?q=Pemkab");
        Assert.True(search.GetProperty("total").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.OK, (await monitor.GetAsync("/api/v1/monev/indicators?region=35")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await monitor.GetAsync("/api/v1/claims/stats?region=35")).StatusCode);
        await using (var s = new NpgsqlConnection(standby))
        {
            await s.OpenAsync();
            Assert.True(await s.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()"));
            Assert.True(await s.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @n", new { n = $"kawal-{node}-read" }) > 0,
                "the node's reads never reached the standby");
        }

        // A write lands on the primary (the standby would refuse it) and its own page reads it back at once.
        var created = await officer.PostAsJsonAsync("/api/v1/employers", new Dictionary<string, string?>
        {
            ["npp"] = "35070999", ["name"] = "CV Baca Tulis", ["kind"] = "private", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "small",
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/v1/employers/35070999")).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_standby_falls_back_to_the_primary()
    {
        if (TestEngines.PostgresAdmin is null)
        {
            return; // PostgreSQL only
        }

        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var app = new KawalFactory(db, new Dictionary<string, string?>
        {
            [Settings.ReadDatabaseKey] = "Host=127.0.0.1;Port=1;Username=postgres;Database=kawal_test;Timeout=2",
        });
        await Seed.RegistryAsync(app);
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var search = await monitor.GetFromJsonAsync<JsonElement>("/api/v1/employers?q=Pemkab");
        Assert.True(search.GetProperty("total").GetInt32() >= 1);
    }

    [Fact]
    public void A_read_database_needs_PostgreSQL()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Settings.ReadDatabaseKey] = "sqlite:/tmp/x.db" }).Build();
        var e = Assert.Throws<UsageException>(() => { _ = Settings.ReadConnection(config, DatabaseSpec.Sqlite("/tmp/kawal.db")); });
        Assert.Contains("PostgreSQL", e.Indonesian, StringComparison.Ordinal);
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    private static async Task CaughtUpAsync(string primary, string standby)
    {
        await using var p = new NpgsqlConnection(primary);
        await p.OpenAsync();
        var lsn = await p.ExecuteScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        await using var s = new NpgsqlConnection(standby);
        await s.OpenAsync();
        for (var i = 0; i < 300 && !await s.ExecuteScalarAsync<bool>("SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn", new { lsn }); i++)
        {
            await Task.Delay(100);
        }
    }
}
