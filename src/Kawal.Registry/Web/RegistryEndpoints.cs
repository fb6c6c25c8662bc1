using System.Text.Json;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Kawal.Registry.Web;

/// <summary>
/// The registry's JSON API. Reads need <c>registry.read</c>, writes <c>registry.write</c>, imports
/// <c>registry.import</c>; every handler applies the caller's region scope (records outside it are 404).
/// </summary>
public static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder e)
    {
        var read = Permission.RegistryRead.Name();
        var write = Permission.RegistryWrite.Name();
        var employers = e.MapGroup("/api/v1/employers").WithTags("Registry");
        employers.MapGet("/", SearchEmployersAsync).RequireAuthorization(read).WithName("SearchEmployers")
            .WithSummary("Employers in the caller's scope").WithDescription("Filters: name (contains), region (code prefix), kind; page, pageSize (≤ 200).");
        employers.MapGet("/{npp}", GetEmployerAsync).RequireAuthorization(read).WithName("GetEmployer").WithSummary("One employer by NPP");
        employers.MapPost("/", (Dictionary<string, JsonElement> body, HttpContext http, RegisterRecordsHandler h, RegistryQueries q, CancellationToken ct) =>
                SaveEmployerAsync(body, null, http, h, q, ct))
            .RequireAuthorization(write).WithName("CreateEmployer")
            .WithSummary("Register an employer (409 if the NPP exists)").WithDescription("Body: the import's employer columns (npp, name, kind, region_code, risk_class, size, nib, address, status).");
        employers.MapPut("/{npp}", (string npp, Dictionary<string, JsonElement> body, HttpContext http, RegisterRecordsHandler h, RegistryQueries q, CancellationToken ct) =>
                SaveEmployerAsync(body, npp, http, h, q, ct))
            .RequireAuthorization(write).WithName("UpdateEmployer").WithSummary("Update an employer (all required columns)");

        var participants = e.MapGroup("/api/v1/participants").WithTags("Registry");
        participants.MapGet("/", SearchParticipantsAsync).RequireAuthorization(read).WithName("SearchParticipants")
            .WithSummary("Participants in the caller's scope")
            .WithDescription("Filters: name (contains), nik (prefix; needs personal_data), employer (NPP), region, segment, category; page, pageSize (≤ 200). NIKs are masked without personal_data.");
        participants.MapGet("/{key}", GetParticipantAsync).RequireAuthorization(read).WithName("GetParticipant")
            .WithSummary("One participant by NIK or KPJ, with memberships and their history");
        participants.MapPost("/", (Dictionary<string, JsonElement> body, HttpContext http, RegisterRecordsHandler h, RegistryQueries q, CancellationToken ct) =>
                SaveParticipantAsync(body, null, http, h, q, ct))
            .RequireAuthorization(write).WithName("CreateParticipant")
            .WithSummary("Register a participant with a membership (409 if the NIK exists)")
            .WithDescription("Body: the import's participant columns (nik, name, segment, employer_npp, category, occupation, payer, wage, programmes, start_date, end_date…).");
        participants.MapPut("/{nik}", (string nik, Dictionary<string, JsonElement> body, HttpContext http, RegisterRecordsHandler h, RegistryQueries q, CancellationToken ct) =>
                SaveParticipantAsync(body, nik, http, h, q, ct))
            .RequireAuthorization(write).WithName("UpdateParticipant")
            .WithSummary("Change a participant's membership (wage, programmes, payer, end date) or add one; history is kept");

        e.MapRegistryImports();

        e.MapGet("/api/v1/licensing/employers/{id}", LicensingAsync).RequireAuthorization(Permission.LicensingCheck.Name())
            .WithTags("Licensing").WithName("CheckEmployerForLicensing")
            .WithSummary("For one-stop licensing (PTSP/OSS): is the business with this NIB (13 digits) or NPP registered and active?")
            .WithDescription("National: a business may be licensed anywhere. Returns no personal data.");
        return e;
    }

    private static async Task<Results<Ok<EmployerPage>, ValidationProblem>> SearchEmployersAsync(string? name, string? region, string? kind, int? page, int? pageSize,
        HttpContext http, RegistryQueries q, CancellationToken ct)
    {
        try
        {
            var r = await q.SearchEmployersAsync(new EmployerSearch(name, region, kind, page ?? 1, pageSize ?? 50), http.Caller(), ct);
            return TypedResults.Ok(new EmployerPage(r.Total, r.PageNumber, r.PageSize, r.Items));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task<Results<Ok<EmployerView>, ProblemHttpResult>> GetEmployerAsync(string npp, HttpContext http, RegistryQueries q, CancellationToken ct) =>
        await q.GetEmployerAsync(npp, http.Caller(), ct) is { } found ? TypedResults.Ok(found) : Api.NotFound($"no employer with NPP {npp} in your scope", $"Tidak ada pemberi kerja dengan NPP {npp} di wilayah Anda.");

    private static async Task<Results<Ok<ParticipantPage>, ValidationProblem, ProblemHttpResult>> SearchParticipantsAsync(string? name, string? nik, string? employer,
        string? region, string? segment, string? category, int? page, int? pageSize, HttpContext http, RegistryQueries q, CancellationToken ct)
    {
        try
        {
            var r = await q.SearchParticipantsAsync(new ParticipantSearch(name, nik, employer, region, segment, category, page ?? 1, pageSize ?? 50), http.Caller(), ct);
            return TypedResults.Ok(new ParticipantPage(r.Total, r.PageNumber, r.PageSize, r.Items));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
        catch (ForbiddenException x)
        {
            return Api.Forbidden(x);
        }
    }

    private static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> GetParticipantAsync(string key, HttpContext http, RegistryQueries q, CancellationToken ct) =>
        await q.GetParticipantAsync(key, http.Caller(), ct) is { } found ? TypedResults.Ok(found) : Api.NotFound("no participant with this NIK or KPJ in your scope", "Tidak ada peserta dengan NIK atau KPJ itu di wilayah Anda.");

    private static async Task<Results<Created<RegistrationResponse<EmployerView>>, Ok<RegistrationResponse<EmployerView>>, ValidationProblem, ProblemHttpResult>> SaveEmployerAsync(
        Dictionary<string, JsonElement> body, string? npp, HttpContext http, RegisterRecordsHandler handler, RegistryQueries q, CancellationToken ct)
    {
        return await SaveAsync(http, async caller =>
        {
            var fields = Fields.From(body);
            if (npp is not null)
            {
                if (fields.TryGetValue("npp", out var stated) && stated is not null && stated != npp)
                {
                    throw new UsageException("the npp in the body differs from the one in the address", "npp") { Indonesian = "NPP dalam isian berbeda dari NPP pada alamat; samakan keduanya." };
                }

                fields["npp"] = npp;
            }

            var result = await handler.RegisterEmployerAsync(fields, caller, npp is null ? RegistrationMode.CreateOnly : RegistrationMode.UpdateOnly, ct);
            return (result, result.Ok ? await q.GetEmployerAsync(fields["npp"]!, caller, ct) : null);
        }, $"/api/v1/employers/");
    }

    private static async Task<Results<Created<RegistrationResponse<ParticipantView>>, Ok<RegistrationResponse<ParticipantView>>, ValidationProblem, ProblemHttpResult>> SaveParticipantAsync(
        Dictionary<string, JsonElement> body, string? nik, HttpContext http, RegisterRecordsHandler handler, RegistryQueries q, CancellationToken ct)
    {
        return await SaveAsync(http, async caller =>
        {
            var fields = Fields.From(body);
            if (nik is not null)
            {
                if (fields.TryGetValue("nik", out var stated) && stated is not null && stated != nik)
                {
                    throw new UsageException("the nik in the body differs from the one in the address", "nik") { Indonesian = "NIK dalam isian berbeda dari NIK pada alamat; samakan keduanya." };
                }

                fields["nik"] = nik;
            }

            var result = await handler.RegisterParticipantAsync(fields, caller, nik is null ? RegistrationMode.CreateOnly : RegistrationMode.UpdateOnly, ct);
            return (result, result.Ok ? await q.GetParticipantAsync(fields.GetValueOrDefault("nik") ?? "", caller, ct) : null);
        }, $"/api/v1/participants/");
    }

    private static async Task<Results<Created<RegistrationResponse<T>>, Ok<RegistrationResponse<T>>, ValidationProblem, ProblemHttpResult>> SaveAsync<T>(
        HttpContext http, Func<Caller, Task<(RegistrationResult Result, T? Record)>> save, string location)
        where T : class
    {
        try
        {
            var (result, record) = await save(http.Caller());
            if (!result.Ok)
            {
                return Api.Invalid(Fields.Errors(result.Errors), result.Errors[0].MessageEn, result.Errors[0].MessageId);
            }

            var key = record switch { EmployerView ev => ev.Npp, ParticipantView pv => pv.Kpj, _ => "" };
            return result.Outcome == "created"
                ? TypedResults.Created(location + key, new RegistrationResponse<T>(result.Outcome, record!))
                : TypedResults.Ok(new RegistrationResponse<T>(result.Outcome, record!));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
        catch (ConflictException x)
        {
            return Api.Conflict(x);
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
    }

    private static async Task<Results<Ok<LicensingStatus>, ValidationProblem>> LicensingAsync(string id, Database db, CancellationToken ct)
    {
        var digits = id.Trim();
        if (!digits.All(char.IsAsciiDigit) || digits.Length is not (13 or >= 8 and <= 12))
        {
            return Api.Invalid(new UsageException("give a 13-digit NIB or an NPP of 8 to 12 digits", "id") { Indonesian = "Isi NIB (13 angka) atau NPP (8 sampai 12 angka)." });
        }

        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<LicensingRow>(new CommandDefinition(
            """
            SELECT e.npp AS Npp, e.name AS Name, e.status AS Status,
                   (SELECT count(*) FROM memberships m WHERE m.employer_id = e.id AND m.status = 'active') AS ActiveMemberships
            FROM employers e WHERE e.nib = @digits OR e.npp = @digits
            """, new { digits }, cancellationToken: ct));
        return TypedResults.Ok(row is null
            ? new LicensingStatus(digits, false, null, null, null, false, 0)
            : new LicensingStatus(digits, true, row.Npp, row.Name, row.Status, row.Status == "active" && row.ActiveMemberships > 0, row.ActiveMemberships));
    }

    private sealed class LicensingRow
    {
        public string Npp { get; set; } = "";
        public string Name { get; set; } = "";
        public string Status { get; set; } = "";
        public int ActiveMemberships { get; set; }
    }
}
