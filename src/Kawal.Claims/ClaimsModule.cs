using Kawal.Claims.Features;
using Kawal.Claims.Web;
using Kawal.Data;
using Kawal.Registry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Claims;

/// <summary>Claims and benefit payments: intake, eligibility from the data, benefit with its trace, four-eyes workflow, pensions run, JHT accounts, statistics.</summary>
public static class ClaimsModule
{
    public static DataModule Data { get; } = new("claims", typeof(ClaimsModule).Assembly);

    public static IServiceCollection AddClaims(this IServiceCollection services)
    {
        services.AddTransient<ClaimsHandler>();
        services.AddTransient<PensionRunner>();
        services.AddTransient<JhtLedger>();
        services.AddTransient<ClaimStatistics>();
        services.AddParticipantSection(typeof(Pages.ParticipantClaims));
        Kawal.Ui.JsonFacts.Learn(Features.ClaimDocuments.Words); // the audit entries of claims list documents by code
        return services;
    }

    public static IEndpointRouteBuilder MapClaims(this IEndpointRouteBuilder endpoints) => endpoints.MapClaimsApi();
}
