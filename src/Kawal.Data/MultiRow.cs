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
    public static Task<List<T>> InsertAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns,
        IReadOnlyList<object?[]> rows, string returning, CancellationToken ct) => ReturningAsync<T>(c, tx, table, columns, rows, returning, "", ct);

    public static Task InsertAsync(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct) =>
        InsertAsync(c, tx, table, columns, rows, static (row, values) =>
        {
            foreach (var value in row)
            {
                values.Value(value);
            }
        }, ct);

    /// <summary>
    /// Inserts typed rows: <paramref name="write"/> hands each row's values, in column order, straight to the engine (a
    /// binary COPY row, a SQLite statement's parameters) — no array of boxed values per row. For the largest inserts
    /// (a billing run's lines).
    /// </summary>
    public static async Task InsertAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<T> rows, Action<T, RowValues> write,
        CancellationToken ct)
    {
        if (c is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            SqliteRaw(sqlite, table, columns, rows, write);
            return;
        }

        if (c is Npgsql.NpgsqlConnection pg)
        {
            await CopyAsync(pg, table, columns, rows, write, ct);
            return;
        }

        var boxed = new BoxedValues(table, columns.Count);
        foreach (var (sql, parameters) in Chunks(table, columns, rows.Select(r => boxed.Row(r, write)).ToList(), null))
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

    /// <summary>
    /// Inserts the rows, skipping any that would violate a unique constraint; returns what <paramref name="returning"/>
    /// selects of the rows inserted (none of those skipped).
    /// </summary>
    public static Task<List<T>> InsertIgnoringConflictsAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows,
        string returning, CancellationToken ct) => ReturningAsync<T>(c, tx, table, columns, rows, returning, OnConflict, ct);

    private const string OnConflict = " ON CONFLICT DO NOTHING";

    private static async Task<List<T>> ReturningAsync<T>(DbConnection c, DbTransaction? tx, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows,
        string returning, string suffix, CancellationToken ct)
    {
        if (c is Microsoft.Data.Sqlite.SqliteConnection)
        {
            return await SqliteAsync<T>(c, tx, table, columns, rows, returning, ct, suffix);
        }

        var result = new List<T>(rows.Count);
        foreach (var (sql, parameters) in Chunks(table, columns, rows, returning, suffix))
        {
            result.AddRange(await c.QueryAsync<T>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct)));
        }

        return result;
    }

    /// <summary>
    /// PostgreSQL binary COPY, in the connection's current transaction: rows encoded by <see cref="CopyValues"/> and sent
    /// through Npgsql's raw COPY stream in pieces of about 64 KiB. A failure before the end cancels the COPY.
    /// </summary>
    private static async Task CopyAsync<T>(Npgsql.NpgsqlConnection c, string table, IReadOnlyList<string> columns, IReadOnlyList<T> rows, Action<T, RowValues> write, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        const int Piece = 60 * 1024;
        var values = new CopyValues(table, columns.Count);
        var stream = await c.BeginRawBinaryCopyAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct);
        var done = false;
        try
        {
            values.BeginCopy();
            foreach (var row in rows)
            {
                values.BeginRow();
                write(row, values);
                values.End();
                if (values.Length >= Piece)
                {
                    await stream.WriteAsync(values.Pending, ct);
                    values.Sent();
                }
            }

            values.EndCopy();
            await stream.WriteAsync(values.Pending, ct);
            values.Sent();
            done = true;
        }
        finally
        {
            try
            {
                if (!done)
                {
                    await CancelQuietlyAsync(stream); // the failure that stopped the rows is the one to report
                }

                await stream.DisposeAsync(); // ends the COPY: the table's checks report here
            }
            finally
            {
                values.Release();
            }
        }
    }

    private static async Task CancelQuietlyAsync(Npgsql.NpgsqlRawCopyStream stream)
    {
        try
        {
            await stream.CancelAsync();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or IOException)
        {
            // the COPY or the connection had already failed
        }
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
    private static void SqliteRaw<T>(Microsoft.Data.Sqlite.SqliteConnection c, string table, IReadOnlyList<string> columns, IReadOnlyList<T> rows, Action<T, RowValues> write)
    {
        var db = c.Handle!;
        var bound = new SqliteBoundValues(db, table, columns.Count);
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

                bound.Statement = stmt!;
                for (var r = 0; r < count; r++)
                {
                    bound.Start(r);
                    write(rows[start + r], bound);
                    bound.End();
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
    }

    /// <summary>A failed SQLite call as Microsoft.Data.Sqlite reports it (the same <see cref="Microsoft.Data.Sqlite.SqliteException"/> and codes).</summary>
    internal static void Check(int rc, SQLitePCL.sqlite3 db)
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
