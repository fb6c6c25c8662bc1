using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Kawal.Ui;

/// <summary>Lets a page answer with its own status code and body (e.g. a 404 that explains what was not found).</summary>
public static class PageStatus
{
    public static void Set(HttpContext? http, int statusCode)
    {
        if (http is null)
        {
            return;
        }

        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false; // the page renders its own message; no re-execution to the generic not-found page
        }

        http.Response.StatusCode = statusCode;
    }
}
