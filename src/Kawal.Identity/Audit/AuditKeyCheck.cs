using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

/// <summary>
/// Every process that appends to one audit chain must hold the same audit key: it stays outside the database on purpose
/// (docs/security.md, audit), so each node is given the same key file. The database records which key writes the chain,
/// as a fingerprint — HMAC-SHA256 with the key over a fixed text that no entry or checkpoint is (those are a JSON array
/// and a line of fields), so it reveals nothing of the key and signs nothing else. The first process to check records
/// its key (after checking that it hashed the chain's last entry, if that entry is keyed); a process whose key differs is
/// refused: <c>serve</c> does not start and nothing is appended with a wrong key, which would break the chain.
/// </summary>
public static class AuditKeyCheck
{
    private const string FingerprintText = "kawal audit key fingerprint v1";

    // Databases whose recorded key this process's key was found to match (checked once per process).
    private static readonly ConditionalWeakTable<Database, object> Matched = new();

    /// <summary>The key's fingerprint (hex) as <c>audit_keys</c> records it; its first 16 hex digits are its key id.</summary>
    public static string Fingerprint(byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(FingerprintText)));

    /// <summary>Checks (and, the first time, records) this process's audit key in its own transaction; for a node's start.</summary>
    public static async Task EnsureAsync(Database db, TimeProvider time, CancellationToken ct = default)
    {
        if (Matched.TryGetValue(db, out _))
        {
            return;
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await EnsureAsync(c, tx, db, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        Matched.TryAdd(db, db);
    }

    /// <summary>As above inside the caller's transaction (an append): remembered only once the recorded key was seen committed.</summary>
    internal static async Task EnsureAsync(DbConnection c, DbTransaction tx, Database db, DateTimeOffset now, CancellationToken ct)
    {
        if (Matched.TryGetValue(db, out _))
        {
            return;
        }

        var key = db.AuditKey ?? throw new KawalException("the audit key is not loaded (docs/operations.md, audit.key)");
        var mine = Fingerprint(key);
        var recorded = await CurrentAsync(c, tx, ct);
        if (recorded is null)
        {
            await CheckLastEntryAsync(c, tx, key, ct);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit_keys (generation, key_id, fingerprint, created_ms) VALUES (1, @id, @mine, @now) ON CONFLICT (generation) DO NOTHING",
                new { id = mine[..16], mine, now = now.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            recorded = await CurrentAsync(c, tx, ct); // another process's key, if it recorded one first
            if (recorded != mine)
            {
                throw Mismatch(recorded);
            }

            return; // recorded in the caller's transaction, which may still roll back: checked again next time
        }

        if (recorded != mine)
        {
            throw Mismatch(recorded);
        }

        Matched.TryAdd(db, db);
    }

    private static async Task<string?> CurrentAsync(DbConnection c, DbTransaction tx, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT fingerprint FROM audit_keys ORDER BY generation DESC LIMIT 1", transaction: tx, cancellationToken: ct));

    /// <summary>Before any key is recorded (a chain written before identity migration 0004): the last entry, if keyed, must be this key's.</summary>
    private static async Task CheckLastEntryAsync(DbConnection c, DbTransaction tx, byte[] key, CancellationToken ct)
    {
        var last = await c.QuerySingleOrDefaultAsync<AuditQueries.AuditRow>(new CommandDefinition(
            AuditQueries.Select + " ORDER BY seq DESC LIMIT 1", transaction: tx, cancellationToken: ct));
        if (last?.ToEntry() is { } e && AuditLog.KeyedHashOf(e, key) != e.Hash && AuditLog.HashOf(e) != e.Hash)
        {
            throw new KawalException($"this node's audit key did not write the audit chain (entry {e.Seq} does not verify with it): give every node the same " +
                                     "audit.key file as the node that wrote the chain (docs/operations.md, several nodes)");
        }
    }

    private static KawalException Mismatch(string? recorded) =>
        new($"this node's audit key is not the one that writes the audit chain (recorded key {recorded?[..16]}): " +
            "every node must be given the same audit.key file (docs/operations.md, several nodes); refusing to append with another key");
}
