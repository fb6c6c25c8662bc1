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
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
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

    /// <summary>Signs a person in: a cookie holding their id and security stamp (role and region are re-read on each request).</summary>
    public static Task SignInAsync(HttpContext http, UserRecord user) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ForUser(user), new AuthenticationProperties { IsPersistent = false });

    private static ClaimsPrincipal ForUser(UserRecord user) => KawalClaims.Principal(user.ToCaller(), CookieAuthenticationDefaults.AuthenticationScheme,
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(KawalClaims.Stamp, user.SecurityStamp),
        new Claim("kawal:display", user.DisplayName),
    ]);

    /// <summary>On every request: the account must still exist, be active and have the same security stamp; its current role applies.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var id = ctx.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var stamp = ctx.Principal?.FindFirst(KawalClaims.Stamp)?.Value;
        var store = ctx.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var user = long.TryParse(id, out var n) ? await store.GetAsync(n, ctx.HttpContext.RequestAborted) : null;
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        ctx.ReplacePrincipal(ForUser(user));
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
