using System.Text.Json;
using static Kawal.Tests.Cli.CliHarness;
using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Cli;

/// <summary>The kawal command line, run in-process with its real parsing, handlers and databases.</summary>
public class CliTests
{
    [EngineTheory]
    public async Task Regions_list_prints_the_2021_provinces_as_json(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);

        var (exit, output, _) = await Run("regions", "list", "--level", "province", "--date", "2021-08-01", "--json", "--database", t.ConnectionText);

        Assert.Equal(0, exit);
        var items = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(34, items.Count);
        var aceh = items[0];
        Assert.Equal("11", aceh.GetProperty("code").GetString());
        Assert.Equal("Aceh", aceh.GetProperty("name").GetString());
        Assert.Equal("province", aceh.GetProperty("level").GetString());
        Assert.Equal("provinsi", aceh.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, aceh.GetProperty("parentCode").ValueKind);
    }

    [EngineTheory]
    public async Task Db_migrate_then_status(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);

        var before = await Run("db", "status", "--database", t.ConnectionText, "--json");
        Assert.False(engine == Engine.Sqlite && File.Exists(t.Spec.SqlitePath), "db status created the SQLite file");
        var first = await Run("db", "migrate", "--database", t.ConnectionText);
        var second = await Run("db", "migrate", "--database", t.ConnectionText);
        var after = await Run("db", "status", "--database", t.ConnectionText, "--json");

        Assert.Equal(1, before.Exit);
        if (engine == Engine.Sqlite)
        {
            Assert.StartsWith($"kawal: database sqlite:{t.Spec.SqlitePath} does not exist", before.Err, StringComparison.Ordinal); // not created by status
        }
        else
        {
            Assert.True(JsonDocument.Parse(before.Out).RootElement.GetProperty("pending").GetInt32() > 0);
            Assert.Contains("pending migration(s): core/0001_", before.Err, StringComparison.Ordinal);
        }

        Assert.Equal(0, after.Exit);
        Assert.Equal(0, first.Exit);
        Assert.Contains("applied", first.Out, StringComparison.Ordinal);
        Assert.Contains("reference data loaded: regions", first.Out, StringComparison.Ordinal);
        Assert.Contains("schema is up to date", second.Out, StringComparison.Ordinal);
        var status = JsonDocument.Parse(after.Out).RootElement;
        Assert.Equal(0, status.GetProperty("pending").GetInt32());
        Assert.True(status.GetProperty("healthy").GetBoolean());
    }

    [EngineTheory]
    public async Task An_edited_migration_fails_with_exit_1_and_one_line(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE schema_migrations SET checksum = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' WHERE module = 'regions'");
        }

        var (exit, _, err) = await Run("db", "migrate", "--database", t.ConnectionText);

        Assert.Equal(1, exit);
        Assert.StartsWith("kawal: migration regions/0001_regions was edited after it was applied", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [EngineTheory]
    public async Task Db_status_exits_1_naming_edited_unknown_and_pending_migrations(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var current = await Run("db", "status", "--database", t.ConnectionText);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE schema_migrations SET checksum = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' WHERE module = 'regions'");
            await c.ExecuteAsync("INSERT INTO schema_migrations (module, version, name, checksum, applied_at) VALUES ('future', 99, 'later', 'x', @At)", new { At = DateTimeOffset.UnixEpoch });
            await c.ExecuteAsync("DELETE FROM schema_migrations WHERE module = 'identity' AND version = 1");
        }

        var (exit, output, err) = await Run("db", "status", "--database", t.ConnectionText);
        var json = await Run("db", "status", "--database", t.ConnectionText, "--json");

        Assert.Equal((0, ""), (current.Exit, current.Err));
        Assert.Equal(1, exit);
        Assert.Contains("regions      0001_regions", output, StringComparison.Ordinal);
        Assert.Equal(
            ["kawal: 1 edited migration(s): regions/0001_regions", "kawal: 1 unknown migration(s): future/0099_later", "kawal: 1 pending migration(s): identity/0001_" + IdentityFirst()],
            err.TrimEnd().Split('\n'));
        Assert.Equal(1, json.Exit);
        Assert.False(JsonDocument.Parse(json.Out).RootElement.GetProperty("healthy").GetBoolean());
    }

    private static string IdentityFirst() => Modules.Data.SelectMany(m => m.Migrations.For(Engine.Sqlite)).First(m => m.Module == "identity" && m.Version == 1).Name;

    [Theory]
    [InlineData(new[] { "--database", "mysql://x", "db", "status" }, 2, "kawal: database: unrecognised value")]
    [InlineData(new[] { "db", "status", "--database", "Host=127.0.0.1;Port=1;Username=k;Timeout=3" }, 1, "kawal: cannot reach PostgreSQL at postgres://k@127.0.0.1:1/")]
    [InlineData(new[] { "frobnicate" }, 2, "kawal: Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "regions", "list", "--level", "district" }, 2, "kawal: Argument 'district' not recognized")]
    [InlineData(new[] { "regions", "list", "--date", "2021-02-30", "--database", "sqlite:/tmp/kawal-cli-unused/k.db" }, 2, "kawal: date '2021-02-30' is not a date")]
    [InlineData(new[] { "db", "migrate", "--database", "sqlite:/proc/kawal-cli/k.db" }, 1, "kawal: cannot create the data folder")]
    public async Task Bad_input_gives_one_clear_line_and_the_right_exit_code(string[] args, int code, string message)
    {
        var (exit, output, err) = await Run(args);

        Assert.Equal(code, exit);
        Assert.StartsWith(message, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var (exit, output, _) = await Run("--help");

        Assert.Equal(0, exit);
        foreach (var verb in new[] { "serve", "db", "regions" })
        {
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }
}
