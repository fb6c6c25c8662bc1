using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Reports;
using Kawal.Regions;

namespace Kawal.Monev.Features;

/// <summary>What an officer enters for one commitment (fields of other kinds are ignored).</summary>
public sealed record CommitmentInput(
    string? Region, int? FiscalYear, string? Kind,
    string? RegType = null, string? RegNumber = null, string? RegDate = null, string? RegTitle = null, string? RegStatus = null,
    long? Amount = null, long? WorkersTargeted = null, string? TargetGroups = null,
    bool? PtspRequired = null, string? LegalBasis = null, string? EffectiveDate = null,
    int? BumdTotal = null, int? BumdRegistered = null,
    long? CensusCount = null, string? CensusSource = null, string? Note = null);

public sealed record EvidenceDto(long Id, string FileName, string ContentType, long Size, string Sha256, string UploadedBy, string UploadedAt);

public sealed record StepDto(string Step, string? From, string To, string Actor, string? Comment, string At);

public sealed record CommitmentDto(long Id, string RegionCode, string RegionName, int FiscalYear, string Kind, string Status, bool Locked,
    string? RegType, string? RegNumber, string? RegDate, string? RegTitle, string? RegStatus,
    long? Amount, long? WorkersTargeted, string? TargetGroups, bool? PtspRequired, string? LegalBasis, string? EffectiveDate,
    int? BumdTotal, int? BumdRegistered, long? CensusCount, string? CensusSource, string? Note, string? Comment,
    string UpdatedBy, string UpdatedAt, IReadOnlyList<EvidenceDto> Evidence, IReadOnlyList<StepDto> Steps);

public sealed record YearDto(int FiscalYear, string Deadline, string? ReopenedUntil, bool Locked);

/// <summary>
/// Regional commitments and their workflow (docs/monev.md): the region's officers enter and evidence a commitment and
/// submit it; for a regency/city its province verifies; the national team accepts or returns it with a comment.
/// After the fiscal year's deadline nothing of that year changes unless an administrator reopens it. Every step is a
/// row in <c>commitment_steps</c> and an audit entry, in the step's transaction.
/// </summary>
public sealed class CommitmentsHandler(Database db, RegionLookup regions, TimeProvider time)
{
    public const long MaxEvidenceBytes = 10 * 1024 * 1024;

    public static IReadOnlyList<string> Kinds { get; } = ["regulation", "apbd", "ptsp", "bumd", "census"];
    public static IReadOnlyList<string> RegTypes { get; } = ["perda", "perkada", "keputusan", "surat_edaran", "instruksi"];
    public static IReadOnlyList<string> RegStatuses { get; } = ["draft", "enacted", "revoked"];
    public static IReadOnlyList<string> TargetGroupNames { get; } = ["non_asn", "village_apparatus", "rt_rw", "election_organiser", "vulnerable", "bumd"];

    /// <summary>An input field as an officer reads it in a refusal (<c>regType</c> → <c>bentuk regulasi</c>).</summary>
    private static string FieldId(string field) => field switch
    {
        "regType" => "bentuk regulasi",
        "regNumber" => "nomor regulasi",
        "regDate" => "tanggal regulasi ditetapkan",
        "regTitle" => "judul regulasi",
        "regStatus" => "status regulasi",
        "amount" => "alokasi APBD",
        "workersTargeted" => "jumlah pekerja sasaran",
        "ptspRequired" => "apakah perizinan mensyaratkan kepesertaan",
        "legalBasis" => "dasar hukum",
        "effectiveDate" => "tanggal berlaku",
        "bumdTotal" => "jumlah BUMD",
        "bumdRegistered" => "jumlah BUMD terdaftar",
        "censusCount" => "jumlah hasil pendataan non-ASN",
        "censusSource" => "sumber pendataan",
        "note" => "catatan",
        "deadline" => "tenggat",
        "reopenUntil" => "dibuka kembali sampai",
        _ => field,
    };

    private static string TargetGroupId(string group) => group switch
    {
        "non_asn" => "pegawai non-ASN",
        "village_apparatus" => "perangkat desa",
        "rt_rw" => "pengurus RT/RW",
        "election_organiser" => "penyelenggara pemilu",
        "vulnerable" => "pekerja rentan",
        _ => "pegawai BUMD",
    };

    /// <summary>Without a deadline set for the fiscal year: 31 March of the next year.</summary>
    public static DateOnly DefaultDeadline(int fiscalYear) => new(fiscalYear + 1, 3, 31);

