using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Kawal.Identity;

/// <summary>What changed: an action on an entity, with its state before and after (any JSON-serialisable values).</summary>
public sealed record AuditEvent(string Action, string EntityType, string? EntityId, object? Before = null, object? After = null, string? RegionCode = null);

/// <summary>One stored entry of the audit log.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Role, string Action, string EntityType, string? EntityId,
    string? RegionCode, string? BeforeJson, string? AfterJson, string PrevHash, string Hash);

/// <summary>
/// The append-only, hash-chained audit log, keyed with the audit key (<see cref="AuditKey"/>) since identity migration 0003. <see cref="AppendAsync"/> runs inside the caller's transaction, as its last
/// statement before commit: it takes the chain's head row (a row lock on PostgreSQL, the write lock on SQLite), so
/// appends are serialised and the entry commits or rolls back with the change it records.
/// </summary>
public static class AuditLog
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task AppendAsync(DbConnection c, DbTransaction tx, Caller caller, DateTimeOffset now, IEnumerable<AuditEvent> events, CancellationToken ct)
    {
        var list = events as IReadOnlyList<AuditEvent> ?? events.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var db = Kawal.Data.Database.Of(c);
        var key = db?.AuditKey
            ?? throw new KawalException("the audit key is not loaded: the audit log cannot be appended to (docs/operations.md, audit.key)");
        await AuditKeyCheck.EnsureAsync(c, tx, db!, now, ct); // the key that writes this chain, as every node must hold it
        var head = await c.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "UPDATE audit_head SET seq = seq + @n WHERE id = 1 RETURNING seq - @n, hash", new { n = list.Count }, tx, cancellationToken: ct));
        var at = Truncate(now);
        var prev = head.Hash;
        var seq = head.Seq;
        var rows = new List<AuditEntry>(list.Count);
        foreach (var e in list)
        {
            seq++;
            var entry = new AuditEntry(seq, at, caller.Actor, caller.Role.Name(), e.Action, e.EntityType, e.EntityId, e.RegionCode,
                e.Before is null ? null : JsonSerializer.Serialize(e.Before, Json), e.After is null ? null : JsonSerializer.Serialize(e.After, Json), prev, "");
            entry = entry with { Hash = KeyedHashOf(entry, key) };
            rows.Add(entry);
            prev = entry.Hash;
        }

        const string Insert = """
            INSERT INTO audit_log (seq, at, actor, role, action, entity_type, entity_id, region_code, before_json, after_json, prev_hash, hash)
            VALUES (@Seq, @At, @Actor, @Role, @Action, @EntityType, @EntityId, @RegionCode, @BeforeJson, @AfterJson, @PrevHash, @Hash)
            """;
        if (rows.Count == 1)
        {
            // One event (most changes): the entry and the chain's new head in one round trip.
            await c.ExecuteAsync(new CommandDefinition(Insert + ";\nUPDATE audit_head SET hash = @Hash WHERE id = 1", rows[0], tx, cancellationToken: ct));
            return;
        }

        await c.ExecuteAsync(new CommandDefinition(Insert, rows, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE audit_head SET hash = @prev WHERE id = 1", new { prev }, tx, cancellationToken: ct));
    }

    public static Task AppendAsync(DbConnection c, DbTransaction tx, Caller caller, DateTimeOffset now, AuditEvent e, CancellationToken ct) =>
        AppendAsync(c, tx, caller, now, [e], ct);

    /// <summary>
    /// The unkeyed hash of entries written before the chain was keyed: SHA-256 over the entry's fields (a JSON array:
    /// unambiguous) and the previous hash, as lowercase hex. Anyone can recompute it, so it only detects accidents.
    /// </summary>
    public static string HashOf(AuditEntry e) => Convert.ToHexStringLower(SHA256.HashData(Canonical(e)));

    /// <summary>The keyed hash of every entry written since: HMAC-SHA256 with the audit key over the same bytes.</summary>
    public static string KeyedHashOf(AuditEntry e, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Canonical(e)));

    private static byte[] Canonical(AuditEntry e)
    {
        string?[] fields =
        [
            e.Seq.ToString(CultureInfo.InvariantCulture), Instant(e.At), e.Actor, e.Role, e.Action, e.EntityType, e.EntityId, e.RegionCode,
            e.BeforeJson, e.AfterJson, e.PrevHash,
        ];
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fields));
    }

    /// <summary>Instants are kept to the millisecond so that both engines store exactly what was hashed.</summary>
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    internal static string Instant(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
