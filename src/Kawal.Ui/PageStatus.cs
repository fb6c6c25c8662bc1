using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace Kawal.Ui;

/// <summary>Status answers of pages rendered on the server.</summary>
public static class PageStatus
{
    private const string MessageKey = "kawal.not-found-message";

    /// <summary>
    /// Answers 404 with the app's not-found page, which shows <paramref name="message"/> (in the user's language)
    /// so that the reader learns what was missing.
    /// </summary>
    public static void NotFound(NavigationManager navigation, HttpContext? http, string message)
    {
        if (http is not null)
        {
            http.Items[MessageKey] = message;
        }

        navigation.NotFound();
    }

    public static string? NotFoundMessage(HttpContext? http) => http?.Items[MessageKey] as string;

    /// <summary>Sets another status (e.g. 400) on a page that renders its own explanation.</summary>
    public static void Set(HttpContext? http, int statusCode)
    {
        if (http is not null)
        {
            http.Response.StatusCode = statusCode;
        }
    }
}
