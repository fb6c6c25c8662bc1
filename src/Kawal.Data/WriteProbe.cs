using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kawal.Data;

/// <summary>What a write probe found: the database took the write, was busy with another writer, or refused it.</summary>
public enum WriteState
{
    Ok,

    /// <summary>Another writer held the lock past the probe's short wait (a long import on SQLite): writable, only busy.</summary>
    Busy,

    /// <summary>The write was refused: a read-only file or file system, a read-only server or transaction, a full disk.</summary>
    Failed,
}

public sealed record WriteCheck(WriteState State, string? Error);

/// <summary>
/// Whether the database takes writes now (for <c>/health</c>): commits one upsert of this node's row in <c>health_probe</c>.
/// A database that answers reads but refuses writes — a read-only SQLite file, a PostgreSQL standby or
/// <c>default_transaction_read_only</c>, a full disk — fails it.
/// </summary>
public static class WriteProbe
{
    /// <summary>How long the probe waits for another writer's lock before it reports the database busy.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    public static async Task<WriteCheck> RunAsync(Database db, TimeProvider time, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        try
        {
            if (db.Engine == Engine.Sqlite)
            {
                // Per connection; the next open of this pooled connection sets Kawal's usual busy timeout again.
                await c.ExecuteAsync(new CommandDefinition($"PRAGMA busy_timeout = {(int)LockWait.TotalMilliseconds}", cancellationToken: ct));
            }

            await using var tx = await c.BeginTransactionAsync(ct);
            if (db.Engine == Engine.Postgres)
            {
                await c.ExecuteAsync(new CommandDefinition($"SET LOCAL lock_timeout = {(int)LockWait.TotalMilliseconds}", transaction: tx, cancellationToken: ct));
            }

            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO health_probe (host, probed_ms) VALUES (@host, @now) ON CONFLICT (host) DO UPDATE SET probed_ms = excluded.probed_ms",
                new { host = Leases.Host, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new WriteCheck(WriteState.Ok, null);
        }
        catch (DbException e) when (IsBusy(e))
        {
            return new WriteCheck(WriteState.Busy, null);
        }
        catch (DbException e)
        {
            return new WriteCheck(WriteState.Failed, e is PostgresException p ? $"{p.MessageText} ({p.SqlState})" : e.Message);
        }
    }

    // SQLITE_BUSY and SQLITE_LOCKED; PostgreSQL lock_not_available (lock_timeout).
    private static bool IsBusy(DbException e) => e is SqliteException { SqliteErrorCode: 5 or 6 } or PostgresException { SqlState: "55P03" };
}
