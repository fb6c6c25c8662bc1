using Kawal.Data;
using Kawal.Monev.Data;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Kawal.Monev.Web;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Monev;

/// <summary>
/// Monev of Inpres 2/2021: addressees and obligations, regional commitments with evidence and their workflow,
/// indicators from the registry and ledger (via summary tables), scorecards, monitoring visits, dashboards and reports.
/// </summary>
public static class MonevModule
{
    public static DataModule Data { get; } = new("monev", typeof(MonevModule).Assembly, [new LabourForceLoader()]);

    public static IServiceCollection AddMonev(this IServiceCollection services)
    {
        services.AddSingleton<AddresseeCatalogue>();
        services.AddTransient<SummaryRefresher>();
        services.AddTransient<IndicatorQueries>();
        services.AddTransient<ScorecardQueries>();
        services.AddTransient<CommitmentsHandler>();
        services.AddTransient<VisitsHandler>();
        services.AddTransient<MonevImportsHandler>();
        services.AddTransient<MonevReports>();
        services.AddSingleton<SnapshotCache>();
        services.AddTransient<MonevDashboard>();
        services.AddSingleton<Kawal.Data.IJob, RefreshJob>();
        services.AddHostedService<PublishedWarmup>(); // per node: each warms its own cache, not a job for the one runner
        services.AddSingleton(sp => ScoreWeights.From(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton(sp => DisclosureSettings.From(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddTransient<IPublishedFigures, PublishedMonths>();
        return services;
    }

    public static IEndpointRouteBuilder MapMonev(this IEndpointRouteBuilder endpoints) => endpoints.MapMonevApi();
}
