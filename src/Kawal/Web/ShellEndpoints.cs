using Kawal.Data;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;

namespace Kawal.Web;

/// <summary>Endpoints of the shell itself: health, stylesheet, language choice.</summary>
internal static class ShellEndpoints
{
    public sealed record DatabaseHealth(string Engine, string Status, string? Version, int? PendingMigrations, string? Error);

    public sealed record Health(string Status, DatabaseHealth Database, JobsHealth? Jobs = null);

    public sealed record Live(string Status);

    public static void MapShell(this IEndpointRouteBuilder e)
    {
        e.MapGet("/health/live", () => Results.Json(new Live("ok")))
            .WithTags("Operations")
            .WithSummary("Liveness: the process answers (200), without touching the database")
            .Produces<Live>(StatusCodes.Status200OK)
            .AllowAnonymous();
        foreach (var (path, summary) in new[] { ("/health/ready", "Readiness: the database answers, takes a write and has its migrations current, and a node runs the background jobs without repeated failures (200), else 503"), ("/health", "Readiness (the same as /health/ready)") })
        {
            e.MapGet(path, HealthAsync)
                .WithTags("Operations")
                .WithSummary(summary)
                .Produces<Health>(StatusCodes.Status200OK)
                .Produces<Health>(StatusCodes.Status503ServiceUnavailable)
                .AllowAnonymous();
        }

        e.MapGet("/assets/{file}", (string file) =>
            typeof(ShellEndpoints).Assembly.GetManifestResourceStream("kawal.assets." + file) is { } stream
                ? Results.Stream(stream, file.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "application/octet-stream")
                : Results.NotFound())
            .ExcludeFromDescription()
            .AllowAnonymous();

        e.MapGet("/bahasa/{lang}", (string lang, string? kembali, HttpContext http) =>
            {
                var culture = lang == L.English ? L.English : L.Indonesian;
                http.Response.Cookies.Append(L.CookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true });
                return Results.Redirect(LocalPath.OrHome(kembali));
            })
            .ExcludeFromDescription()
            .AllowAnonymous();
    }

    /// <summary>
    /// Ready when the database answers, its schema is current and it takes a write (<see cref="WriteProbe"/>); a database
    /// only busy with another writer is ready. Otherwise 503 with the reason — also when a connection breaks mid-check
    /// (a database restarting, a file gone bad): any database error, not only a refused connection. Then the background
    /// jobs (<see cref="JobsHealthCheck"/>): 503 when no node has run them for a while or a job keeps failing.
    /// </summary>
    private static async Task<IResult> HealthAsync(Database db, IReadOnlyList<DataModule> modules, JobsHealthCheck jobs, TimeProvider time, CancellationToken ct)
    {
        var engine = db.Engine.ToString().ToLowerInvariant();
        try
        {
            var status = await SchemaStatus.ReadAsync(db, modules, ct);
            if (!status.Healthy)
            {
                return Results.Json(new Health("degraded", new DatabaseHealth(engine, "schema not current", status.EngineVersion, status.Pending, null)),
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var write = await WriteProbe.RunAsync(db, time, ct);
            var writable = write.State != WriteState.Failed;
            var database = new DatabaseHealth(engine, writable ? "ok" : "not writable", status.EngineVersion, status.Pending, write.Error);
            if (!writable)
            {
                return Results.Json(new Health("degraded", database), statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var jobsHealth = await jobs.CheckAsync(ct);
            var ok = jobsHealth.Status == "ok";
            return Results.Json(new Health(ok ? "ok" : "degraded", database, jobsHealth),
                statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is KawalException or System.Data.Common.DbException)
        {
            return Results.Json(new Health("unavailable", new DatabaseHealth(engine, "unreachable", null, null, e.Message)),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
