using Kawal.Contributions.Features;
using Kawal.Contributions.Web;
using Kawal.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Contributions;

/// <summary>Contributions: monthly billing, payments and their allocation, arrears, late fines and the non-aktif rule.</summary>
public static class ContributionsModule
{
    public static DataModule Data { get; } = new("contributions", typeof(ContributionsModule).Assembly);

    public static IServiceCollection AddContributions(this IServiceCollection services)
    {
        services.AddTransient<BillingRunner>();
        services.AddTransient<PaymentsHandler>();
        services.AddTransient<ContributionQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapContributions(this IEndpointRouteBuilder endpoints) => endpoints.MapContributionsApi();
}
