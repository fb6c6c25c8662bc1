using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace Kawal.Data;

/// <summary>
/// Bulk inserts, each engine its fastest way. PostgreSQL: binary <c>COPY</c> (or, when values must be returned, one
/// <c>INSERT … VALUES (…), (…) RETURNING …</c> per chunk). SQLite: multi-row statements of 50 rows bound by position through
/// SQLitePCL (in-process, so no round trips), or, when values must be returned, one prepared statement per row.
/// Rows that need ids get them beforehand from <see cref="ISqlDialect.AllocateIdsAsync"/>.
/// </summary>
public static class MultiRow
{
    private const int MaxParameters = 30_000;
    private const int SqliteRowsPerStatement = 50;
    private const int SqliteMaxParameters = 999;

    /// <summary>Inserts the rows (values in column order); returns what <paramref name="returning"/> selects, if given.</summary>
    public static async Task<List<T>> InsertAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns,
        IReadOnlyList<object?[]> rows, string returning, CancellationToken ct)
    {
        if (c is Microsoft.Data.Sqlite.SqliteConnection)
        {
            return await SqliteAsync<T>(c, tx, table, columns, rows, returning, ct);
        }

        var result = new List<T>(rows.Count);
        foreach (var (sql, parameters) in Chunks(table, columns, rows, returning))
        {
            result.AddRange(await c.QueryAsync<T>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct)));
        }

        return result;
    }

    public static async Task InsertAsync(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (c is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            SqliteRaw(sqlite, table, columns, rows);
            return;
        }

        if (c is Npgsql.NpgsqlConnection pg)
        {
            await CopyAsync(pg, table, columns, rows, ct);
            return;
        }

        foreach (var (sql, parameters) in Chunks(table, columns, rows, null))
        {
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
    }

    /// <summary>Inserts the rows, skipping any that would violate a unique constraint (<c>ON CONFLICT DO NOTHING</c>).</summary>
    public static async Task InsertIgnoringConflictsAsync(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (c is Microsoft.Data.Sqlite.SqliteConnection)
        {
            await SqliteAsync<int>(c, tx, table, columns, rows, null, ct, OnConflict);
            return;
        }

        foreach (var (sql, parameters) in Chunks(table, columns, rows, null, OnConflict))
        {
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
    }

    private const string OnConflict = " ON CONFLICT DO NOTHING";

    /// <summary>PostgreSQL binary COPY, in the connection's current transaction.</summary>
    private static async Task CopyAsync(Npgsql.NpgsqlConnection c, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var writer = await c.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: await writer.WriteNullAsync(ct); break;
                    case long l: await writer.WriteAsync(l, NpgsqlTypes.NpgsqlDbType.Bigint, ct); break;
                    case int i: await writer.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer, ct); break;
                    case short h: await writer.WriteAsync(h, NpgsqlTypes.NpgsqlDbType.Smallint, ct); break;
                    case string s: await writer.WriteAsync(s, NpgsqlTypes.NpgsqlDbType.Text, ct); break;
                    case DateOnly d: await writer.WriteAsync(d, NpgsqlTypes.NpgsqlDbType.Date, ct); break;
                    case DateTimeOffset t: await writer.WriteAsync(t.ToUniversalTime(), NpgsqlTypes.NpgsqlDbType.TimestampTz, ct); break;
                    case bool b: await writer.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean, ct); break;
                    case Period p: await writer.WriteAsync(p.ToString(), NpgsqlTypes.NpgsqlDbType.Text, ct); break;
                    case Rupiah r: await writer.WriteAsync(r.Value, NpgsqlTypes.NpgsqlDbType.Bigint, ct); break;
                    default: throw new ArgumentException($"MultiRow cannot COPY a {value.GetType().Name} into {table}");
                }
            }
        }

        await writer.CompleteAsync(ct);
    }

    private static async Task<List<T>> SqliteAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns,
        IReadOnlyList<object?[]> rows, string? returning, CancellationToken ct, string suffix = "")
    {
        var result = new List<T>(returning is null ? 0 : rows.Count);
        if (rows.Count == 0)
        {
            return result;
        }

        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, k) => $"@p{k}"))}){suffix}" +
            (returning is null ? "" : $" RETURNING {returning}");
        var parameters = columns.Select((_, k) =>
        {
            var p = cmd.CreateParameter();
            p.ParameterName = $"@p{k}";
            cmd.Parameters.Add(p);
            return p;
        }).ToArray();
        cmd.Prepare();
        Func<DbDataReader, T>? parse = null;
        foreach (var row in rows)
        {
            for (var k = 0; k < parameters.Length; k++)
            {
                parameters[k].Value = SqliteValues.ToDb(row[k]);
            }

            if (returning is null)
            {
                await cmd.ExecuteNonQueryAsync(ct);
                continue;
            }

            await using var reader = await cmd.ExecuteReaderAsync(ct);
            parse ??= reader.GetRowParser<T>();
            while (await reader.ReadAsync(ct))
            {
                result.Add(parse(reader));
            }
        }

        return result;
    }

    /// <summary>
    /// SQLite without RETURNING: <c>INSERT … VALUES (…), (…)</c> of up to 50 rows, prepared once per call and bound by
    /// position through SQLitePCL, in the connection's open transaction. Microsoft.Data.Sqlite's command binds every
    /// parameter by name and builds a data reader per execution — half the writer's time in a registry import — and one
    /// row per statement opens the table's and indexes' cursors for each row.
    /// </summary>
    private static void SqliteRaw(Microsoft.Data.Sqlite.SqliteConnection c, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var db = c.Handle!;
        var last = new (object? Value, string? Text)[columns.Count]; // a batch's rows share their timestamps: format each once
        var perStatement = Math.Max(1, Math.Min(SqliteRowsPerStatement, SqliteMaxParameters / columns.Count));
        SQLitePCL.sqlite3_stmt? stmt = null;
        var prepared = 0;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                if (count != prepared)
                {
                    stmt?.Dispose();
                    var values = string.Join(", ", Enumerable.Repeat($"({string.Join(", ", columns.Select(_ => "?"))})", count));
                    Check(SQLitePCL.raw.sqlite3_prepare_v2(db, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {values}", out stmt), db);
                    prepared = count;
                }

                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var k = 0; k < columns.Count; k++)
                    {
                        var i = r * columns.Count + k + 1;
                        Check(row[k] switch
                        {
                            null => SQLitePCL.raw.sqlite3_bind_null(stmt, i),
                            long l => SQLitePCL.raw.sqlite3_bind_int64(stmt, i, l),
                            int n => SQLitePCL.raw.sqlite3_bind_int64(stmt, i, n),
                            short h => SQLitePCL.raw.sqlite3_bind_int64(stmt, i, h),
                            bool b => SQLitePCL.raw.sqlite3_bind_int64(stmt, i, b ? 1 : 0),
                            Rupiah m => SQLitePCL.raw.sqlite3_bind_int64(stmt, i, m.Value),
                            double d => SQLitePCL.raw.sqlite3_bind_double(stmt, i, d),
                            byte[] bytes => SQLitePCL.raw.sqlite3_bind_blob(stmt, i, bytes),
                            string s => SQLitePCL.raw.sqlite3_bind_text(stmt, i, s),
                            var v => SQLitePCL.raw.sqlite3_bind_text(stmt, i, Text(ref last[k], v, table)),
                        }, db);
                    }
                }

                var step = SQLitePCL.raw.sqlite3_step(stmt);
                SQLitePCL.raw.sqlite3_reset(stmt);
                Check(step, db);
            }
        }
        finally
        {
            stmt?.Dispose();
        }

        static string Text(ref (object? Value, string? Text) last, object value, string table)
        {
            if (last.Text is null || !value.Equals(last.Value))
            {
                last = (value, SqliteValues.ToDb(value) as string ?? throw new ArgumentException($"MultiRow cannot insert a {value.GetType().Name} into {table}"));
            }

            return last.Text;
        }
    }

    /// <summary>A failed SQLite call as Microsoft.Data.Sqlite reports it (the same <see cref="Microsoft.Data.Sqlite.SqliteException"/> and codes).</summary>
    private static void Check(int rc, SQLitePCL.sqlite3 db)
    {
        if (rc is not (SQLitePCL.raw.SQLITE_OK or SQLitePCL.raw.SQLITE_DONE or SQLitePCL.raw.SQLITE_ROW))
        {
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static IEnumerable<(string Sql, DynamicParameters Parameters)> Chunks(string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string? returning, string suffix = "")
    {
        var perChunk = Math.Max(1, MaxParameters / columns.Count);
        for (var start = 0; start < rows.Count; start += perChunk)
        {
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            var parameters = new DynamicParameters();
            var end = Math.Min(rows.Count, start + perChunk);
            for (var r = start; r < end; r++)
            {
                sql.Append(r == start ? "(" : ", (");
                for (var k = 0; k < columns.Count; k++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"p{r - start}_{k}");
                    sql.Append(k == 0 ? "@" : ", @").Append(name);
                    parameters.Add(name, rows[r][k]);
                }

                sql.Append(')');
            }

            sql.Append(suffix);
            if (returning is not null)
            {
                sql.Append(" RETURNING ").Append(returning);
            }

            yield return (sql.ToString(), parameters);
        }
    }
}
