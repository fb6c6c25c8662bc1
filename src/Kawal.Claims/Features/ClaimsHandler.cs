using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Claims.Pages;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;
using Kawal.Rules.Benefits;

namespace Kawal.Claims.Features;

/// <summary>
/// Claims from intake to payout (docs/claims.md): eligibility decided from the registry and the ledger, the benefit
/// computed by the rules engine and kept with its trace, heirs in the regulation's order, and a four-eyes workflow —
/// submitted → verified → approved (by another officer) → paid, or rejected with a reason at any step. Every transition
/// is audited and scoped by the caller's region (the claim's region is its membership's).
/// </summary>
public sealed class ClaimsHandler(Database db, TimeProvider time)
{
    private const string Select =
        """
        SELECT k.id AS Id, k.claim_number AS Number, p.nik AS Nik, p.name AS Name, k.participant_id AS ParticipantId, k.programme AS Programme, k.kind AS Kind, k.reason AS Reason,
               k.event_date AS EventDate, k.claim_date AS ClaimDate, k.details AS Details, k.documents AS Documents, k.checks AS Checks, k.benefit AS Benefit, k.total AS Total,
               k.status AS Status, k.region_code AS RegionCode, k.bank_account AS BankAccount, k.submitted_by AS SubmittedBy, k.submitted_at AS SubmittedAt,
               k.verified_by AS VerifiedBy, k.verified_at AS VerifiedAt, k.approved_by AS ApprovedBy, k.approved_at AS ApprovedAt, k.paid_at AS PaidAt,
               k.rejected_by AS RejectedBy, k.rejected_at AS RejectedAt, k.reject_rule AS RejectRule, k.reject_reason AS RejectReason, k.visit_id AS VisitId
        FROM claims k JOIN participants p ON p.id = k.participant_id
        """;

