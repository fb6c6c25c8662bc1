using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kawal.Data;
using Kawal.Testing;
using Microsoft.Data.Sqlite;

namespace Kawal.Web.Tests;

/// <summary>/health is ready only when the database also takes a write (WriteProbe).</summary>
public class HealthTests
{
    [Fact]
    public async Task Health_is_not_ready_while_the_sqlite_file_is_read_only()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();
        var file = app.Db.Spec.SqlitePath!;

        using var writable = await client.GetAsync(new Uri("/health", UriKind.Relative));
        await SetReadOnlyAsync(file, true);
        using var readOnly = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await readOnly.Content.ReadFromJsonAsync<JsonElement>();
        using var reads = await client.GetAsync(new Uri("/api/v1/regions/35", UriKind.Relative));
        await SetReadOnlyAsync(file, false);
        using var again = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, writable.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readOnly.StatusCode);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("not writable", body.GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("readonly", body.GetProperty("database").GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode); // it still answers reads: only the write probe tells
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [EngineTheory]
    public async Task Live_answers_without_the_database_and_ready_only_when_the_schema_is_current(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var client = app.CreateClient();

        var (live, _, liveBody) = await ApiTests.GetJson(client, "/health/live");
        var (ready, _, readyBody) = await ApiTests.GetJson(client, "/health/ready");
        var (health, _, _) = await ApiTests.GetJson(client, "/health");
        await using (var c = await app.Db.Database.OpenAsync())
        {
            await c.ExecuteAsync("DELETE FROM schema_migrations WHERE module = 'identity' AND version = 1");
        }

        var (stale, _, staleBody) = await ApiTests.GetJson(client, "/health/ready");
        var (stillLive, _, _) = await ApiTests.GetJson(client, "/health/live");

        Assert.Equal((HttpStatusCode.OK, "ok"), (live, liveBody.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "ok"), (ready, readyBody.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stale);
        Assert.Equal("schema not current", staleBody.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(1, staleBody.GetProperty("database").GetProperty("pendingMigrations").GetInt32());
        Assert.Equal(HttpStatusCode.OK, stillLive);
    }

    [Fact]
    public async Task Ready_is_503_not_500_when_the_sqlite_file_goes_bad_under_it()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();
        var file = app.Db.Spec.SqlitePath!;
        var (before, _, _) = await ApiTests.GetJson(client, "/health/ready");

        await using (var c = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
        var good = await File.ReadAllBytesAsync(file);
        var bad = (byte[])good.Clone();
        Array.Fill(bad, (byte)'x', 0, 100); // the header: no longer an SQLite database
        await File.WriteAllBytesAsync(file, bad);
        var (broken, _, body) = await ApiTests.GetJson(client, "/health/ready");
        var (live, _, _) = await ApiTests.GetJson(client, "/health/live");
        SqliteConnection.ClearAllPools();
        await File.WriteAllBytesAsync(file, good);
        var (again, _, _) = await ApiTests.GetJson(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken);
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    /// <summary>
    /// A PostgreSQL restart, as this node's sessions see it: the server ends them (pg_terminate_backend, which a restart
    /// does to every session), found by the Application Name the node gives its connections.
    /// </summary>
    [Fact]
    public async Task Ready_is_503_not_500_when_postgres_ends_the_sessions_and_ready_again_after()
    {
        if (TestEngines.PostgresAdmin is not { } admin)
        {
            return; // PostgreSQL only (KAWAL_TEST_POSTGRES)
        }

        var node = "health-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await KawalFactory.StartAsync(Engine.Postgres, new Dictionary<string, string?> { [Settings.NodeKey] = node });
        var client = app.CreateClient();
        var (before, _, _) = await ApiTests.GetJson(client, "/health/ready");

        await using (var c = new Npgsql.NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            var ended = await c.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name) t", new { name = "kawal-" + node });
            Assert.True(ended > 0, "no session of the node was found by its application name");
        }

        var (restarted, _, body) = await ApiTests.GetJson(client, "/health/ready");
        var (again, _, _) = await ApiTests.GetJson(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, restarted);
        Assert.Contains("57P01", body.GetProperty("database").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    /// <summary>
    /// Makes the database file read-only for SQLite itself: a header write version above 2 (byte 18) means "read-only"
    /// to every SQLite connection. File permissions would not do: the tests run as root in CI, and root writes a
    /// 0444 file. The WAL is checkpointed into the file first and every pooled connection closed, so that each next
    /// connection reads the header from the file.
    /// </summary>
    private static async Task SetReadOnlyAsync(string file, bool readOnly)
    {
        await using (var c = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = 18;
        stream.WriteByte(readOnly ? (byte)3 : (byte)2);
    }
}
