using System.Data.Common;
using Dapper;

namespace Kawal.Data;

public enum MigrationState
{
    Applied,
    Pending,
    Edited,
    Unknown,
}

public sealed record MigrationStatus(string Module, int Version, string Name, MigrationState State, DateTimeOffset? AppliedAt);

public sealed record ReferenceDataStatus(string Name, int Rows, DateTimeOffset LoadedAt, bool Current);

public sealed record SchemaStatus(string Database, string EngineVersion, IReadOnlyList<MigrationStatus> Migrations, IReadOnlyList<ReferenceDataStatus> ReferenceData)
{
    public int Pending => Migrations.Count(m => m.State == MigrationState.Pending);
    public bool Healthy => Migrations.All(m => m.State == MigrationState.Applied) && ReferenceData.All(r => r.Current);

    /// <summary>Reads the state of the schema without changing anything.</summary>
    public static async Task<SchemaStatus> ReadAsync(Database db, IReadOnlyList<DataModule> modules, CancellationToken ct = default)
    {
        if (db.Spec is { SqlitePath: { } file, CreateIfMissing: true } && !File.Exists(file))
        {
            // Opening would create the file: report an empty database without touching the disk (else opening refuses it).
            var pending = modules.SelectMany(m => m.Migrations.For(db.Engine))
                .Select(m => new MigrationStatus(m.Module, m.Version, m.Name, MigrationState.Pending, null)).ToList();
            return new SchemaStatus(db.Spec.Display, "(no database file yet)", pending, []);
        }

        await using var c = await db.OpenAsync(ct);
        var version = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            db.Engine == Engine.Postgres ? "SELECT current_setting('server_version')" : "SELECT sqlite_version()", cancellationToken: ct)) ?? "";
        var applied = await TableExistsAsync(db, c, "schema_migrations", ct)
            ? await MigrationRunner.ReadAppliedAsync(c, null, ct)
            : [];
        var list = new List<MigrationStatus>();
        var plan = modules.SelectMany(m => m.Migrations.For(db.Engine)).ToList();
        foreach (var m in plan)
        {
            var state = !applied.TryGetValue((m.Module, m.Version), out var row) ? MigrationState.Pending
                : row.Checksum == m.Checksum ? MigrationState.Applied : MigrationState.Edited;
            list.Add(new MigrationStatus(m.Module, m.Version, m.Name, state, row?.AppliedAt));
        }

        var planned = plan.Select(m => (m.Module, m.Version)).ToHashSet();
        list.AddRange(applied.Values.Where(r => !planned.Contains((r.Module, r.Version)))
            .Select(r => new MigrationStatus(r.Module, r.Version, r.Name, MigrationState.Unknown, r.AppliedAt)));

        var refs = new List<ReferenceDataStatus>();
        if (await TableExistsAsync(db, c, "reference_data", ct))
        {
            var shipped = modules.SelectMany(m => m.ReferenceData).ToDictionary(l => l.Name, l => l.Checksum);
            var rows = await c.QueryAsync<(string Name, string Checksum, int Rows, DateTimeOffset LoadedAt)>(
                "SELECT name, checksum, row_count, loaded_at FROM reference_data ORDER BY name");
            refs.AddRange(rows.Select(r => new ReferenceDataStatus(r.Name, r.Rows, r.LoadedAt,
                shipped.TryGetValue(r.Name, out var sum) && sum == r.Checksum)));
        }

        return new SchemaStatus(db.Spec.Display, version, list, refs);
    }

    private static async Task<bool> TableExistsAsync(Database db, DbConnection c, string table, CancellationToken ct)
    {
        var sql = db.Engine == Engine.Postgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table";
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { table }, cancellationToken: ct)) > 0;
    }
}
