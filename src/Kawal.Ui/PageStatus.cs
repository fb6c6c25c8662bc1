using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The same, for code that has the request but not the page's navigation manager (a form step).</summary>
    public static void NotFound(HttpContext http, string message) =>
        NotFound(http.RequestServices.GetRequiredService<NavigationManager>(), http, message);

    public static string? NotFoundMessage(HttpContext? http) => http?.Items[MessageKey] as string;

    /// <summary>
    /// Sets another status (400, 403, 409) on a page that renders its own explanation. Not 404: a page's 404 is rendered
    /// by the router's not-found page through <see cref="NotFound(NavigationManager, HttpContext?, string)"/> — a 404 set
    /// here would be sent without a body, or re-executed into a failing request.
    /// </summary>
    public static void Set(HttpContext? http, int statusCode)
    {
        if (statusCode == StatusCodes.Status404NotFound)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), "use PageStatus.NotFound for a 404");
        }

        if (http is not null)
        {
            http.Response.StatusCode = statusCode;
        }
    }
}
