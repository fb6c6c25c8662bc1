using System.Text;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Identity.Web;

public sealed record MeResponse(string Actor, string Role, string? Region, string? Employer, IReadOnlyList<string> Permissions);

public sealed record UserDto(string Username, string DisplayName, string Role, string? Region, string? Employer, bool Active, bool Demo, DateTimeOffset? LockedUntil, DateTimeOffset? LastLoginAt)
{
    public static UserDto From(UserRecord u) => new(u.Username, u.DisplayName, u.Role.Name(), u.RegionCode, u.EmployerNpp, u.IsActive, u.IsDemo, u.LockedUntil, u.LastLoginAt);
}

public sealed record CreateUserRequest(string Username, string? DisplayName, string Role, string? Region, string? Employer, string Password);

public sealed record ApiKeyDto(string Prefix, string Name, string Role, string? Region, string? Employer, IReadOnlyList<string> Scopes, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKeyInfo k) => new(k.Prefix, k.Name, k.Role.Name(), k.RegionCode, k.EmployerNpp, k.Scopes, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

public sealed record CreateApiKeyRequest(string Name, string Role, string? Region, string? Employer, IReadOnlyList<string>? Scopes);

/// <summary>The key itself is in <c>key</c> and is never shown again.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyDto ApiKey, string Key);

public sealed record AuditPage(int Total, int Page, int PageSize, IReadOnlyList<AuditEntry> Items);

/// <summary>Sign-out, who-am-I, and the administrators' API for users, API keys and the audit log.</summary>
public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder e)
    {
        // A form post from the layout: antiforgery is checked because the handler reads the form. The session ends in the
        // database, so a copy of the cookie stops working too; the return address is a local path or the home page.
        e.MapPost("/keluar", async ([FromForm] string? kembali, HttpContext http) =>
            {
                await Authentication.SignOutAsync(http);
                return Results.Redirect(LocalPath.OrHome(kembali));
            })
            .ExcludeFromDescription()
            .AllowAnonymous();

        e.MapGet("/api/v1/me", (HttpContext http) =>
            {
                var c = http.Caller();
                return TypedResults.Ok(new MeResponse(c.Actor, c.Role.Name(), c.Scope.Code, c.EmployerNpp, c.Permissions.Select(p => p.Name()).Order().ToList()));
            })
            .WithTags("Identity").WithName("GetMe").WithSummary("Who the caller is: role, region scope, permissions")
            .RequireAuthorization(Authentication.SignedIn);

        var admin = e.MapGroup("/api/v1/admin").WithTags("Administration");
        var users = admin.MapGroup("/users").RequireAuthorization(Permission.IdentityManage.Name());
        users.MapGet("/", async (HttpContext http, UserStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.ListAsync(http.Caller(), ct)).Select(UserDto.From).ToList()))
            .WithName("ListUsers").WithSummary("All user accounts");
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").WithSummary("Create a user account (password policy applies)");

        var keys = admin.MapGroup("/api-keys").RequireAuthorization(Permission.IdentityManage.Name());
        keys.MapGet("/", async (HttpContext http, ApiKeyStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.ListAsync(http.Caller(), ct)).Select(ApiKeyDto.From).ToList()))
            .WithName("ListApiKeys").WithSummary("All API keys (never the keys themselves)");
        keys.MapPost("/", CreateKeyAsync).WithName("CreateApiKey").WithSummary("Create an API key; the response holds the key, shown this once");
        keys.MapDelete("/{prefix}", RevokeKeyAsync).WithName("RevokeApiKey").WithSummary("Revoke an API key");

        var audit = admin.MapGroup("/audit").RequireAuthorization(Permission.AuditRead.Name());
        audit.MapGet("/", SearchAuditAsync).WithName("SearchAudit").WithSummary("Audit log entries, newest first")
            .WithDescription("Filters: actor, action (prefix), entityType, entityId, from, to (YYYY-MM-DD); page, pageSize.");
        audit.MapGet("/export.csv", ExportAuditAsync).WithName("ExportAudit").WithSummary("The matching audit entries as CSV, oldest first (the export is itself audited)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        audit.MapGet("/verify", async (AuditVerifier verifier, CancellationToken ct) => TypedResults.Ok(await verifier.VerifyAsync(ct)))
            .WithName("VerifyAudit").WithSummary("Recompute the keyed hash chain, compare it with the checkpoints and report the first broken entry");

        // Public: sequence numbers, hashes, times and signatures, no personal data, so that outsiders can keep copies and
        // later show that the log was cut or rewritten (docs/security.md, audit).
        e.MapGet("/api/v1/audit/checkpoints", (IServiceProvider sp) =>
                TypedResults.Ok(sp.GetService<AuditCheckpoints>()?.Read() ?? []))
            .WithTags("Administration").WithName("ListAuditCheckpoints")
            .WithSummary("The signed checkpoints of the audit chain (sequence, hash, time, first keyed entry, HMAC), oldest first")
            .AllowAnonymous();
        return e;
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, Conflict<ProblemDetails>>> CreateUserAsync(
        CreateUserRequest body, HttpContext http, UserStore store, CancellationToken ct)
    {
        try
        {
            var user = await store.AddAsync(new NewUser(body.Username ?? "", body.DisplayName, Roles.Parse(body.Role ?? ""), body.Region, body.Employer, body.Password ?? ""), http.Caller(), ct);
            return TypedResults.Created($"/api/v1/admin/users/{user.Username}", UserDto.From(user));
        }
        catch (ConflictException x)
        {
            return TypedResults.Conflict(Api.ConflictDetails(x));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateKeyAsync(
        CreateApiKeyRequest body, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        try
        {
            var created = await store.CreateAsync(new NewApiKey(body.Name ?? "", Roles.Parse(body.Role ?? ""), body.Region, body.Employer, body.Scopes), http.Caller(), ct);
            return TypedResults.Created($"/api/v1/admin/api-keys/{created.Info.Prefix}", new CreatedApiKeyResponse(ApiKeyDto.From(created.Info), created.Secret));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string prefix, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        try
        {
            await store.RevokeAsync(prefix, http.Caller(), ct);
            return TypedResults.NoContent();
        }
        catch (NotFoundException x)
        {
            return Api.NotFound(x);
        }
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> SearchAuditAsync(
        string? actor, string? action, string? entityType, string? entityId, string? from, string? to, int? page, int? pageSize,
        HttpContext http, AuditQueries queries, CancellationToken ct)
    {
        try
        {
            var result = await queries.SearchAsync(http.Caller(), Search(actor, action, entityType, entityId, from, to, page, pageSize), ct);
            return TypedResults.Ok(new AuditPage(result.Total, result.PageNumber, result.PageSize, result.Items));
        }
        catch (UsageException x)
        {
            return Api.Invalid(x);
        }
    }

    private static async Task ExportAuditAsync(string? actor, string? action, string? entityType, string? entityId, string? from, string? to,
        HttpContext http, AuditQueries queries, CancellationToken ct)
    {
        AuditSearch search;
        try
        {
            search = Search(actor, action, entityType, entityId, from, to, 1, 50);
        }
        catch (UsageException x)
        {
            await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, "Invalid request", x.Message);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"kawal-audit.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true));
        await queries.ExportCsvAsync(http.Caller(), search, writer, ct);
    }

    public static AuditSearch Search(string? actor, string? action, string? entityType, string? entityId, string? from, string? to, int? page, int? pageSize) =>
        new(actor, action, entityType, entityId, Day(from, "from"), Day(to, "to"), page ?? 1, pageSize ?? 50);

    private static DateOnly? Day(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Dates.TryParseIso(text, out var d) ? d
        : throw new UsageException($"{field} '{text}' is not a date in the form YYYY-MM-DD", field) { Indonesian = $"{(field == "from" ? "Tanggal awal" : "Tanggal akhir")} '{text}' harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31)." };
}
