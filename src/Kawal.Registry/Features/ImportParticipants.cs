using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Regions;

namespace Kawal.Registry.Features;

/// <summary>
/// Imports participants and their memberships from CSV or XLSX. A person is keyed by NIK; a membership by
/// (person, employer or none, segment) while open. A changed wage (or programmes, payer, category) updates the
/// membership and writes history; columns the file does not have leave values alone; the same file imported again
/// changes nothing. Rows are written set-based, a batch at a time.
/// </summary>
public sealed class ImportParticipantsHandler(Database db, RegionLookup regionLookup, TimeProvider time)
{
    private static readonly string[] ParticipantColumns = ["id", "nik", "kpj", "name", "sex", "birth_date", "phone", "domicile_region_code", "created_at", "updated_at", "is_demo"];
    private static readonly string[] MembershipColumns = ["id", "participant_id", "employer_id", "segment", "category", "occupation", "payer_kind", "payer_ref", "programmes", "wage", "valid_from", "valid_to", "status", "region_code", "created_at", "updated_at", "is_demo", "created_by", "import_id"];
    private static readonly string[] HistoryColumns = ["membership_id", "changed_at", "changed_by", "change", "old_wage", "new_wage", "old_value", "new_value", "import_id"];

    public async Task<ImportSummary> HandleAsync(ImportRequest request, CancellationToken ct = default)
    {
        var regions = await regionLookup.LoadAsync(ct);
        var validator = new ParticipantRowValidator(regions, time.Today());
        // Rows seen, by (NIK as a number, NPP and segment as small numbers): 1,000,000 rows in ~40 MB (a string key took ~150 MB).
        var seen = new Dictionary<(long Nik, int Npp, int Segment), int>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        int Code(string? text) => text is null ? -1 : codes.TryGetValue(text, out var code) ? code : codes[text] = codes.Count;
        var employers = new Dictionary<string, EmployerRef?>(StringComparer.Ordinal);
        return await new ImportRunner(db, time).RunAsync<ParticipantRow>(request, "participants", Columns.Participants,
            (row, map) =>
            {
                var (valid, errors) = validator.Validate(row, map);
                if (valid is null)
                {
                    return (null, errors);
                }

                var key = (long.Parse(valid.Participant.Nik, CultureInfo.InvariantCulture), Code(valid.Membership.EmployerNpp), Code(valid.Membership.Segment));
                if (seen.TryGetValue(key, out var first))
                {
                    return (null, [new RowError(row.Number, "nik", "duplicate_in_file", $"Baris ganda: sama dengan baris {first} (NIK, NPP, segmen)", $"Duplicate row: same as row {first} (NIK, NPP, segment)", valid.Participant.Nik)]);
                }

                seen[key] = row.Number;
                return (valid, []);
            },
            (ctx, rows, token) => WriteAsync(ctx, rows, employers, token), ct);
    }

    /// <summary>The people found by NIK, and ids reserved for one new person per NIK and one new membership per row.</summary>
    private sealed record PeopleLookUp(Dictionary<string, ParticipantState> Existing, List<long> ParticipantIds, List<long> MembershipIds);

