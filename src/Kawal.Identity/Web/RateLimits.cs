using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Identity.Web;

/// <summary>
/// Request limits per minute (settings <c>Kawal:RateLimits:Login|Public|ApiKey</c>): sign-in attempts per client address,
/// anonymous API calls per client address, and calls per API key. Over the limit: 429 with <c>Retry-After</c>.
/// Signed-in people using pages are not limited.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddKawalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        int Limit(string name, int fallback) => configuration.GetValue($"Kawal:RateLimits:{name}", fallback);
        var login = Limit("Login", 10);
        var anonymous = Limit("Public", 300);
        var key = Limit("ApiKey", 1200);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Authentication.LoginPath, StringComparison.OrdinalIgnoreCase))
                {
                    return Window("login:" + address, login);
                }

                if (http.User.FindFirst(KawalClaims.KeyId) is { } k)
                {
                    return Window("key:" + k.Value, key);
                }

                return http.User.Identity?.IsAuthenticated != true && Problems.IsApi(http.Request)
                    ? Window("public:" + address, anonymous)
                    : RateLimitPartition.GetNoLimiter("none");
            });
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
                    : "60";
                await Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", "Too many requests from this client; try again later.");
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Window(string key, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
