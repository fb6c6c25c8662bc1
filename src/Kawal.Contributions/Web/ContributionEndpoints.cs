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

public sealed record BillLineDto(long MembershipId, string Segment, string Programmes, long RiskClass, long Base, long Employer, long Worker, long Government, long Jp, long Amount, bool Supplementary, string RegionCode);

public sealed record BillDetailDto(string Number, string Payer, string Period, string Group, string DueDate, long Amount, long Paid, IReadOnlyList<BillLineDto> Lines,
    IReadOnlyDictionary<string, IReadOnlyList<RateDto>> Parameters);

public sealed record RateDto(string Id, decimal Value, string Citation);

/// <summary>
/// The contributions API. Reads need <c>contributions.read</c> and are scoped by the payer's region (an employer: its
/// own payer); billing runs and payments need <c>contributions.write</c>.
/// </summary>
public static class ContributionEndpoints
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

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
            return Api.Invalid(new UsageException($"period must be a month YYYY-MM, not '{body.Period}'", "period"));
        }

        try
        {
            return TypedResults.Ok(await runner.RunAsync(new BillingRequest(period, string.IsNullOrWhiteSpace(body.Region) ? null : body.Region, http.Caller()), null, ct));
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x.Message);
        }
        catch (ForbiddenException x)
        {
            return Api.Forbidden(x.Message);
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
                return Api.Invalid(new UsageException($"asOf must be a date YYYY-MM-DD, not '{asOf}'", "asOf"));
            }

            date = d;
        }

        return await queries.StatementAsync(key, http.Caller(), date, ct) is { } s ? TypedResults.Ok(s) : Api.NotFound($"no payer {key} in your scope");
    }

    private static async Task<Results<Ok<BillDetailDto>, ProblemHttpResult>> BillAsync(string number, HttpContext http, Database db, CancellationToken ct)
    {
        var caller = http.Caller();
        caller.Demand(Permission.ContributionsRead);
        await using var c = await db.OpenAsync(ct);
        var scope = caller.EmployerNpp is not null ? "p.payer_key = 'employer:' || @ScopeEmployer" : caller.Scope.Sql("p.region_code");
        var bill = await c.QuerySingleOrDefaultAsync<(long Id, string Number, string Payer, string Period, string Group, DateOnly Due, long Amount, long Paid)?>(new CommandDefinition(
            $"SELECT b.id, b.bill_number, p.payer_key, b.period, b.bill_group, b.due_date, b.amount, b.paid FROM bills b JOIN payers p ON p.id = b.payer_id WHERE b.bill_number = @number AND {scope}",
            new { number, ScopeRegion = caller.Scope.Parameter, ScopeEmployer = caller.EmployerNpp ?? "" }, cancellationToken: ct));
        if (bill is not { } b)
        {
            return Api.NotFound($"no bill {number} in your scope");
        }

        var lines = (await c.QueryAsync<LineRow>(new CommandDefinition(
            """
            SELECT membership_id AS MembershipId, segment AS Segment, programmes AS Programmes, risk_class AS RiskClass, base AS Base, employer_amount AS Employer,
                   worker_amount AS Worker, government_amount AS Government, jp_amount AS Jp, amount AS Amount, supplementary AS Supplementary, region_code AS RegionCode
            FROM bill_lines WHERE bill_id = @Id ORDER BY id
            """, new { b.Id }, cancellationToken: ct)))
            .Select(l => new BillLineDto(l.MembershipId, l.Segment, l.Programmes, l.RiskClass, l.Base, l.Employer, l.Worker, l.Government, l.Jp, l.Amount, l.Supplementary, l.RegionCode)).ToList();
        var sets = await c.QueryAsync<(string Segment, string Parameters)>(new CommandDefinition(
            "SELECT segment, parameters FROM rate_sets WHERE id IN (SELECT DISTINCT rate_set_id FROM bill_lines WHERE bill_id = @Id)", new { b.Id }, cancellationToken: ct));
        var parameters = sets.ToDictionary(s => s.Segment, s => (IReadOnlyList<RateDto>)(System.Text.Json.JsonSerializer.Deserialize<List<RateDto>>(s.Parameters, WebJson) ?? []));
        return TypedResults.Ok(new BillDetailDto(b.Number, b.Payer, b.Period, b.Group, b.Due.ToIso(), b.Amount, b.Paid, lines, parameters));
    }

    /// <summary>A bill line as read (settable: SQLite reports integers and booleans as Int64).</summary>
    private sealed class LineRow
    {
        public long MembershipId { get; set; }
        public string Segment { get; set; } = "";
        public string Programmes { get; set; } = "";
        public long RiskClass { get; set; }
        public long Base { get; set; }
        public long Employer { get; set; }
        public long Worker { get; set; }
        public long Government { get; set; }
        public long Jp { get; set; }
        public long Amount { get; set; }
        public bool Supplementary { get; set; }
        public string RegionCode { get; set; } = "";
    }

    private static async Task<Results<Created<PaymentResult>, Ok<PaymentResult>, ValidationProblem, ProblemHttpResult>> PayAsync(PaymentInput body, HttpContext http, PaymentsHandler handler, CancellationToken ct)
    {
        try
        {
            var result = await handler.RecordAsync(body, http.Caller(), ct);
            return result.Created ? TypedResults.Created($"/api/v1/payers/{Uri.EscapeDataString(result.Payer)}/statement", result) : TypedResults.Ok(result);
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x.Message);
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x.Message);
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
        year is < 2015 or > 2100 ? Api.Invalid(new UsageException("year must be between 2015 and 2100", "year"))
        : await queries.BudgetAsync(region, http.Caller(), year, ct) is { } b ? TypedResults.Ok(b) : Api.NotFound($"no region {region} in your scope");

    private static async Task<Results<Ok<ArrearsDto>, ValidationProblem, ProblemHttpResult>> ArrearsAsync(string? region, string? asOf, HttpContext http, ContributionQueries queries, CancellationToken ct)
    {
        try
        {
            DateOnly? date = string.IsNullOrEmpty(asOf) ? null : Dates.TryParseIso(asOf, out var d) ? d : throw new UsageException($"asOf must be a date YYYY-MM-DD, not '{asOf}'", "asOf");
            return TypedResults.Ok(await queries.ArrearsAsync(region, http.Caller(), date, ct));
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x.Message);
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
            return Api.NotFound(x.Message);
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }
}
