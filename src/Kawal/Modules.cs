using System.Reflection;
using Kawal.Data;
using Kawal.Regions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal;

/// <summary>The modules this build is composed of, in dependency order (their migrations run in this order).</summary>
public static class Modules
{
    public static IReadOnlyList<DataModule> Data { get; } = [CoreData.Module, RegionsModule.Data];

    public static IReadOnlyList<Assembly> PageAssemblies { get; } = [typeof(RegionsModule).Assembly];

    public static IServiceCollection AddKawalModules(this IServiceCollection services) => services.AddRegions();

    public static IEndpointRouteBuilder MapKawalModules(this IEndpointRouteBuilder endpoints) => endpoints.MapRegions();
}
