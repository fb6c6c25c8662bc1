using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kawal.Web;

/// <summary>
/// Headers on every response: a Content-Security-Policy without inline scripts (pages have no script at all; the
/// API browser loads its bundled scripts from /api-docs), frame denial, no MIME sniffing, a strict referrer policy.
/// HSTS is added by <c>UseHsts</c> for HTTPS requests only.
/// </summary>
internal static class SecurityHeaders
{
    private const string Pages =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // Swagger UI sets style attributes from its scripts; scripts stay 'self' only.
    private const string ApiDocs =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api-docs") ? ApiDocs : Pages;
        h.XFrameOptions = "DENY";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "same-origin";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        return next(http);
    });
}
