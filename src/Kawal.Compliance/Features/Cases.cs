using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Kawal.Compliance.Pages;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;
using Kawal.Ui;

namespace Kawal.Compliance.Features;

/// <summary>Working days: Monday to Friday (no public-holiday calendar; docs/compliance.md).</summary>
public static class WorkingDays
{
    public static DateOnly Add(DateOnly day, int days)
    {
        var d = day;
        for (var n = 0; n < days;)
        {
            d = d.AddDays(1);
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                n++;
            }
        }

        return d;
    }
}

/// <summary>The deadlines of the administrative track (PP 86/2013 Art. 6-9, handbook §3.8).</summary>
public static class Steps
{
    public static int Days(DateOnly on) => (int)ParameterCatalogue.Default.Value("sanction.warning_letter.working_days", on);

    public static string Citation(DateOnly on) => ParameterCatalogue.Default.At("sanction.warning_letter.working_days", on).Citation;

    public const string Tmp2tBasis = "Pasal 5 ayat (2) dan Pasal 9 PP 86/2013: sanksi tidak mendapat pelayanan publik tertentu (TMP2T) setelah teguran tertulis I dan II tidak dipenuhi";
}

/// <summary>
/// The case pipeline (docs/compliance.md): detected → warning letter 1 → warning letter 2 (each with 10 working days to
/// comply) → SKK handed to a prosecutors' office (the TMP2T sanction starts) → prosecutor actions and recoveries →
/// closed (paid, registered, uncollectible, resolved; the sanction is lifted). Every step is dated, audited and checked
/// against the caller's role and region; a prosecutor acts only on the SKKs handed to their office.
/// </summary>
public sealed class Cases(Database db, PaymentsHandler payments, TimeProvider time)
{
    private const string Select =
        """
        SELECT k.id AS Id, k.case_number AS Number, k.kind AS Kind, k.subject_key AS SubjectKey, e.npp AS Npp, k.nib AS Nib, k.name AS Name, k.region_code AS RegionCode,
               k.status AS Status, k.evidence AS Evidence, k.amount AS Amount, k.detected_on AS DetectedOn, k.step_due AS StepDue, k.warning1_on AS Warning1On,
               k.warning2_on AS Warning2On, k.skk_number AS SkkNumber, k.skk_date AS SkkDate, k.office_code AS OfficeCode, o.name AS OfficeName, k.skk_amount AS SkkAmount,
               k.closed_on AS ClosedOn, k.close_reason AS CloseReason, k.employer_id AS EmployerId
        FROM compliance_cases k LEFT JOIN employers e ON e.id = k.employer_id LEFT JOIN prosecutor_offices o ON o.code = k.office_code
        """;

    internal sealed class Row
    {
        public long Id { get; set; }
        public string Number { get; set; } = "";
        public string Kind { get; set; } = "";
        public string SubjectKey { get; set; } = "";
        public string? Npp { get; set; }
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string Status { get; set; } = "";
        public string Evidence { get; set; } = "{}";
        public long Amount { get; set; }
        public DateOnly DetectedOn { get; set; }
        public DateOnly? StepDue { get; set; }
        public DateOnly? Warning1On { get; set; }
        public DateOnly? Warning2On { get; set; }
        public string? SkkNumber { get; set; }
        public DateOnly? SkkDate { get; set; }
        public string? OfficeCode { get; set; }
        public string? OfficeName { get; set; }
        public long? SkkAmount { get; set; }
        public DateOnly? ClosedOn { get; set; }
        public string? CloseReason { get; set; }
        public long? EmployerId { get; set; }
    }

    /// <summary>The prosecutors' office a prosecutor works for: the Kejari of a regency/city, the Kejati of a province; null for Kejaksaan Agung (all).</summary>
    public static string? OfficeOf(Caller caller) => caller.Role != Role.Prosecutor || caller.Scope.Code is null ? null
        : caller.Scope.Code.Contains('.', StringComparison.Ordinal) ? "kejari:" + caller.Scope.Code : "kejati:" + caller.Scope.Code;

