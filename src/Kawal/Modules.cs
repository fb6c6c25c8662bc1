using System.Reflection;
using Kawal.Claims;
using Kawal.Compliance;
using Kawal.Contributions;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Monev;
using Kawal.Regions;
using Kawal.Registry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal;

/// <summary>The modules this build is composed of, in dependency order (their migrations run in this order).</summary>
public static class Modules
{
    public static IReadOnlyList<DataModule> Data { get; } = [CoreData.Module, RegionsModule.Data, IdentityModule.Data, RegistryModule.Data, ContributionsModule.Data, ClaimsModule.Data, ComplianceModule.Data, MonevModule.Data];

    public static IReadOnlyList<Assembly> PageAssemblies { get; } = [typeof(RegionsModule).Assembly, typeof(IdentityModule).Assembly, typeof(RegistryModule).Assembly, typeof(ContributionsModule).Assembly, typeof(ClaimsModule).Assembly, typeof(ComplianceModule).Assembly, typeof(MonevModule).Assembly];

    public static IServiceCollection AddKawalModules(this IServiceCollection services) =>
        services.AddRegions().AddIdentity().AddRegistry().AddContributions().AddClaims().AddCompliance().AddMonev().AddTransient<Kawal.Demo.DemoSeeder>();

    public static IEndpointRouteBuilder MapKawalModules(this IEndpointRouteBuilder endpoints) => endpoints.MapRegions().MapIdentity().MapRegistry().MapContributions().MapClaims().MapCompliance().MapMonev();
}
