using Kawal.Data;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Registry;

/// <summary>Registry: employers, participants (one per NIK) and memberships, and their imports from CSV/XLSX.</summary>
public static class RegistryModule
{
    public static DataModule Data { get; } = new("registry", typeof(RegistryModule).Assembly);

    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddTransient<ImportParticipantsHandler>();
        services.AddTransient<ImportEmployersHandler>();
        services.AddTransient<ListImportsHandler>();
        services.AddTransient<RegisterRecordsHandler>();
        services.AddTransient<RegistryQueries>();
        return services;
    }
}