    internal sealed class Row
    {
        public long Id { get; set; }
        public string Number { get; set; } = "";
        public string Nik { get; set; } = "";
        public string Name { get; set; } = "";
        public long ParticipantId { get; set; }
        public string Programme { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Reason { get; set; }
        public DateOnly EventDate { get; set; }
        public DateOnly ClaimDate { get; set; }
        public string Details { get; set; } = "{}";
        public string Documents { get; set; } = "[]";
        public string Checks { get; set; } = "[]";
        public string? Benefit { get; set; }
        public long Total { get; set; }
        public string Status { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string? BankAccount { get; set; }
        public string SubmittedBy { get; set; } = "";
        public DateTimeOffset SubmittedAt { get; set; }
        public string? VerifiedBy { get; set; }
        public DateTimeOffset? VerifiedAt { get; set; }
        public string? ApprovedBy { get; set; }
        public DateTimeOffset? ApprovedAt { get; set; }
        public DateTimeOffset? PaidAt { get; set; }
        public string? RejectedBy { get; set; }
        public DateTimeOffset? RejectedAt { get; set; }
        public string? RejectRule { get; set; }
        public string? RejectReason { get; set; }
        public long? VisitId { get; set; }
    }

    internal sealed class HeirRow
    {
        public long Seq { get; set; }
        public string Name { get; set; } = "";
        public string? Nik { get; set; }
        public string Relation { get; set; } = "";
        public DateOnly? BirthDate { get; set; }
        public bool Married { get; set; }
        public bool Working { get; set; }
        public string? BankAccount { get; set; }
        public long Rank { get; set; }
        public bool Entitled { get; set; }
        public long Share { get; set; }
    }

    internal sealed record Details(decimal? Percentage, decimal? FunctionLoss, int? Months, string? Purpose, string? AccidentReport, long? Wage, long? MembershipId);

    internal sealed record DocumentState(string Code, bool Required, bool Provided);

    // ---------------------------------------------------------------- intake

    /// <summary>Takes a claim: validates the form, decides eligibility from the data, computes the benefit. A refused claim is kept, rejected, naming the rule.</summary>
    public async Task<ClaimDto> SubmitAsync(ClaimInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        var today = time.Today();
        var programme = (input.Programme ?? "").Trim().ToUpperInvariant();
        var kind = (input.Kind ?? "").Trim().ToLowerInvariant();
        if (!ClaimKinds.All.Any(k => k.Programme == programme))
        {
            throw new UsageException($"programme must be JKM, JKK, JHT, JP or JKP, not '{input.Programme}'", "programme") { Indonesian = "Pilih program klaim: JKM, JKK, JHT, JP atau JKP." };
        }

        if (!ClaimKinds.Known(programme, kind))
        {
            throw new UsageException($"kind for {programme} must be one of {string.Join(", ", ClaimKinds.All.Where(k => k.Programme == programme).Select(k => k.Kind))}, not '{input.Kind}'", "kind") { Indonesian = $"Jenis klaim itu tidak ada untuk program {programme}." };
        }

        if (string.IsNullOrWhiteSpace(input.Nik))
        {
            throw new UsageException("nik is required (the participant's NIK or KPJ)", "nik") { Indonesian = "Isi NIK atau nomor KPJ peserta." };
        }

        var eventDate = ParseDate(input.EventDate, "eventDate") ?? throw new UsageException("eventDate is required (YYYY-MM-DD)", "eventDate") { Indonesian = "Isi tanggal kejadian." };
        var claimDate = ParseDate(input.ClaimDate, "claimDate") ?? today;
        if (claimDate > today)
        {
            throw new UsageException("claimDate must not be in the future", "claimDate") { Indonesian = "Tanggal klaim diterima tidak boleh di masa depan." };
        }

        var reason = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim().ToLowerInvariant();
        if (programme == "JHT" && kind == "full" && (reason is null || !ClaimKinds.JhtReasons.Contains(reason)))
        {
            throw new UsageException($"reason must be one of {string.Join(", ", ClaimKinds.JhtReasons)}, not '{input.Reason}'", "reason") { Indonesian = "Pilih alasan klaim JHT penuh." };
        }

        if (programme == "JKP" && (reason is null || !ClaimKinds.JkpCauses.Contains(reason)))
        {
            throw new UsageException($"reason (cause of termination) must be one of {string.Join(", ", ClaimKinds.JkpCauses)}, not '{input.Reason}'", "reason") { Indonesian = "Pilih sebab PHK untuk klaim JKP." };
        }

        var purpose = string.IsNullOrWhiteSpace(input.Purpose) ? null : input.Purpose.Trim().ToLowerInvariant();
        if (programme == "JHT" && kind == "partial" && purpose is not ("housing" or "other"))
        {
            throw new UsageException($"purpose must be housing or other, not '{input.Purpose}'", "purpose") { Indonesian = "Pilih keperluan klaim sebagian JHT: perumahan atau lainnya." };
        }

        if (kind == "partial_disability" && input.Percentage is not (> 0 and < 100))
        {
            throw new UsageException("percentage (the disability table's %) is required and must be above 0 and below 100", "percentage") { Indonesian = "Isi persentase cacat menurut tabel: lebih dari 0 dan kurang dari 100." };
        }

        if (input.FunctionLoss is < 0 or > 100)
        {
            throw new UsageException("functionLoss must be between 0 and 100", "functionLoss") { Indonesian = "Persentase fungsi hilang harus antara 0 dan 100." };
        }

        if (kind == "stmb" && input.Months is not (> 0 and <= 120))
        {
            throw new UsageException("months (months unfit for work) is required, 1 to 120", "months") { Indonesian = "Isi jumlah bulan tidak mampu bekerja (STMB), 1 sampai 120." };
        }

        var bank = Clean(input.BankAccount, 40, "bankAccount");
        var accident = Clean(input.AccidentReport, 100, "accidentReport");
        var heirs = ValidateHeirs(input.Heirs, today);
        var death = kind == "death" || (programme == "JHT" && reason == "death");
        if (death && heirs.Count == 0)
        {
            throw new UsageException("heirs are required for a death claim (at least one heir or the funeral organiser)", "heirs") { Indonesian = "Klaim kematian memerlukan ahli waris (paling sedikit satu ahli waris atau pihak yang mengurus pemakaman)." };
        }

        if (!death && heirs.Count > 0 && kind is not ("total_disability"))
        {
            throw new UsageException("heirs are given only for a death claim (or the children of a total disability, for the scholarship)", "heirs") { Indonesian = "Ahli waris hanya diisi untuk klaim kematian (atau anak peserta cacat total tetap, untuk beasiswa)." };
        }

        var provided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in input.Documents ?? [])
        {
            var code = (d ?? "").Trim();
            if (!ClaimDocuments.Known(code))
            {
                throw new UsageException($"unknown document '{d}'; documents are {string.Join(", ", ClaimDocuments.All)}", "documents") { Indonesian = $"Dokumen '{d}' tidak dikenal; centang dokumen dari daftar." };
            }

            provided.Add(code);
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var p = await ParticipantFacts.LoadAsync(c, tx, input.Nik.Trim(), ct);
        var coveringAny = p?.Memberships.OrderByDescending(m => m.ValidFrom).FirstOrDefault(m => ParticipantFacts.Has(m.Programmes, programme));
        var region = p is null ? null : (p.Covering(programme, eventDate) ?? coveringAny)?.RegionCode ?? p.DomicileRegionCode;
        if (p is null || !caller.Scope.Covers(region))
        {
            throw new NotFoundException($"no participant {Kawal.Nik.Mask(input.Nik.Trim())} in your scope") { Indonesian = $"Tidak ada peserta dengan NIK {Kawal.Nik.Mask(input.Nik.Trim())} di wilayah Anda." };
        }

        await JhtLedger.PostAsync(c, tx, db.Dialect, p.Id, now, ct);
        var account = await JhtLedger.AccountAsync(c, tx, p.Id, ct);
        var previousPartial = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM claims WHERE participant_id = @Id AND programme = 'JHT' AND kind = 'partial' AND status IN ('approved', 'paid')", new { p.Id }, tx, cancellationToken: ct)) > 0;
        var covering = p.Covering(programme, eventDate);
        var facts = new ClaimFacts(programme, kind, eventDate, claimDate, p.BirthDate, covering is not null, covering is null ? null : p.StatusOn(covering, eventDate),
            p.EndedOn(programme), p.FirstJoined(programme), p.PaidMonths(programme, Period.Of(claimDate)), reason, previousPartial, accident is not null || provided.Contains("laporan_kecelakaan"),
            account.Balance);
        var checks = ClaimRules.Check(facts).ToList();
        var wage = covering is null ? (long?)null : p.WageOn(covering, eventDate);
        var failed = checks.FirstOrDefault(x => !x.Passed);
        BenefitDto? benefit = null;
        IReadOnlyList<HeirShare> shares = [];
        if (failed is null)
        {
            (benefit, shares, var refusal) = Compute(p, facts, wage, input, purpose, heirs, account, previousPartial);
            if (refusal is not null)
            {
                checks.Add(refusal);
                failed = refusal;
            }
        }

        var required = ClaimDocuments.Required(programme, kind, reason, purpose);
        var documents = required.Select(code => new DocumentState(code, true, provided.Contains(code)))
            .Concat(provided.Where(code => !required.Contains(code)).Select(code => new DocumentState(code, false, true))).ToList();
        var details = new Details(input.Percentage, input.FunctionLoss, input.Months, purpose, accident, wage, covering?.Id);
        var status = failed is null ? "submitted" : "rejected";
        long id;
        try
        {
            id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO claims (claim_number, participant_id, membership_id, programme, kind, reason, event_date, claim_date, details, documents, checks, benefit, total, status,
                                    region_code, bank_account, submitted_by, submitted_at, rejected_by, rejected_at, reject_rule, reject_reason, updated_at)
                VALUES (@tmp, @pid, @mid, @programme, @kind, @reason, @eventDate, @claimDate, @details, @documents, @checks, @benefit, @total, @status,
                        @region, @bank, @actor, @now, @rejectedBy, @rejectedAt, @rule, @why, @now) RETURNING id
                """,
                new
                {
                    tmp = Guid.NewGuid().ToString("N"), pid = p.Id, mid = covering?.Id, programme, kind, reason, eventDate, claimDate, details = Json.Write(details),
                    documents = Json.Write(documents), checks = Json.Write(checks), benefit = benefit is null ? null : Json.Write(benefit), total = benefit?.Total ?? 0, status, region, bank,
                    actor = caller.Actor, now, rejectedBy = failed is null ? null : "rules", rejectedAt = failed is null ? (DateTimeOffset?)null : now, rule = failed?.Rule,
                    why = failed is null ? null : $"{failed.Message} ({failed.Citation})",
                }, tx, cancellationToken: ct));
        }
        catch (DbException x) when (db.Dialect.IsUniqueViolation(x))
        {
            throw new ConflictException($"a {programme} {kind} claim for this participant and event date is already open or paid", "eventDate") { Indonesian = $"Klaim {programme} jenis ini untuk peserta dan tanggal kejadian yang sama sudah ada (sedang diproses atau sudah dibayar)." };
        }

        var number = string.Create(CultureInfo.InvariantCulture, $"KLM-{claimDate.Year}-{id:D7}");
        await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET claim_number = @number WHERE id = @id", new { number, id }, tx, cancellationToken: ct));
        if (heirs.Count > 0)
        {
            var byseq = shares.ToDictionary(s => s.Seq);
            await MultiRow.InsertAsync(c, tx, "claim_heirs", ["claim_id", "seq", "name", "nik", "relation", "birth_date", "married", "working", "bank_account", "rank", "entitled", "share"],
                heirs.Select(h => new object?[]
                {
                    id, h.Heir.Seq, h.Heir.Name, h.Nik, h.Heir.Relation, h.Heir.BirthDate, h.Heir.Married, h.Heir.Working, h.Bank, (int)Heirs.Rank(h.Heir.Relation),
                    byseq.TryGetValue(h.Heir.Seq, out var s) && s.Entitled, byseq.TryGetValue(h.Heir.Seq, out var t) ? t.Amount : 0L,
                }).ToList(), ct);
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent(status == "rejected" ? "claim.refused" : "claim.submit", "claim", number,
            After: new { programme, kind, reason, eventDate = eventDate.ToIso(), total = benefit?.Total ?? 0, rule = failed?.Rule }, RegionCode: region), ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, caller, ct))! with { Created = true };
    }

    private static (BenefitDto? Benefit, IReadOnlyList<HeirShare> Shares, RuleCheck? Refusal) Compute(ParticipantFacts p, ClaimFacts f, long? wage, ClaimInput input, string? purpose,
        IReadOnlyList<(Heir Heir, string? Nik, string? Bank)> heirs, JhtLedger.Account account, bool previousPartial)
    {
        var plain = heirs.Select(h => h.Heir).ToList();
        var children = plain.Count(h => h.Relation == "child" && h.BirthDate is { } b && ClaimRules.Age(b, f.EventDate) < 23);
        var w = wage ?? 0;
        BenefitDto Of(BenefitResult r, long? monthly = null, IReadOnlyList<ScheduledDto>? schedule = null, bool scholarship = false, long max = 0) =>
            new(r.Kind, r.Total, monthly, scholarship, max, schedule ?? [], r.Trace);
        switch (f.Programme, f.Kind)
        {
            case ("JKM", _):
            {
                var months = p.PaidMonths("JKM", Period.Of(f.EventDate)).Count;
                var r = DeathAndDisability.Jkm(f.EventDate, months, children);
                var (shares, payable) = Heirs.Share(plain, r.Total, r.Funeral);
                return (Of(r, scholarship: r.ScholarshipEligible && payable == r.Total, max: r.ScholarshipMaximum) with { Total = payable }, shares, null);
            }

            case ("JKK", "death"):
            {
                var r = DeathAndDisability.JkkDeath(w, f.EventDate, children);
                var (shares, payable) = Heirs.Share(plain, r.Total, r.Funeral);
                return (Of(r, scholarship: r.ScholarshipEligible && payable == r.Total, max: r.ScholarshipMaximum) with { Total = payable }, shares, null);
            }

            case ("JKK", "total_disability"):
            {
                var r = DeathAndDisability.JkkDisability(w, null, null, f.EventDate, children);
                return (Of(r, scholarship: r.ScholarshipEligible && children > 0, max: r.ScholarshipMaximum), [], null);
            }

            case ("JKK", "partial_disability"):
                return (Of(DeathAndDisability.JkkDisability(w, input.Percentage, input.FunctionLoss, f.EventDate, 0)), [], null);
            case ("JKK", "stmb"):
            {
                var r = Periodic.Stmb(w, input.Months!.Value, f.EventDate);
                return (Of(r), [], null);
            }

            case ("JHT", "full"):
            {
                var r = Savings.JhtFull(account.Balance, account.Credits, account.Returns, account.Payouts, f.Reason!, f.ClaimDate);
                var (shares, _) = f.Reason == "death" ? Heirs.Share(plain, r.Total, 0) : ([], 0);
                return (Of(r), shares, null);
            }

            case ("JHT", "partial"):
            {
                var years = f.FirstJoined is { } joined ? ClaimRules.Years(joined, f.EventDate) : 0;
                var r = PensionAndSavings.JhtPartial(account.Balance, years, purpose!, previousPartial, f.EventDate);
                return (Of(r), [], null);
            }

            case ("JP", _):
            {
                var lines = p.Paid.Where(l => ParticipantFacts.Has(l.Programmes, "JP") && Period.Parse(l.Period) <= Period.Of(f.ClaimDate)).ToList();
                var months = lines.Select(l => l.Period).Distinct().Count();
                var min = (int)ParameterCatalogue.Default.Value("jp.min_contribution_months", f.EventDate);
                if (months < min)
                {
                    var r = Savings.JpLumpSum(months, lines.Sum(l => l.JpAmount), 0, f.EventDate);
                    return (Of(r), [], null);
                }

                // Average wage over the contribution months, each month's JP base (capped) raised to the event's year by CPI.
                decimal sum = 0;
                foreach (var l in lines.GroupBy(l => l.Period))
                {
                    var period = Period.Parse(l.Key);
                    var cap = (long)ParameterCatalogue.Default.Value("pu.jp.wage_cap", period.FirstDay);
                    sum += Math.Min(l.Sum(x => x.Base), cap) * Savings.IndexFactor(period.Year, f.EventDate.Year);
                }

                var average = (long)Math.Round(sum / months, 0, MidpointRounding.AwayFromZero);
                var pension = PensionAndSavings.Jp(f.EventDate, months, average);
                var start = Period.Of(f.EventDate).Next;
                return (Of(pension, pension.MonthlyPension, [new ScheduledDto(1, start.ToString(), pension.MonthlyPension, "pension")]), [], null);
            }

            case ("JKP", _):
            {
                var r = Periodic.Jkp(f.EventDate, w);
                var start = Period.Of(f.EventDate);
                return (Of(r, schedule: r.Payments.Select(x => new ScheduledDto(x.Month, start.AddMonths(x.Month).ToString(), x.Amount, "jkp")).ToList()), [], null);
            }

            default:
                return (null, [], null);
        }
    }

    private static List<(Heir Heir, string? Nik, string? Bank)> ValidateHeirs(IReadOnlyList<HeirInput>? heirs, DateOnly today)
    {
        var list = new List<(Heir, string?, string?)>();
        if (heirs is null)
        {
            return list;
        }

        if (heirs.Count > 20)
        {
            throw new UsageException("at most 20 heirs", "heirs") { Indonesian = "Paling banyak 20 ahli waris." };
        }

        var seq = 0;
        foreach (var h in heirs)
        {
            seq++;
            var field = $"heirs[{seq - 1}]";
            var name = (h.Name ?? "").Trim();
            if (name.Length is 0 or > 200)
            {
                throw new UsageException($"{field}.name is required (at most 200 characters)", field + ".name") { Indonesian = $"Ahli waris {seq}: isi nama (paling panjang 200 huruf)." };
            }

            var relation = (h.Relation ?? "").Trim().ToLowerInvariant();
            if (!Heirs.Relations.Contains(relation))
            {
                throw new UsageException($"{field}.relation must be one of {string.Join(", ", Heirs.Relations)}, not '{h.Relation}'", field + ".relation") { Indonesian = $"Ahli waris {seq}: pilih hubungan dengan peserta." };
            }

            var birth = ParseDate(h.BirthDate, field + ".birthDate");
            if (birth > today)
            {
                throw new UsageException($"{field}.birthDate is in the future", field + ".birthDate") { Indonesian = $"Ahli waris {seq}: tanggal lahir tidak boleh di masa depan." };
            }

            if (relation == "child" && birth is null)
            {
                throw new UsageException($"{field}.birthDate is required for a child (age decides the scholarship)", field + ".birthDate") { Indonesian = $"Ahli waris {seq}: isi tanggal lahir anak (usia menentukan beasiswa)." };
            }

            string? nik = null;
            if (!string.IsNullOrWhiteSpace(h.Nik))
            {
                var parsed = Kawal.Nik.Parse(h.Nik, today);
                nik = parsed.IsOk ? parsed.Value.Value : throw new UsageException($"{field}.nik is not a valid NIK: {parsed.Error!.MessageEn}", field + ".nik") { Indonesian = $"Ahli waris {seq}: {parsed.Error!.MessageId}" };
            }

            list.Add((new Heir(seq, name, relation, birth, h.Married ?? false, h.Working ?? false), nik, Clean(h.BankAccount, 40, field + ".bankAccount")));
        }

        return list;
    }

    /// <summary>An input field as an officer reads it in a refusal (<c>heirs[0].bankAccount</c> → <c>rekening bank ahli waris 1</c>).</summary>
    private static string FieldId(string field)
    {
        var heir = field.StartsWith("heirs[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var end and > 6
            && int.TryParse(field.AsSpan(6, end - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i + 1 : (int?)null;
        var name = (heir is null ? field : field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..]) switch
        {
            "bankAccount" => "rekening bank",
            "accidentReport" => "nomor laporan kecelakaan",
            "birthDate" => "tanggal lahir",
            "eventDate" => "tanggal kejadian",
            "claimDate" => "tanggal klaim diterima",
            "paidOn" => "tanggal bayar",
            "from" => "tanggal awal",
            "to" => "tanggal akhir",
            var other => other,
        };
        return heir is { } seq ? $"{name} ahli waris {seq}" : name;
    }

    private static string? Clean(string? text, int max, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        return t.Length > max ? throw new UsageException($"{field} is longer than {max} characters", field) { Indonesian = $"Isian {FieldId(field)} terlalu panjang: paling banyak {max} huruf." } : t;
    }

    private static DateOnly? ParseDate(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Dates.TryParseIso(text.Trim(), out var d) ? d
        : throw new UsageException($"{field} must be a date YYYY-MM-DD, not '{text}'", field) { Indonesian = $"Isian {FieldId(field)} harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{text}'." };

    // ---------------------------------------------------------------- workflow

    /// <summary>Documents checked: every required document must be provided (the body may tick more).</summary>
    public async Task<ClaimDto> VerifyAsync(long id, VerifyInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        return await TransitionAsync(id, caller, ["submitted"], "verified", async (c, tx, row, now) =>
        {
            var docs = Json.Read<List<DocumentState>>(row.Documents);
            foreach (var d in input.Documents ?? [])
            {
                var code = (d ?? "").Trim();
                if (!ClaimDocuments.Known(code))
                {
                    throw new UsageException($"unknown document '{d}'", "documents") { Indonesian = $"Dokumen '{d}' tidak dikenal; centang dokumen dari daftar." };
                }

                var i = docs.FindIndex(x => x.Code == code);
                if (i >= 0)
                {
                    docs[i] = docs[i] with { Provided = true };
                }
                else
                {
                    docs.Add(new DocumentState(code, false, true));
                }
            }

            var missing = docs.Where(x => x.Required && !x.Provided).Select(x => x.Code).ToList();
            if (missing.Count > 0)
            {
                throw new UsageException($"required documents missing: {string.Join(", ", missing)}", "documents") { Indonesian = $"Dokumen wajib belum diserahkan: {string.Join(", ", missing.Select(m => ClaimDocuments.Label(m).Id))}." };
            }

            var payees = await PayeesAsync(c, tx, row, ct);
            if (payees.Any(x => x.Bank is null))
            {
                throw new UsageException($"a bank account is required for every payee: {string.Join(", ", payees.Where(x => x.Bank is null).Select(x => x.Who))}", "bankAccount") { Indonesian = $"Setiap penerima memerlukan rekening bank: {string.Join(", ", payees.Where(x => x.Bank is null).Select(x => x.Who))}." };
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET documents = @docs, verified_by = @actor, verified_at = @now WHERE id = @id",
                new { docs = Json.Write(docs), actor = caller.Actor, now, id }, tx, cancellationToken: ct));
            return new { documents = docs.Where(x => x.Provided).Select(x => x.Code) };
        }, ct);
    }

    /// <summary>Approval by a second officer: never the one who took or verified the claim. Schedules the scholarship.</summary>
    public async Task<ClaimDto> ApproveAsync(long id, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsApprove);
        return await TransitionAsync(id, caller, ["verified"], "approved", async (c, tx, row, now) =>
        {
            // four eyes by person: a key counts as the user who created it, so a second key is not a second officer
            var took = await ApiKeyStore.PersonOfAsync(c, tx, row.SubmittedBy, ct) == caller.Person;
            if (took || await ApiKeyStore.PersonOfAsync(c, tx, row.VerifiedBy, ct) == caller.Person)
            {
                throw new ForbiddenException($"four eyes: {caller.Person} {(took ? "took" : "verified")} claim {row.Number} and cannot approve it")
                {
                    Indonesian = $"Prinsip empat mata: Anda {(took ? "menerima" : "memverifikasi")} klaim {row.Number} (sendiri atau dengan kunci API Anda), jadi tidak dapat menyetujuinya; persetujuan oleh petugas lain.",
                };
            }

            var benefit = row.Benefit is null ? null : Json.Read<BenefitDto>(row.Benefit);
            var scheduled = 0;
            if (benefit is { ScholarshipEligible: true })
            {
                var heirs = (await HeirsAsync(c, tx, row.Id, ct)).Select(h => new Heir((int)h.Seq, h.Name, h.Relation, h.BirthDate, h.Married, h.Working)).ToList();
                var plan = ScholarshipPlan.Schedule(heirs, row.EventDate);
                await MultiRow.InsertAsync(c, tx, "claim_scholarships", ["claim_id", "heir_seq", "year_index", "due_period", "level", "amount", "status"],
                    plan.Select(s => new object?[] { row.Id, s.HeirSeq, s.YearIndex, s.Due.ToString(), s.Level, s.Amount, "scheduled" }).ToList(), ct);
                scheduled = plan.Count;
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET approved_by = @actor, approved_at = @now WHERE id = @id", new { actor = caller.Actor, now, id }, tx, cancellationToken: ct));
            return new { scholarshipPayments = scheduled };
        }, ct);
    }

    public async Task<ClaimDto> RejectAsync(long id, RejectInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        var reason = (input.Reason ?? "").Trim();
        if (reason.Length is < 5 or > 1000)
        {
            throw new UsageException("reason is required (5 to 1000 characters)", "reason") { Indonesian = "Tulis alasan penolakan: 5 sampai 1000 huruf." };
        }

        return await TransitionAsync(id, caller, ["submitted", "verified", "approved"], "rejected", async (c, tx, row, now) =>
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET rejected_by = @actor, rejected_at = @now, reject_rule = 'officer', reject_reason = @reason WHERE id = @id",
                new { actor = caller.Actor, now, reason, id }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM claim_scholarships WHERE claim_id = @id AND status = 'scheduled'", new { id }, tx, cancellationToken: ct));
            return new { reason };
        }, ct);
    }

    /// <summary>
    /// Records the transfer of an approved claim's lump sum (to the participant, or to each entitled heir). The transfer
    /// reference makes it idempotent: the same reference again is the same payment; a reference used for another claim is refused.
    /// JP pensions and JKP instalments are paid by the monthly run, not here.
    /// </summary>
    public async Task<ClaimDto> PayAsync(long id, PayInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsApprove);
        var reference = (input.Reference ?? "").Trim();
        if (reference.Length is 0 or > 100)
        {
            throw new UsageException("reference (the bank transfer's reference) is required, at most 100 characters", "reference") { Indonesian = "Isi nomor referensi transfer bank (paling panjang 100 huruf)." };
        }

        var paidOn = ParseDate(input.PaidOn, "paidOn") ?? time.Today();
        if (paidOn > time.Today())
        {
            throw new UsageException("paidOn must not be in the future", "paidOn") { Indonesian = "Tanggal bayar tidak boleh di masa depan." };
        }

        await using (var c = await db.OpenAsync(ct))
        {
            var used = (await c.QueryAsync<long>(new CommandDefinition("SELECT DISTINCT claim_id FROM claim_payments WHERE reference = @reference", new { reference }, cancellationToken: ct))).ToList();
            if (used.Count > 0 && used.Any(x => x != id))
            {
                throw new ConflictException($"reference {reference} was already used for another payment", "reference") { Indonesian = $"Nomor referensi {reference} sudah dipakai untuk pembayaran lain." };
            }

            if (used.Count > 0)
            {
                return await GetAsync(id, caller, ct) ?? throw new NotFoundException($"no claim {id} in your scope") { Indonesian = $"Klaim {id} tidak ditemukan atau di luar wilayah Anda." };
            }
        }

        return await TransitionAsync(id, caller, ["approved"], "paid", async (c, tx, row, now) =>
        {
            var benefit = row.Benefit is null ? null : Json.Read<BenefitDto>(row.Benefit);
            if (row.Programme is "JP" && benefit?.Monthly > 0 || row.Programme == "JKP")
            {
                throw new ConflictException($"claim {row.Number} is paid monthly by the pension run (kawal pensions run), not by a transfer", "reference") { Indonesian = $"Klaim {row.Number} dibayar bulanan melalui pembayaran pensiun bulanan, bukan dengan transfer di sini." };
            }

            var payees = await PayeesAsync(c, tx, row, ct);
            var rows = payees.Where(x => x.Amount > 0).Select(x => new object?[]
            {
                row.Id, "benefit", x.Seq, Period.Of(paidOn).ToString(), x.Seq == 0 ? null : x.Seq, x.Amount, reference, x.Bank, paidOn, caller.Actor, row.Programme, row.RegionCode, now,
            }).ToList();
            await MultiRow.InsertAsync(c, tx, "claim_payments", ["claim_id", "kind", "seq", "period", "heir_seq", "amount", "reference", "bank_account", "paid_on", "paid_by", "programme", "region_code", "created_at"], rows, ct);
            if (row.Programme == "JHT")
            {
                var account = await JhtLedger.AccountAsync(c, tx, row.ParticipantId, ct);
                if (account.Balance < row.Total)
                {
                    throw new ConflictException($"the JHT balance {new Rupiah(account.Balance)} is below the claim's {new Rupiah(row.Total)}", "reference") { Indonesian = $"Saldo JHT {new Rupiah(account.Balance)} lebih kecil dari manfaat klaim {new Rupiah(row.Total)}." };
                }

                await MultiRow.InsertAsync(c, tx, "jht_entries", JhtLedger.Columns, [[row.ParticipantId, paidOn, "payout", -row.Total, null, row.Id, null, now]], ct);
                await JhtLedger.RecomputeAsync(c, tx, db.Dialect, [row.ParticipantId], now, ct);
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET paid_at = @now WHERE id = @id", new { now, id }, tx, cancellationToken: ct));
            return new { reference, paidOn = paidOn.ToIso(), amount = row.Total, payees = rows.Count };
        }, ct);
    }

    /// <summary>Links the claim's benefit hand-over to a monitoring visit (the national team's record of the ceremony).</summary>
    public async Task<ClaimDto> LinkVisitAsync(long id, HandoverInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsRead);
        caller.Demand(Permission.MonevWrite);
        if (input.VisitId is not > 0)
        {
            throw new UsageException("visitId is required", "visitId") { Indonesian = "Pilih kunjungan monev tempat manfaat diserahkan." };
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await LoadAsync(c, tx, id, caller, ct) ?? throw new NotFoundException($"no claim {id} in your scope") { Indonesian = $"Klaim {id} tidak ditemukan atau di luar wilayah Anda." };
        if (row.Status != "paid")
        {
            throw new ConflictException($"claim {row.Number} is {row.Status}: only a paid benefit is handed over", "visitId") { Indonesian = $"Klaim {row.Number} berstatus {ClaimLabels.Status(row.Status).Id.ToLowerInvariant()}: hanya manfaat yang sudah dibayar yang dapat dicatat penyerahannya." };
        }

        var visit = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT CAST(visit_date AS TEXT) FROM monev_visits WHERE id = @v", new { v = input.VisitId }, tx, cancellationToken: ct))
            ?? throw new NotFoundException($"no monitoring visit {input.VisitId}") { Indonesian = $"Kunjungan monev {input.VisitId} tidak ditemukan." };
        var now = time.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET visit_id = @v, updated_at = @now WHERE id = @id", new { v = input.VisitId, now, id }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("claim.handover", "claim", row.Number, Before: new { visit = row.VisitId }, After: new { visit = input.VisitId, visitedOn = visit },
            RegionCode: row.RegionCode), ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, caller, ct))!;
    }

    private async Task<ClaimDto> TransitionAsync(long id, Caller caller, string[] from, string to, Func<DbConnection, DbTransaction, Row, DateTimeOffset, Task<object>> apply, CancellationToken ct)
    {
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var row = await LoadAsync(c, tx, id, caller, ct) ?? throw new NotFoundException($"no claim {id} in your scope") { Indonesian = $"Klaim {id} tidak ditemukan atau di luar wilayah Anda." };
            if (!from.Contains(row.Status))
            {
                throw new ConflictException($"claim {row.Number} is {row.Status}; it can become {to} only when {string.Join(" or ", from)}", "status") { Indonesian = $"Klaim {row.Number} berstatus {ClaimLabels.Status(row.Status).Id.ToLowerInvariant()}; klaim dapat menjadi {ClaimLabels.Status(to).Id.ToLowerInvariant()} hanya jika berstatus {string.Join(" atau ", from.Select(f => ClaimLabels.Status(f).Id.ToLowerInvariant()))}." };
            }

            var now = time.GetUtcNow();
            // The status is changed first, conditionally: of two officers acting at once, only one moves the claim.
            var moved = await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET status = @to, updated_at = @now WHERE id = @id AND status = @status",
                new { to, now, id, status = row.Status }, tx, cancellationToken: ct));
            if (moved != 1)
            {
                throw new ConflictException($"claim {row.Number} changed meanwhile; reload it", "status") { Indonesian = $"Klaim {row.Number} baru saja diubah orang lain; muat ulang halaman lalu coba lagi." };
            }

            var after = await apply(c, tx, row, now);
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent($"claim.{(to == "verified" ? "verify" : to == "approved" ? "approve" : to == "paid" ? "pay" : "reject")}", "claim", row.Number,
                Before: new { status = row.Status }, After: new { status = to, detail = after }, RegionCode: row.RegionCode), ct);
            await tx.CommitAsync(ct);
        }

        return (await GetAsync(id, caller, ct))!;
    }

    internal sealed record Payee(int Seq, string Who, long Amount, string? Bank);

    /// <summary>Who receives the lump sum: the entitled heirs with their shares, else the participant.</summary>
    private static async Task<List<Payee>> PayeesAsync(DbConnection c, DbTransaction tx, Row row, CancellationToken ct)
    {
        var heirs = await HeirsAsync(c, tx, row.Id, ct);
        var death = row.Kind == "death" || row.Reason == "death";
        return death
            ? heirs.Where(h => h.Entitled).Select(h => new Payee((int)h.Seq, $"heir {h.Seq} ({h.Name})", h.Share, h.BankAccount)).ToList()
            : [new Payee(0, "participant", row.Total, row.BankAccount)];
    }

    // ---------------------------------------------------------------- reads

    internal static async Task<Row?> LoadAsync(DbConnection c, DbTransaction? tx, long id, Caller caller, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE k.id = @id", new { id }, tx, cancellationToken: ct));
        return row is null || !caller.Scope.Covers(row.RegionCode) ? null : row;
    }

    private static async Task<List<HeirRow>> HeirsAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken ct) =>
        (await c.QueryAsync<HeirRow>(new CommandDefinition(
            """
            SELECT seq AS Seq, name AS Name, nik AS Nik, relation AS Relation, birth_date AS BirthDate, married AS Married, working AS Working, bank_account AS BankAccount,
                   rank AS Rank, entitled AS Entitled, share AS Share
            FROM claim_heirs WHERE claim_id = @id ORDER BY seq
            """, new { id }, tx, cancellationToken: ct))).ToList();

    public async Task<ClaimDto?> GetAsync(long id, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsRead);
        await using var c = await db.OpenAsync(ct);
        var row = await LoadAsync(c, null, id, caller, ct);
        if (row is null)
        {
            return null;
        }

        var heirs = await HeirsAsync(c, null, id, ct);
        var payments = (await c.QueryAsync<(string Kind, long Seq, string Period, long? HeirSeq, long Amount, string Reference, DateOnly PaidOn, string PaidBy)>(new CommandDefinition(
            "SELECT kind, seq, period, heir_seq, amount, reference, paid_on, paid_by FROM claim_payments WHERE claim_id = @id ORDER BY paid_on, kind, seq", new { id }, cancellationToken: ct)))
            .Select(x => new ClaimPaymentDto(x.Kind, (int)x.Seq, x.Period, (int?)x.HeirSeq, x.Amount, x.Reference, x.PaidOn.ToIso(), x.PaidBy)).ToList();
        var scholarships = (await c.QueryAsync<(long HeirSeq, long YearIndex, string Due, string Level, long Amount, string Status)>(new CommandDefinition(
            "SELECT heir_seq, year_index, due_period, level, amount, status FROM claim_scholarships WHERE claim_id = @id ORDER BY heir_seq, year_index", new { id }, cancellationToken: ct)))
            .Select(x => new ScholarshipDto((int)x.HeirSeq, (int)x.YearIndex, x.Due, x.Level, x.Amount, x.Status)).ToList();
        var personal = caller.Has(Permission.PersonalData);
        string? Bank(string? b) => b is null ? null : personal ? b : new string('*', Math.Max(0, b.Length - 4)) + b[Math.Max(0, b.Length - 4)..];
        var docs = Json.Read<List<DocumentState>>(row.Documents).Select(d =>
        {
            var (lid, len) = ClaimDocuments.Label(d.Code);
            return new DocumentDto(d.Code, lid, len, d.Required, d.Provided);
        }).ToList();
        static string? At(DateTimeOffset? t) => t?.ToString("O", CultureInfo.InvariantCulture);
        return new ClaimDto(row.Id, row.Number, caller.ShowNik(row.Nik), row.Name, row.Programme, row.Kind, row.Reason, row.EventDate.ToIso(), row.ClaimDate.ToIso(), row.Status,
            row.RegionCode, row.Benefit is null ? null : Json.Read<BenefitDto>(row.Benefit), Json.Read<List<RuleCheck>>(row.Checks), docs,
            heirs.Select(h => new HeirDto((int)h.Seq, h.Name, h.Nik is null ? null : caller.ShowNik(h.Nik), h.Relation, h.BirthDate is { } hb ? caller.ShowBirth(hb) : null, h.Married, h.Working, (int)h.Rank, h.Entitled, h.Share,
                Bank(h.BankAccount))).ToList(),
            payments, scholarships,
            new WorkflowDto(row.SubmittedBy, At(row.SubmittedAt)!, row.VerifiedBy, At(row.VerifiedAt), row.ApprovedBy, At(row.ApprovedAt), At(row.PaidAt), row.RejectedBy, At(row.RejectedAt),
                row.RejectRule, row.RejectReason),
            row.VisitId);
    }

    public async Task<ClaimPageDto> ListAsync(ClaimSearch q, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsRead);
        var where = new List<string> { caller.Scope.Sql("k.region_code") };
        var args = new DynamicParameters();
        args.Add("ScopeRegion", caller.Scope.Parameter);
        if (!string.IsNullOrWhiteSpace(q.Status))
        {
            var s = q.Status.Trim().ToLowerInvariant();
            if (s is not ("submitted" or "verified" or "approved" or "paid" or "rejected"))
            {
                throw new UsageException($"status must be submitted, verified, approved, paid or rejected, not '{q.Status}'", "status") { Indonesian = "Status klaim harus salah satu dari: diajukan, dokumen diverifikasi, disetujui, dibayar, ditolak." };
            }

            where.Add("k.status = @status");
            args.Add("status", s);
        }

        if (!string.IsNullOrWhiteSpace(q.Programme))
        {
            var p = q.Programme.Trim().ToUpperInvariant();
            if (p is not ("JKM" or "JKK" or "JHT" or "JP" or "JKP"))
            {
                throw new UsageException($"programme must be JKM, JKK, JHT, JP or JKP, not '{q.Programme}'", "programme") { Indonesian = "Program harus salah satu dari: JKM, JKK, JHT, JP, JKP." };
            }

            where.Add("k.programme = @programme");
            args.Add("programme", p);
        }

        if (!string.IsNullOrWhiteSpace(q.Region))
        {
            if (!RegionCode.TryParse(q.Region.Trim(), out _))
            {
                throw new UsageException($"region must be a region code, not '{q.Region}'", "region") { Indonesian = $"Wilayah '{q.Region}' bukan kode wilayah Kemendagri (misalnya 63 atau 63.71)." };
            }

            where.Add(RegionScope.Of(RegionCode.Parse(q.Region.Trim())).Sql("k.region_code", "@region"));
            args.Add("region", q.Region.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q.Nik))
        {
            caller.Demand(Permission.PersonalData);
            where.Add("(p.nik = @nik OR p.kpj = @nik)");
            args.Add("nik", q.Nik.Trim());
        }

        if (ParseDate(q.From, "from") is { } from)
        {
            where.Add("k.event_date >= @from");
            args.Add("from", from);
        }

        if (ParseDate(q.To, "to") is { } to)
        {
            where.Add("k.event_date <= @to");
            args.Add("to", to);
        }

        var size = Math.Clamp(q.PageSize, 1, 200);
        var page = Math.Max(1, q.Page);
        args.Add("limit", size);
        args.Add("offset", (page - 1) * size);
        var filter = string.Join(" AND ", where);
        await using var c = await db.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM claims k JOIN participants p ON p.id = k.participant_id WHERE {filter}", args, cancellationToken: ct));
        var items = (await c.QueryAsync<(long Id, string Number, string Nik, string Name, string Programme, string Kind, DateOnly EventDate, string Status, string RegionCode, long Total, long Paid)>(
            new CommandDefinition(
                $"""
                SELECT k.id, k.claim_number, p.nik, p.name, k.programme, k.kind, k.event_date, k.status, k.region_code, k.total,
                       COALESCE((SELECT SUM(y.amount) FROM claim_payments y WHERE y.claim_id = k.id), 0)
                FROM claims k JOIN participants p ON p.id = k.participant_id WHERE {filter} ORDER BY k.id DESC LIMIT @limit OFFSET @offset
                """, args, cancellationToken: ct)))
            .Select(x => new ClaimSummaryDto(x.Id, x.Number, caller.ShowNik(x.Nik), x.Name, x.Programme, x.Kind, x.EventDate.ToIso(), x.Status, x.RegionCode, x.Total, x.Paid)).ToList();
        return new ClaimPageDto((int)total, page, size, items);
    }
}
