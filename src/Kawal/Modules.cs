using System.Reflection;
using Kawal.Data;
using Kawal.Regions;
using Kawal.Registry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal;

/// <summary>The modules this build is composed of, in dependency order (their migrations run in this order).</summary>
public static class Modules
{
    public static IReadOnlyList<DataModule> Data { get; } = [CoreData.Module, RegionsModule.Data, RegistryModule.Data];

    public static IReadOnlyList<Assembly> PageAssemblies { get; } = [typeof(RegionsModule).Assembly];

    public static IServiceCollection AddKawalModules(this IServiceCollection services) => services.AddRegions().AddRegistry();

    public static IEndpointRouteBuilder MapKawalModules(this IEndpointRouteBuilder endpoints) => endpoints.MapRegions();
}
