using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Ui;
using Kawal.Web.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary>Composition of the web app: modules' services, endpoints and pages, and the shared web plumbing.</summary>
public static class KawalWeb
{
    public static IHostBuilder CreateHostBuilder(IDictionary<string, string?> settings) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging((ctx, logging) => Telemetry.ConfigureLogging(ctx.Configuration, logging))
            // KAWAL_DATABASE outranks Kawal:Database of the default sources; the settings given (serve's --database) outrank both.
            .ConfigureAppConfiguration(c => Settings.AddDatabaseSources(c).AddInMemoryCollection(settings))
            .ConfigureServices((ctx, services) =>
            {
                services.AddSingleton(TimeProvider.System);
                // The audit chain's key lives in the keys folder, outside the database (docs/security.md, audit).
                services.AddSingleton(sp =>
                {
                    var spec = Settings.ResolveDatabase(ctx.Configuration);
                    var db = new Database(spec)
                    {
                        AuditKeyLoader = () => AuditKey.LoadOrCreate(Path.Combine(Settings.KeysPath(ctx.Configuration), AuditKey.FileName)),
                        ReadConnectionString = Settings.ReadConnection(ctx.Configuration, spec), // a standby for dashboards, reports, searches
                    };
                    var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kawal.ReadDatabase");
                    db.ReadFallback += e => log.LogWarning("The read database cannot be reached ({Reason}); reading from the primary", e.Message);
                    return db;
                });
                services.AddSingleton(sp => new AuditCheckpoints(sp.GetRequiredService<Database>(),
                    Settings.AuditCheckpointsPath(ctx.Configuration, sp.GetRequiredService<Database>().Spec), sp.GetRequiredService<TimeProvider>()));
                services.AddSingleton<IJob, CheckpointJob>();
                services.AddSingleton(Modules.Data);
                // Registered before the web host so the schema is current before the first request is served.
                services.AddHostedService<MigrateOnStart>();
                // One node at a time runs the background jobs (every IJob), under the job-runner lease (docs/operations.md).
                services.AddSingleton(JobRunnerOptions.From(ctx.Configuration));
                services.AddSingleton<JobMetrics>();
                services.AddSingleton<JobsHealthCheck>();
                services.AddSingleton<JobRunner>();
                services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
                services.AddTelemetry(ctx.Configuration);
                services.AddKawalModules();
                services.AddSingleton(sp => new Kawal.Registry.ImportFolder(Path.Combine(Settings.DataFolder(sp.GetRequiredService<Database>().Spec), "imports")));
                services.AddSingleton(Settings.UploadLimits(ctx.Configuration));
                services.AddLogRedaction(); // no NIK in any log line, URLs included
            })
            .ConfigureWebHostDefaults(web => web
                .ConfigureServices((ctx, services) => AddWeb(ctx.Configuration, services))
                .Configure(UseWeb));

    private static void AddWeb(IConfiguration configuration, IServiceCollection services)
    {
        services.AddRazorComponents();
        // The antiforgery cookie is Secure over HTTPS too (its framework default is never), like the session cookie.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // A form may be as large as an upload may be (UploadLimit answers 413 past it).
        var uploads = Settings.UploadLimits(configuration);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = uploads.MaxUploadBytes);
        // Indonesian and symbols (–, §, ✓) are written as characters; <, >, &, quotes are still escaped.
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        // Antiforgery and cookie keys survive restarts and are shared by every node on the database (docs/operations.md).
        services.AddDataProtection()
            .SetApplicationName("kawal")
            .PersistKeysToDatabase();
        // The compliance answers' signing key is in the database, shared by every node (created on first use; docs/compliance.md);
        // a key file of the keys folder from before becomes it.
        services.AddSingleton(sp => new Kawal.Compliance.Features.ComplianceKeys(sp.GetRequiredService<Database>(),
            Path.Combine(Settings.KeysPath(configuration), "compliance-signing.pem"), sp.GetRequiredService<TimeProvider>()));
        // Clients never see exception details: a 500 is a plain ProblemDetails; known failures map to their status.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx => ctx.ProblemDetails.Extensions.Remove("exception"));
        services.AddIdentityWeb(configuration);
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddSingleton(TrustedProxies.From(configuration));
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Kawal API";
            doc.Info.Description = "Kawal: monitoring Jamsostek coverage under Inpres 2/2021. Errors are RFC 9457 ProblemDetails. " +
                "Authenticate with an API key (Authorization: Bearer kawal_… or X-Api-Key) or the session cookie of a signed-in person; " +
                "401 without credentials, 403 outside the role, 404 outside the region (docs/security.md).";
            doc.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            doc.Components.SecuritySchemes = new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>
            {
                ["bearer"] = new Microsoft.OpenApi.OpenApiSecurityScheme { Type = Microsoft.OpenApi.SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key: kawal_PREFIX_SECRET" },
                ["apiKey"] = new Microsoft.OpenApi.OpenApiSecurityScheme { Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Header, Name = "X-Api-Key" },
            };
            return Task.CompletedTask;
        }));
    }

    private static void UseWeb(IApplicationBuilder app)
    {
        // First: the scheme (Secure cookies, HSTS) and the client address (rate limits) of everything below come from it.
        app.ApplicationServices.GetRequiredService<TrustedProxies>().Use(app);
        app.UseMetricsEndpoint();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                ForbiddenException => StatusCodes.Status403Forbidden,
                ConflictException => StatusCodes.Status409Conflict,
                NotFoundException => StatusCodes.Status404NotFound,
                BadHttpRequestException bad => bad.StatusCode,
                UsageException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseSecurityHeaders();
        app.UseHsts();
        app.UseStatusCodePagesWithReExecute("/tidak-ditemukan");
        app.UseRequestLocalization(Localization());
        app.UseUploadLimit();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Kawal API v1");
            o.RoutePrefix = "api-docs";
            o.DocumentTitle = "Kawal API";
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseEndpoints(e =>
        {
            e.MapOpenApi().AllowAnonymous();
            e.MapShell();
            e.MapKawalModules();
            e.MapRules();
            e.MapRazorComponents<App>().AddAdditionalAssemblies([.. Modules.PageAssemblies])
                .Add(b =>
                {
                    // The framework's own redirect helper for enhanced navigation; pages declare their policies themselves.
                    if (b is RouteEndpointBuilder { RoutePattern.RawText: { } raw } && raw.StartsWith("/_framework/", StringComparison.Ordinal))
                    {
                        b.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
                    }
                });
        });
    }

    private static RequestLocalizationOptions Localization()
    {
        CultureInfo[] cultures = [new(L.Indonesian), new(L.English)];
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(L.Indonesian),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        options.RequestCultureProviders =
        [
            new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
            new CookieRequestCultureProvider { CookieName = L.CookieName },
        ];
        return options;
    }
}
