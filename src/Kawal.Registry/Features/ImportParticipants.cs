using Dapper;
using Kawal.Data;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Regions;

namespace Kawal.Registry.Features;

/// <summary>
/// Imports participants and their memberships from CSV or XLSX. A person is keyed by NIK; a membership by
/// (person, employer or none, segment) while open. A changed wage (or programmes, payer, category) updates the
/// membership and writes history; the same file imported again changes nothing.
/// </summary>
public sealed class ImportParticipantsHandler(Database db, RegionLookup regionLookup, TimeProvider time)
{
    public async Task<ImportSummary> HandleAsync(ImportRequest request, CancellationToken ct = default)
    {
        var regions = await regionLookup.LoadAsync(ct);
        var validator = new ParticipantRowValidator(regions, time.Today());
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var employers = new Dictionary<string, EmployerRef?>(StringComparer.Ordinal);
        return await new ImportRunner(db, time).RunAsync(request, "participants", Columns.Participants, async (ctx, token) =>
        {
            var (row, errors) = validator.Validate(ctx.Row, ctx.Map);
            if (row is null)
            {
                return (RowResult.Rejected, errors);
            }

            var m = row.Membership;
            var key = $"{row.Participant.Nik}|{m.EmployerNpp}|{m.Segment}";
            if (seen.TryGetValue(key, out var first))
            {
                return Reject(row.RowNumber, "nik", "duplicate_in_file", $"Baris ganda: sama dengan baris {first} (NIK, NPP, segmen)", $"Duplicate row: same as row {first} (NIK, NPP, segment)", row.Participant.Nik);
            }

            seen[key] = row.RowNumber;
            EmployerRef? employer = null;
            if (m.EmployerNpp is { } npp)
            {
                if (!employers.TryGetValue(npp, out employer))
                {
                    employer = await ctx.Connection.QuerySingleOrDefaultAsync<EmployerRef>(new CommandDefinition(
                        "SELECT id AS Id, kind AS Kind, region_code AS RegionCode FROM employers WHERE npp = @npp", new { npp }, ctx.Transaction, cancellationToken: token));
                    employers[npp] = employer;
                }

                if (employer is null)
                {
                    return Reject(row.RowNumber, "employer_npp", "employer.unknown", $"Pemberi kerja NPP {npp} belum terdaftar", $"No employer is registered with NPP {npp}", npp);
                }

                if (m.Category == "non_asn" && !Codes.GovernmentKinds.Contains(employer.Kind))
                {
                    return Reject(row.RowNumber, "category", "category.needs_government_employer", "Non-ASN hanya untuk pemberi kerja instansi pemerintah", "non_asn needs a government employer (central_gov or regional_gov)", m.Category);
                }
            }

            var participantId = await UpsertParticipantAsync(ctx, row.Participant, row.Stated, token);
            var result = await UpsertMembershipAsync(ctx, participantId.Id, employer, row, token);
            return (participantId.Changed && result == RowResult.Unchanged ? RowResult.Updated : result, []);
        }, ct);
    }

    private static (RowResult, IReadOnlyList<RowError>) Reject(int row, string column, string code, string id, string en, string? value) =>
        (RowResult.Rejected, [new RowError(row, column, code, id, en, value)]);

