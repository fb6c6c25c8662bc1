using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

/// <summary>The result of checking the chain: how many entries, and the first one that does not verify (and why).</summary>
public sealed record AuditVerification(bool Ok, long Entries, long? BrokenAt, string? Problem);

/// <summary>
/// Recomputes every entry's hash in order and checks that each links to the one before, that the sequence has no
/// gap, and that the head matches the last entry. An edited, inserted or deleted entry (including the last) is found.
/// </summary>
public sealed class AuditVerifier(Database db)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // One snapshot for the head and the entries, so that appends running meanwhile are not mistaken for damage.
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var head = await c.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT seq, hash FROM audit_head WHERE id = 1", transaction: tx, cancellationToken: ct));
        var prev = AuditLog.Genesis;
        long expected = 0;
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(AuditQueries.Select + " ORDER BY seq", transaction: tx, cancellationToken: ct));
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

            if (AuditLog.HashOf(e) != e.Hash)
            {
                return new(false, expected - 1, e.Seq, $"entry {e.Seq} was altered: its hash does not match its content");
            }

            prev = e.Hash;
        }

        if (head.Seq != expected || head.Hash != prev)
        {
            return new(false, expected, expected + 1, $"the chain ends at entry {expected} but the head records {head.Seq}: entries were removed");
        }

        return new(true, expected, null, null);
    }
}
