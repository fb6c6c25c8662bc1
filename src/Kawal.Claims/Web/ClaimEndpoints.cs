using Kawal.Claims.Features;
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

namespace Kawal.Claims.Web;

public sealed record PensionRunRequest(string? Period);

public sealed record JhtRateRequest(int? Year, decimal? Rate, string? Source);

/// <summary>
/// The claims API: intake and reads need <c>claims.write</c> / <c>claims.read</c>; approval, payment and the pension run
/// <c>claims.approve</c>; statistics <c>stats.read</c>. Everything is scoped by the claim's region.
/// </summary>
public static class ClaimEndpoints
{
    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder e)
    {
        var read = Permission.ClaimsRead.Name();
        var write = Permission.ClaimsWrite.Name();
        var approve = Permission.ClaimsApprove.Name();
        var api = e.MapGroup("/api/v1").WithTags("Claims");
        api.MapPost("/claims", SubmitAsync).RequireAuthorization(write).DisableAntiforgery().WithName("SubmitClaim")
            .WithSummary("Take a claim: eligibility from the registry and the ledger, benefit computed with its trace")
            .WithDescription("Body: { nik, programme (JKM, JKK, JHT, JP, JKP), kind, eventDate, reason, percentage, functionLoss, months, purpose, accidentReport, bankAccount, heirs: [{ name, relation, birthDate, nik, married, working, bankAccount }], documents: [codes], claimDate }. 201 with the claim: status submitted, or rejected naming the rule and its citation.");
        api.MapGet("/claims", ListAsync).RequireAuthorization(read).WithName("ListClaims")
            .WithSummary("Claims in your scope, newest first").WithDescription("Filters: status, programme, region, nik (needs personal_data), from, to (event date); page, pageSize (≤ 200).");
        api.MapGet("/claims/stats", StatsAsync).RequireAuthorization(Permission.StatsRead.Name()).WithName("GetClaimStats")
            .WithSummary("Claims paid per region and months: cases and amount, per programme, with imported published aggregates").WithDescription("region; from, to: YYYY-MM.");
        api.MapGet("/claims/{id:long}", GetAsync).RequireAuthorization(read).WithName("GetClaim").WithSummary("One claim: eligibility checks, benefit trace, heirs, documents, payments, scholarships");
        api.MapPost("/claims/{id:long}/verify", VerifyAsync).RequireAuthorization(write).DisableAntiforgery().WithName("VerifyClaim")
            .WithSummary("Documents checked (body { documents: [codes] } ticks more); every required document and a bank account per payee are needed");
        api.MapPost("/claims/{id:long}/approve", ApproveAsync).RequireAuthorization(approve).DisableAntiforgery().WithName("ApproveClaim")
            .WithSummary("Approve a verified claim; refused (403) to the officer who took or verified it");
        api.MapPost("/claims/{id:long}/reject", RejectAsync).RequireAuthorization(write).DisableAntiforgery().WithName("RejectClaim")
            .WithSummary("Reject with a reason (body { reason }) at any step before payment");
        api.MapPost("/claims/{id:long}/pay", PayAsync).RequireAuthorization(approve).DisableAntiforgery().WithName("PayClaim")
            .WithSummary("Record the transfer (body { reference, paidOn }); idempotent by reference, 409 for a reference of another claim");
        api.MapPost("/claims/{id:long}/handover", HandoverAsync).RequireAuthorization(Permission.MonevWrite.Name()).DisableAntiforgery().WithName("LinkClaimHandover")
            .WithSummary("Link a paid benefit's hand-over to a monitoring visit (body { visitId })");
        api.MapPost("/pensions/runs", RunAsync).RequireAuthorization(approve).DisableAntiforgery().WithName("RunPensions")
            .WithSummary("Pay JP pensions, JKP instalments and scholarships due up to a month (body { period }); idempotent");
        api.MapGet("/jht/{nik}/statement", StatementAsync).RequireAuthorization(read).WithName("GetJhtStatement")
            .WithSummary("A participant's JHT statement for a year: opening, contributions, returns, payouts, closing").WithDescription("year: default last year.");
        api.MapGet("/jht/rates", RatesAsync).RequireAuthorization(read).WithName("ListJhtRates").WithSummary("The declared JHT development rates per year, with their sources");
        api.MapPost("/jht/rates", SetRateAsync).RequireAuthorization(write).DisableAntiforgery().WithName("SetJhtRate")
            .WithSummary("Record a year's declared JHT development rate (body { year, rate (percent), source })");
        api.MapPost("/claims/history/import", ImportHistoryAsync).RequireAuthorization(write).DisableAntiforgery().WithName("ImportClaimsHistory")
            .WithSummary("Import published claim aggregates (CSV or XLSX, field 'file'): region_code, period, programme, cases, amount, source");
        return e;
    }

    private static Task<Results<Created<ClaimDto>, ValidationProblem, ProblemHttpResult>> SubmitAsync(ClaimInput body, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        ApiResults.Guard<Results<Created<ClaimDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var claim = await handler.SubmitAsync(body, http.Caller(), ct);
            return TypedResults.Created($"/api/v1/claims/{claim.Id}", claim);
        }, p => p, v => v);

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> Step(Func<Task<ClaimDto>> action) => ApiResults.Run(action);

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> VerifyAsync(long id, VerifyInput? body, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        Step(() => handler.VerifyAsync(id, body ?? new VerifyInput(), http.Caller(), ct));

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> ApproveAsync(long id, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        Step(() => handler.ApproveAsync(id, http.Caller(), ct));

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> RejectAsync(long id, RejectInput body, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        Step(() => handler.RejectAsync(id, body, http.Caller(), ct));

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> PayAsync(long id, PayInput body, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        Step(() => handler.PayAsync(id, body, http.Caller(), ct));

    private static Task<Results<Ok<ClaimDto>, ValidationProblem, ProblemHttpResult>> HandoverAsync(long id, HandoverInput body, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        Step(() => handler.LinkVisitAsync(id, body, http.Caller(), ct));

    private static async Task<Results<Ok<ClaimDto>, ProblemHttpResult>> GetAsync(long id, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        await handler.GetAsync(id, http.Caller(), ct) is { } claim ? TypedResults.Ok(claim) : Api.NotFound($"no claim {id} in your scope", $"Klaim {id} tidak ditemukan atau di luar wilayah Anda.");

    private static Task<Results<Ok<ClaimPageDto>, ValidationProblem, ProblemHttpResult>> ListAsync(string? status, string? programme, string? region, string? nik, string? from, string? to,
        int? page, int? pageSize, HttpContext http, ClaimsHandler handler, CancellationToken ct) =>
        ApiResults.Guard<Results<Ok<ClaimPageDto>, ValidationProblem, ProblemHttpResult>>(async () =>
            TypedResults.Ok(await handler.ListAsync(new ClaimSearch(status, programme, region, nik, from, to, page ?? 1, pageSize ?? 50), http.Caller(), ct)), p => p, v => v);

    private static Task<Results<Ok<ClaimStatsDto>, ValidationProblem, ProblemHttpResult>> StatsAsync(string? region, string? from, string? to, HttpContext http, ClaimStatistics stats, CancellationToken ct) =>
        ApiResults.Guard<Results<Ok<ClaimStatsDto>, ValidationProblem, ProblemHttpResult>>(async () => TypedResults.Ok(await stats.StatsAsync(region, from, to, http.Caller(), ct)), p => p, v => v);

    private static Task<Results<Ok<PensionRunSummary>, ValidationProblem, ProblemHttpResult>> RunAsync(PensionRunRequest body, HttpContext http, PensionRunner runner, CancellationToken ct) =>
        ApiResults.Guard<Results<Ok<PensionRunSummary>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var period = Period.TryParse(body.Period, out var p) ? p : throw new UsageException($"period must be a month YYYY-MM, not '{body.Period}'", "period") { Indonesian = $"Periode harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{body.Period}'." };
            return TypedResults.Ok(await runner.RunAsync(period, http.Caller(), ct));
        }, p => p, v => v);

    private static Task<Results<Ok<JhtStatementDto>, ValidationProblem, ProblemHttpResult>> StatementAsync(string nik, int? year, HttpContext http, JhtLedger ledger, TimeProvider time, CancellationToken ct) =>
        ApiResults.Guard<Results<Ok<JhtStatementDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var y = year ?? (time.Today().Year - 1);
            if (y is < 2015 or > 2100)
            {
                throw new UsageException("year must be between 2015 and 2100", "year") { Indonesian = "Tahun harus antara 2015 dan 2100." };
            }

            return await ledger.StatementAsync(nik, y, http.Caller(), ct) is { } s ? TypedResults.Ok(s) : Api.NotFound($"no participant {Nik.Mask(nik)} in your scope", $"Tidak ada peserta dengan NIK {Nik.Mask(nik)} di wilayah Anda.");
        }, p => p, v => v);

    private static async Task<Ok<IReadOnlyList<JhtRateDto>>> RatesAsync(JhtLedger ledger, CancellationToken ct) => TypedResults.Ok(await ledger.RatesAsync(ct));

    private static Task<Results<Ok<JhtRateDto>, ValidationProblem, ProblemHttpResult>> SetRateAsync(JhtRateRequest body, HttpContext http, JhtLedger ledger, CancellationToken ct) =>
        ApiResults.Guard<Results<Ok<JhtRateDto>, ValidationProblem, ProblemHttpResult>>(async () =>
            TypedResults.Ok(await ledger.SetRateAsync(body.Year ?? throw new UsageException("year is required", "year") { Indonesian = "Isi tahun." }, body.Rate ?? throw new UsageException("rate is required", "rate") { Indonesian = "Isi persentase hasil pengembangan." },
                body.Source, http.Caller(), ct)), p => p, v => v);

    private static Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> ImportHistoryAsync(IFormFile? file, [FromQuery] bool? dryRun, [FromQuery] bool? allOrNothing,
        HttpContext http, ClaimStatistics stats, ImportFolder folder, ImportStaging staging, CancellationToken ct) =>
        Kawal.Registry.Web.ImportEndpoints.StageAndRunAsync(file, ClaimStatistics.HistoryKind, http, folder, staging, request => stats.ImportHistoryAsync(request, ct), dryRun, allOrNothing, ct);
}
