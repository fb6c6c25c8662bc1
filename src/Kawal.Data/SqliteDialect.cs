using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Kawal.Data;

internal sealed class SqliteDialect : ISqlDialect
{
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintForeignKey = 787;

    public Engine Engine => Engine.Sqlite;

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey };

    // SQLite's LIKE folds ASCII case only; names are matched on their lower-case copy as well.
    public string ContainsIgnoreCase(string column, string parameter) =>
        $"lower({column}) LIKE '%' || lower({parameter}) || '%'";

    // One JSON parameter instead of one parameter per value: binding thousands of named parameters is quadratic here.
    public string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public string FromKeys(string table, string column, string parameter) => $"(SELECT * FROM {table} WHERE {InList(column, parameter)}) AS {table}";

    public object ListValue<T>(IReadOnlyCollection<T> values) => System.Text.Json.JsonSerializer.Serialize(values);

    // Table names are the code's own constants, never input. MAX(id) is read inside the write transaction, whose lock
    // (BEGIN IMMEDIATE) keeps other writers out until the rows are written.
    public string AllocateIdsSql(string table, string countParameter) =>
        $"WITH RECURSIVE n(i) AS (SELECT 1 WHERE {countParameter} > 0 UNION ALL SELECT i + 1 FROM n WHERE i < {countParameter}) " +
        $"SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) + i FROM n ORDER BY i";

    public string MigrationsTableDdl => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (module, version)
        )
        """;

    public async Task<ExclusiveScope> BeginExclusiveAsync(DbConnection connection, CancellationToken ct)
    {
        await Exec(connection, "BEGIN EXCLUSIVE", ct);
        return new ExclusiveScope(null, () => Exec(connection, "COMMIT", CancellationToken.None),
            () => Exec(connection, "ROLLBACK", CancellationToken.None));
    }

    private static async Task Exec(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
