using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kawal.Data;
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
