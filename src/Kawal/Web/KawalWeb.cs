using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kawal.Data;
using Kawal.Ui;
using Kawal.Web.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kawal.Web;

/// <summary>Composition of the web app: modules' services, endpoints and pages, and the shared web plumbing.</summary>
public static class KawalWeb
{
    public static IHostBuilder CreateHostBuilder(IDictionary<string, string?> settings) =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings))
            .ConfigureServices((ctx, services) =>
            {
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton(_ => new Database(Settings.ResolveDatabase(ctx.Configuration)));
                services.AddSingleton(Modules.Data);
                // Registered before the web host so the schema is current before the first request is served.
                services.AddHostedService<MigrateOnStart>();
                services.AddKawalModules();
            })
            .ConfigureWebHostDefaults(web => web
                .ConfigureServices((ctx, services) => AddWeb(ctx.Configuration, services))
                .Configure(UseWeb));

    private static void AddWeb(IConfiguration configuration, IServiceCollection services)
    {
        services.AddRazorComponents();
        // Indonesian and symbols (–, §, ✓) are written as characters; <, >, &, quotes are still escaped.
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        // Antiforgery and cookie keys survive restarts: kept in the data folder unless Kawal:KeysPath says otherwise.
        services.AddDataProtection()
            .SetApplicationName("kawal")
            .PersistKeysToFileSystem(new DirectoryInfo(Settings.KeysPath(configuration)));
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Kawal API";
            doc.Info.Description = "Kawal: monitoring Jamsostek coverage under Inpres 2/2021. Errors are RFC 9457 ProblemDetails.";
            return Task.CompletedTask;
        }));
    }

    private static void UseWeb(IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePagesWithReExecute("/tidak-ditemukan");
        app.UseRequestLocalization(Localization());
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Kawal API v1");
            o.RoutePrefix = "api-docs";
            o.DocumentTitle = "Kawal API";
        });
        app.UseRouting();
        app.UseAntiforgery();
        app.UseEndpoints(e =>
        {
            e.MapOpenApi().AllowAnonymous();
            e.MapShell();
            e.MapKawalModules();
            e.MapRules();
            e.MapRazorComponents<App>().AddAdditionalAssemblies([.. Modules.PageAssemblies]).AllowAnonymous();
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
