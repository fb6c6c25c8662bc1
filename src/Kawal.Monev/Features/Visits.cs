using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;

namespace Kawal.Monev.Features;

public sealed record RecommendationInput(string? Action, string? OwnerRegion, string? DueDate);

public sealed record VisitInput(string? Date, string? Place, IReadOnlyList<string>? Team, IReadOnlyList<string>? Regions, string? Findings, string? Constraints,
    IReadOnlyList<RecommendationInput>? Recommendations);

public sealed record RecommendationDto(long Id, long VisitId, string Action, string OwnerRegion, string OwnerName, string DueDate, string Status, string? FollowUp, bool Overdue,
    string UpdatedBy, string UpdatedAt);

public sealed record VisitDto(long Id, string Date, string Place, IReadOnlyList<string> Team, IReadOnlyList<string> Regions, string Findings, string? Constraints, string CreatedBy,
    IReadOnlyList<RecommendationDto> Recommendations);

/// <summary>
/// Monitoring visits of the coordination team and their recommendations: each has an owner region, a due date and a
/// follow-up status that the owner region's officers (or the national team) update; overdue ones are listed.
/// </summary>
public sealed class VisitsHandler(Database db, RegionLookup regions, TimeProvider time)
{
    public static IReadOnlyList<string> Statuses { get; } = ["open", "in_progress", "done"];

    public async Task<VisitDto> RecordAsync(VisitInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.MonevWrite);
        var set = await regions.LoadAsync(ct);
        var date = Dates.TryParseIso(input.Date, out var d) ? d : throw new UsageException($"date must be a date YYYY-MM-DD, not '{input.Date}'", "date") { Indonesian = $"Tanggal kunjungan harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{input.Date}'." };
        if (date > time.Today())
        {
            throw new UsageException("date of a visit cannot be in the future", "date") { Indonesian = "Tanggal kunjungan tidak boleh di masa depan." };
        }

