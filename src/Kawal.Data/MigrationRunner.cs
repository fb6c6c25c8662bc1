using System.Data.Common;
using Dapper;

namespace Kawal.Data;

public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> ReferenceDataLoaded);

/// <summary>
/// Applies pending migrations of every module, in module order, then loads reference data — all in one exclusive
/// transaction, so a second process migrating at the same time waits and then finds nothing to do, and a failure
/// leaves the database as it was. Refuses to run when an applied migration was edited or is unknown to this build.
/// </summary>
public sealed class MigrationRunner(Database db, IReadOnlyList<DataModule> modules, TimeProvider time)
{
    public async Task<MigrationReport> MigrateAsync(CancellationToken ct = default)
    {
        var plan = modules.SelectMany(m => m.Migrations.For(db.Engine)).ToList();
        await using var connection = await db.OpenAsync(ct);
        await using var scope = await db.Dialect.BeginExclusiveAsync(connection, ct);
        var tx = scope.Transaction;
        await connection.ExecuteAsync(new CommandDefinition(db.Dialect.MigrationsTableDdl, transaction: tx, cancellationToken: ct));
        var applied = await ReadAppliedAsync(connection, tx, ct);
        CheckIntegrity(plan, applied);

        var done = new List<string>();
        foreach (var m in plan.Where(m => !applied.ContainsKey((m.Module, m.Version))))
        {
            await ApplyAsync(connection, tx, m, ct);
            done.Add(m.Id);
        }

        var loaded = new List<string>();
        foreach (var loader in modules.SelectMany(m => m.ReferenceData))
        {
            if (await LoadIfChangedAsync(connection, tx, loader, ct))
            {
                loaded.Add(loader.Name);
            }
        }

        await scope.CommitAsync();
        return new MigrationReport(done, loaded);
    }

    private async Task ApplyAsync(DbConnection c, DbTransaction? tx, Migration m, CancellationToken ct)
    {
        try
        {
            await c.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
        }
        catch (DbException e)
        {
            throw new KawalException($"migration {m.Id} failed on {db.Engine}: {e.Message}; nothing was changed", e);
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (module, version, name, checksum, applied_at) VALUES (@Module, @Version, @Name, @Checksum, @At)",
            new { m.Module, m.Version, m.Name, m.Checksum, At = time.GetUtcNow() }, tx, cancellationToken: ct));
    }

    private async Task<bool> LoadIfChangedAsync(DbConnection c, DbTransaction? tx, IReferenceDataLoader loader, CancellationToken ct)
    {
        var current = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT checksum FROM reference_data WHERE name = @Name", new { loader.Name }, tx, cancellationToken: ct));
        if (current == loader.Checksum)
        {
            return false;
        }

        var rows = await loader.LoadAsync(c, tx, db.Dialect, ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reference_data (name, checksum, row_count, loaded_at) VALUES (@Name, @Checksum, @Rows, @At)
            ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, row_count = excluded.row_count, loaded_at = excluded.loaded_at
            """,
            new { loader.Name, loader.Checksum, Rows = rows, At = time.GetUtcNow() }, tx, cancellationToken: ct));
        return true;
    }

    internal static async Task<Dictionary<(string, int), AppliedRow>> ReadAppliedAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var rows = await c.QueryAsync<AppliedRow>(new CommandDefinition(
            "SELECT module AS Module, version AS Version, name AS Name, checksum AS Checksum, applied_at AS AppliedAt FROM schema_migrations",
            transaction: tx, cancellationToken: ct));
        return rows.ToDictionary(r => (r.Module, r.Version));
    }

    private static void CheckIntegrity(List<Migration> plan, Dictionary<(string, int), AppliedRow> applied)
    {
        var known = plan.ToDictionary(m => (m.Module, m.Version));
        foreach (var row in applied.Values.OrderBy(r => r.Module).ThenBy(r => r.Version))
        {
            if (!known.TryGetValue((row.Module, row.Version), out var m))
            {
                throw new KawalException(
                    $"the database has migration {row.Module}/{row.Version:D4}_{row.Name}, which this version of Kawal does not know; use a newer Kawal");
            }

            if (m.Checksum != row.Checksum)
            {
                throw new KawalException(
                    $"migration {m.Id} was edited after it was applied (checksum {row.Checksum[..12]}… in the database, {m.Checksum[..12]}… now); " +
                    "migrations are forward-only: restore the original file and add a new migration");
            }
        }

        foreach (var module in plan.GroupBy(m => m.Module))
        {
            var maxApplied = applied.Keys.Where(k => k.Item1 == module.Key).Select(k => k.Item2).DefaultIfEmpty(0).Max();
            var late = module.FirstOrDefault(m => m.Version < maxApplied && !applied.ContainsKey((m.Module, m.Version)));
            if (late is not null)
            {
                throw new KawalException($"migration {late.Id} is numbered before migrations already applied; renumber it after {maxApplied:D4}");
            }
        }
    }

    internal sealed class AppliedRow
    {
        public string Module { get; set; } = "";
        public int Version { get; set; }
        public string Name { get; set; } = "";
        public string Checksum { get; set; } = "";
        public DateTimeOffset AppliedAt { get; set; }
    }
}
