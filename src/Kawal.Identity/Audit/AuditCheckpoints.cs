using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

/// <summary>
/// A signed statement that the audit chain had reached entry <see cref="Seq"/> with hash <see cref="Hash"/> at
/// <see cref="At"/>. <see cref="KeyedFrom"/> is the first entry hashed with the audit key (earlier ones carry the
/// unkeyed SHA-256 of before identity migration 0003); <see cref="Sig"/> is HMAC-SHA256 with the audit key over the rest.
/// </summary>
public sealed record AuditCheckpoint(long Seq, string Hash, string At, long KeyedFrom, string Sig);

/// <summary>
/// The checkpoint file: one JSON line per checkpoint, appended, never rewritten, kept outside the database
/// (<c>audit-checkpoints.log</c> in the data folder). Written every <see cref="EveryEntries"/> entries or every few
/// minutes by the server, and on demand by <c>kawal audit checkpoint</c>; published at GET /api/v1/audit/checkpoints.
/// </summary>
public sealed class AuditCheckpoints(Database db, string path, TimeProvider time)
{
    public const string FileName = "audit-checkpoints.log";
    public const long EveryEntries = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Path { get; } = path;

    private byte[] Key => db.AuditKey ?? throw new KawalException("the audit key is not loaded (docs/operations.md, audit.key)");

    /// <summary>Every checkpoint in the file, oldest first (an empty list when there is no file yet).</summary>
    public IReadOnlyList<AuditCheckpoint> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var list = new List<AuditCheckpoint>();
        var n = 0;
        foreach (var line in File.ReadLines(Path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                list.Add(JsonSerializer.Deserialize<AuditCheckpoint>(line, Json) ?? throw new JsonException("null"));
            }
            catch (JsonException x)
            {
                throw new KawalException($"{Path} line {n} is not a checkpoint: {x.Message}", x);
            }
        }

        return list;
    }

    /// <summary>The signature a checkpoint must carry.</summary>
    public string SignatureOf(AuditCheckpoint c)
    {
        var text = string.Join('\n', "kawal-audit-checkpoint-v1", c.Seq.ToString(CultureInfo.InvariantCulture), c.Hash, c.At, c.KeyedFrom.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(text)));
    }

    public bool IsSigned(AuditCheckpoint c) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SignatureOf(c)), Encoding.ASCII.GetBytes(c.Sig));

    /// <summary>
    /// Appends a checkpoint of the chain's head, unless the head has not moved since the last one (then that one is
    /// returned). A head behind the last checkpoint is refused: it is the mark of removed entries, not a new state.
    /// </summary>
    public async Task<AuditCheckpoint> WriteAsync(CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            var existing = Read();
            var last = existing.Count > 0 ? existing[^1] : null;
            await using var c = await db.OpenAsync(ct);
            var head = await c.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT seq, hash FROM audit_head WHERE id = 1", cancellationToken: ct));
            if (last is not null && head.Seq < last.Seq)
            {
                throw new KawalException($"the audit head records entry {head.Seq} but checkpoint {last.At} recorded entry {last.Seq}: entries were removed and the head reset (run kawal audit verify)");
            }

            if (last is not null && head.Seq == last.Seq && head.Hash == last.Hash)
            {
                return last;
            }

            var keyedFrom = last?.KeyedFrom ?? await FirstKeyedAsync(c, head.Seq, ct);
            var cp = new AuditCheckpoint(head.Seq, head.Hash, AuditLog.Instant(time.GetUtcNow()), keyedFrom, "");
            cp = cp with { Sig = SignatureOf(cp) };
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            await using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(cp, Json) + "\n");
                await stream.WriteAsync(bytes, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }

            return cp;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>When the head moved by <see cref="EveryEntries"/> or more, or moved at all and the last checkpoint is older than <paramref name="age"/>.</summary>
    public async Task<AuditCheckpoint?> WriteIfDueAsync(TimeSpan age, CancellationToken ct = default)
    {
        var existing = Read();
        var last = existing.Count > 0 ? existing[^1] : null;
        long headSeq;
        await using (var c = await db.OpenAsync(ct))
        {
            headSeq = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT seq FROM audit_head WHERE id = 1", cancellationToken: ct));
        }

        var lastAt = last is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(last.At, CultureInfo.InvariantCulture);
        var due = last is null ? headSeq > 0 : headSeq - last.Seq >= EveryEntries || (headSeq != last.Seq && time.GetUtcNow() - lastAt >= age);
        return due ? await WriteAsync(ct) : null;
    }

    /// <summary>
    /// The first entry whose hash is keyed (entries before the upgrade carry the unkeyed hash), found once, for the
    /// first checkpoint; later checkpoints repeat it so that a rewrite of keyed entries as unkeyed ones is found.
    /// </summary>
    private async Task<long> FirstKeyedAsync(System.Data.Common.DbConnection c, long headSeq, CancellationToken ct)
    {
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(AuditQueries.Select + " ORDER BY seq", cancellationToken: ct));
        var parser = reader.GetRowParser<AuditQueries.AuditRow>();
        while (await reader.ReadAsync(ct))
        {
            var e = parser(reader).ToEntry();
            if (AuditLog.KeyedHashOf(e, Key) == e.Hash)
            {
                return e.Seq;
            }
        }

        return headSeq + 1;
    }
}
