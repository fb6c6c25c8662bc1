using Dapper;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Registry.Features;

public sealed record MembershipChange(DateTimeOffset ChangedAt, string ChangedBy, string Change, long? OldWage, long? NewWage, string? OldValue, string? NewValue);

public sealed record MembershipView(long Id, string Segment, string? EmployerNpp, string? EmployerName, string Category, string? Occupation, string Payer,
    string Programmes, long Wage, DateOnly From, DateOnly? To, string Status, string RegionCode, IReadOnlyList<MembershipChange> History);

public sealed record ParticipantView(string Nik, string Kpj, string Name, string? Sex, string BirthDate, string? Phone, string DomicileRegionCode, IReadOnlyList<MembershipView> Memberships);

public sealed record ParticipantSummary(string Nik, string Kpj, string Name, string? Sex, string BirthDate, string DomicileRegionCode);

public sealed record EmployerView(string Npp, string? Nib, string Name, string Kind, string RegionCode, int RiskClass, string Size, string? Address, string Status, int ActiveMemberships);

/// <summary>Filters of the participant search; all optional. Region matches the membership's region or the domicile, at any level.</summary>
public sealed record ParticipantSearch(string? Name = null, string? NikPrefix = null, string? EmployerNpp = null, string? RegionCode = null,
    string? Segment = null, string? Category = null, int Page = 1, int PageSize = 50);

public sealed record EmployerSearch(string? Name = null, string? RegionCode = null, string? Kind = null, int Page = 1, int PageSize = 50);

/// <summary>
/// Reads of the registry: one record by its key, and paged searches. Each takes the caller: records outside their
/// scope are not found (null, so the API answers 404 and existence does not leak), and NIK and phone are masked for
/// callers without the personal-data permission.
/// </summary>
public sealed class RegistryQueries(Database db)
{
    public async Task<ParticipantView?> GetParticipantAsync(string nikOrKpj, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryRead);
        await using var c = await db.OpenAsync(ct);
        var p = await c.QuerySingleOrDefaultAsync<ParticipantRow>(new CommandDefinition(
            $"{ParticipantSelect} WHERE (p.nik = @key OR p.kpj = @key) AND {RegistryScope.Participant(caller, "p")}",
            RegistryScope.Args(caller, new { key = nikOrKpj }), cancellationToken: ct));
        if (p is null)
        {
            return null;
        }

