using System.Text;
using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

/// <summary>Filters of the audit browser; all optional. Dates are inclusive days (UTC).</summary>
public sealed record AuditSearch(string? Actor = null, string? Action = null, string? EntityType = null, string? EntityId = null,
    DateOnly? From = null, DateOnly? To = null, int Page = 1, int PageSize = 50);

/// <summary>Reads of the audit log for administrators (the page, the CSV export, <c>kawal audit list</c>).</summary>
public sealed class AuditQueries(Database db, TimeProvider time)
{
    internal const string Select =
        "SELECT seq AS Seq, at AS At, actor AS Actor, role AS Role, action AS Action, entity_type AS EntityType, entity_id AS EntityId, " +
        "region_code AS RegionCode, before_json AS BeforeJson, after_json AS AfterJson, prev_hash AS PrevHash, hash AS Hash FROM audit_log";

    public async Task<Page<AuditEntry>> SearchAsync(Caller caller, AuditSearch q, CancellationToken ct = default)
    {
        caller.Demand(Permission.AuditRead);
        if (q.Page < 1 || q.PageSize is < 1 or > 1000)
        {
            throw new UsageException("page must be 1 or more and pageSize from 1 to 1000", "page") { Indonesian = "Halaman paling kecil 1, dan jumlah baris per halaman 1 sampai 1000." };
        }

        var (filter, args) = Filter(q);
        args.Add("Size", q.PageSize);
        args.Add("Offset", (q.Page - 1) * q.PageSize);
        await using var c = await db.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM audit_log {filter}", args, cancellationToken: ct));
        var rows = await c.QueryAsync<AuditRow>(new CommandDefinition($"{Select} {filter} ORDER BY seq DESC LIMIT @Size OFFSET @Offset", args, cancellationToken: ct));
        return new Page<AuditEntry>(rows.Select(r => r.ToEntry()).ToList(), (int)total, q.Page, q.PageSize);
    }

    /// <summary>Every matching entry, oldest first, streamed as CSV.</summary>
    public async Task ExportCsvAsync(Caller caller, AuditSearch q, TextWriter output, CancellationToken ct = default)
    {
        caller.Demand(Permission.AuditRead);
        var (filter, args) = Filter(q);
        await using var c = await db.OpenAsync(ct);
        await output.WriteLineAsync("seq,at,actor,role,action,entity_type,entity_id,region_code,before,after,prev_hash,hash");
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition($"{Select} {filter} ORDER BY seq", args, cancellationToken: ct));
        var parser = reader.GetRowParser<AuditRow>();
        while (await reader.ReadAsync(ct))
        {
            var e = parser(reader).ToEntry();
            await output.WriteLineAsync(string.Join(',', new[]
            {
                e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                e.Actor, e.Role, e.Action, e.EntityType, e.EntityId, e.RegionCode, e.BeforeJson, e.AfterJson, e.PrevHash, e.Hash,
            }.Select(v => Csv.Field(Csv.Neutralise(v)))));
        }

        await reader.DisposeAsync();
        await using var tx = await c.BeginTransactionAsync(ct);
        await AuditLog.AppendAsync(c, tx, caller, time.GetUtcNow(), new AuditEvent("audit.export", "audit_log", null, After: q with { Page = 1, PageSize = 0 }), ct);
        await tx.CommitAsync(ct);
    }

    private static (string Filter, DynamicParameters Args) Filter(AuditSearch q)
    {
        var where = new StringBuilder();
        var args = new DynamicParameters();
        void Add(string clause, string name, object? value)
        {
            where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(clause);
            args.Add(name, value);
        }

        if (!string.IsNullOrWhiteSpace(q.Actor))
        {
            Add("actor = @Actor", "Actor", q.Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q.Action))
        {
            Add("action LIKE @Action || '%'", "Action", q.Action.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q.EntityType))
        {
            Add("entity_type = @EntityType", "EntityType", q.EntityType.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q.EntityId))
        {
            Add("entity_id = @EntityId", "EntityId", q.EntityId.Trim());
        }

        if (q.From is { } from)
        {
            Add("at >= @From", "From", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        if (q.To is { } to)
        {
            Add("at < @To", "To", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        return (where.ToString(), args);
    }

    internal sealed class AuditRow
    {
        public long Seq { get; set; }
        public DateTimeOffset At { get; set; }
        public string Actor { get; set; } = "";
        public string Role { get; set; } = "";
        public string Action { get; set; } = "";
        public string EntityType { get; set; } = "";
        public string? EntityId { get; set; }
        public string? RegionCode { get; set; }
        public string? BeforeJson { get; set; }
        public string? AfterJson { get; set; }
        public string PrevHash { get; set; } = "";
        public string Hash { get; set; } = "";

        public AuditEntry ToEntry() => new(Seq, At, Actor, Role, Action, EntityType, EntityId, RegionCode, BeforeJson, AfterJson, PrevHash, Hash);
    }
}
