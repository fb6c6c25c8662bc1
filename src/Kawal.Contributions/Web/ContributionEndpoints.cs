using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
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

namespace Kawal.Contributions.Web;

public sealed record BillingRunRequest(string? Period, string? Region);

public sealed record PayerPage(int Total, int Page, int PageSize, IReadOnlyList<PayerDto> Items);

/// <summary>
/// The contributions API. Reads need <c>contributions.read</c> and are scoped by the payer's region (an employer: its
/// own payer); billing runs and payments need <c>contributions.write</c>.
/// </summary>
public static class ContributionEndpoints
{

    public static IEndpointRouteBuilder MapContributionsApi(this IEndpointRouteBuilder e)
    {
        var read = Permission.ContributionsRead.Name();
        var write = Permission.ContributionsWrite.Name();
        var api = e.MapGroup("/api/v1").WithTags("Contributions");
        api.MapPost("/billing/runs", RunAsync).RequireAuthorization(write).DisableAntiforgery().WithName("RunBilling")
            .WithSummary("Bill a contribution month (idempotent; resumes an interrupted run)")
            .WithDescription("Body: { period: 'YYYY-MM', region: optional province or regency code within your scope }.");
        api.MapGet("/payers", PayersAsync).RequireAuthorization(read).WithName("SearchPayers")
            .WithSummary("Payers in your scope").WithDescription("Filters: q (key or name contains), kind (employer, self, apbd, apbdes, csr, baznas); page, pageSize (≤ 200).");
        api.MapGet("/payers/{key}/statement", StatementAsync).RequireAuthorization(read).WithName("GetPayerStatement")
            .WithSummary("A payer's statement: bills, payments, balance, credit, arrears by age, late fines with their citation")
            .WithDescription("key: employer:NPP, self:KPJ, apbd:CODE, apbdes:CODE, csr:REGION:NAME, baznas:REGION (URL-encoded). asOf: YYYY-MM-DD, default today.");
        api.MapGet("/bills/{number}", BillAsync).RequireAuthorization(read).WithName("GetBill")
            .WithSummary("One bill with its lines and the parameter values (with citations) that produced them");
        api.MapPost("/payments", PayAsync).RequireAuthorization(write).DisableAntiforgery().WithName("RecordPayment")
            .WithSummary("Record a payment (idempotent by reference) and allocate it: the named bill, then the oldest open bills; the rest is credit")
            .WithDescription("Body: { reference, payer (key or NPP) and/or bill (number), amount (rupiah > 0), date (YYYY-MM-DD, not future), channel }. 201 created, 200 the same payment again, 409 a reference used for a different payment, 404 unknown payer or bill.");
        api.MapPost("/payments/import", ImportAsync).RequireAuthorization(write).DisableAntiforgery().WithName("ImportPayments")
            .WithSummary("Import a bank statement (CSV or XLSX, multipart field 'file'): reference, payer or bill, amount, date, channel")
            .WithDescription("Same per-row error report and idempotence as the registry imports (see /api/v1/imports/{id}). Query: dryRun, allOrNothing.");
        api.MapGet("/budgets/{region}", BudgetAsync).RequireAuthorization(read).WithName("GetRegionalBudget")
            .WithSummary("A regional budget (APBD) as payer: workers it pays for, monthly amount, billed vs paid in the fiscal year");
        api.MapGet("/arrears", ArrearsAsync).RequireAuthorization(read).WithName("GetArrears")
            .WithSummary("Unpaid bills by region and age (current, 1-3, 4-6, 7-12, over 12 months), with estimated late fines")
            .WithDescription("region: a province (its regencies) or none (provinces; default your region). asOf: YYYY-MM-DD.");
        api.MapGet("/contributions/totals", TotalsAsync).RequireAuthorization(read).WithName("GetContributionTotals")
            .WithSummary("Billed and collected per region and contribution month").WithDescription("region as for arrears; from, to: YYYY-MM.");
        return e;
    }