    private static async Task<(long Id, bool Changed)> UpsertParticipantAsync(RowContext ctx, Participant stated, IReadOnlySet<string> columns, CancellationToken ct)
    {
        var p = stated;
        var existing = await ctx.Connection.QuerySingleOrDefaultAsync<ParticipantState>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, phone AS Phone, domicile_region_code AS Domicile FROM participants WHERE nik = @Nik",
            new { p.Nik }, ctx.Transaction, cancellationToken: ct));
        if (existing is null)
        {
            var id = await ctx.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO participants (nik, name, sex, birth_date, phone, domicile_region_code, created_at, updated_at)
                VALUES (@Nik, @Name, @Sex, @BirthDate, @Phone, @DomicileRegionCode, @Now, @Now) RETURNING id
                """, new { p.Nik, p.Name, Sex = p.Sex == Sex.Female ? "F" : "M", p.BirthDate, p.Phone, p.DomicileRegionCode, ctx.Now }, ctx.Transaction, cancellationToken: ct));
            await ctx.Connection.ExecuteAsync(new CommandDefinition("UPDATE participants SET kpj = @kpj WHERE id = @id", new { kpj = Kpj.For(id), id }, ctx.Transaction, cancellationToken: ct));
            return (id, false);
        }

        p = p with
        {
            Phone = columns.Contains("phone") ? p.Phone : existing.Phone,
            DomicileRegionCode = columns.Contains("domicile_region_code") ? p.DomicileRegionCode : existing.Domicile,
        };
        if (existing.Name == p.Name && existing.Phone == p.Phone && existing.Domicile == p.DomicileRegionCode)
        {
            return (existing.Id, false);
        }

        await ctx.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE participants SET name = @Name, phone = @Phone, domicile_region_code = @DomicileRegionCode, updated_at = @Now WHERE id = @Id",
            new { p.Name, p.Phone, p.DomicileRegionCode, ctx.Now, existing.Id }, ctx.Transaction, cancellationToken: ct));
        return (existing.Id, true);
    }

    private static async Task<RowResult> UpsertMembershipAsync(RowContext ctx, long participantId, EmployerRef? employer, ParticipantRow row, CancellationToken ct)
    {
        var m = row.Membership;
        var employerId = employer?.Id;
        var current = await ctx.Connection.QueryFirstOrDefaultAsync<MembershipState>(new CommandDefinition(
            """
            SELECT id AS Id, wage AS Wage, programmes AS Programmes, payer_kind AS PayerKind, payer_ref AS PayerRef, category AS Category, occupation AS Occupation
            FROM memberships
            WHERE participant_id = @participantId AND segment = @Segment
              AND ((@employerId IS NULL AND employer_id IS NULL) OR employer_id = @employerId)
              AND (valid_to IS NULL OR valid_to > @From)
            ORDER BY valid_from
            """, new { participantId, m.Segment, employerId, m.From }, ctx.Transaction, cancellationToken: ct));
        if (current is not null)
        {
            // Columns the file does not have leave the membership's values as they are.
            m = m with
            {
                Category = row.Stated.Contains("category") ? m.Category : current.Category,
                Occupation = row.Stated.Contains("occupation") || row.Stated.Contains("category") ? m.Occupation : current.Occupation,
                Payer = row.Stated.Contains("payer") ? m.Payer : new Payer(current.PayerKind, current.PayerRef),
                Programmes = row.Stated.Contains("programmes") ? m.Programmes : current.Programmes,
            };
        }

        var region = m.Payer.Kind == "apbd" ? m.Payer.Reference! : employer?.RegionCode ?? row.Participant.DomicileRegionCode;
        if (current is null)
        {
            var id = await ctx.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO memberships (participant_id, employer_id, segment, category, occupation, payer_kind, payer_ref, programmes, wage,
                    valid_from, valid_to, status, region_code, created_at, updated_at)
                VALUES (@participantId, @employerId, @Segment, @Category, @Occupation, @PayerKind, @PayerRef, @Programmes, @Wage,
                    @From, NULL, 'active', @region, @Now, @Now) RETURNING id
                """, new { participantId, employerId, m.Segment, m.Category, m.Occupation, PayerKind = m.Payer.Kind, PayerRef = m.Payer.Reference, m.Programmes, m.Wage, m.From, region, ctx.Now },
                ctx.Transaction, cancellationToken: ct));
            await HistoryAsync(ctx, id, "created", null, m.Wage, null, $"{m.Segment} {m.Programmes} {m.Payer}", ct);
            return RowResult.Created;
        }

        var changes = new List<(string Change, long? OldWage, long? NewWage, string? Old, string? New)>();
        if (current.Wage != m.Wage)
        {
            changes.Add(("wage", current.Wage, m.Wage, null, null));
        }

        if (current.Programmes != m.Programmes)
        {
            changes.Add(("programmes", null, null, current.Programmes, m.Programmes));
        }

        var oldPayer = new Payer(current.PayerKind, current.PayerRef).ToString();
        if (oldPayer != m.Payer.ToString())
        {
            changes.Add(("payer", null, null, oldPayer, m.Payer.ToString()));
        }

        if (current.Category != m.Category || current.Occupation != m.Occupation)
        {
            changes.Add(("category", null, null, $"{current.Category} {current.Occupation}".Trim(), $"{m.Category} {m.Occupation}".Trim()));
        }

        if (changes.Count == 0)
        {
            return RowResult.Unchanged;
        }

        await ctx.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE memberships SET wage = @Wage, programmes = @Programmes, payer_kind = @PayerKind, payer_ref = @PayerRef,
                category = @Category, occupation = @Occupation, region_code = @region, updated_at = @Now WHERE id = @Id
            """, new { m.Wage, m.Programmes, PayerKind = m.Payer.Kind, PayerRef = m.Payer.Reference, m.Category, m.Occupation, region, ctx.Now, current.Id },
            ctx.Transaction, cancellationToken: ct));
        foreach (var (change, oldWage, newWage, oldValue, newValue) in changes)
        {
            await HistoryAsync(ctx, current.Id, change, oldWage, newWage, oldValue, newValue, ct);
        }

        return RowResult.Updated;
    }

    private static Task<int> HistoryAsync(RowContext ctx, long membershipId, string change, long? oldWage, long? newWage, string? oldValue, string? newValue, CancellationToken ct) =>
        ctx.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO membership_history (membership_id, changed_at, changed_by, change, old_wage, new_wage, old_value, new_value, import_id)
            VALUES (@membershipId, @Now, @Actor, @change, @oldWage, @newWage, @oldValue, @newValue, @ImportId)
            """, new { membershipId, ctx.Now, ctx.Actor, change, oldWage, newWage, oldValue, newValue, ctx.ImportId }, ctx.Transaction, cancellationToken: ct));

    private sealed class EmployerRef
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string RegionCode { get; set; } = "";
    }

    private sealed class ParticipantState
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string? Phone { get; set; }
        public string Domicile { get; set; } = "";
    }

    private sealed class MembershipState
    {
        public long Id { get; set; }
        public long Wage { get; set; }
        public string Programmes { get; set; } = "";
        public string PayerKind { get; set; } = "";
        public string? PayerRef { get; set; }
        public string Category { get; set; } = "";
        public string? Occupation { get; set; }
    }
}