    public async Task<CommitmentDto> SaveAsync(CommitmentInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.MonevCommit);
        var prepared = Prepare(input, caller, await regions.LoadAsync(ct));
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (id, _) = await WriteAsync(c, tx, prepared, caller, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, caller, ct))!;
    }

    /// <summary>A commitment checked and ready to be written: its region, year, kind and column values.</summary>
    internal sealed record Prepared(Region Region, int Year, string Kind, Dictionary<string, object?> Fields);

    /// <summary>Checks an input against the kind's rules; a <see cref="UsageException"/> names the field at fault.</summary>
    internal Prepared Prepare(CommitmentInput input, Caller caller, RegionSet set)
    {
        var text = input.Region?.Trim() ?? "";
        var region = set.Find(text);
        if (region is null || !region.IsValidOn(time.Today()))
        {
            throw new UsageException($"region must be a current province or regency/city code, not '{input.Region}'", "region") { Indonesian = $"Wilayah '{input.Region}' bukan kode provinsi atau kabupaten/kota yang berlaku. Tulis kode Kemendagri, misalnya 63 atau 63.71." };
        }

        if (!caller.Scope.Covers(region.Code))
        {
            throw new UsageException($"region {region.Code} is outside your region", "region") { Indonesian = $"Wilayah {region.Code} di luar wilayah Anda; isi komitmen hanya untuk wilayah Anda." };
        }

        var kind = input.Kind?.Trim() ?? "";
        if (!Kinds.Contains(kind))
        {
            throw new UsageException($"kind must be one of {string.Join(", ", Kinds)}, not '{input.Kind}'", "kind") { Indonesian = $"Jenis komitmen harus salah satu dari: {string.Join(", ", Kinds.Select(MonevReports.KindLabel))}." };
        }

        if (input.FiscalYear is not (>= 2021 and <= 2100) || input.FiscalYear > time.Today().Year + 1)
        {
            throw new UsageException($"fiscalYear must be a year from 2021 to next year, not '{input.FiscalYear}'", "fiscalYear") { Indonesian = $"Tahun anggaran harus antara 2021 dan tahun depan ({time.Today().Year + 1})." };
        }

        return new Prepared(region, input.FiscalYear.Value, kind, Validate(kind, input));
    }

    /// <summary>
    /// Creates the commitment as a draft, or changes a draft or returned one; the same values again change nothing
    /// (no step, no audit entry). A commitment further up the workflow, or a locked year, is a <see cref="ConflictException"/>.
    /// </summary>
    internal async Task<(long Id, string Outcome)> WriteAsync(DbConnection c, DbTransaction tx, Prepared p, Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        await DemandOpenAsync(c, tx, p.Year, ct);
        var existing = await c.QuerySingleOrDefaultAsync<(long Id, string Status)?>(new CommandDefinition(
            "SELECT id, status FROM commitments WHERE region_code = @Code AND fiscal_year = @Year AND kind = @Kind", new { p.Region.Code, p.Year, p.Kind }, tx, cancellationToken: ct));
        var fields = new Dictionary<string, object?>(p.Fields) { ["by"] = caller.Actor, ["now"] = now };
        long id;
        object? before = null;
        if (existing is { } e)
        {
            if (e.Status is not ("draft" or "returned"))
            {
                throw new ConflictException($"commitment {e.Id} is {e.Status}; only a draft or a returned commitment can be changed", "status") { Indonesian = $"Komitmen {e.Id} berstatus {MonevReports.StatusLabel(e.Status)}; hanya draf atau komitmen yang dikembalikan yang dapat diubah." };
            }

            var old = await SnapshotAsync(c, tx, e.Id, ct);
            if (e.Status == "draft" && old is not null && p.Fields.All(f => Same(old.GetValueOrDefault(f.Key), f.Value)))
            {
                return (e.Id, "unchanged");
            }

            before = old;
            id = e.Id;
            fields["id"] = id;
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE commitments SET status = 'draft', reg_type = @reg_type, reg_number = @reg_number, reg_date = @reg_date, reg_title = @reg_title, reg_status = @reg_status,
                    amount = @amount, workers_targeted = @workers_targeted, target_groups = @target_groups, ptsp_required = @ptsp_required, legal_basis = @legal_basis,
                    effective_date = @effective_date, bumd_total = @bumd_total, bumd_registered = @bumd_registered, census_count = @census_count, census_source = @census_source,
                    note = @note, updated_by = @by, updated_at = @now
                WHERE id = @id
                """, fields, tx, cancellationToken: ct));
        }
        else
        {
            fields["region"] = p.Region.Code;
            fields["year"] = p.Year;
            fields["kind"] = p.Kind;
            id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO commitments (region_code, fiscal_year, kind, status, reg_type, reg_number, reg_date, reg_title, reg_status, amount, workers_targeted, target_groups,
                    ptsp_required, legal_basis, effective_date, bumd_total, bumd_registered, census_count, census_source, note, comment, created_by, created_at, updated_by, updated_at)
                VALUES (@region, @year, @kind, 'draft', @reg_type, @reg_number, @reg_date, @reg_title, @reg_status, @amount, @workers_targeted, @target_groups,
                    @ptsp_required, @legal_basis, @effective_date, @bumd_total, @bumd_registered, @census_count, @census_source, @note, NULL, @by, @now, @by, @now)
                RETURNING id
                """, fields, tx, cancellationToken: ct));
        }

        await StepAsync(c, tx, id, existing is null ? "create" : "update", existing?.Status, "draft", caller, null, now, before, p.Region.Code, ct);
        return (id, existing is null ? "created" : "updated");
    }

    /// <summary>A stored value and a new one compared across engines (SQLite keeps dates as text and booleans as 0/1).</summary>
    private static bool Same(object? stored, object? value) => Canonical(stored) == Canonical(value);

    private static string? Canonical(object? v) => v switch
    {
        null or DBNull => null,
        bool b => b ? "1" : "0",
        DateOnly d => d.ToIso(),
        DateTime t => DateOnly.FromDateTime(t).ToIso(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    private static Dictionary<string, object?> Validate(string kind, CommitmentInput i)
    {
        var p = new Dictionary<string, object?>();
        string? Text(string? s, int max, string field) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length <= max ? s.Trim() : throw new UsageException($"{field} is longer than {max} characters", field) { Indonesian = $"Isian {FieldId(field)} terlalu panjang: paling banyak {max} huruf." };
        DateOnly? Date(string? s, string field) => string.IsNullOrWhiteSpace(s) ? null : Dates.TryParseIso(s.Trim(), out var d) ? d : throw new UsageException($"{field} must be a date YYYY-MM-DD, not '{s}'", field) { Indonesian = $"Isian {FieldId(field)} harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{s}'." };
        T Need<T>(T? v, string field)
            where T : struct => v ?? throw new UsageException($"{field} is required for a {kind} commitment", field) { Indonesian = $"Isi {FieldId(field)}: wajib untuk komitmen {MonevReports.KindLabel(kind)}." };
        string NeedText(string? v, string field) => v ?? throw new UsageException($"{field} is required for a {kind} commitment", field) { Indonesian = $"Isi {FieldId(field)}: wajib untuk komitmen {MonevReports.KindLabel(kind)}." };
        p.Add("reg_type", kind == "regulation" ? NeedText(Text(i.RegType, 20, "regType"), "regType") is var t && RegTypes.Contains(t) ? t : throw new UsageException($"regType must be one of {string.Join(", ", RegTypes)}, not '{i.RegType}'", "regType") { Indonesian = "Bentuk regulasi harus salah satu dari: Perda, Perkada, keputusan, surat edaran, instruksi." } : null);
        p.Add("reg_number", kind == "regulation" ? NeedText(Text(i.RegNumber, 100, "regNumber"), "regNumber") : null);
        p.Add("reg_date", kind == "regulation" ? Date(i.RegDate, "regDate") : null);
        p.Add("reg_title", kind == "regulation" ? NeedText(Text(i.RegTitle, 500, "regTitle"), "regTitle") : null);
        p.Add("reg_status", kind == "regulation" ? NeedText(Text(i.RegStatus, 20, "regStatus"), "regStatus") is var rs && RegStatuses.Contains(rs) ? rs : throw new UsageException($"regStatus must be one of {string.Join(", ", RegStatuses)}, not '{i.RegStatus}'", "regStatus") { Indonesian = "Status regulasi harus salah satu dari: draft (rancangan), enacted (ditetapkan), revoked (dicabut)." } : null);
        if (kind == "regulation" && i.RegStatus == "enacted" && string.IsNullOrWhiteSpace(i.RegDate))
        {
            throw new UsageException("regDate is required for an enacted regulation", "regDate") { Indonesian = "Isi tanggal regulasi ditetapkan: regulasi yang sudah ditetapkan harus bertanggal." };
        }

        p.Add("amount", kind == "apbd" ? Need(i.Amount, "amount") is var a && a > 0 ? a : throw new UsageException("amount must be a whole rupiah amount above 0", "amount") { Indonesian = "Alokasi APBD harus berupa jumlah rupiah bulat lebih dari 0." } : null);
        p.Add("workers_targeted", kind == "apbd" ? Need(i.WorkersTargeted, "workersTargeted") is var w && w >= 0 ? w : throw new UsageException("workersTargeted must not be negative", "workersTargeted") { Indonesian = "Jumlah pekerja sasaran tidak boleh negatif." } : null);
        var groups = kind == "apbd" ? (i.TargetGroups ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        foreach (var g in groups.Where(g => !TargetGroupNames.Contains(g)))
        {
            throw new UsageException($"targetGroups: '{g}' is not one of {string.Join(", ", TargetGroupNames)}", "targetGroups") { Indonesian = $"Kelompok sasaran '{g}' tidak dikenal. Tulis kode yang dipisah koma: {string.Join(", ", TargetGroupNames.Select(n => $"{n} ({TargetGroupId(n)})"))}." };
        }

        p.Add("target_groups", groups.Length == 0 ? null : string.Join(",", groups.Distinct()));
        p.Add("ptsp_required", kind == "ptsp" ? Need(i.PtspRequired, "ptspRequired") : null);
        p.Add("legal_basis", kind == "ptsp" ? Text(i.LegalBasis, 500, "legalBasis") : null);
        p.Add("effective_date", kind == "ptsp" ? Date(i.EffectiveDate, "effectiveDate") : null);
        if (kind == "ptsp" && i.PtspRequired == true && (string.IsNullOrWhiteSpace(i.LegalBasis) || string.IsNullOrWhiteSpace(i.EffectiveDate)))
        {
            throw new UsageException("legalBasis and effectiveDate are required when PTSP requires membership", string.IsNullOrWhiteSpace(i.LegalBasis) ? "legalBasis" : "effectiveDate") { Indonesian = "Jika perizinan PTSP mensyaratkan kepesertaan, isi dasar hukum dan tanggal berlakunya." };
        }

        p.Add("bumd_total", kind == "bumd" ? Need(i.BumdTotal, "bumdTotal") is var bt && bt >= 0 ? bt : throw new UsageException("bumdTotal must not be negative", "bumdTotal") { Indonesian = "Jumlah BUMD tidak boleh negatif." } : null);
        p.Add("bumd_registered", kind == "bumd" ? Need(i.BumdRegistered, "bumdRegistered") is var br && br >= 0 && br <= (i.BumdTotal ?? 0) ? br
            : throw new UsageException("bumdRegistered must be from 0 to bumdTotal", "bumdRegistered") { Indonesian = "Jumlah BUMD terdaftar harus antara 0 dan jumlah BUMD." } : null);
        p.Add("census_count", kind == "census" ? Need(i.CensusCount, "censusCount") is var cc && cc >= 0 ? cc : throw new UsageException("censusCount must not be negative", "censusCount") { Indonesian = "Jumlah hasil pendataan non-ASN tidak boleh negatif." } : null);
        p.Add("census_source", kind == "census" ? NeedText(Text(i.CensusSource, 200, "censusSource"), "censusSource") : null);
        p.Add("note", Text(i.Note, 2000, "note"));
        return p;
    }

    public Task<CommitmentDto> SubmitAsync(long id, Caller caller, CancellationToken ct = default) =>
        MoveAsync(id, "submit", caller, null, (k, region) =>
        {
            caller.Demand(Permission.MonevCommit);
            if (caller.Scope.Code is { } own && own != k.RegionCode)
            {
                throw new ForbiddenException("a commitment is submitted by the officers of its own region") { Indonesian = "Komitmen diajukan oleh petugas wilayahnya sendiri; Anda tidak dapat mengajukan komitmen wilayah lain." };
            }

            return k.Status is "draft" or "returned" ? "submitted" : throw new ConflictException($"commitment {id} is {k.Status}; only a draft or returned one can be submitted", "status") { Indonesian = $"Komitmen {id} berstatus {MonevReports.StatusLabel(k.Status)}; hanya draf atau komitmen yang dikembalikan yang dapat diajukan." };
        }, requireEvidence: true, ct);

    public Task<CommitmentDto> VerifyAsync(long id, Caller caller, CancellationToken ct = default) =>
        MoveAsync(id, "verify", caller, null, (k, region) =>
        {
            caller.Demand(Permission.MonevCommit);
            if (region.Level != Region.Regency)
            {
                throw new ConflictException("a province's own commitment goes straight to the national team; there is nothing to verify", "status") { Indonesian = "Komitmen provinsi langsung diperiksa tim monev nasional; tidak ada yang perlu diverifikasi." };
            }

            if (caller.Role != Role.Admin && caller.Scope.Code != region.ParentCode)
            {
                throw new ForbiddenException($"commitments of {region.Code} are verified by province {region.ParentCode}") { Indonesian = $"Komitmen {region.Code} diverifikasi oleh provinsi {region.ParentCode}; Anda tidak dapat memverifikasinya." };
            }

            return k.Status == "submitted" ? "verified" : throw new ConflictException($"commitment {id} is {k.Status}; only a submitted one can be verified", "status") { Indonesian = $"Komitmen {id} berstatus {MonevReports.StatusLabel(k.Status)}; hanya komitmen yang diajukan yang dapat diverifikasi." };
        }, requireEvidence: false, ct);

    public Task<CommitmentDto> AcceptAsync(long id, Caller caller, CancellationToken ct = default) =>
        MoveAsync(id, "accept", caller, null, (k, region) =>
        {
            caller.Demand(Permission.MonevWrite);
            var ready = region.Level == Region.Province ? k.Status == "submitted" : k.Status == "verified";
            return ready ? "accepted" : throw new ConflictException(
                $"commitment {id} is {k.Status}; the national team accepts a {(region.Level == Region.Province ? "submitted" : "verified")} one", "status") { Indonesian = $"Komitmen {id} berstatus {MonevReports.StatusLabel(k.Status)}; tim monev nasional menerima komitmen yang {(region.Level == Region.Province ? "diajukan" : "sudah diverifikasi provinsi")}." };
        }, requireEvidence: false, ct);

    public Task<CommitmentDto> ReturnAsync(long id, string? comment, Caller caller, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new UsageException("a comment saying what to change is required to return a commitment", "comment") { Indonesian = "Tulis komentar tentang apa yang harus diperbaiki sebelum mengembalikan komitmen." };
        }

        return MoveAsync(id, "return", caller, comment.Trim(), (k, region) =>
        {
            var national = caller.Has(Permission.MonevWrite);
            var province = caller.Has(Permission.MonevCommit) && region.Level == Region.Regency && caller.Scope.Code == region.ParentCode;
            if (!national && !province)
            {
                throw new ForbiddenException("a commitment is returned by the verifying province or the national team") { Indonesian = "Komitmen hanya dapat dikembalikan oleh provinsi yang memverifikasinya atau oleh tim monev nasional." };
            }

            var allowed = national ? k.Status is "submitted" or "verified" : k.Status == "submitted";
            return allowed ? "returned" : throw new ConflictException($"commitment {id} is {k.Status} and cannot be returned by you", "status") { Indonesian = $"Komitmen {id} berstatus {MonevReports.StatusLabel(k.Status)} dan tidak dapat Anda kembalikan." };
        }, requireEvidence: false, ct);
    }

    private sealed class Head
    {
        public long Id { get; set; }
        public string RegionCode { get; set; } = "";
        public long FiscalYear { get; set; }
        public string Kind { get; set; } = "";
        public string Status { get; set; } = "";
        public long? CensusCount { get; set; }
        public string? CensusSource { get; set; }
    }

    private async Task<CommitmentDto> MoveAsync(long id, string step, Caller caller, string? comment, Func<Head, Region, string> next, bool requireEvidence, CancellationToken ct)
    {
        caller.Demand(Permission.MonevRead);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var k = await c.QuerySingleOrDefaultAsync<Head>(new CommandDefinition(
            "SELECT id AS Id, region_code AS RegionCode, fiscal_year AS FiscalYear, kind AS Kind, status AS Status, census_count AS CensusCount, census_source AS CensusSource FROM commitments WHERE id = @id",
            new { id }, tx, cancellationToken: ct));
        if (k is null || !caller.Scope.Covers(k.RegionCode))
        {
            throw new NotFoundException($"no commitment {id} in your scope") { Indonesian = $"Komitmen {id} tidak ditemukan atau di luar wilayah Anda." };
        }

        var region = (await regions.LoadAsync(ct)).Find(k.RegionCode)!;
        var to = next(k, region);
        await DemandOpenAsync(c, tx, (int)k.FiscalYear, ct);
        if (requireEvidence && await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM commitment_evidence WHERE commitment_id = @id", new { id }, tx, cancellationToken: ct)) == 0)
        {
            throw new UsageException("attach at least one evidence file (the regulation, budget document, letter or census list) before submitting", "evidence") { Indonesian = "Unggah paling sedikit satu berkas bukti (regulasi, dokumen anggaran, surat atau daftar hasil pendataan) sebelum mengajukan." };
        }

        var now = time.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition("UPDATE commitments SET status = @to, comment = @comment, updated_by = @by, updated_at = @now WHERE id = @id",
            new { to, comment = to == "returned" ? comment : null, by = caller.Actor, now, id }, tx, cancellationToken: ct));
        if (to == "accepted" && k.Kind == "census")
        {
            // An accepted census is the region's non-ASN denominator for that year.
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO monev_denominators (region_code, year, kind, value, source, import_id, updated_at) VALUES (@RegionCode, @FiscalYear, 'non_asn', @CensusCount, @source, NULL, @now)
                ON CONFLICT (region_code, year, kind) DO UPDATE SET value = excluded.value, source = excluded.source, import_id = NULL, updated_at = excluded.updated_at
                """, new { k.RegionCode, k.FiscalYear, k.CensusCount, source = $"{k.CensusSource} (commitment #{id})", now }, tx, cancellationToken: ct));
        }

        await StepAsync(c, tx, id, step, k.Status, to, caller, comment, now, null, k.RegionCode, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, caller, ct))!;
    }

    private static async Task StepAsync(DbConnection c, DbTransaction tx, long id, string step, string? from, string to, Caller caller, string? comment, DateTimeOffset now, object? before,
        string region, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO commitment_steps (commitment_id, step, from_status, to_status, actor, comment, at) VALUES (@id, @step, @from, @to, @actor, @comment, @now)",
            new { id, step, from, to, actor = caller.Actor, comment, now }, tx, cancellationToken: ct));
        var after = await SnapshotAsync(c, tx, id, ct);
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("commitment." + step, "commitment", id.ToString(CultureInfo.InvariantCulture),
            before ?? (from is null ? null : new { status = from }), after, region), ct);
    }

    private static async Task<Dictionary<string, object?>?> SnapshotAsync(DbConnection c, DbTransaction tx, long id, CancellationToken ct) =>
        (await c.QueryAsync(new CommandDefinition(
            """
            SELECT region_code, fiscal_year, kind, status, reg_type, reg_number, reg_date, reg_title, reg_status, amount, workers_targeted, target_groups, ptsp_required,
                   legal_basis, effective_date, bumd_total, bumd_registered, census_count, census_source, note, comment
            FROM commitments WHERE id = @id
            """, new { id }, tx, cancellationToken: ct))).FirstOrDefault() is IDictionary<string, object?> row ? new Dictionary<string, object?>(row) : null;

    public async Task<YearDto> YearAsync(int year, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await YearAsync(c, null, year, ct);
    }

    private async Task<YearDto> YearAsync(DbConnection c, DbTransaction? tx, int year, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<(DateOnly Deadline, DateOnly? Reopened)?>(new CommandDefinition(
            "SELECT deadline, reopened_until FROM monev_years WHERE fiscal_year = @year", new { year }, tx, cancellationToken: ct));
        var deadline = row?.Deadline ?? DefaultDeadline(year);
        var today = time.Today();
        var locked = today > deadline && !(row?.Reopened is { } until && today <= until);
        return new YearDto(year, deadline.ToIso(), row?.Reopened?.ToIso(), locked);
    }

    private async Task DemandOpenAsync(DbConnection c, DbTransaction tx, int year, CancellationToken ct)
    {
        var y = await YearAsync(c, tx, year, ct);
        if (y.Locked)
        {
            throw new ConflictException($"fiscal year {year} is locked since its deadline {y.Deadline}; an administrator can reopen it", "fiscalYear") { Indonesian = $"Tahun anggaran {year} terkunci sejak tenggatnya {y.Deadline}; minta administrator membukanya kembali." };
        }
    }

    /// <summary>Sets a fiscal year's deadline, or reopens a locked year until a date (administrators).</summary>
    public async Task<YearDto> SetYearAsync(int year, string? deadline, string? reopenUntil, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        if (year is < 2021 or > 2100)
        {
            throw new UsageException($"fiscal year must be from 2021, not {year}", "fiscalYear") { Indonesian = $"Tahun anggaran harus antara 2021 dan 2100, bukan {year}." };
        }

        DateOnly? Parse(string? s, string field) => string.IsNullOrWhiteSpace(s) ? null : Dates.TryParseIso(s.Trim(), out var d) ? d : throw new UsageException($"{field} must be a date YYYY-MM-DD, not '{s}'", field) { Indonesian = $"Isian {FieldId(field)} harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{s}'." };
        var d = Parse(deadline, "deadline");
        var r = Parse(reopenUntil, "reopenUntil");
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var before = await YearAsync(c, tx, year, ct);
        var now = time.GetUtcNow();
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO monev_years (fiscal_year, deadline, reopened_until, updated_by, updated_at) VALUES (@year, @deadline, @r, @by, @now)
            ON CONFLICT (fiscal_year) DO UPDATE SET deadline = excluded.deadline, reopened_until = excluded.reopened_until, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, new { year, deadline = d ?? DateOnly.ParseExact(before.Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture), r, by = caller.Actor, now }, tx, cancellationToken: ct));
        var after = await YearAsync(c, tx, year, ct);
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent(r is null ? "monev_year.deadline" : "monev_year.reopen", "monev_year", year.ToString(CultureInfo.InvariantCulture), before, after), ct);
        await tx.CommitAsync(ct);
        return after;
    }

    public async Task<EvidenceDto> AddEvidenceAsync(long id, string fileName, string? contentType, Stream content, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.MonevCommit);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        // Held no further than one byte past the limit, whatever the upload carries.
        while (buffer.Length <= MaxEvidenceBytes && (read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || buffer.Length > MaxEvidenceBytes)
        {
            throw new UsageException($"an evidence file must hold 1 byte to {MaxEvidenceBytes / 1024 / 1024} MB, {(buffer.Length == 0 ? "not 0 bytes" : "this one is larger")}", "file") { Indonesian = $"Berkas bukti harus berukuran 1 byte sampai {MaxEvidenceBytes / 1024 / 1024} MB{(buffer.Length == 0 ? "; berkas ini kosong" : "; berkas ini lebih besar")}." };
        }

        var name = Path.GetFileName(fileName.Trim());
        if (name.Length is 0 or > 200)
        {
            throw new UsageException("the evidence file needs a name of at most 200 characters", "file") { Indonesian = "Berkas bukti harus bernama, paling panjang 200 huruf." };
        }

        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var k = await c.QuerySingleOrDefaultAsync<Head>(new CommandDefinition(
            "SELECT id AS Id, region_code AS RegionCode, fiscal_year AS FiscalYear, kind AS Kind, status AS Status FROM commitments WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (k is null || !caller.Scope.Covers(k.RegionCode))
        {
            throw new NotFoundException($"no commitment {id} in your scope") { Indonesian = $"Komitmen {id} tidak ditemukan atau di luar wilayah Anda." };
        }

        if (k.Status is not ("draft" or "returned"))
        {
            throw new ConflictException($"commitment {id} is {k.Status}; evidence is added to a draft or returned commitment", "status") { Indonesian = $"Komitmen {id} berstatus {MonevReports.StatusLabel(k.Status)}; bukti hanya dapat ditambahkan pada draf atau komitmen yang dikembalikan." };
        }

        await DemandOpenAsync(c, tx, (int)k.FiscalYear, ct);
        var now = time.GetUtcNow();
        var existing = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM commitment_evidence WHERE commitment_id = @id AND sha256 = @sha", new { id, sha }, tx, cancellationToken: ct));
        var evidenceId = existing ?? await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO commitment_evidence (commitment_id, file_name, content_type, size, sha256, content, uploaded_by, uploaded_at)
            VALUES (@id, @name, @type, @size, @sha, @bytes, @by, @now) RETURNING id
            """, new { id, name, type = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType, size = (long)bytes.Length, sha, bytes, by = caller.Actor, now }, tx, cancellationToken: ct));
        if (existing is null)
        {
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("commitment.evidence", "commitment", id.ToString(CultureInfo.InvariantCulture), null,
                new { evidence = evidenceId, file = name, size = bytes.Length, sha256 = sha }, k.RegionCode), ct);
        }

        await tx.CommitAsync(ct);
        return new EvidenceDto(evidenceId, name, contentType ?? "application/octet-stream", bytes.Length, sha, caller.Actor, now.ToString("O", CultureInfo.InvariantCulture));
    }

    /// <summary>An evidence file's bytes, within the caller's scope.</summary>
    public async Task<(string Name, string ContentType, string Sha256, byte[] Content)?> EvidenceFileAsync(long id, long evidenceId, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.MonevRead);
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Name, string Type, string Sha, byte[] Content, string Region)?>(new CommandDefinition(
            """
            SELECT e.file_name, e.content_type, e.sha256, e.content, k.region_code FROM commitment_evidence e JOIN commitments k ON k.id = e.commitment_id
            WHERE e.id = @evidenceId AND e.commitment_id = @id
            """, new { id, evidenceId }, cancellationToken: ct));
        return row is { } r && caller.Scope.Covers(r.Region) ? (r.Name, r.Type, r.Sha, r.Content) : null;
    }

    public async Task<CommitmentDto?> GetAsync(long id, Caller caller, CancellationToken ct = default)
    {
        var list = await QueryAsync("k.id = @id", new { id }, caller, ct);
        return list.Count > 0 ? list[0] : null;
    }

    public async Task<IReadOnlyList<CommitmentDto>> ListAsync(string? region, int? year, string? status, Caller caller, CancellationToken ct = default)
    {
        var where = "1 = 1";
        if (!string.IsNullOrWhiteSpace(region))
        {
            if (!RegionCode.TryParse(region.Trim(), out _))
            {
                throw new UsageException($"region must be a province or regency/city code, not '{region}'", "region") { Indonesian = $"Wilayah '{region}' bukan kode provinsi atau kabupaten/kota. Tulis kode Kemendagri, misalnya 63 atau 63.71." };
            }

            where += " AND (k.region_code = @region OR k.region_code LIKE @region || '.%')";
        }

        if (year is not null)
        {
            where += " AND k.fiscal_year = @year";
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            where += " AND k.status = @status";
        }

        return await QueryAsync(where, new { region = region?.Trim(), year, status = status?.Trim() }, caller, ct);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string RegionCode { get; set; } = "";
        public long FiscalYear { get; set; }
        public string Kind { get; set; } = "";
        public string Status { get; set; } = "";
        public string? RegType { get; set; }
        public string? RegNumber { get; set; }
        public DateOnly? RegDate { get; set; }
        public string? RegTitle { get; set; }
        public string? RegStatus { get; set; }
        public long? Amount { get; set; }
        public long? WorkersTargeted { get; set; }
        public string? TargetGroups { get; set; }
        public bool? PtspRequired { get; set; }
        public string? LegalBasis { get; set; }
        public DateOnly? EffectiveDate { get; set; }
        public long? BumdTotal { get; set; }
        public long? BumdRegistered { get; set; }
        public long? CensusCount { get; set; }
        public string? CensusSource { get; set; }
        public string? Note { get; set; }
        public string? Comment { get; set; }
        public string UpdatedBy { get; set; } = "";
        public DateTimeOffset UpdatedAt { get; set; }
    }

    private sealed class EvidenceRow
    {
        public long Id { get; set; }
        public long CommitmentId { get; set; }
        public string FileName { get; set; } = "";
        public string ContentType { get; set; } = "";
        public long Size { get; set; }
        public string Sha256 { get; set; } = "";
        public string UploadedBy { get; set; } = "";
        public DateTimeOffset UploadedAt { get; set; }
    }

    private sealed class StepRow
    {
        public long CommitmentId { get; set; }
        public string Step { get; set; } = "";
        public string? FromStatus { get; set; }
        public string ToStatus { get; set; } = "";
        public string Actor { get; set; } = "";
        public string? Comment { get; set; }
        public DateTimeOffset At { get; set; }
    }

    private async Task<IReadOnlyList<CommitmentDto>> QueryAsync(string where, object args, Caller caller, CancellationToken ct)
    {
        caller.Demand(Permission.MonevRead);
        var set = await regions.LoadAsync(ct);
        await using var c = await db.OpenAsync(ct);
        var p = new DynamicParameters(args);
        p.Add("ScopeRegion", caller.Scope.Parameter);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT id AS Id, region_code AS RegionCode, fiscal_year AS FiscalYear, kind AS Kind, status AS Status, reg_type AS RegType, reg_number AS RegNumber, reg_date AS RegDate,
                   reg_title AS RegTitle, reg_status AS RegStatus, amount AS Amount, workers_targeted AS WorkersTargeted, target_groups AS TargetGroups, ptsp_required AS PtspRequired,
                   legal_basis AS LegalBasis, effective_date AS EffectiveDate, bumd_total AS BumdTotal, bumd_registered AS BumdRegistered, census_count AS CensusCount,
                   census_source AS CensusSource, note AS Note, comment AS Comment, updated_by AS UpdatedBy, updated_at AS UpdatedAt
            FROM commitments k WHERE {where} AND {caller.Scope.Sql("k.region_code")}
            ORDER BY k.fiscal_year DESC, k.region_code, k.kind
            """, p, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var evidence = (await c.QueryAsync<EvidenceRow>(new CommandDefinition(
            $"SELECT id AS Id, commitment_id AS CommitmentId, file_name AS FileName, content_type AS ContentType, size AS Size, sha256 AS Sha256, uploaded_by AS UploadedBy, uploaded_at AS UploadedAt FROM commitment_evidence WHERE {db.Dialect.InList("commitment_id", "@ids")} ORDER BY id",
            new { ids = db.Dialect.ListValue(ids) }, cancellationToken: ct))).ToLookup(e => e.CommitmentId);
        var steps = (await c.QueryAsync<StepRow>(new CommandDefinition(
            $"SELECT commitment_id AS CommitmentId, step AS Step, from_status AS FromStatus, to_status AS ToStatus, actor AS Actor, comment AS Comment, at AS At FROM commitment_steps WHERE {db.Dialect.InList("commitment_id", "@ids")} ORDER BY id",
            new { ids = db.Dialect.ListValue(ids) }, cancellationToken: ct))).ToLookup(s => s.CommitmentId);
        var years = new Dictionary<long, bool>();
        foreach (var y in rows.Select(r => r.FiscalYear).Distinct())
        {
            years[y] = (await YearAsync(c, null, (int)y, ct)).Locked;
        }

        static string T(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);
        return rows.Select(r => new CommitmentDto(r.Id, r.RegionCode, set.Find(r.RegionCode)?.Name ?? r.RegionCode, (int)r.FiscalYear, r.Kind, r.Status, years[r.FiscalYear],
            r.RegType, r.RegNumber, r.RegDate?.ToIso(), r.RegTitle, r.RegStatus, r.Amount, r.WorkersTargeted, r.TargetGroups, r.PtspRequired, r.LegalBasis, r.EffectiveDate?.ToIso(),
            (int?)r.BumdTotal, (int?)r.BumdRegistered, r.CensusCount, r.CensusSource, r.Note, r.Comment, r.UpdatedBy, T(r.UpdatedAt),
            evidence[r.Id].Select(e => new EvidenceDto(e.Id, e.FileName, e.ContentType, e.Size, e.Sha256, e.UploadedBy, T(e.UploadedAt))).ToList(),
            steps[r.Id].Select(s => new StepDto(s.Step, s.FromStatus, s.ToStatus, s.Actor, s.Comment, T(s.At))).ToList())).ToList();
    }
}
