using Kawal.Data;
using Kawal.Identity.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Identity;

/// <summary>Identity: accounts, API keys, roles and region scope, and the hash-chained audit log.</summary>
public static class IdentityModule
{
    public static DataModule Data { get; } = new("identity", typeof(IdentityModule).Assembly);

    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        services.AddTransient(sp => new UserStore(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IEmployerDirectory>()));
        services.AddTransient(sp => new ApiKeyStore(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IEmployerDirectory>()));
        services.AddTransient(sp => new SessionStore(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<SessionLimits>() ?? SessionLimits.Default));
        services.AddTransient<AuditQueries>();
        services.AddTransient<AuditVerifier>();
        services.AddTransient<DemoUsers>();
        services.AddScoped<ActorNames>();
        return services;
    }

    /// <summary>The web side: session limits, authentication schemes, one policy per permission, rate limits.</summary>
    public static IServiceCollection AddIdentityWeb(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(SessionLimits.From(configuration)).AddKawalAuthentication().AddKawalRateLimits(configuration);
}
