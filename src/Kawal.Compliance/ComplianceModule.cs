using Kawal.Compliance.Features;
using Kawal.Compliance.Web;
using Kawal.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Compliance;

/// <summary>Compliance and enforcement: detection, the case pipeline to the prosecutors, recoveries through the ledger, TMP2T, the signed licensing check.</summary>
public static class ComplianceModule
{
    public static DataModule Data { get; } = new("compliance", typeof(ComplianceModule).Assembly, [new MinimumWageLoader()]);

    /// <summary>The services; the signing key (<see cref="ComplianceSigner"/>) is registered by the host, which knows the keys folder.</summary>
    public static IServiceCollection AddCompliance(this IServiceCollection services)
    {
        services.AddTransient<ComplianceDetector>();
        services.AddTransient<Cases>();
        services.AddTransient<RecoveryStatistics>();
        services.AddTransient<ComplianceImports>();
        services.AddTransient<ComplianceCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder endpoints) => endpoints.MapComplianceApi();
}
