using System.Globalization;
using System.Net;
using Kawal.Registry.Import;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web;

/// <summary>
/// How large a request's body may be (docs/security.md, "Upload limits"): a form — an upload from a page or the API's
/// multipart body — up to <see cref="ImportLimits.MaxUploadBytes"/>, any other body up to <see cref="OtherBodyBytes"/>.
/// A larger one is answered <b>413</b> in the reader's language (Indonesian unless English was chosen): before a byte
/// of it is read when it states its length, as soon as it passes the limit when it is sent in chunks. The API answers a
/// ProblemDetails with <c>code: file.too_large</c>, the limit and both messages; a page, a short page saying so.
/// </summary>
internal static class UploadLimit
{
    /// <summary>A body that is not a form: the web server's own default.</summary>
    public const long OtherBodyBytes = 30_000_000;

    private const string Passed = "kawal.body-too-large";

    /// <summary>Runs after the request's language is known and before anything reads the body.</summary>
    public static IApplicationBuilder UseUploadLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var form = http.Request.HasFormContentType;
        var limit = form ? http.RequestServices.GetRequiredService<ImportLimits>().MaxUploadBytes : OtherBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            await RefuseAsync(http, limit, form);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (http.Request.ContentLength is null)
        {
            // Chunked: counted as it is read, whichever server runs the app.
            http.Request.Body = new CountedBody(http.Request.Body, limit, http);
        }

        try
        {
            await next(http);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
        {
            await RefuseAsync(http, limit, form);
            return;
        }

        // A reader that caught the refusal itself (a form binder) leaves an answer without a body: it becomes this one.
        if ((http.Items.ContainsKey(Passed) || http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge) && !http.Response.HasStarted)
        {
            http.Response.Clear();
            await RefuseAsync(http, limit, form);
        }
    });

    private static async Task RefuseAsync(HttpContext http, long limit, bool form)
    {
        var mb = (limit / 1_048_576.0).ToString("0.#", CultureInfo.InvariantCulture);
        var (id, en) = form
            ? ($"Berkas terlalu besar: unggahan paling besar {mb.Replace('.', ',')} MB. Pecah berkas menjadi beberapa bagian, atau minta operator mengimpornya di server dengan 'kawal import'.",
                $"The file is too large: an upload may be at most {mb} MB. Split it into several files, or ask an operator to import it on the server with 'kawal import'.")
            : ($"Permintaan terlalu besar: isinya paling besar {mb.Replace('.', ',')} MB.", $"The request is too large: its body may be at most {mb} MB.");
        var response = http.Response;
        response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        if (HttpProtocol.IsHttp11(http.Request.Protocol) || HttpProtocol.IsHttp10(http.Request.Protocol))
        {
            // The rest of the body is not read: the connection ends with the answer instead of carrying it.
            response.Headers.Connection = "close";
        }

        if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = L.T("Terlalu besar", "Payload too large"),
                Detail = L.T(id, en),
                Extensions = { ["code"] = "file.too_large", ["limitBytes"] = limit, ["messageId"] = id, ["messageEn"] = en },
            };
            if (await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
            {
                return;
            }
        }

        response.ContentType = "text/html; charset=utf-8";
        var back = WebUtility.HtmlEncode(LocalPath.OrHome(http.Request.Path.Value));
        await response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="{L.Current}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(L.T("Berkas terlalu besar", "File too large"))} · Kawal</title><link rel="stylesheet" href="/assets/site.css"></head>
            <body><main><h1>{WebUtility.HtmlEncode(L.T("Berkas terlalu besar", "File too large"))}</h1>
            <p class="error" role="alert" data-testid="too-large">{WebUtility.HtmlEncode(L.T(id, en))}</p>
            <p><a href="{back}">{WebUtility.HtmlEncode(L.T("Kembali", "Back"))}</a></p></main></body></html>
            """);
    }

    /// <summary>A body sent without its length, counted: past the limit it is refused as Kestrel refuses one that states it.</summary>
    private sealed class CountedBody(Stream inner, long limit, HttpContext http) : CountedReadStream(inner, ownsInner: false)
    {
        protected override void Counted(ReadOnlySpan<byte> data)
        {
            if (BytesRead > limit)
            {
                http.Items[Passed] = true;
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }
        }
    }
}