    private static async Task<PeopleLookUp> LookUpAsync(DbConnection c, DbTransaction? tx, ISqlDialect dialect, List<string> niks, int rows, CancellationToken ct)
    {
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT id AS Id, nik AS Nik, name AS Name, phone AS Phone, domicile_region_code AS Domicile FROM {dialect.FromKeys("participants", "nik", "@niks")};
            {dialect.AllocateIdsSql("participants", "@people")};
            {dialect.AllocateIdsSql("memberships", "@rows")}
            """, new { niks = dialect.ListValue(niks), people = niks.Count, rows }, tx, cancellationToken: ct));
        var existing = (await grid.ReadAsync<ParticipantState>()).ToDictionary(p => p.Nik, StringComparer.Ordinal);
        return new PeopleLookUp(existing, (await grid.ReadAsync<long>()).ToList(), (await grid.ReadAsync<long>()).ToList());
    }

    internal static async Task<IReadOnlyList<(RowResult, IReadOnlyList<RowError>)>> WriteAsync(BatchContext ctx, IReadOnlyList<ParticipantRow> rows, Dictionary<string, EmployerRef?> employers, CancellationToken ct)
    {
        var today = ctx.Today; // a membership is 'ended' once its end date has come
        var results = new (RowResult Result, IReadOnlyList<RowError> Errors)[rows.Count];
        await LoadEmployersAsync(ctx, rows, employers, ct);
        var accepted = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var m = rows[i].Membership;
            var employer = m.EmployerNpp is { } npp ? employers[npp] : null;
            if (m.EmployerNpp is not null && employer is null)
            {
                results[i] = (RowResult.Rejected, [new RowError(rows[i].RowNumber, "employer_npp", "employer.unknown", $"Pemberi kerja NPP {m.EmployerNpp} belum terdaftar", $"No employer is registered with NPP {m.EmployerNpp}", m.EmployerNpp)]);
            }
            else if (m.Category == "non_asn" && (employer is null || !Codes.GovernmentKinds.Contains(employer.Kind)))
            {
                results[i] = (RowResult.Rejected, [new RowError(rows[i].RowNumber, "category", "category.needs_government_employer", "Non-ASN hanya untuk pemberi kerja instansi pemerintah", "non_asn needs a government employer (central_gov or regional_gov)", m.Category)]);
            }
            else if (ctx.OutOfScope(rows[i].RowNumber, m.Payer.Kind == "apbd" ? "payer" : employer is not null ? "employer_npp" : "domicile_region_code",
                         m.Payer.Kind == "apbd" ? m.Payer.Reference : employer?.RegionCode ?? rows[i].Participant.DomicileRegionCode) is { } outside)
            {
                // An officer registers only memberships reported by their own region (APBD payer region, employer region, or domicile).
                results[i] = (RowResult.Rejected, [outside]);
            }
            else
            {
                accepted.Add(i);
            }
        }

        var (people, membershipIds) = await UpsertParticipantsAsync(ctx, accepted.Select(i => rows[i]).ToList(), ct);
        // A person created by this batch has no memberships yet: only people already registered are looked up.
        var memberships = (await LoadMembershipsAsync(ctx, people.Values.Where(p => !p.New).Select(p => p.Id).Distinct().ToList(), ct))
            .ToLookup(x => (x.ParticipantId, x.Segment, x.EmployerId));
        var creates = new List<(int Index, long ParticipantId, long? EmployerId, Membership M, string Region)>();
        var history = new List<object?[]>(); // changes only: who created a membership, when and by which import is on the membership itself
        foreach (var i in accepted)
        {
            var row = rows[i];
            var person = people[row.Participant.Nik];
            var employer = row.Membership.EmployerNpp is { } npp ? employers[npp] : null;
            var current = memberships[(person.Id, row.Membership.Segment, employer?.Id)]
                .Where(x => x.ValidTo is null || x.ValidTo > row.Membership.From).OrderBy(x => x.ValidFrom).FirstOrDefault();
            var m = Effective(row, current);
            var region = m.Payer.Kind == "apbd" ? m.Payer.Reference! : employer?.RegionCode ?? row.Participant.DomicileRegionCode;
            if (current is null)
            {
                creates.Add((i, person.Id, employer?.Id, m, region));
                results[i] = (RowResult.Created, []);
                continue;
            }

            var changed = await UpdateMembershipAsync(ctx, current, m, region, today, history, ct);
            results[i] = (changed || person.Changed ? RowResult.Updated : RowResult.Unchanged, []);
        }

        // Ids were reserved with the people, one per accepted row: enough for every create.
        await MultiRow.InsertAsync(ctx.Connection, ctx.Transaction, "memberships", MembershipColumns,
            creates.Select((x, k) => new object?[] { membershipIds[k], x.ParticipantId, x.EmployerId, x.M.Segment, x.M.Category, x.M.Occupation, x.M.Payer.Kind, x.M.Payer.Reference, x.M.Programmes, x.M.Wage, x.M.From, x.M.To, x.M.To is { } end && end <= today ? "ended" : "active", x.Region, ctx.Now, ctx.Now, ctx.Demo, ctx.Actor, ctx.ImportId }).ToList(), ct);

        await MultiRow.InsertAsync(ctx.Connection, ctx.Transaction, "membership_history", HistoryColumns, history, ct);
        return results;
    }

    /// <summary>Columns the file does not have leave an existing membership's values as they are.</summary>
    private static Membership Effective(ParticipantRow row, MembershipState? current) => current is null ? row.Membership : row.Membership with
    {
        Category = row.Stated.Contains("category") ? row.Membership.Category : current.Category,
        Occupation = row.Stated.Contains("occupation") || row.Stated.Contains("category") ? row.Membership.Occupation : current.Occupation,
        Payer = row.Stated.Contains("payer") ? row.Membership.Payer : new Payer(current.PayerKind, current.PayerRef),
        Programmes = row.Stated.Contains("programmes") ? row.Membership.Programmes : current.Programmes,
        To = row.Stated.Contains("end_date") ? row.Membership.To : current.ValidTo,
    };

    private static async Task LoadEmployersAsync(BatchContext ctx, IReadOnlyList<ParticipantRow> rows, Dictionary<string, EmployerRef?> cache, CancellationToken ct)
    {
        var wanted = rows.Select(r => r.Membership.EmployerNpp).OfType<string>().Distinct().Where(n => !cache.ContainsKey(n)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var found = await ctx.Connection.QueryAsync<EmployerRef>(new CommandDefinition(
            $"SELECT id AS Id, npp AS Npp, kind AS Kind, region_code AS RegionCode FROM employers WHERE {ctx.Dialect.InList("npp", "@wanted")}",
            new { wanted = ctx.Dialect.ListValue(wanted) }, ctx.Transaction, cancellationToken: ct));
        foreach (var npp in wanted)
        {
            cache[npp] = null;
        }

        foreach (var e in found)
        {
            cache[e.Npp] = e;
        }
    }

    /// <summary>
    /// Finds the batch's people by NIK, updates those whose details changed and creates the new ones. The look-up and
    /// the ids for new people and for the batch's new memberships (at most one per row) go in one round trip; on
    /// PostgreSQL the ids not used are gaps in the sequences.
    /// </summary>
    private static async Task<(Dictionary<string, (long Id, bool Changed, bool New)> People, IReadOnlyList<long> MembershipIds)> UpsertParticipantsAsync(
        BatchContext ctx, List<ParticipantRow> rows, CancellationToken ct)
    {
        var niks = rows.Select(r => r.Participant.Nik).Distinct().ToList();
        if (niks.Count == 0)
        {
            return ([], []);
        }

        var (existing, participantIds, membershipIds) = await LookUpAsync(ctx.Connection, ctx.Transaction, ctx.Dialect, niks, rows.Count, ct);
        var result = new Dictionary<string, (long Id, bool Changed, bool New)>(StringComparer.Ordinal);
        var inserts = new List<Participant>();
        var inserting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var p = row.Participant;
            if (result.ContainsKey(p.Nik) || !(existing.ContainsKey(p.Nik) || inserting.Add(p.Nik)))
            {
                continue; // the same person twice in a batch (e.g. two employers): written once
            }

            if (!existing.TryGetValue(p.Nik, out var e))
            {
                inserts.Add(p);
                continue;
            }

            var phone = row.Stated.Contains("phone") ? p.Phone : e.Phone;
            var domicile = row.Stated.Contains("domicile_region_code") ? p.DomicileRegionCode : e.Domicile;
            var changed = e.Name != p.Name || e.Phone != phone || e.Domicile != domicile;
            if (changed)
            {
                ctx.Changes.Add(PersonalDataChange(e, p.Nik, p.Name, phone, domicile));
                await ctx.Connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE participants SET name = @Name, phone = @phone, domicile_region_code = @domicile, updated_at = @Now WHERE id = @Id",
                    new { p.Name, phone, domicile, ctx.Now, e.Id }, ctx.Transaction, cancellationToken: ct));
            }

            result[p.Nik] = (e.Id, changed, false);
        }

        // Ids were reserved one per NIK of the batch: enough for the new ones.
        await MultiRow.InsertAsync(ctx.Connection, ctx.Transaction, "participants", ParticipantColumns,
            inserts.Select((p, k) => new object?[] { participantIds[k], p.Nik, Kpj.For(participantIds[k]), p.Name, p.Sex == Sex.Female ? "F" : "M", p.BirthDate, p.Phone, p.DomicileRegionCode, ctx.Now, ctx.Now, ctx.Demo }).ToList(), ct);
        for (var k = 0; k < inserts.Count; k++)
        {
            result[inserts[k].Nik] = (participantIds[k], false, true);
        }

        return (result, membershipIds);
    }

    /// <summary>
    /// The audit entry of a person whose name, phone or domicile an import changed: the old and new value of each
    /// changed field, the KPJ as the id and the NIK only masked. Sex and birth date come from the NIK, the key of the
    /// person, so an import cannot change them.
    /// </summary>
    private static AuditEvent PersonalDataChange(ParticipantState e, string nik, string name, string? phone, string? domicile)
    {
        var before = new Dictionary<string, string?> { ["nik"] = Nik.Mask(nik) };
        var after = new Dictionary<string, string?> { ["nik"] = Nik.Mask(nik) };
        void Field(string field, string? old, string? now)
        {
            if (old != now)
            {
                (before[field], after[field]) = (old, now);
            }
        }

        Field("name", e.Name, name);
        Field("phone", e.Phone, phone);
        Field("domicile", e.Domicile, domicile);
        return new AuditEvent("participant.update", "participant", Kpj.For(e.Id), before, after, domicile ?? e.Domicile);
    }

    private static async Task<List<MembershipState>> LoadMembershipsAsync(BatchContext ctx, List<long> participantIds, CancellationToken ct) =>
        participantIds.Count == 0 ? [] : (await ctx.Connection.QueryAsync<MembershipState>(new CommandDefinition(
            $"""
            SELECT id AS Id, participant_id AS ParticipantId, employer_id AS EmployerId, segment AS Segment, wage AS Wage, programmes AS Programmes,
                   payer_kind AS PayerKind, payer_ref AS PayerRef, category AS Category, occupation AS Occupation, valid_from AS ValidFrom, valid_to AS ValidTo
            FROM {ctx.Dialect.FromKeys("memberships", "participant_id", "@participantIds")}
            """, new { participantIds = ctx.Dialect.ListValue(participantIds) }, ctx.Transaction, cancellationToken: ct))).ToList();

    private static async Task<bool> UpdateMembershipAsync(BatchContext ctx, MembershipState current, Membership m, string region, DateOnly today, List<object?[]> history, CancellationToken ct)
    {
        var before = history.Count;
        void Change(string change, long? oldWage, long? newWage, string? oldValue, string? newValue) =>
            history.Add([current.Id, ctx.Now, ctx.Actor, change, oldWage, newWage, oldValue, newValue, ctx.ImportId]);
        if (current.Wage != m.Wage)
        {
            Change("wage", current.Wage, m.Wage, null, null);
        }

        if (current.Programmes != m.Programmes)
        {
            Change("programmes", null, null, current.Programmes, m.Programmes);
        }

        var oldPayer = new Payer(current.PayerKind, current.PayerRef).ToString();
        if (oldPayer != m.Payer.ToString())
        {
            Change("payer", null, null, oldPayer, m.Payer.ToString());
        }

        if (current.Category != m.Category || current.Occupation != m.Occupation)
        {
            Change("category", null, null, $"{current.Category} {current.Occupation}".Trim(), $"{m.Category} {m.Occupation}".Trim());
        }

        if (current.ValidTo != m.To)
        {
            Change("ended", null, null, current.ValidTo?.ToIso(), m.To?.ToIso());
        }

        if (history.Count == before)
        {
            return false;
        }

        var status = m.To is { } end && end <= today ? "ended" : "active";
        await ctx.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE memberships SET wage = @Wage, programmes = @Programmes, payer_kind = @PayerKind, payer_ref = @PayerRef,
                category = @Category, occupation = @Occupation, region_code = @region, valid_to = @To, status = @status, updated_at = @Now WHERE id = @Id
            """, new { m.Wage, m.Programmes, PayerKind = m.Payer.Kind, PayerRef = m.Payer.Reference, m.Category, m.Occupation, region, m.To, status, ctx.Now, current.Id },
            ctx.Transaction, cancellationToken: ct));
        return true;
    }

    internal sealed class EmployerRef
    {
        public long Id { get; set; }
        public string Npp { get; set; } = "";
        public string Kind { get; set; } = "";
        public string RegionCode { get; set; } = "";
    }

    private sealed class ParticipantState
    {
        public long Id { get; set; }
        public string Nik { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Phone { get; set; }
        public string Domicile { get; set; } = "";
    }

    private sealed class MembershipState
    {
        public long Id { get; set; }
        public long ParticipantId { get; set; }
        public long? EmployerId { get; set; }
        public string Segment { get; set; } = "";
        public long Wage { get; set; }
        public string Programmes { get; set; } = "";
        public string PayerKind { get; set; } = "";
        public string? PayerRef { get; set; }
        public string Category { get; set; } = "";
        public string? Occupation { get; set; }
        public DateOnly ValidFrom { get; set; }
        public DateOnly? ValidTo { get; set; }
    }
}
