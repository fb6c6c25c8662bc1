using Kawal.Ui;
using Microsoft.AspNetCore.Http;

namespace Kawal.Identity.Web;

/// <summary>
/// A form post on a page (monev, claims): runs the step, and turns a refusal of the handler into the message shown (the field at
/// fault first) with its HTTP status (400, 403, 404, 409), as the API would answer.
/// </summary>
public static class FormStep
{
    public static async Task<(string? Message, string? Error)> RunAsync(HttpContext http, Func<Task<string>> step)
    {
        try
        {
            return (await step(), null);
        }
        catch (NotFoundException)
        {
            PageStatus.NotFound(http, L.T("Data yang diminta tidak ditemukan atau di luar wilayah Anda.", "What you asked for was not found or is not in your region."));
            return (null, null);
        }
        catch (Exception e) when (e is UsageException or ConflictException or ForbiddenException)
        {
            PageStatus.Set(http, e switch { ForbiddenException => 403, ConflictException => 409, _ => 400 });
            var message = Refusal.Text(e);
            var field = e is UsageException u ? u.Field : e is ConflictException c ? c.Field : null;
            Posted.Refused(http, field, message);
            return (null, message);
        }
    }
}
