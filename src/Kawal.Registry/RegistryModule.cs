using Kawal.Data;
using Kawal.Registry.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Kawal.Registry.Web;

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
        services.AddTransient<Import.ImportStaging>();
        services.AddTransient<Kawal.Identity.IEmployerDirectory, EmployerDirectory>();
        return services;
    }

    /// <summary>Adds a module's section (a component with a <c>Nik</c> parameter) to the participant page, e.g. the participant's claims.</summary>
    public static IServiceCollection AddParticipantSection(this IServiceCollection services, Type component) => services.AddSingleton(new ParticipantSection(component));

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder endpoints) => endpoints.MapRegistryApi();
}

/// <summary>A section another module shows on the participant page (rendered with the participant's NIK or KPJ as <c>Nik</c>).</summary>
public sealed record ParticipantSection(Type Component);
