using System.Diagnostics;
using Dapper;
using Kawal.Cli;
using Kawal.Testing;
using Npgsql;

namespace Kawal.Tests.Cli;

/// <summary>
/// The backup and restore of docs/operations.md, done as written on PostgreSQL: pg_dump in the custom format,
/// pg_restore into a new database; the restored database is current (db status exits 0) and its audit chain verifies.
/// </summary>
public class BackupRestoreTests
{
    [Fact]
    public async Task A_pg_dump_restored_into_a_new_database_is_current_and_its_audit_log_verifies()
    {
        if (TestEngines.PostgresAdmin is not { } admin)
        {
            return; // PostgreSQL only (KAWAL_TEST_POSTGRES); CI always sets it
        }

        await using var t = await TestDatabase.CreateAsync(Kawal.Data.Engine.Postgres);
        using var stdin = new StringReader("Rahasia-Kawal-2026\n");
        Assert.Equal(0, await KawalCli.RunAsync(["users", "add", "--username", "admin.cadangan", "--role", "admin", "--database", t.ConnectionText], TextWriter.Null, TextWriter.Null, stdin));
        Assert.Equal(0, await KawalCli.RunAsync(["users", "disable", "admin.cadangan", "--database", t.ConnectionText], TextWriter.Null, TextWriter.Null));

        var b = new NpgsqlConnectionStringBuilder(t.Spec.ConnectionString);
        var restored = "restored_" + Guid.NewGuid().ToString("N")[..10];
        var dump = Path.Combine(Path.GetTempPath(), restored + ".dump");
        try
        {
            Tool("pg_dump", $"--format=custom --file={dump} --schema={b.SearchPath} -h {b.Host} -p {b.Port} -U {b.Username} {b.Database}");
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await c.ExecuteAsync($"CREATE DATABASE {restored}");
            }

            Tool("pg_restore", $"--no-owner --dbname={restored} -h {b.Host} -p {b.Port} -U {b.Username} {dump}");
            var target = new NpgsqlConnectionStringBuilder(t.Spec.ConnectionString) { Database = restored }.ConnectionString;
            var (statusExit, statusErr) = await Run("db", "status", "--database", target);
            var (verifyExit, verifyOut) = await Run("audit", "verify", "--database", target);
            Assert.True(statusExit == 0, statusErr);
            Assert.True(verifyExit == 0, verifyOut);
            Assert.Contains("2 entries verified", verifyOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS {restored} WITH (FORCE)");
        }
    }

    private static async Task<(int Exit, string Text)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await KawalCli.RunAsync(args, stdout, stderr);
        return (exit, stdout + stderr.ToString());
    }

    /// <summary>A PostgreSQL client tool of the newest installed server version (Debian puts them under /usr/lib/postgresql/N/bin).</summary>
    private static void Tool(string name, string arguments)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault() ?? name;
        using var p = Process.Start(new ProcessStartInfo(bin, arguments) { RedirectStandardError = true, RedirectStandardOutput = true }) ?? throw new InvalidOperationException(name);
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{name} {arguments}: {err}");
    }
}