        var place = Required(input.Place, "place", 200, "tempat kunjungan");
        var findings = Required(input.Findings, "findings", 8000, "temuan");
        var team = (input.Team ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        if (team.Count == 0)
        {
            throw new UsageException("team must name at least one institution (e.g. Kemenko PMK, Kemendagri, KSP, BPJS Ketenagakerjaan)", "team") { Indonesian = "Sebutkan paling sedikit satu instansi dalam tim (misalnya Kemenko PMK, Kemendagri, KSP, BPJS Ketenagakerjaan)." };
        }

        var covered = (input.Regions ?? []).Select(r => r.Trim()).Distinct().ToList();
        foreach (var r in covered.Where(r => set.Find(r) is null))
        {
            throw new UsageException($"regions: '{r}' is not a region code", "regions") { Indonesian = $"Wilayah '{r}' bukan kode wilayah Kemendagri (misalnya 63 atau 63.71)." };
        }

        if (covered.Count == 0)
        {
            throw new UsageException("regions must list at least one province or regency/city code", "regions") { Indonesian = "Sebutkan paling sedikit satu wilayah yang dikunjungi: kode provinsi atau kabupaten/kota." };
        }

        var recs = new List<(string Action, string Owner, DateOnly Due)>();
        var i = 0;
        foreach (var r in input.Recommendations ?? [])
        {
            var field = $"recommendations[{i++}]";
            var owner = r.OwnerRegion?.Trim() ?? "";
            recs.Add((Required(r.Action, field + ".action", 2000, $"tindakan pada rekomendasi {i}"),
                set.Find(owner) is not null ? owner : throw new UsageException($"{field}.ownerRegion: '{r.OwnerRegion}' is not a region code", field + ".ownerRegion") { Indonesian = $"Rekomendasi {i}: penanggung jawab '{r.OwnerRegion}' bukan kode wilayah Kemendagri (misalnya 63 atau 63.71)." },
                Dates.TryParseIso(r.DueDate, out var due) && due >= date ? due : throw new UsageException($"{field}.dueDate must be a date YYYY-MM-DD on or after the visit", field + ".dueDate") { Indonesian = $"Rekomendasi {i}: isi tenggat berupa tanggal pada atau sesudah tanggal kunjungan." }));
        }

        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO monev_visits (visit_date, place, team, regions, findings, constraints_found, created_by, created_at)
            VALUES (@date, @place, @team, @regions, @findings, @constraints, @by, @now) RETURNING id
            """, new { date, place, team = string.Join("; ", team), regions = string.Join(",", covered), findings, constraints = input.Constraints?.Trim(), by = caller.Actor, now }, tx, cancellationToken: ct));
        foreach (var (action, owner, due) in recs)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO monev_recommendations (visit_id, action, owner_region, due_date, status, follow_up, updated_by, updated_at)
                VALUES (@id, @action, @owner, @due, 'open', NULL, @by, @now)
                """, new { id, action, owner, due, by = caller.Actor, now }, tx, cancellationToken: ct));
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("visit.record", "visit", id.ToString(CultureInfo.InvariantCulture), null,
            new { date = date.ToIso(), place, team, regions = covered, findings, recommendations = recs.Count }), ct);
        await tx.CommitAsync(ct);
        return (await ListAsync(null, caller, id, ct)).Single();
    }

    /// <summary>Updates a recommendation's follow-up: the owner region's officers or the national team.</summary>
    public async Task<RecommendationDto> FollowUpAsync(long id, string? status, string? followUp, Caller caller, CancellationToken ct = default)
    {
        if (!caller.Has(Permission.MonevWrite))
        {
            caller.Demand(Permission.MonevCommit);
        }

        var s = status?.Trim() ?? "";
        if (!Statuses.Contains(s))
        {
            throw new UsageException($"status must be one of {string.Join(", ", Statuses)}, not '{status}'", "status") { Indonesian = "Status tindak lanjut harus salah satu dari: terbuka, dalam proses, selesai." };
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Owner, string Status, string? FollowUp)?>(new CommandDefinition(
            "SELECT owner_region, status, follow_up FROM monev_recommendations WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (row is not { } r || !caller.Scope.Covers(r.Owner))
        {
            throw new NotFoundException($"no recommendation {id} in your scope") { Indonesian = $"Rekomendasi {id} tidak ditemukan atau di luar wilayah Anda." };
        }

        var now = time.GetUtcNow();
        var note = string.IsNullOrWhiteSpace(followUp) ? r.FollowUp : followUp.Trim();
        await c.ExecuteAsync(new CommandDefinition("UPDATE monev_recommendations SET status = @s, follow_up = @note, updated_by = @by, updated_at = @now WHERE id = @id",
            new { s, note, by = caller.Actor, now, id }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("recommendation.follow_up", "recommendation", id.ToString(CultureInfo.InvariantCulture),
            new { status = r.Status, followUp = r.FollowUp }, new { status = s, followUp = note }, r.Owner), ct);
        await tx.CommitAsync(ct);
        return (await RecommendationsAsync(null, false, caller, id, ct)).Single();
    }

    public Task<IReadOnlyList<VisitDto>> ListAsync(string? region, Caller caller, CancellationToken ct = default) => ListAsync(region, caller, null, ct);

    private async Task<IReadOnlyList<VisitDto>> ListAsync(string? region, Caller caller, long? id, CancellationToken ct)
    {
        caller.Demand(Permission.MonevRead);
        await using var c = await db.OpenAsync(ct);
        var visits = (await c.QueryAsync<(long Id, DateOnly Date, string Place, string Team, string Regions, string Findings, string? Constraints, string By)>(new CommandDefinition(
            $"SELECT id, visit_date, place, team, regions, findings, constraints_found, created_by FROM monev_visits WHERE {(id is null ? "1 = 1" : "id = @id")} ORDER BY visit_date DESC, id DESC",
            new { id }, cancellationToken: ct))).ToList();
        var recs = (await RecommendationsAsync(null, false, caller, ct)).ToLookup(r => r.VisitId);
        bool Visible(string regions) => regions.Split(',').Any(r => caller.Scope.Covers(r) || (caller.Scope.Code is { } own && own.StartsWith(r + ".", StringComparison.Ordinal)))
            && (region is null || regions.Split(',').Any(r => r == region || r.StartsWith(region + ".", StringComparison.Ordinal) || region.StartsWith(r + ".", StringComparison.Ordinal)));
        return visits.Where(v => Visible(v.Regions)).Select(v => new VisitDto(v.Id, v.Date.ToIso(), v.Place, v.Team.Split("; "), v.Regions.Split(','), v.Findings, v.Constraints, v.By,
            recs[v.Id].ToList())).ToList();
    }

    /// <summary>Recommendations owned by regions in the area and the caller's scope; <paramref name="overdueOnly"/>: not done and past due.</summary>
    public Task<IReadOnlyList<RecommendationDto>> RecommendationsAsync(string? region, bool overdueOnly, Caller caller, CancellationToken ct = default) =>
        RecommendationsAsync(region, overdueOnly, caller, null, ct);

    private async Task<IReadOnlyList<RecommendationDto>> RecommendationsAsync(string? region, bool overdueOnly, Caller caller, long? id, CancellationToken ct)
    {
        caller.Demand(Permission.MonevRead);
        var set = await regions.LoadAsync(ct);
        var today = time.Today();
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, long VisitId, string Action, string Owner, DateOnly Due, string Status, string? FollowUp, string By, DateTimeOffset At)>(new CommandDefinition(
            $"""
            SELECT id, visit_id, action, owner_region, due_date, status, follow_up, updated_by, updated_at FROM monev_recommendations r
            WHERE {caller.Scope.Sql("r.owner_region")} AND {(region is null ? "1 = 1" : "(r.owner_region = @region OR r.owner_region LIKE @region || '.%')")}
              AND {(id is null ? "1 = 1" : "r.id = @id")} AND {(overdueOnly ? "r.status <> 'done' AND r.due_date < @today" : "1 = 1")}
            ORDER BY r.due_date, r.id
            """, new { ScopeRegion = caller.Scope.Parameter, region, id, today }, cancellationToken: ct));
        return rows.Select(r => new RecommendationDto(r.Id, r.VisitId, r.Action, r.Owner, set.Find(r.Owner)?.Name ?? r.Owner, r.Due.ToIso(), r.Status, r.FollowUp,
            r.Status != "done" && r.Due < today, r.By, r.At.ToString("O", CultureInfo.InvariantCulture))).ToList();
    }

    private static string Required(string? s, string field, int max, string nameId) =>
        string.IsNullOrWhiteSpace(s) ? throw new UsageException($"{field} is required", field) { Indonesian = $"Isi {nameId}." }
        : s.Trim().Length > max ? throw new UsageException($"{field} is longer than {max} characters", field) { Indonesian = $"Isian {nameId} terlalu panjang: paling banyak {max} huruf." } : s.Trim();
}
