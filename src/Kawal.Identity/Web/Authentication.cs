using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Identity.Web;

/// <summary>
/// People sign in with a cookie (<c>kawal-session</c>); machines send an API key. The default scheme picks the key
/// scheme when a key header is present, else the cookie. Unauthenticated API calls get 401, pages redirect to
/// <c>/masuk</c>; a role that may not do something gets 403 (API) or <c>/akses-ditolak</c> (pages).
/// Each permission is a policy of the same name (<c>registry.read</c>…).
/// </summary>
public static class Authentication
{
    public const string DefaultScheme = "kawal";
    public const string CookieName = "kawal-session";
    public const string LoginPath = "/masuk";
    public const string DeniedPath = "/akses-ditolak";

    /// <summary>Any signed-in person or key, whatever the role.</summary>
    public const string SignedIn = "signed_in";

    public static IServiceCollection AddKawalAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Cookie or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyHandler.Presented(http.Request) is { Length: > 0 } ? ApiKeyHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The cookie's own lifetime is only an outer bound: the server-side session (SessionStore) decides, by its idle
                // and absolute limits, on every request. Sign-in sets the ticket to expire at the absolute limit.
                o.ExpireTimeSpan = SessionLimits.Default.Absolute;
                o.SlidingExpiration = false;
                o.LoginPath = LoginPath;
                o.AccessDeniedPath = DeniedPath;
                o.ReturnUrlParameter = "kembali";
                o.Events.OnValidatePrincipal = ValidateAsync;
                o.Events.OnRedirectToLogin = ctx => Problems.IsApi(ctx.Request)
                    ? Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in or send an API key (Authorization: Bearer … or X-Api-Key).")
                    : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => Problems.IsApi(ctx.Request)
                    ? Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this request.")
                    : Redirect(ctx);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);

        services.AddAuthorization(o =>
        {
            foreach (var p in Permissions.All)
            {
                o.AddPolicy(p.Name(), b => b.RequireAuthenticatedUser().RequireClaim(KawalClaims.Permission, p.Name()));
            }

            o.AddPolicy(SignedIn, b => b.RequireAuthenticatedUser());
            // No fallback policy: it would also apply to unknown addresses (a sign-in redirect instead of 404). Instead a
            // test enumerates every endpoint and fails when one declares neither a policy nor AllowAnonymous.
        });
        return services;
    }

    /// <summary>
    /// Signs a person in: a server-side session (<see cref="SessionStore"/>) and a cookie holding its token, the account's id
    /// and security stamp (role and region are re-read on each request).
    /// </summary>
    public static async Task SignInAsync(HttpContext http, UserRecord user)
    {
        var sessions = http.RequestServices.GetRequiredService<SessionStore>();
        var token = await sessions.StartAsync(user.Id, http.RequestAborted);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ForUser(user, token),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = false, IssuedUtc = now, ExpiresUtc = now + sessions.Limits.Absolute });
    }

    /// <summary>Signs the person out: their server-side session ends, so a copy of the cookie is refused as well.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        if (http.User.FindFirst(KawalClaims.Session)?.Value is { Length: > 0 } token)
        {
            await http.RequestServices.GetRequiredService<SessionStore>().EndAsync(token, "sign_out", http.RequestAborted);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static ClaimsPrincipal ForUser(UserRecord user, string session) => KawalClaims.Principal(user.ToCaller(), CookieAuthenticationDefaults.AuthenticationScheme,
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(KawalClaims.Stamp, user.SecurityStamp),
        new Claim(KawalClaims.Session, session),
        new Claim("kawal:display", user.DisplayName),
    ]);

    /// <summary>
    /// On every request: the session must be live in the database (not signed out, within its idle and absolute limits),
    /// and the account must still exist, be active and have the same security stamp; its current role applies.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var id = ctx.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var stamp = ctx.Principal?.FindFirst(KawalClaims.Stamp)?.Value;
        var session = ctx.Principal?.FindFirst(KawalClaims.Session)?.Value;
        var services = ctx.HttpContext.RequestServices;
        var ct = ctx.HttpContext.RequestAborted;
        var user = long.TryParse(id, out var n) && session is { Length: > 0 } && await services.GetRequiredService<SessionStore>().ValidateAsync(session, n, ct)
            ? await services.GetRequiredService<UserStore>().GetAsync(n, ct)
            : null;
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        ctx.ReplacePrincipal(ForUser(user, session!));
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
