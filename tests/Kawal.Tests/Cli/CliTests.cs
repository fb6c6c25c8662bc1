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
        await using var t = await TestDatabase.CreateAsync(engine);

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
        Assert.True(engine != Engine.Sqlite || !File.Exists(t.Spec.SqlitePath), "db status created the SQLite file");
        var first = await Run("db", "migrate", "--database", t.ConnectionText);
        var second = await Run("db", "migrate", "--database", t.ConnectionText);
        var after = await Run("db", "status", "--database", t.ConnectionText, "--json");

        Assert.Equal(0, before.Exit);
        Assert.True(JsonDocument.Parse(before.Out).RootElement.GetProperty("pending").GetInt32() > 0);
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

    [Fact]
    public async Task Database_comes_from_KAWAL_DATABASE_when_no_option_is_given()
    {
        var folder = Directory.CreateTempSubdirectory("kawal-env-").FullName;
        var previous = Environment.GetEnvironmentVariable(Settings.DatabaseVariable);
        Environment.SetEnvironmentVariable(Settings.DatabaseVariable, $"sqlite:{folder}/from-env.db");
        try
        {
            var (exit, output, _) = await Run("db", "migrate");

            Assert.Equal(0, exit);
            Assert.Contains($"sqlite:{folder}/from-env.db", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "from-env.db")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Settings.DatabaseVariable, previous);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}
