using System.Globalization;
using System.Text;
using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Kawal.Registry;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Registry.Web;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Kawal.Monev.Web;

public sealed record RefreshRequest(string? From, string? To);

public sealed record ReturnRequest(string? Comment);

public sealed record YearRequest(string? Deadline, string? ReopenUntil);

public sealed record FollowUpRequest(string? Status, string? FollowUp);

/// <summary>The monev API (docs/api.md § Monev). Every route declares its permission; figures are scoped by the caller's region.</summary>
public static class MonevEndpoints
{
    public static IEndpointRouteBuilder MapMonevApi(this IEndpointRouteBuilder e)
    {
        var stats = Permission.StatsRead.Name();
        var read = Permission.MonevRead.Name();
        var commit = Permission.MonevCommit.Name();
        var write = Permission.MonevWrite.Name();
        var api = e.MapGroup("/api/v1/monev").WithTags("Monev");
        api.MapGet("/addressees", AddresseesAsync).RequireAuthorization(stats).WithName("ListAddressees")
            .WithSummary("Addressees of Inpres 2/2021 (central ministries and agencies, governors, regents, mayors valid on date) and their obligations");
        api.MapGet("/addressees/{id}", AddresseeAsync).RequireAuthorization(stats).WithName("GetAddressee")
            .WithSummary("One addressee (central:ID, gubernur:35, bupati:35.07, walikota:35.73) with its obligations");
        api.MapGet("/definitions", () => TypedResults.Ok(IndicatorQueries.Definitions)).AllowAnonymous().WithName("ListIndicatorDefinitions")
            .WithSummary("Every indicator's key, label, unit and formula (docs/indicators.md)");
        api.MapGet("/indicators", IndicatorsAsync).RequireAuthorization(stats).WithName("GetIndicators")
            .WithSummary("The indicators of a region (province or regency/city; none: national or your region) for a month")
            .WithDescription("period: YYYY-MM (default: the current month). Values keyed as in /definitions, e.g. participants.total, participants.PU. The public role gets totals only (as /api/v1/public/monev/indicators).");
        api.MapGet("/scorecard", ScorecardAsync).RequireAuthorization(stats).WithName("GetScorecard")
            .WithSummary("Composite index 0–100 per region, ranked; level province|regency, parent (a province, for its regencies)");
        api.MapPost("/refresh", RefreshAsync).RequireAuthorization(write).DisableAntiforgery().WithName("RefreshMonevSummaries")
            .WithSummary("Recompute the summary tables for months from..to (default: all months with data to now)");
        api.MapGet("/commitments", CommitmentsAsync).RequireAuthorization(read).WithName("ListCommitments")
            .WithSummary("Regional commitments in your scope").WithDescription("Filters: region (and below), year, status (draft, submitted, verified, accepted, returned).");
        api.MapGet("/commitments/{id:long}", CommitmentAsync).RequireAuthorization(read).WithName("GetCommitment")
            .WithSummary("One commitment with its evidence files and workflow steps");
        api.MapPost("/commitments", SaveCommitmentAsync).RequireAuthorization(commit).DisableAntiforgery().WithName("SaveCommitment")
            .WithSummary("Create or change (while draft or returned) the commitment of a region, fiscal year and kind")
            .WithDescription("kind: regulation (regType, regNumber, regDate, regTitle, regStatus), apbd (amount, workersTargeted, targetGroups), ptsp (ptspRequired, legalBasis, effectiveDate), bumd (bumdTotal, bumdRegistered), census (censusCount, censusSource).");
        api.MapPost("/commitments/{id:long}/evidence", EvidenceUploadAsync).RequireAuthorization(commit).DisableAntiforgery().WithName("AddCommitmentEvidence")
            .WithSummary("Attach an evidence file (multipart field 'file', up to 10 MB); stored with its SHA-256");
        api.MapGet("/commitments/{id:long}/evidence/{evidenceId:long}", EvidenceDownloadAsync).RequireAuthorization(read).WithName("DownloadCommitmentEvidence")
            .WithSummary("Download an evidence file (header X-Checksum-SHA256)");
        api.MapPost("/commitments/{id:long}/submit", (long id, HttpContext http, CommitmentsHandler h, CancellationToken ct) => Guard(() => h.SubmitAsync(id, http.Caller(), ct)))
            .RequireAuthorization(commit).DisableAntiforgery().WithName("SubmitCommitment").WithSummary("The region submits its commitment (needs evidence)");
        api.MapPost("/commitments/{id:long}/verify", (long id, HttpContext http, CommitmentsHandler h, CancellationToken ct) => Guard(() => h.VerifyAsync(id, http.Caller(), ct)))
            .RequireAuthorization(commit).DisableAntiforgery().WithName("VerifyCommitment").WithSummary("The province verifies a regency's submitted commitment");
        api.MapPost("/commitments/{id:long}/accept", (long id, HttpContext http, CommitmentsHandler h, CancellationToken ct) => Guard(() => h.AcceptAsync(id, http.Caller(), ct)))
            .RequireAuthorization(write).DisableAntiforgery().WithName("AcceptCommitment").WithSummary("The national team accepts a verified (regency) or submitted (province) commitment");
        api.MapPost("/commitments/{id:long}/return", (long id, ReturnRequest body, HttpContext http, CommitmentsHandler h, CancellationToken ct) => Guard(() => h.ReturnAsync(id, body.Comment, http.Caller(), ct)))
            .RequireAuthorization(read).DisableAntiforgery().WithName("ReturnCommitment").WithSummary("The verifying province or the national team returns a commitment with a comment");
        MapImport(api, "denominators", MonevImportsHandler.DenominatorsKind, (h, r, ct) => h.DenominatorsAsync(r, ct)).RequireAuthorization(write).WithName("ImportMonevDenominators")
            .WithSummary("Import denominators per region and year (CSV/XLSX, multipart field 'file'): region_code, year, kind (labour_force, employed, non_asn, vulnerable), value, source");
        MapImport(api, "commitments", MonevImportsHandler.CommitmentsKind, (h, r, ct) => h.CommitmentsAsync(r, ct)).RequireAuthorization(commit).WithName("ImportMonevCommitments")
            .WithSummary("Import commitments of regions in your scope as drafts (CSV/XLSX, multipart field 'file'; columns in docs/monev.md)");
        api.MapGet("/imports/{id:long}", async Task<Results<Ok<ImportDetail>, ProblemHttpResult>> (long id, HttpContext http, ListImportsHandler h, CancellationToken ct) =>
                await h.GetAsync(id, http.Caller(), Permission.MonevRead, "monev_", ct) is { } found ? TypedResults.Ok(new ImportDetail(found.Import, found.Errors)) : Api.NotFound($"no monev import {id} that you may see", $"Impor monev {id} tidak ditemukan atau bukan impor yang boleh Anda lihat."))
            .RequireAuthorization(read).WithName("GetMonevImport").WithSummary("One monev import with its rejected rows (yours; the national team sees all)");
        api.MapGet("/imports/{id:long}/errors.csv", MonevImportErrorsAsync).RequireAuthorization(read).WithName("GetMonevImportErrors")
            .WithSummary("A monev import's rejected rows as CSV (row, column, code, messages, value)").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        api.MapGet("/years/{year:int}", async (int year, CommitmentsHandler h, CancellationToken ct) => TypedResults.Ok(await h.YearAsync(year, ct)))
            .RequireAuthorization(read).WithName("GetFiscalYear").WithSummary("A fiscal year's deadline and whether it is locked");
        api.MapPut("/years/{year:int}", (int year, YearRequest body, HttpContext http, CommitmentsHandler h, CancellationToken ct) => Guard(() => h.SetYearAsync(year, body.Deadline, body.ReopenUntil, http.Caller(), ct)))
            .RequireAuthorization(Permission.IdentityManage.Name()).DisableAntiforgery().WithName("SetFiscalYear").WithSummary("Set a fiscal year's deadline or reopen it until a date (administrators)");
        api.MapGet("/visits", (string? region, HttpContext http, VisitsHandler h, CancellationToken ct) => Guard(() => h.ListAsync(string.IsNullOrWhiteSpace(region) ? null : region.Trim(), http.Caller(), ct)))
            .RequireAuthorization(read).WithName("ListVisits").WithSummary("Monitoring visits covering regions in your scope, with their recommendations");
        api.MapPost("/visits", (VisitInput body, HttpContext http, VisitsHandler h, CancellationToken ct) => Guard(() => h.RecordAsync(body, http.Caller(), ct)))
            .RequireAuthorization(write).DisableAntiforgery().WithName("RecordVisit").WithSummary("Record a monitoring visit: date, place, team, regions, findings, constraints, recommendations (action, ownerRegion, dueDate)");
        api.MapGet("/recommendations", (string? region, bool? overdue, HttpContext http, VisitsHandler h, CancellationToken ct) =>
                Guard(() => h.RecommendationsAsync(string.IsNullOrWhiteSpace(region) ? null : region.Trim(), overdue == true, http.Caller(), ct)))
            .RequireAuthorization(read).WithName("ListRecommendations").WithSummary("Recommendations owned by regions in your scope; overdue=true: not done and past due");
        api.MapPost("/recommendations/{id:long}/follow-up", (long id, FollowUpRequest body, HttpContext http, VisitsHandler h, CancellationToken ct) =>
                Guard(() => h.FollowUpAsync(id, body.Status, body.FollowUp, http.Caller(), ct)))
            .RequireAuthorization(read).DisableAntiforgery().WithName("FollowUpRecommendation").WithSummary("The owner region or the national team updates a recommendation's status (open, in_progress, done) and follow-up");
        api.MapGet("/reports/region/{code}", RegionReportAsync).RequireAuthorization(stats).WithName("DownloadRegionReport")
            .WithSummary("A region's monev report for a month: format pdf, xlsx or csv");
        api.MapGet("/reports/national", NationalReportAsync).RequireAuthorization(stats).WithName("DownloadNationalReport")
            .WithSummary("The national six-monthly report on all addressees (national roles): format pdf, xlsx or csv");
        api.MapGet("/tables/children.csv", ChildrenCsvAsync).RequireAuthorization(stats).WithName("DownloadChildrenTable")
            .WithSummary("The data table of a dashboard: each child region (provinces of the nation, regencies of a province) with its key indicators and score");
        api.MapGet("/tables/trend.csv", TrendCsvAsync).RequireAuthorization(stats).WithName("DownloadTrendTable")
            .WithSummary("The data table of a trend chart: one indicator of a region per month");

        var open = e.MapGroup("/api/v1/public/monev").WithTags("Public figures").AllowAnonymous();
        open.MapGet("/indicators", PublicIndicatorsAsync).WithName("GetPublicIndicators")
            .WithSummary("Active participants, total and per segment, of a region and month; counts from 1 to 9 are suppressed (null)");
        open.MapGet("/scorecard", PublicScorecardAsync).WithName("GetPublicScorecard")
            .WithSummary("The ranked scorecard (scores and bands only)");
        return e;
    }