    /// <summary>A region filter given as text (a province: it and its regencies); none: everywhere.</summary>
    internal static RegionScope Within(string? region) =>
        string.IsNullOrWhiteSpace(region) ? RegionScope.National
        : RegionCode.TryParse(region.Trim(), out var code) ? RegionScope.Of(code) : throw new UsageException($"region must be a region code, not '{region}'", "region") { Indonesian = $"Wilayah '{region}' bukan kode wilayah Kemendagri (misalnya 63 atau 63.71)." };

    /// <summary>The SQL that limits cases to what the caller may see.</summary>
    internal static (string Sql, object Args) Scope(Caller caller, string k = "k") =>
        caller.Role == Role.Prosecutor
            ? (OfficeOf(caller) is { } office ? $"{k}.office_code = @ScopeOffice" : $"{k}.office_code IS NOT NULL", new { ScopeOffice = OfficeOf(caller), ScopeRegion = caller.Scope.Parameter })
            : (caller.Scope.Sql($"{k}.region_code"), new { ScopeOffice = (string?)null, ScopeRegion = caller.Scope.Parameter });

    internal static bool Sees(Caller caller, Row row) => caller.Role == Role.Prosecutor
        ? row.OfficeCode is not null && (OfficeOf(caller) is not { } office || office == row.OfficeCode)
        : caller.Scope.Covers(row.RegionCode);

    internal static Task EventAsync(DbConnection c, DbTransaction tx, long caseId, string kind, DateOnly on, string actor, string details, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("INSERT INTO case_events (case_id, kind, on_date, actor, details, created_at) VALUES (@caseId, @kind, @on, @actor, @details, @now)",
            new { caseId, kind, on, actor, details, now }, tx, cancellationToken: ct));

