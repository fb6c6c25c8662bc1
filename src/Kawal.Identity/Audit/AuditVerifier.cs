using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

/// <summary>The result of checking the chain: how many entries, and the first one that does not verify (and why).</summary>
public sealed record AuditVerification(bool Ok, long Entries, long? BrokenAt, string? Problem);

/// <summary>
/// Recomputes every entry's hash in order — the unkeyed SHA-256 before the first keyed entry, HMAC-SHA256 with the
/// audit key from it on — and checks that each links to the one before, that the sequence has no gap, that the head
/// matches the last entry, and that every signed checkpoint of the checkpoint file (kept outside the database) is
/// still there with the same hash. An edited, inserted or deleted entry, a chain recomputed without the key, a removed
/// tail with the head reset, and an emptied table are found.
/// </summary>
public sealed class AuditVerifier(Database db, AuditCheckpoints? checkpoints = null)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        var key = db.AuditKey ?? throw new KawalException("the audit key is not loaded: the keyed chain cannot be verified (docs/operations.md, audit.key)");
        var marks = checkpoints?.Read() ?? [];
        foreach (var m in marks)
        {
            if (!checkpoints!.IsSigned(m))
            {
                return new(false, 0, m.Seq, $"the checkpoint of {m.At} (entry {m.Seq}) in {checkpoints.Path} is not signed with this audit key: the checkpoint file was altered or the key replaced");
            }
        }

        var keyedFrom = marks.Count > 0 ? marks[0].KeyedFrom : (long?)null;
        var bySeq = marks.GroupBy(m => m.Seq).ToDictionary(g => g.Key, g => g.ToList());
        var last = marks.Count > 0 ? marks.MaxBy(m => m.Seq) : null;

        await using var c = await db.OpenAsync(ct);
        // One snapshot for the head and the entries, so that appends running meanwhile are not mistaken for damage.
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var head = await c.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT seq, hash FROM audit_head WHERE id = 1", transaction: tx, cancellationToken: ct));
        var prev = AuditLog.Genesis;
        long expected = 0;
        await using (var reader = await c.ExecuteReaderAsync(new CommandDefinition(AuditQueries.Select + " ORDER BY seq", transaction: tx, cancellationToken: ct)))
        {
            var parser = reader.GetRowParser<AuditQueries.AuditRow>();
            while (await reader.ReadAsync(ct))
            {
                var e = parser(reader).ToEntry();
                expected++;
                if (e.Seq != expected)
                {
                    return new(false, expected - 1, expected, $"entry {expected} is missing (next is {e.Seq})");
                }

                if (e.PrevHash != prev)
                {
                    return new(false, expected - 1, e.Seq, $"entry {e.Seq} does not link to entry {e.Seq - 1}");
                }

                // Without checkpoints the first keyed entry is where the keyed hashes begin; after it, every entry must be keyed.
                var keyed = AuditLog.KeyedHashOf(e, key) == e.Hash;
                keyedFrom ??= keyed ? e.Seq : null;
                var ok = e.Seq >= keyedFrom ? keyed : AuditLog.HashOf(e) == e.Hash;
                if (!ok)
                {
                    return new(false, expected - 1, e.Seq, $"entry {e.Seq} was altered: its hash does not match its content under the audit key (rewrite at entry {e.Seq})");
                }

                if (bySeq.TryGetValue(e.Seq, out var at) && at.FirstOrDefault(m => m.Hash != e.Hash) is { } differs)
                {
                    return new(false, expected - 1, e.Seq, $"entry {e.Seq} differs from the checkpoint of {differs.At}: the chain was rewritten (rewrite at entry {e.Seq})");
                }

                prev = e.Hash;
            }
        }

        if (last is not null && last.Seq > expected)
        {
            var reset = head.Seq < last.Seq ? $"; the head was reset to entry {head.Seq} (head reset)" : "";
            return new(false, expected, expected + 1,
                $"the log ends at entry {expected} but the checkpoint of {last.At} records entry {last.Seq}: entries {expected + 1}–{last.Seq} were removed (truncation){reset}");
        }

        if (last is not null && head.Seq < last.Seq)
        {
            return new(false, expected, head.Seq + 1, $"the head records entry {head.Seq} but the checkpoint of {last.At} records entry {last.Seq} (head reset)");
        }

        if (head.Seq != expected || head.Hash != prev)
        {
            return new(false, expected, expected + 1, $"the chain ends at entry {expected} but the head records {head.Seq}: entries were removed");
        }

        return new(true, expected, null, null);
    }
}
