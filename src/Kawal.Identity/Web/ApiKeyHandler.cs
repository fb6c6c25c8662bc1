using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kawal.Identity.Web;

/// <summary>Authenticates <c>Authorization: Bearer kawal_…</c> or <c>X-Api-Key: kawal_…</c>; answers 401/403 as ProblemDetails.</summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var key) && key.Count == 1)
        {
            return key[0];
        }

        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { Length: > 0 } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var found = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (found is not { } k)
        {
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        var principal = KawalClaims.Principal(k.Caller, SchemeName, [new Claim(KawalClaims.KeyId, k.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", "The API key is missing, unknown or revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The API key's role or scopes do not allow this request.");
}
