using Kawal.Compliance.Features;
using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Registry;
using Kawal.Registry.Import;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Kawal.Compliance.Web;

public sealed record DetectRequest(string? AsOf);

public sealed record PublicKeyDto(string KeyId, string Algorithm, string PublicKeyPem);

/// <summary>The compliance API (docs/compliance.md, docs/api.md).</summary>
public static class ComplianceEndpoints
{
    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder e)
    {
        var read = Permission.ComplianceRead.Name();
        var write = Permission.ComplianceWrite.Name();
        var prosecute = Permission.ComplianceProsecute.Name();
        var api = e.MapGroup("/api/v1/compliance").WithTags("Compliance");
        api.MapPost("/detect", DetectAsync).RequireAuthorization(write).DisableAntiforgery().WithName("DetectNonCompliance")
            .WithSummary("Detect PWBD, PDS TK, PDS Upah, PDS Program and arrears in your region; one open case per kind and subject (body { asOf })");
        api.MapGet("/cases", ListAsync).RequireAuthorization(read).WithName("ListComplianceCases")
            .WithSummary("Cases in your scope (a prosecutor: the SKKs of the office)").WithDescription("Filters: status (or open), kind, region, office, overdue=true; page, pageSize.");
        api.MapGet("/cases/{id:long}", GetAsync).RequireAuthorization(read).WithName("GetComplianceCase").WithSummary("A case with its evidence, events, letters, recoveries and sanction");
        api.MapPost("/cases/{id:long}/warnings/{letter:int}", WarnAsync).RequireAuthorization(write).DisableAntiforgery().WithName("SendWarningLetter")
            .WithSummary("Warning letter 1 or 2 (body { date }); letter 2 only after letter 1's 10 working days");
        api.MapPost("/cases/{id:long}/skk", SkkAsync).RequireAuthorization(write).DisableAntiforgery().WithName("HandOverSkk")
            .WithSummary("Hand the case to a prosecutors' office with an SKK (body { number, date, office }); starts the TMP2T sanction");
        api.MapPost("/cases/{id:long}/actions", ActAsync).RequireAuthorization(prosecute).DisableAntiforgery().WithName("RecordProsecutorAction")
            .WithSummary("A prosecutor's action on the office's SKK (body { kind: summons, agreement_full, agreement_instalments, lawsuit, note; date; note })");
        api.MapPost("/cases/{id:long}/recoveries", RecoverAsync).RequireAuthorization(prosecute).DisableAntiforgery().WithName("RecordRecovery")
            .WithSummary("A recovery, recorded as a payment in the contributions ledger and attributed to the SKK (body { reference, amount, date }); idempotent by reference");
        api.MapPost("/cases/{id:long}/close", CloseAsync).RequireAuthorization(read).DisableAntiforgery().WithName("CloseComplianceCase")
            .WithSummary("Close (body { reason: paid, registered, uncollectible, resolved; date; note }); needs compliance.write, or compliance.prosecute for the office's SKK");
        api.MapGet("/cases/{id:long}/letters/{kind}.pdf", LetterAsync).RequireAuthorization(read).WithName("GetCaseLetter")
            .WithSummary("The case's letter as PDF: warning1, warning2 or skk");
        api.MapGet("/sanctions", SanctionsAsync).RequireAuthorization(read).WithName("ListSanctions").WithSummary("TMP2T sanctions in force (all=true: also lifted ones)");
        api.MapGet("/offices", OfficesAsync).RequireAuthorization(read).WithName("ListProsecutorOffices").WithSummary("Prosecutors' offices (Kejati per province, Kejari per regency/city)");
        api.MapGet("/recovery", RecoveryAsync).RequireAuthorization(Permission.StatsRead.Name()).WithName("GetRecoveryStats")
            .WithSummary("SKKs handed over, amounts and recoveries per office for a region and months (with published figures)");
        api.MapPost("/imports/businesses", ImportBusinessesAsync).RequireAuthorization(write).DisableAntiforgery().WithName("ImportBusinessRegistry")
            .WithSummary("Import a business registry (OSS or labour report, CSV/XLSX 'file'): nib, name, region_code, sector, workers, source");
        api.MapPost("/imports/minimum-wages", ImportWagesAsync).RequireAuthorization(write).DisableAntiforgery().WithName("ImportMinimumWages")
            .WithSummary("Import minimum wages (CSV/XLSX 'file'): region_code, year, kind (UMP/UMK), amount, legal_basis, source");
        api.MapGet("/check", CheckAsync).RequireAuthorization(Permission.ComplianceCheck.Name()).WithName("CheckCompliance")
            .WithSummary("For licensing (PTSP/OSS): signed status compliant, non_compliant or not_registered of a business (nib= or npp=)")
            .WithDescription("The signature is ECDSA P-256/SHA-256 (DER, base64) over the bytes of the base64 'payload'; verify with GET /api/v1/compliance/public-key (docs/compliance.md).");
        api.MapGet("/public-key", PublicKey).AllowAnonymous().WithName("GetCompliancePublicKey").WithSummary("Kawal's public key for verifying compliance answers (PEM)");
        return e;
    }

    private static Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Run<T>(Func<Task<T>> action) => ApiResults.Run(action);

    private static Task<Results<Ok<DetectionSummary>, ValidationProblem, ProblemHttpResult>> DetectAsync(DetectRequest? body, HttpContext http, ComplianceDetector detector, CancellationToken ct) =>
        Run(() =>
        {
            DateOnly? asOf = string.IsNullOrWhiteSpace(body?.AsOf) ? null : Dates.TryParseIso(body.AsOf, out var d) ? d : throw new UsageException($"asOf must be a date YYYY-MM-DD, not '{body.AsOf}'", "asOf") { Indonesian = $"Tanggal acuan harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{body.AsOf}'." };
            return detector.RunAsync(asOf, http.Caller(), ct);
        });

    private static Task<Results<Ok<CasePageDto>, ValidationProblem, ProblemHttpResult>> ListAsync(string? status, string? kind, string? region, string? office, bool? overdue, int? page, int? pageSize,
        HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.ListAsync(new CaseSearch(status, kind, region, office, overdue ?? false, page ?? 1, pageSize ?? 50), http.Caller(), ct));

    private static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> GetAsync(long id, HttpContext http, Cases cases, CancellationToken ct) =>
        await cases.GetAsync(id, http.Caller(), ct) is { } k ? TypedResults.Ok(k) : Api.NotFound($"no case {id} in your scope", $"Kasus {id} tidak ditemukan atau di luar wilayah Anda.");

    private static Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> WarnAsync(long id, int letter, WarningInput? body, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => letter is 1 or 2 ? cases.WarnAsync(id, letter, body ?? new WarningInput(null), http.Caller(), ct) : throw new UsageException("letter must be 1 or 2", "letter") { Indonesian = "Teguran harus teguran I atau teguran II (1 atau 2)." });

    private static Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> SkkAsync(long id, SkkInput body, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.HandOverAsync(id, body, http.Caller(), ct));

    private static Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> ActAsync(long id, ActionInput body, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.ActAsync(id, body, http.Caller(), ct));

    private static Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> RecoverAsync(long id, RecoveryInput body, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.RecoverAsync(id, body, http.Caller(), ct));

    private static Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> CloseAsync(long id, CloseInput body, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.CloseAsync(id, body, http.Caller(), ct));

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> LetterAsync(long id, string kind, HttpContext http, Cases cases, CancellationToken ct)
    {
        if (!Letters.Kinds.Contains(kind))
        {
            return Api.Invalid(new UsageException($"kind must be one of {string.Join(", ", Letters.Kinds)}", "kind") { Indonesian = "Surat yang dapat diunduh: teguran I, teguran II, atau SKK." });
        }

        if (await cases.GetAsync(id, http.Caller(), ct) is not { } k)
        {
            return Api.NotFound($"no case {id} in your scope", $"Kasus {id} tidak ditemukan atau di luar wilayah Anda.");
        }

        try
        {
            return TypedResults.File(Letters.Render(k, kind), "application/pdf", $"{k.Number}-{kind}.pdf");
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x);
        }
    }

    private static Task<Results<Ok<IReadOnlyList<SanctionDto>>, ValidationProblem, ProblemHttpResult>> SanctionsAsync(string? region, bool? all, HttpContext http, Cases cases, CancellationToken ct) =>
        Run(() => cases.SanctionsAsync(region, all ?? false, http.Caller(), ct));

    private static async Task<Ok<IReadOnlyList<OfficeDto>>> OfficesAsync(string? region, Cases cases, CancellationToken ct) => TypedResults.Ok(await cases.OfficesAsync(region, ct));

    private static Task<Results<Ok<RecoveryStatsDto>, ValidationProblem, ProblemHttpResult>> RecoveryAsync(string? region, string? office, string? from, string? to, HttpContext http,
        RecoveryStatistics stats, CancellationToken ct) =>
        Run(() => stats.StatsAsync(region, office, from, to, http.Caller(), ct));

    private static Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> ImportBusinessesAsync(IFormFile? file, [FromQuery] bool? dryRun, [FromQuery] bool? allOrNothing,
        HttpContext http, ComplianceImports imports, ImportFolder folder, ImportStaging staging, CancellationToken ct) =>
        Kawal.Registry.Web.ImportEndpoints.StageAndRunAsync(file, ComplianceImports.BusinessKind, http, folder, staging, request => imports.BusinessesAsync(request, ct), dryRun, allOrNothing, ct);

    private static Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> ImportWagesAsync(IFormFile? file, [FromQuery] bool? dryRun, [FromQuery] bool? allOrNothing,
        HttpContext http, ComplianceImports imports, ImportFolder folder, ImportStaging staging, CancellationToken ct) =>
        Kawal.Registry.Web.ImportEndpoints.StageAndRunAsync(file, ComplianceImports.WagesKind, http, folder, staging, request => imports.WagesAsync(request, ct), dryRun, allOrNothing, ct);

    private static Task<Results<Ok<CheckDto>, ValidationProblem, ProblemHttpResult>> CheckAsync(string? nib, string? npp, HttpContext http, ComplianceCheck check, CancellationToken ct) =>
        Run(() => check.CheckAsync(nib, npp, http.Caller(), ct));

    private static async Task<Ok<PublicKeyDto>> PublicKey(ComplianceKeys keys, CancellationToken ct)
    {
        var signer = await keys.CurrentAsync(ct);
        return TypedResults.Ok(new PublicKeyDto(signer.KeyId, "ECDSA P-256, SHA-256, DER signature", signer.PublicKeyPem));
    }
}