    /// <summary>Makes sure every region has its prosecutors' office (a Kejati per province, a Kejari per regency/city).</summary>
    internal static async Task EnsureOfficesAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO prosecutor_offices (code, name, level, region_code)
            SELECT CASE WHEN r.level = 'province' THEN 'kejati:' ELSE 'kejari:' END || r.code,
                   CASE WHEN r.level = 'province' THEN 'Kejaksaan Tinggi ' || r.name ELSE 'Kejaksaan Negeri ' || r.name END,
                   CASE WHEN r.level = 'province' THEN 'kejati' ELSE 'kejari' END, r.code
            FROM regions r WHERE r.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM prosecutor_offices o WHERE o.region_code = r.code)
            """, transaction: tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<OfficeDto>> OfficesAsync(string? region, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            await EnsureOfficesAsync(c, tx, ct);
            await tx.CommitAsync(ct);
        }

        return (await c.QueryAsync<(string Code, string Name, string Level, string Region)>(new CommandDefinition(
            $"SELECT code, name, level, region_code FROM prosecutor_offices WHERE {Within(region).Sql("region_code", "@region")} ORDER BY region_code",
            new { region = region?.Trim() }, cancellationToken: ct))).Select(o => new OfficeDto(o.Code, o.Name, o.Level, o.Region)).ToList();
    }

    // ---------------------------------------------------------------- steps

    private static DateOnly Date(string? text, DateOnly today, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return today;
        }

        var d = Dates.TryParseIso(text.Trim(), out var v) ? v : throw new UsageException($"{field} must be a date YYYY-MM-DD, not '{text}'", field) { Indonesian = $"Tanggal harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{text}'." };
        return d > today ? throw new UsageException($"{field} must not be in the future", field) { Indonesian = "Tanggal tidak boleh di masa depan." } : d;
    }

    /// <summary>Warning letter 1 or 2. The second only after the first's 10 working days have passed without compliance.</summary>
    public Task<CaseDto> WarnAsync(long id, int letter, WarningInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceWrite);
        return StepAsync(id, caller, letter == 1 ? ["detected"] : ["warning1"], letter == 1 ? "warning1" : "warning2", async (c, tx, row, now) =>
        {
            var day = Date(input.Date, time.Today(), "date");
            if (letter == 2 && row.StepDue is { } due && day <= due)
            {
                throw new ConflictException($"warning letter 2 may be sent after {due.ToIso()}: letter 1 of {row.Warning1On?.ToIso()} gives {Steps.Days(day)} working days ({Steps.Citation(day)})", "date") { Indonesian = $"Teguran II baru dapat dikirim sesudah {due.ToIso()}: teguran I tanggal {row.Warning1On?.ToIso()} memberi waktu {Steps.Days(day)} hari kerja ({Citations.Show(Steps.Citation(day), english: false)})." };
            }

            if (day < (letter == 1 ? row.DetectedOn : row.Warning1On!.Value))
            {
                throw new UsageException("date must not be before the previous step", "date") { Indonesian = "Tanggal tidak boleh sebelum tanggal langkah sebelumnya." };
            }

            var stepDue = WorkingDays.Add(day, Steps.Days(day));
            await c.ExecuteAsync(new CommandDefinition($"UPDATE compliance_cases SET warning{letter}_on = @day, step_due = @stepDue WHERE id = @id",
                new { day, stepDue, id }, tx, cancellationToken: ct));
            return (day, new { letter, date = day.ToIso(), respondBy = stepDue.ToIso(), citation = Steps.Citation(day) });
        }, ct);
    }

    /// <summary>Hands the case to a prosecutors' office with a special power of attorney (SKK); the TMP2T sanction starts.</summary>
    public Task<CaseDto> HandOverAsync(long id, SkkInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceWrite);
        var number = (input.Number ?? "").Trim();
        if (number.Length is < 3 or > 100)
        {
            throw new UsageException("number (the SKK's number) is required, 3 to 100 characters", "number") { Indonesian = "Isi nomor SKK: 3 sampai 100 huruf." };
        }

        return StepAsync(id, caller, ["warning2"], "skk", async (c, tx, row, now) =>
        {
            var day = Date(input.Date, time.Today(), "date");
            if (row.StepDue is { } due && day <= due)
            {
                throw new ConflictException($"the SKK may be handed over after {due.ToIso()}: warning letter 2 of {row.Warning2On?.ToIso()} gives {Steps.Days(day)} working days", "date") { Indonesian = $"SKK baru dapat diserahkan sesudah {due.ToIso()}: teguran II tanggal {row.Warning2On?.ToIso()} memberi waktu {Steps.Days(day)} hari kerja." };
            }

            await EnsureOfficesAsync(c, tx, ct);
            var office = string.IsNullOrWhiteSpace(input.Office) ? "kejari:" + row.RegionCode : input.Office.Trim();
            var officeName = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT name FROM prosecutor_offices WHERE code = @office", new { office }, tx, cancellationToken: ct))
                ?? throw new UsageException($"office must be a prosecutors' office code (kejari:REGENCY or kejati:PROVINCE), not '{office}'", "office") { Indonesian = $"Kantor kejaksaan '{office}' tidak dikenal. Tulis kodenya sebagai kejari:KODE-KABUPATEN/KOTA atau kejati:KODE-PROVINSI (misalnya kejari:63.71), atau kosongkan untuk Kejari wilayah kasus." };
            var outstanding = row.EmployerId is { } employer ? await OutstandingAsync(c, tx, employer, day, ct) : 0;
            var amount = row.Kind == "arrears" ? outstanding : row.Amount;
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE compliance_cases SET skk_number = @number, skk_date = @day, office_code = @office, skk_amount = @amount, step_due = NULL WHERE id = @id",
                new { number, day, office, amount, id }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sanctions (case_id, subject_key, name, region_code, basis, start_date) VALUES (@id, @SubjectKey, @Name, @RegionCode, @basis, @day)",
                new { id, row.SubjectKey, row.Name, row.RegionCode, basis = $"{Steps.Tmp2tBasis} ({row.Warning1On?.ToIso()}, {row.Warning2On?.ToIso()})", day }, tx, cancellationToken: ct));
            return (day, new { number, date = day.ToIso(), office, officeName, amount, sanction = "TMP2T" });
        }, ct);
    }

    public static IReadOnlyList<string> ActionKinds { get; } = ["summons", "agreement_full", "agreement_instalments", "lawsuit", "note"];

    /// <summary>A prosecutor's action on an SKK of their office: summons, agreement to pay (in full or in instalments), lawsuit, note.</summary>
    public Task<CaseDto> ActAsync(long id, ActionInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceProsecute);
        var kind = (input.Kind ?? "").Trim().ToLowerInvariant();
        if (!ActionKinds.Contains(kind))
        {
            throw new UsageException($"kind must be one of {string.Join(", ", ActionKinds)}, not '{input.Kind}'", "kind") { Indonesian = "Jenis tindakan harus salah satu dari: panggilan, kesepakatan bayar lunas, kesepakatan bayar angsuran, gugatan, catatan." };
        }

        return StepAsync(id, caller, ["skk"], "skk", (c, tx, row, now) =>
        {
            var day = Date(input.Date, time.Today(), "date");
            if (row.SkkDate is { } skk && day < skk)
            {
                throw new UsageException("date must not be before the SKK", "date") { Indonesian = "Tanggal tindakan tidak boleh sebelum tanggal SKK." };
            }

            return Task.FromResult<(DateOnly, object)>((day, new { action = kind, note = (input.Note ?? "").Trim() }));
        }, ct, kind);
    }

    /// <summary>A recovery: recorded as a payment of the employer in the contributions ledger (idempotent by reference) and attributed to the SKK.</summary>
    public async Task<CaseDto> RecoverAsync(long id, RecoveryInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceProsecute);
        Row row;
        await using (var c = await db.OpenAsync(ct))
        {
            row = await LoadAsync(c, null, id, caller, ct) ?? throw new NotFoundException($"no case {id} in your scope") { Indonesian = $"Kasus {id} tidak ditemukan atau di luar wilayah Anda." };
        }

        if (row.Status != "skk" || row.OfficeCode is null)
        {
            throw new ConflictException($"case {row.Number} is {row.Status}: recoveries are recorded on an SKK handed to an office", "status") { Indonesian = $"Kasus {row.Number} berstatus {ComplianceLabels.Status(row.Status).Id}: pemulihan hanya dicatat pada SKK yang sudah diserahkan ke kejaksaan." };
        }

        if (row.Npp is null)
        {
            throw new ConflictException($"case {row.Number} has no registered employer to pay for (PWBD): register it first", "status") { Indonesian = $"Kasus {row.Number} belum memiliki pemberi kerja terdaftar (PWBD) untuk menerima pembayaran: daftarkan pemberi kerjanya lebih dahulu." };
        }

        var reference = (input.Reference ?? "").Trim();
        var payment = await payments.RecordRecoveryAsync(new PaymentInput(reference, $"employer:{row.Npp}", null, input.Amount, string.IsNullOrWhiteSpace(input.Date) ? time.Today().ToIso() : input.Date, row.OfficeCode), caller, ct);
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var other = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT case_id FROM case_recoveries WHERE payment_id = @Id", new { payment.Id }, tx, cancellationToken: ct));
            if (other is { } o && o != id)
            {
                throw new ConflictException($"payment {reference} is already attributed to another case", "reference") { Indonesian = $"Pembayaran {reference} sudah dicatat untuk kasus lain." };
            }

            if (other is null)
            {
                var paidOn = DateOnly.ParseExact(payment.PaidOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO case_recoveries (case_id, payment_id, amount, paid_on, office_code, created_at) VALUES (@id, @pid, @Amount, @paidOn, @OfficeCode, @now)",
                    new { id, pid = payment.Id, payment.Amount, paidOn, row.OfficeCode, now }, tx, cancellationToken: ct));
                await EventAsync(c, tx, id, "recovery", paidOn, caller.Actor, Json.Write(new { reference, amount = payment.Amount, office = row.OfficeCode }), now, ct);
                await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("compliance.recovery", "compliance_case", row.Number,
                    After: new { reference, amount = payment.Amount, paidOn = payment.PaidOn, office = row.OfficeCode }, RegionCode: row.RegionCode), ct);
            }

            await tx.CommitAsync(ct);
        }

        return (await GetAsync(id, caller, ct))!;
    }

    public static IReadOnlyList<string> CloseReasons { get; } = ["paid", "registered", "uncollectible", "resolved"];

    /// <summary>Closes a case; its TMP2T sanction, if any, ends that day.</summary>
    public Task<CaseDto> CloseAsync(long id, CloseInput input, Caller caller, CancellationToken ct = default)
    {
        if (!caller.Has(Permission.ComplianceWrite) && !caller.Has(Permission.ComplianceProsecute))
        {
            caller.Demand(Permission.ComplianceWrite);
        }

        var reason = (input.Reason ?? "").Trim().ToLowerInvariant();
        if (!CloseReasons.Contains(reason))
        {
            throw new UsageException($"reason must be one of {string.Join(", ", CloseReasons)}, not '{input.Reason}'", "reason") { Indonesian = "Alasan penutupan harus salah satu dari: dibayar lunas, sudah didaftarkan, tidak dapat ditagih, diselesaikan." };
        }

        return StepAsync(id, caller, ["detected", "warning1", "warning2", "skk"], "closed", async (c, tx, row, now) =>
        {
            var day = Date(input.Date, time.Today(), "date");
            if (caller.Role == Role.Prosecutor && row.Status != "skk")
            {
                throw new ForbiddenException("a prosecutor closes only SKKs handed to the office") { Indonesian = "Jaksa hanya dapat menutup kasus yang SKK-nya diserahkan ke kantornya." };
            }

            if (reason == "paid" && row.EmployerId is { } employer && await OutstandingAsync(c, tx, employer, day, ct) > 0)
            {
                throw new ConflictException($"{row.Name} still has overdue contributions: a case closes as paid only when none is left", "reason") { Indonesian = $"{row.Name} masih memiliki iuran yang lewat jatuh tempo: kasus ditutup sebagai dibayar lunas hanya jika tidak ada tunggakan lagi." };
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET closed_on = @day, close_reason = @reason, step_due = NULL WHERE id = @id",
                new { day, reason, id }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("UPDATE sanctions SET end_date = @day WHERE case_id = @id AND end_date IS NULL", new { day, id }, tx, cancellationToken: ct));
            return (day, new { reason, note = (input.Note ?? "").Trim() });
        }, ct);
    }

    /// <summary>What the employer owes on bills past their due date on a day.</summary>
    internal static async Task<long> OutstandingAsync(DbConnection c, DbTransaction? tx, long employerId, DateOnly overdueOn, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT SUM(b.amount - b.paid) FROM bills b JOIN payers p ON p.id = b.payer_id JOIN employers e ON p.kind = 'employer' AND p.reference = e.npp
            WHERE e.id = @employerId AND b.amount > 0 AND b.paid < b.amount AND b.due_date < @day
            """, new { employerId, day = overdueOn }, tx, cancellationToken: ct)) ?? 0;

    private async Task<CaseDto> StepAsync(long id, Caller caller, string[] from, string to, Func<DbConnection, DbTransaction, Row, DateTimeOffset, Task<(DateOnly Day, object Detail)>> apply,
        CancellationToken ct, string? eventKind = null)
    {
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var row = await LoadAsync(c, tx, id, caller, ct) ?? throw new NotFoundException($"no case {id} in your scope") { Indonesian = $"Kasus {id} tidak ditemukan atau di luar wilayah Anda." };
            if (caller.Role == Role.Prosecutor && !caller.Has(Permission.ComplianceWrite) && to != "closed" && eventKind is null)
            {
                throw new ForbiddenException("a prosecutor records actions and recoveries, not BPJS's steps") { Indonesian = "Jaksa mencatat tindakan dan pemulihan; teguran dan penyerahan SKK dilakukan oleh BPJS Ketenagakerjaan." };
            }

            if (!from.Contains(row.Status))
            {
                throw new ConflictException($"case {row.Number} is {row.Status}; this step needs it {string.Join(" or ", from)}", "status") { Indonesian = $"Kasus {row.Number} berstatus {ComplianceLabels.Status(row.Status).Id}; langkah ini memerlukan status {string.Join(" atau ", from.Select(f => ComplianceLabels.Status(f).Id))}." };
            }

            var now = time.GetUtcNow();
            var moved = await c.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET status = @to, updated_at = @now WHERE id = @id AND status = @status",
                new { to, now, id, status = row.Status }, tx, cancellationToken: ct));
            if (moved != 1)
            {
                throw new ConflictException($"case {row.Number} changed meanwhile; reload it", "status") { Indonesian = $"Kasus {row.Number} baru saja diubah orang lain; muat ulang halaman lalu coba lagi." };
            }

            var (day, detail) = await apply(c, tx, row, now);
            var kind = eventKind ?? to;
            await EventAsync(c, tx, id, kind, day, caller.Actor, Json.Write(detail), now, ct);
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent($"compliance.{kind}", "compliance_case", row.Number, Before: new { status = row.Status },
                After: new { status = to, detail }, RegionCode: row.RegionCode), ct);
            await tx.CommitAsync(ct);
        }

        return (await GetAsync(id, caller, ct))!;
    }

    // ---------------------------------------------------------------- reads

    internal static async Task<Row?> LoadAsync(DbConnection c, DbTransaction? tx, long id, Caller caller, CancellationToken ct)
    {
        caller.Demand(Permission.ComplianceRead);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE k.id = @id", new { id }, tx, cancellationToken: ct));
        return row is null || !Sees(caller, row) ? null : row;
    }

    private static bool IsOverdue(string status, DateOnly? due, DateOnly today) => status is "detected" or "warning1" or "warning2" && due is { } d && d < today;

    public async Task<CaseDto?> GetAsync(long id, Caller caller, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await LoadAsync(c, null, id, caller, ct);
        if (row is null)
        {
            return null;
        }

        var today = time.Today();
        var events = (await c.QueryAsync<(string Kind, DateOnly On, string Actor, string Details)>(new CommandDefinition(
            "SELECT kind, on_date, actor, details FROM case_events WHERE case_id = @id ORDER BY id", new { id }, cancellationToken: ct)))
            .Select(e => new CaseEventDto(e.Kind, e.On.ToIso(), e.Actor, e.Details)).ToList();
        var recoveries = (await c.QueryAsync<(string Reference, long Amount, DateOnly PaidOn, string Office)>(new CommandDefinition(
            "SELECT y.reference, r.amount, r.paid_on, r.office_code FROM case_recoveries r JOIN payments y ON y.id = r.payment_id WHERE r.case_id = @id ORDER BY r.id", new { id }, cancellationToken: ct)))
            .Select(r => new RecoveryDto(r.Reference, r.Amount, r.PaidOn.ToIso(), r.Office)).ToList();
        var sanction = (await c.QueryAsync<(long Id, string Subject, string Name, string Region, string Basis, DateOnly Start, DateOnly? End)>(new CommandDefinition(
            "SELECT id, subject_key, name, region_code, basis, start_date, end_date FROM sanctions WHERE case_id = @id ORDER BY id DESC", new { id }, cancellationToken: ct)))
            .Select(s => new SanctionDto(s.Id, row.Number, s.Subject, s.Name, s.Region, s.Basis, s.Start.ToIso(), s.End?.ToIso())).FirstOrDefault();
        long? outstanding = row.EmployerId is { } employer ? await OutstandingAsync(c, null, employer, today, ct) : null;
        var letters = new List<string>();
        if (row.Warning1On is not null)
        {
            letters.Add("warning1");
        }

        if (row.Warning2On is not null)
        {
            letters.Add("warning2");
        }

        if (row.SkkDate is not null)
        {
            letters.Add("skk");
        }

        using var evidence = JsonDocument.Parse(row.Evidence);
        return new CaseDto(row.Id, row.Number, row.Kind, row.SubjectKey, row.Npp, row.Nib, row.Name, row.RegionCode, row.Status, evidence.RootElement.Clone(), row.Amount,
            row.DetectedOn.ToIso(), row.StepDue?.ToIso(), IsOverdue(row.Status, row.StepDue, today), row.Warning1On?.ToIso(), row.Warning2On?.ToIso(), row.SkkNumber, row.SkkDate?.ToIso(),
            row.OfficeCode, row.OfficeName, row.SkkAmount, recoveries.Sum(r => r.Amount), outstanding, row.ClosedOn?.ToIso(), row.CloseReason, events, recoveries, sanction, letters);
    }

    public async Task<CasePageDto> ListAsync(CaseSearch q, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceRead);
        var (scope, scopeArgs) = Scope(caller);
        var where = new List<string> { scope };
        var args = new DynamicParameters(scopeArgs);
        if (!string.IsNullOrWhiteSpace(q.Status))
        {
            var s = q.Status.Trim().ToLowerInvariant();
            if (s is not ("detected" or "warning1" or "warning2" or "skk" or "closed" or "open"))
            {
                throw new UsageException($"status must be detected, warning1, warning2, skk, closed or open, not '{q.Status}'", "status") { Indonesian = "Status kasus harus salah satu dari: terdeteksi, teguran I, teguran II, SKK di kejaksaan, selesai, atau terbuka." };
            }

            where.Add(s == "open" ? "k.status <> 'closed'" : "k.status = @status");
            args.Add("status", s);
        }

        if (!string.IsNullOrWhiteSpace(q.Kind))
        {
            var kind = q.Kind.Trim().ToLowerInvariant();
            if (kind is not ("pwbd" or "pds_workers" or "pds_wage" or "pds_programme" or "arrears"))
            {
                throw new UsageException($"kind must be pwbd, pds_workers, pds_wage, pds_programme or arrears, not '{q.Kind}'", "kind") { Indonesian = "Jenis kasus harus salah satu dari: PWBD (wajib belum daftar), PDS tenaga kerja, PDS upah, PDS program, tunggakan iuran." };
            }

            where.Add("k.kind = @kind");
            args.Add("kind", kind);
        }

        if (!string.IsNullOrWhiteSpace(q.Region))
        {
            where.Add(Within(q.Region).Sql("k.region_code", "@region"));
            args.Add("region", q.Region.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q.Office))
        {
            where.Add("k.office_code = @office");
            args.Add("office", q.Office.Trim());
        }

        var today = time.Today();
        if (q.OverdueOnly)
        {
            where.Add("k.status IN ('detected', 'warning1', 'warning2') AND k.step_due < @today");
        }

        args.Add("today", today);
        var size = Math.Clamp(q.PageSize, 1, 200);
        var page = Math.Max(1, q.Page);
        args.Add("limit", size);
        args.Add("offset", (page - 1) * size);
        var filter = string.Join(" AND ", where);
        await using var c = await db.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM compliance_cases k WHERE {filter}", args, cancellationToken: ct));
        var items = (await c.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE {filter} ORDER BY k.id DESC LIMIT @limit OFFSET @offset", args, cancellationToken: ct)))
            .Select(r => new CaseSummaryDto(r.Id, r.Number, r.Kind, r.SubjectKey, r.Name, r.RegionCode, r.Status, r.SkkAmount ?? r.Amount, r.DetectedOn.ToIso(), r.StepDue?.ToIso(),
                IsOverdue(r.Status, r.StepDue, today), r.OfficeCode, r.SkkNumber)).ToList();
        return new CasePageDto((int)total, page, size, items);
    }

    /// <summary>The TMP2T list: employers under the sanction (current, or also ended).</summary>
    public async Task<IReadOnlyList<SanctionDto>> SanctionsAsync(string? region, bool includeEnded, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceRead);
        var (scope, args) = Scope(caller);
        await using var c = await db.OpenAsync(ct);
        var dp = new DynamicParameters(args);
        dp.Add("region", region?.Trim());
        return (await c.QueryAsync<(long Id, string Number, string Subject, string Name, string Region, string Basis, DateOnly Start, DateOnly? End)>(new CommandDefinition(
            $"""
            SELECT s.id, k.case_number, s.subject_key, s.name, s.region_code, s.basis, s.start_date, s.end_date FROM sanctions s JOIN compliance_cases k ON k.id = s.case_id
            WHERE {scope} AND {Within(region).Sql("s.region_code", "@region")} {(includeEnded ? "" : "AND s.end_date IS NULL")}
            ORDER BY s.start_date DESC, s.id DESC
            """, dp, cancellationToken: ct)))
            .Select(s => new SanctionDto(s.Id, s.Number, s.Subject, s.Name, s.Region, s.Basis, s.Start.ToIso(), s.End?.ToIso())).ToList();
    }
}