    internal static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Guard<T>(Func<Task<T>> f)
    {
        try
        {
            return TypedResults.Ok(await f());
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x);
        }
        catch (ForbiddenException x)
        {
            return Api.Forbidden(x);
        }
    }

    /// <summary>The month asked for, or when none is, the last complete month whose summaries exist (<see cref="SummaryRefresher.DefaultPeriodAsync"/>).</summary>
    internal static async Task<Period> PeriodOfAsync(string? text, SummaryRefresher refresher, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(text) ? await refresher.DefaultPeriodAsync(ct)
            : Period.TryParse(text.Trim(), out var p) ? p : throw new UsageException($"period must be a month YYYY-MM, not '{text}'", "period") { Indonesian = $"Periode harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{text}'." };

    private static Task<Results<Ok<AddresseeListDto>, ValidationProblem, ProblemHttpResult>> AddresseesAsync(string? date, AddresseeCatalogue catalogue, TimeProvider time, CancellationToken ct) =>
        Guard(() => catalogue.ListAsync(string.IsNullOrWhiteSpace(date) ? time.Today() : Dates.TryParseIso(date, out var d) ? d : throw new UsageException($"date must be YYYY-MM-DD, not '{date}'", "date") { Indonesian = $"Tanggal harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{date}'." }, ct));

    private static async Task<Results<Ok<AddresseeDto>, ProblemHttpResult>> AddresseeAsync(string id, AddresseeCatalogue catalogue, CancellationToken ct) =>
        await catalogue.FindAsync(id, ct) is { } a ? TypedResults.Ok(a) : Api.NotFound($"no addressee '{id}'", $"Adresat '{id}' tidak ada dalam daftar Inpres 2/2021.");

    private static async Task<IResult> IndicatorsAsync(string? region, string? period, HttpContext http, IndicatorQueries q, SummaryRefresher refresher, CancellationToken ct)
    {
        var caller = http.Caller();
        return caller.Role == Role.Public
            ? await Guard(async () => await q.PublicAsync(region, await PeriodOfAsync(period, refresher, ct), ct))
            : await Guard(async () => await q.ForAsync(region, await PeriodOfAsync(period, refresher, ct), caller, ct));
    }

    private static Task<Results<Ok<ScorecardDto>, ValidationProblem, ProblemHttpResult>> ScorecardAsync(string? level, string? parent, string? period, HttpContext http, ScorecardQueries q, SummaryRefresher refresher,
        CancellationToken ct) =>
        Guard(async () => await q.ForAsync(level ?? "province", string.IsNullOrWhiteSpace(parent) ? null : parent.Trim(), await PeriodOfAsync(period, refresher, ct), http.Caller(), ct));

    private static Task<Results<Ok<RefreshSummary>, ValidationProblem, ProblemHttpResult>> RefreshAsync(RefreshRequest body, HttpContext http, SummaryRefresher refresher, CancellationToken ct) =>
        Guard(() =>
        {
            Period? P(string? s, string field) => string.IsNullOrWhiteSpace(s) ? null : Period.TryParse(s, out var p) ? p : throw new UsageException($"{field} must be a month YYYY-MM, not '{s}'", field) { Indonesian = $"{(field == "from" ? "Bulan awal" : "Bulan akhir")} harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{s}'." };
            return refresher.RefreshAsync(P(body.From, "from"), P(body.To, "to"), http.Caller(), ct);
        });

    private static Task<Results<Ok<IReadOnlyList<CommitmentDto>>, ValidationProblem, ProblemHttpResult>> CommitmentsAsync(string? region, int? year, string? status, HttpContext http,
        CommitmentsHandler h, CancellationToken ct) => Guard(() => h.ListAsync(region, year, status, http.Caller(), ct));

    private static async Task<Results<Ok<CommitmentDto>, ProblemHttpResult>> CommitmentAsync(long id, HttpContext http, CommitmentsHandler h, CancellationToken ct) =>
        await h.GetAsync(id, http.Caller(), ct) is { } k ? TypedResults.Ok(k) : Api.NotFound($"no commitment {id} in your scope", $"Komitmen {id} tidak ditemukan atau di luar wilayah Anda.");

    private static Task<Results<Ok<CommitmentDto>, ValidationProblem, ProblemHttpResult>> SaveCommitmentAsync(CommitmentInput body, HttpContext http, CommitmentsHandler h, CancellationToken ct) =>
        Guard(() => h.SaveAsync(body, http.Caller(), ct));

    private static RouteHandlerBuilder MapImport(RouteGroupBuilder api, string path, string kind, Func<MonevImportsHandler, ImportRequest, CancellationToken, Task<ImportSummary>> run) =>
        api.MapPost("/imports/" + path, (IFormFile? file, [FromQuery] bool? dryRun, [FromQuery] bool? allOrNothing, HttpContext http, MonevImportsHandler h, ImportFolder folder,
                ImportStaging staging, CancellationToken ct) =>
                ImportEndpoints.StageAndRunAsync(file, kind, http, folder, staging, r => run(h, r, ct), dryRun, allOrNothing, "/api/v1/monev/imports", ct))
            .DisableAntiforgery()
            .WithDescription("Query: dryRun=true validates and counts without saving; allOrNothing=true saves nothing unless every row is valid.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MonevImportErrorsAsync(long id, HttpContext http, ListImportsHandler h, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await h.GetAsync(id, caller, Permission.MonevRead, "monev_", ct) is not { } found)
        {
            return Api.NotFound($"no monev import {id} that you may see", $"Impor monev {id} tidak ditemukan atau bukan impor yang boleh Anda lihat.");
        }

        await h.RecordExportAsync(id, caller, ct);
        return TypedResults.File(ImportReport.Csv(found.Errors), "text/csv; charset=utf-8", $"import-{id}-errors.csv");
    }

    private static async Task<Results<Ok<EvidenceDto>, ValidationProblem, ProblemHttpResult>> EvidenceUploadAsync(long id, IFormFile? file, HttpContext http, CommitmentsHandler h, CancellationToken ct)
    {
        if (file is null)
        {
            return Api.Invalid(new UsageException("send the evidence as multipart form field 'file'", "file") { Indonesian = "Pilih berkas bukti untuk diunggah." });
        }

        await using var stream = file.OpenReadStream();
        return await Guard(() => h.AddEvidenceAsync(id, file.FileName, file.ContentType, stream, http.Caller(), ct));
    }

    private static async Task<IResult> EvidenceDownloadAsync(long id, long evidenceId, HttpContext http, CommitmentsHandler h, CancellationToken ct)
    {
        if (await h.EvidenceFileAsync(id, evidenceId, http.Caller(), ct) is not { } f)
        {
            return Api.NotFound($"no evidence {evidenceId} of commitment {id} in your scope", $"Bukti {evidenceId} komitmen {id} tidak ditemukan atau di luar wilayah Anda.");
        }

        http.Response.Headers["X-Checksum-SHA256"] = f.Sha256;
        return TypedResults.File(f.Content, f.ContentType, f.Name);
    }

    private static Task<IResult> RegionReportAsync(string code, string? period, string? format, HttpContext http, MonevReports reports, SummaryRefresher refresher, CancellationToken ct) =>
        ReportFileAsync(format, p => reports.RegionAsync(code, p, http.Caller(), ct), $"monev-{code}", period, refresher, ct);

    private static Task<IResult> NationalReportAsync(string? period, string? format, HttpContext http, MonevReports reports, SummaryRefresher refresher, CancellationToken ct) =>
        ReportFileAsync(format, p => reports.NationalAsync(p, http.Caller(), ct), "monev-nasional", period, refresher, ct);

    /// <summary>Renders a report as a download named <c>NAME-YYYY-MM.FORMAT</c>; a bad period, format or scope gets its problem response.</summary>
    private static async Task<IResult> ReportFileAsync(string? format, Func<Period, Task<ReportDocument>> build, string name, string? period, SummaryRefresher refresher, CancellationToken ct)
    {
        var fmt = (format ?? "pdf").ToLowerInvariant();
        var result = await Guard(async () =>
        {
            var p = await PeriodOfAsync(period, refresher, ct);
            return (Bytes: ReportRenderer.Render(await build(p), fmt), Name: $"{name}-{p}.{fmt}");
        });
        return result.Result is Ok<(byte[] Bytes, string Name)> ok ? TypedResults.File(ok.Value.Bytes, ReportRenderer.ContentType(fmt), ok.Value.Name) : (IResult)result.Result;
    }

    internal static readonly string[] ChildKeys = ["participants.total", "participants.PU", "participants.BPU", "participants.JAKON", "participants.PMI", "participants.category.non_asn",
        "participants.category.vulnerable", "non_asn.coverage_pct", "employed.coverage_pct", "apbd.realisation_pct", "contributions.collection_pct"];

    private static async Task<IResult> ChildrenCsvAsync(string? region, string? period, HttpContext http, MonevDashboard dashboard, SummaryRefresher refresher, CancellationToken ct)
    {
        var result = await Guard(async () => await dashboard.ChildrenAsync(region, await PeriodOfAsync(period, refresher, ct), http.Caller(), ct));
        if (result.Result is not Ok<ChildrenView> ok)
        {
            return (IResult)result.Result;
        }

        var sb = new StringBuilder();
        sb.Append("kode,wilayah,skor,pita,").Append(string.Join(",", ChildKeys)).Append("\r\n");
        foreach (var r in ok.Value!.Rows)
        {
            sb.Append(Csv.Field(r.Code)).Append(',').Append(Csv.Field(Csv.Neutralise(r.Name))).Append(',').Append(r.Score?.ToString(CultureInfo.InvariantCulture) ?? MonevReports.WithheldMark)
                .Append(',').Append(r.Band);
            foreach (var k in ChildKeys)
            {
                sb.Append(',').Append(r.Withheld.Contains(k) ? MonevReports.WithheldMark : r.Values[k]?.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            sb.Append("\r\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv; charset=utf-8", $"monev-{ok.Value.Area ?? "nasional"}-{ok.Value.Period}.csv");
    }

    private static async Task<IResult> TrendCsvAsync(string? region, string? indicator, string? to, int? months, HttpContext http, MonevDashboard dashboard, SummaryRefresher refresher, CancellationToken ct)
    {
        var result = await Guard(async () => await dashboard.TrendAsync(region, indicator ?? "participants.total", await PeriodOfAsync(to, refresher, ct), months ?? 12, http.Caller(), ct));
        if (result.Result is not Ok<TrendView> ok)
        {
            return (IResult)result.Result;
        }

        var sb = new StringBuilder("periode,").Append(ok.Value!.Indicator).Append("\r\n");
        foreach (var (p, v) in ok.Value.Points)
        {
            sb.Append(p).Append(',').Append(ok.Value.Withheld.Contains(p) ? MonevReports.WithheldMark : v?.ToString(CultureInfo.InvariantCulture) ?? "").Append("\r\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv; charset=utf-8", $"tren-{ok.Value.Indicator}-{ok.Value.Area ?? "nasional"}.csv");
    }

    private static Task<Results<Ok<PublicIndicatorsDto>, ValidationProblem, ProblemHttpResult>> PublicIndicatorsAsync(string? region, string? period, IndicatorQueries q, SummaryRefresher refresher, CancellationToken ct) =>
        Guard(async () => await q.PublicAsync(region, await PeriodOfAsync(period, refresher, ct), ct));

    private static Task<Results<Ok<ScorecardDto>, ValidationProblem, ProblemHttpResult>> PublicScorecardAsync(string? level, string? parent, string? period, ScorecardQueries q, SummaryRefresher refresher, CancellationToken ct) =>
        Guard(async () => await q.ForAsync(level ?? "province", string.IsNullOrWhiteSpace(parent) ? null : parent.Trim(), await PeriodOfAsync(period, refresher, ct), Caller.Anonymous, ct));
}