    private static async Task<Results<Ok<BillingSummary>, ValidationProblem, ProblemHttpResult>> RunAsync(BillingRunRequest body, HttpContext http, BillingRunner runner, CancellationToken ct)
    {
        if (!Period.TryParse(body.Period, out var period))
        {
            return Api.Invalid(new UsageException($"period must be a month YYYY-MM, not '{body.Period}'", "period") { Indonesian = $"Periode harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{body.Period}'." });
        }

        try
        {
            return TypedResults.Ok(await runner.RunAsync(new BillingRequest(period, string.IsNullOrWhiteSpace(body.Region) ? null : body.Region, http.Caller()), null, ct));
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x);
        }
        catch (ForbiddenException x)
        {
            return Api.Forbidden(x);
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task<Results<Ok<PayerPage>, ValidationProblem>> PayersAsync(string? q, string? kind, int? page, int? pageSize, HttpContext http, ContributionQueries queries, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var p = await queries.PayersAsync(http.Caller(), q, kind, Math.Max(1, page ?? 1), size, ct);
        return TypedResults.Ok(new PayerPage(p.Total, p.PageNumber, p.PageSize, p.Items));
    }

    private static async Task<Results<Ok<StatementDto>, ValidationProblem, ProblemHttpResult>> StatementAsync(string key, string? asOf, HttpContext http, ContributionQueries queries, CancellationToken ct)
    {
        DateOnly? date = null;
        if (!string.IsNullOrEmpty(asOf))
        {
            if (!Dates.TryParseIso(asOf, out var d))
            {
                return Api.Invalid(new UsageException($"asOf must be a date YYYY-MM-DD, not '{asOf}'", "asOf") { Indonesian = $"Tanggal acuan harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{asOf}'." });
            }

            date = d;
        }

        return await queries.StatementAsync(key, http.Caller(), date, ct) is { } s ? TypedResults.Ok(s) : Api.NotFound($"no payer {key} in your scope", $"Pembayar {key} tidak ditemukan atau di luar wilayah Anda.");
    }

    private static async Task<Results<Ok<BillDetailDto>, ProblemHttpResult>> BillAsync(string number, HttpContext http, ContributionQueries queries, CancellationToken ct) =>
        await queries.BillAsync(number, http.Caller(), ct) is { } bill ? TypedResults.Ok(bill) : Api.NotFound($"no bill {number} in your scope", $"Tagihan {number} tidak ditemukan atau di luar wilayah Anda.");

    private static async Task<Results<Created<PaymentResult>, Ok<PaymentResult>, ValidationProblem, ProblemHttpResult>> PayAsync(PaymentInput body, HttpContext http, PaymentsHandler handler, CancellationToken ct)
    {
        try
        {
            var result = await handler.RecordAsync(body, http.Caller(), ct);
            return result.Created ? TypedResults.Created($"/api/v1/payers/{Uri.EscapeDataString(result.Payer)}/statement", result) : TypedResults.Ok(result);
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x);
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> ImportAsync(IFormFile? file, [FromQuery] bool? dryRun, [FromQuery] bool? allOrNothing,
        HttpContext http, PaymentsHandler handler, ImportFolder folder, ImportStaging staging, CancellationToken ct) =>
        Kawal.Registry.Web.ImportEndpoints.StageAndRunAsync(file, "payments", http, folder, staging, request => handler.ImportAsync(request, ct), dryRun, allOrNothing, ct);

    private static async Task<Results<Ok<BudgetDto>, ValidationProblem, ProblemHttpResult>> BudgetAsync(string region, int? year, HttpContext http, ContributionQueries queries, CancellationToken ct) =>
        year is < 2015 or > 2100 ? Api.Invalid(new UsageException("year must be between 2015 and 2100", "year") { Indonesian = "Tahun harus antara 2015 dan 2100." })
        : await queries.BudgetAsync(region, http.Caller(), year, ct) is { } b ? TypedResults.Ok(b) : Api.NotFound($"no region {region} in your scope", $"Wilayah {region} tidak ditemukan atau di luar wilayah Anda.");

    private static async Task<Results<Ok<ArrearsDto>, ValidationProblem, ProblemHttpResult>> ArrearsAsync(string? region, string? asOf, HttpContext http, ContributionQueries queries, CancellationToken ct)
    {
        try
        {
            DateOnly? date = string.IsNullOrEmpty(asOf) ? null : Dates.TryParseIso(asOf, out var d) ? d : throw new UsageException($"asOf must be a date YYYY-MM-DD, not '{asOf}'", "asOf") { Indonesian = $"Tanggal acuan harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{asOf}'." };
            return TypedResults.Ok(await queries.ArrearsAsync(region, http.Caller(), date, ct));
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<TotalsRowDto>>, ValidationProblem, ProblemHttpResult>> TotalsAsync(string? region, string? from, string? to, HttpContext http,
        ContributionQueries queries, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await queries.TotalsAsync(region, from, to, http.Caller(), ct));
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }
}
