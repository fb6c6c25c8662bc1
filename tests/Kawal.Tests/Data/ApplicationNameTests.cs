using Dapper;
using Kawal.Data;
using Kawal.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Kawal.Tests.Data;

/// <summary>Each node names its PostgreSQL sessions (Application Name=kawal-NODE) unless the operator named them.</summary>
public class ApplicationNameTests
{
    private static DatabaseSpec Resolve(string database, string? node = null) =>
        Settings.ResolveDatabase(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Settings.DatabaseKey] = database,
            [Settings.NodeKey] = node,
        }).Build());

    private static string? ApplicationName(DatabaseSpec spec) => new NpgsqlConnectionStringBuilder(spec.ConnectionString).ApplicationName;

    [Fact]
    public void The_node_names_the_sessions_unless_the_connection_string_does()
    {
        Assert.Equal("kawal-node-a", ApplicationName(Resolve("Host=db;Database=kawal;Username=kawal", "node-a")));
        Assert.Equal($"kawal-{Environment.MachineName}-{Environment.ProcessId}", ApplicationName(Resolve("postgres://kawal@db/kawal")));
        Assert.Equal("reporting", ApplicationName(Resolve("Host=db;Database=kawal;Username=kawal;Application Name=reporting", "node-a")));
        Assert.DoesNotContain("Application", Resolve("sqlite:/tmp/kawal-app-name/k.db", "node-a").ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_sees_the_name()
    {
        if (TestEngines.PostgresAdmin is not { } admin)
        {
            return; // PostgreSQL only (KAWAL_TEST_POSTGRES)
        }

        await using var db = new Database(Resolve(admin, "node-b"));
        await using var c = await db.OpenAsync();

        Assert.Equal("kawal-node-b", await c.ExecuteScalarAsync<string>("SELECT current_setting('application_name')"));
    }
}
