using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Data;

public class MigrationRunnerTests
{
    private static readonly DataModule Good = TestModule("good/");
    private static readonly DataModule Broken = TestModule("broken/");

    private static DataModule TestModule(string folder) =>
        new("test", typeof(MigrationRunnerTests).Assembly, [], "kawal.test." + folder);

    private static Task<MigrationReport> Migrate(TestDatabase t, params DataModule[] modules) =>
        new MigrationRunner(t.Database, modules, TimeProvider.System).MigrateAsync();

    [EngineTheory]
    public async Task Applies_each_migration_once_in_order(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);

        var first = await Migrate(t, CoreData.Module, Good);
        var second = await Migrate(t, CoreData.Module, Good);

        Assert.Equal(["core/0001_reference_data", "core/0002_demo_runs", "core/0003_reference_checks", "core/0004_reference_checks_distinct", "core/0005_reference_checks_dense", "core/0006_leases", "core/0007_health_probe", "core/0008_job_runs", "test/0001_widgets", "test/0002_gadgets"], first.Applied);
        Assert.Empty(second.Applied);
        var status = await SchemaStatus.ReadAsync(t.Database, [CoreData.Module, Good]);
        Assert.All(status.Migrations, m => Assert.Equal(MigrationState.Applied, m.State));
        Assert.True(status.Healthy);
    }

    [EngineTheory]
    public async Task Refuses_to_run_when_an_applied_migration_was_edited_and_changes_nothing(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await Migrate(t, CoreData.Module);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE schema_migrations SET checksum = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE module = 'core'");
        }

        var e = await Assert.ThrowsAsync<KawalException>(() => Migrate(t, CoreData.Module, Good));

        Assert.Contains("core/0001_reference_data was edited after it was applied", e.Message, StringComparison.Ordinal);
        Assert.False(await TableExists(t, "widgets"));
        var status = await SchemaStatus.ReadAsync(t.Database, [CoreData.Module, Good]);
        Assert.Equal(MigrationState.Edited, status.Migrations[0].State);
        Assert.Equal(2, status.Pending);
    }

    [EngineTheory]
    public async Task Refuses_a_database_newer_than_this_build(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await Migrate(t, CoreData.Module);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO schema_migrations (module, version, name, checksum, applied_at) VALUES ('core', 99, 'future', 'x', @At)", new { At = DateTimeOffset.UnixEpoch });
        }

        var e = await Assert.ThrowsAsync<KawalException>(() => Migrate(t, CoreData.Module));

        Assert.Contains("core/0099_future, which this version of Kawal does not know", e.Message, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task Refuses_a_migration_numbered_before_applied_ones(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await Migrate(t, CoreData.Module, Good);
        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("DELETE FROM schema_migrations WHERE module = 'test' AND version = 1");
        }

        var e = await Assert.ThrowsAsync<KawalException>(() => Migrate(t, CoreData.Module, Good));

        Assert.Contains("test/0001_widgets is numbered before migrations already applied", e.Message, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_failing_migration_leaves_the_database_as_it_was(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);

        var e = await Assert.ThrowsAsync<KawalException>(() => Migrate(t, CoreData.Module, Broken));

        Assert.Contains("migration test/0002_sprockets failed", e.Message, StringComparison.Ordinal);
        Assert.False(await TableExists(t, "schema_migrations"));
        Assert.False(await TableExists(t, "reference_data"));
        Assert.False(await TableExists(t, "widgets"));
        Assert.False(await TableExists(t, "sprockets"));
    }

    [Fact]
    public void Every_migration_comes_in_a_pair()
    {
        var unpaired = new DataModule("test", typeof(MigrationRunnerTests).Assembly, [], "kawal.test.unpaired/");

        var e = Assert.Throws<KawalException>(() => unpaired.Migrations.For(Engine.Sqlite));

        Assert.Contains("must exist as both .sqlite.sql and .postgres.sql", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_modules_have_paired_migrations_on_both_engines()
    {
        foreach (var module in Modules.Data)
        {
            var sqlite = module.Migrations.For(Engine.Sqlite).Select(m => m.Version).ToList();
            var postgres = module.Migrations.For(Engine.Postgres).Select(m => m.Version).ToList();
            Assert.NotEmpty(sqlite);
            Assert.Equal(sqlite, postgres);
            Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite);
        }
    }

    /// <summary>
    /// Several migrators at once, each with its own connection pool (as separate processes would have): the database's
    /// own lock (advisory lock / BEGIN EXCLUSIVE) lets one apply everything and the others find nothing to do.
    /// </summary>
    [EngineTheory]
    public async Task Concurrent_migrators_apply_everything_exactly_once(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var others = Enumerable.Range(0, 3).Select(_ => new Database(t.Spec)).ToList();
        try
        {
            var runs = others.Append(t.Database)
                .Select(db => Task.Run(() => new MigrationRunner(db, Modules.Data, TimeProvider.System).MigrateAsync()))
                .ToList();
            var reports = await Task.WhenAll(runs);

            var expected = Modules.Data.Sum(m => m.Migrations.For(engine).Count);
            Assert.Equal(expected, reports.Sum(r => r.Applied.Count));
            Assert.Single(reports, r => r.Applied.Count == expected);
            Assert.Equal(1, reports.Count(r => r.ReferenceDataLoaded.Contains("regions")));
            await using var c = await t.Database.OpenAsync();
            Assert.Equal(expected, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
            Assert.Equal(578, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM regions"));
        }
        finally
        {
            foreach (var db in others)
            {
                await db.DisposeAsync();
            }
        }
    }

    private static async Task<bool> TableExists(TestDatabase t, string table)
    {
        await using var c = await t.Database.OpenAsync();
        var sql = t.Database.Engine == Engine.Postgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table";
        return await c.ExecuteScalarAsync<long>(sql, new { table }) > 0;
    }
}