        var memberships = (await c.QueryAsync<MembershipRow>(new CommandDefinition(
            $"""
            {MembershipSelect} WHERE m.participant_id = @Id AND {RegistryScope.Membership(caller, "m")} ORDER BY m.valid_from, m.id
            """, RegistryScope.Args(caller, new { p.Id }), cancellationToken: ct))).ToList();
        var history = (await c.QueryAsync<HistoryRow>(new CommandDefinition(
            $"""
            SELECT membership_id AS MembershipId, changed_at AS ChangedAt, changed_by AS ChangedBy, change AS Change, old_wage AS OldWage, new_wage AS NewWage,
                   old_value AS OldValue, new_value AS NewValue
            FROM membership_history WHERE {db.Dialect.InList("membership_id", "@ids")} ORDER BY id
            """, new { ids = db.Dialect.ListValue(memberships.Select(m => m.Id).ToList()) }, cancellationToken: ct))).ToLookup(h => h.MembershipId);
        return new ParticipantView(caller.ShowNik(p.Nik), p.Kpj ?? "", p.Name, caller.ShowSex(p.Sex), caller.ShowBirth(p.BirthDate), caller.Has(Permission.PersonalData) ? p.Phone : null, p.Domicile, memberships.Select(m => new MembershipView(
            m.Id, m.Segment, m.EmployerNpp, m.EmployerName, m.Category, m.Occupation, m.Payer,
            m.Programmes, m.Wage, m.ValidFrom, m.ValidTo, m.Status, m.RegionCode,
            [Created(m, history[m.Id]), .. history[m.Id].Select(h => new MembershipChange(h.ChangedAt, h.ChangedBy, h.Change, h.OldWage, h.NewWage, h.OldValue, h.NewValue))])).ToList());
    }

    /// <summary>
    /// The history's first entry: who created the membership and when (kept on the membership), with the values it was
    /// created with — its current ones, or the old value of the first change of each kind.
    /// </summary>
    private static MembershipChange Created(MembershipRow m, IEnumerable<HistoryRow> changes)
    {
        string? First(string change) => changes.FirstOrDefault(h => h.Change == change)?.OldValue;
        var wage = changes.FirstOrDefault(h => h.Change == "wage")?.OldWage ?? m.Wage;
        return new MembershipChange(m.CreatedAt, m.CreatedBy ?? "", "created", null, wage, null, $"{m.Segment} {First("programmes") ?? m.Programmes} {First("payer") ?? m.Payer}");
    }

    public async Task<EmployerView?> GetEmployerAsync(string npp, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryRead);
        await using var c = await db.OpenAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<EmployerRow>(new CommandDefinition(
            $"{EmployerSelect} WHERE e.npp = @npp AND {RegistryScope.Employer(caller, "e")}", RegistryScope.Args(caller, new { npp }), cancellationToken: ct)))?.ToView();
    }

    public async Task<Page<ParticipantSummary>> SearchParticipantsAsync(ParticipantSearch q, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryRead);
        if (!string.IsNullOrWhiteSpace(q.NikPrefix) && !caller.Has(Permission.PersonalData))
        {
            throw new ForbiddenException("searching by NIK needs the personal-data permission") { Indonesian = "Pencarian menurut NIK memerlukan wewenang melihat data pribadi; cari menurut nama atau KPJ." };
        }

        var (page, size) = Paging(q.Page, q.PageSize);
        var where = new List<string> { RegistryScope.Participant(caller, "p") };
        if (!string.IsNullOrWhiteSpace(q.Name))
        {
            where.Add(db.Dialect.ContainsIgnoreCase("p.name", "@Name"));
        }

        if (!string.IsNullOrWhiteSpace(q.NikPrefix))
        {
            where.Add("p.nik LIKE @NikPrefix || '%'");
        }

        var membership = new List<string>();
        if (!string.IsNullOrWhiteSpace(q.EmployerNpp))
        {
            membership.Add("m.employer_id = (SELECT id FROM employers WHERE npp = @EmployerNpp)");
        }

        if (!string.IsNullOrWhiteSpace(q.Segment))
        {
            membership.Add("m.segment = @Segment");
        }

        if (!string.IsNullOrWhiteSpace(q.Category))
        {
            membership.Add("m.category = @Category");
        }

        if (!string.IsNullOrWhiteSpace(q.RegionCode))
        {
            where.Add("(p.domicile_region_code = @RegionCode OR p.domicile_region_code LIKE @RegionCode || '.%' OR EXISTS (SELECT 1 FROM memberships r WHERE r.participant_id = p.id AND (r.region_code = @RegionCode OR r.region_code LIKE @RegionCode || '.%')))");
        }

        if (membership.Count > 0)
        {
            where.Add($"EXISTS (SELECT 1 FROM memberships m WHERE m.participant_id = p.id AND {string.Join(" AND ", membership)})");
        }

        var filter = "WHERE " + string.Join(" AND ", where);
        var args = RegistryScope.Args(caller, new { q.Name, q.NikPrefix, q.EmployerNpp, q.Segment, q.Category, q.RegionCode, Size = size, Offset = (page - 1) * size });
        await using var c = await db.OpenReadAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM participants p {filter}", args, cancellationToken: ct));
        var rows = await c.QueryAsync<ParticipantRow>(new CommandDefinition(
            $"{ParticipantSelect} {filter} ORDER BY p.name, p.nik LIMIT @Size OFFSET @Offset",
            args, cancellationToken: ct));
        return new Page<ParticipantSummary>(rows.Select(r => new ParticipantSummary(caller.ShowNik(r.Nik), r.Kpj ?? "", r.Name, caller.ShowSex(r.Sex), caller.ShowBirth(r.BirthDate), r.Domicile)).ToList(), (int)total, page, size);
    }

    public async Task<Page<EmployerView>> SearchEmployersAsync(EmployerSearch q, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryRead);
        var (page, size) = Paging(q.Page, q.PageSize);
        var where = new List<string> { RegistryScope.Employer(caller, "e") };
        if (!string.IsNullOrWhiteSpace(q.Name))
        {
            where.Add(db.Dialect.ContainsIgnoreCase("e.name", "@Name"));
        }

        if (!string.IsNullOrWhiteSpace(q.RegionCode))
        {
            where.Add("(e.region_code = @RegionCode OR e.region_code LIKE @RegionCode || '.%')");
        }

        if (!string.IsNullOrWhiteSpace(q.Kind))
        {
            where.Add("e.kind = @Kind");
        }

        var filter = "WHERE " + string.Join(" AND ", where);
        var args = RegistryScope.Args(caller, new { q.Name, q.RegionCode, q.Kind, Size = size, Offset = (page - 1) * size });
        await using var c = await db.OpenReadAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM employers e {filter}", args, cancellationToken: ct));
        var rows = await c.QueryAsync<EmployerRow>(new CommandDefinition($"{EmployerSelect} {filter} ORDER BY e.name, e.npp LIMIT @Size OFFSET @Offset", args, cancellationToken: ct));
        return new Page<EmployerView>(rows.Select(r => r.ToView()).ToList(), (int)total, page, size);
    }

    private static (int Page, int Size) Paging(int page, int size) =>
        page < 1 ? throw new UsageException("page must be 1 or more", "page") { Indonesian = "Halaman paling kecil 1." }
        : size is < 1 or > 200 ? throw new UsageException("pageSize must be from 1 to 200", "pageSize") { Indonesian = "Jumlah baris per halaman harus 1 sampai 200." }
        : (page, size);

    internal const string ParticipantSelect =
        "SELECT p.id AS Id, p.nik AS Nik, p.kpj AS Kpj, p.name AS Name, p.sex AS Sex, p.birth_date AS BirthDate, p.phone AS Phone, " +
        "p.domicile_region_code AS Domicile FROM participants p";

    internal const string MembershipSelect =
        "SELECT m.id AS Id, m.segment AS Segment, e.npp AS EmployerNpp, e.name AS EmployerName, m.category AS Category, m.occupation AS Occupation, " +
        "m.payer_kind AS PayerKind, m.payer_ref AS PayerRef, m.programmes AS Programmes, m.wage AS Wage, m.valid_from AS ValidFrom, " +
        "m.valid_to AS ValidTo, m.status AS Status, m.region_code AS RegionCode, m.created_at AS CreatedAt, m.created_by AS CreatedBy FROM memberships m LEFT JOIN employers e ON e.id = m.employer_id";

    private const string EmployerSelect =
        "SELECT e.npp AS Npp, e.nib AS Nib, e.name AS Name, e.kind AS Kind, e.region_code AS RegionCode, e.risk_class AS RiskClass, e.size AS Size, " +
        "e.address AS Address, e.status AS Status, (SELECT count(*) FROM memberships m WHERE m.employer_id = e.id AND m.status = 'active') AS ActiveMemberships FROM employers e";

    internal sealed class ParticipantRow
    {
        public long Id { get; set; }
        public string Nik { get; set; } = "";
        public string? Kpj { get; set; }
        public string Name { get; set; } = "";
        public string Sex { get; set; } = "";
        public DateOnly BirthDate { get; set; }
        public string? Phone { get; set; }
        public string Domicile { get; set; } = "";
    }

    internal sealed class MembershipRow
    {
        public long Id { get; set; }
        public string Segment { get; set; } = "";
        public string? EmployerNpp { get; set; }
        public string? EmployerName { get; set; }
        public string Category { get; set; } = "";
        public string? Occupation { get; set; }
        public string PayerKind { get; set; } = "";
        public string? PayerRef { get; set; }
        public string Programmes { get; set; } = "";
        public long Wage { get; set; }
        public DateOnly ValidFrom { get; set; }
        public DateOnly? ValidTo { get; set; }
        public string Status { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public string? CreatedBy { get; set; }

        /// <summary>The payer as written in files and history (<c>apbd:63.71</c>).</summary>
        public string Payer => new Domain.Payer(PayerKind, PayerRef).ToString();
    }

    private sealed class HistoryRow
    {
        public long MembershipId { get; set; }
        public DateTimeOffset ChangedAt { get; set; }
        public string ChangedBy { get; set; } = "";
        public string Change { get; set; } = "";
        public long? OldWage { get; set; }
        public long? NewWage { get; set; }
        public string? OldValue { get; set; }
        public string? NewValue { get; set; }
    }

    private sealed class EmployerRow
    {
        public string Npp { get; set; } = "";
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public int RiskClass { get; set; }
        public string Size { get; set; } = "";
        public string? Address { get; set; }
        public string Status { get; set; } = "";
        public int ActiveMemberships { get; set; }

        public EmployerView ToView() => new(Npp, Nib, Name, Kind, RegionCode, RiskClass, Size, Address, Status, ActiveMemberships);
    }
}
