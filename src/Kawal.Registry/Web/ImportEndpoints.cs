using Kawal.Identity;
using Kawal.Identity.Web;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Registry.Web;

/// <summary>
/// Imports over HTTP: upload a CSV or XLSX (multipart field <c>file</c>), optionally as a dry run, get the summary;
/// list past imports, one import with its rejected rows, and the error report as CSV.
/// </summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapRegistryImports(this IEndpointRouteBuilder e)
    {
        var imports = e.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization(Permission.RegistryImport.Name());
        // Machine clients cannot hold an antiforgery token; the session cookie is SameSite=Lax, so no other site can post with it.
        imports.MapPost("/{kind}", UploadAsync).DisableAntiforgery().WithName("ImportFile")
            .WithSummary("Import employers or participants from a CSV or XLSX file (multipart field 'file')")
            .WithDescription("kind: employers | participants. Query: dryRun=true validates and counts without saving; allOrNothing=true saves nothing unless every row is valid.");
        imports.MapGet("/", async (HttpContext http, ListImportsHandler h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(http.Caller(), 100, ct)))
            .WithName("ListImports").WithSummary("Recent imports (administrators: all; others: their own)");
        imports.MapGet("/template/{kind}", (string kind) => kind is "participants" or "employers"
                ? Results.File([.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(ImportTemplates.Text(kind))], "text/csv; charset=utf-8", $"kawal-{kind}-template.csv")
                : Results.NotFound())
            .WithName("GetImportTemplate").WithSummary("An empty import file with the documented columns and one example row (CSV, UTF-8)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        imports.MapGet("/{id:long}", GetAsync).WithName("GetImport").WithSummary("One import with its rejected rows");
        imports.MapGet("/{id:long}/errors.csv", ReportAsync).WithName("GetImportErrors").WithSummary("The rejected rows as CSV (row, column, code, messages, value)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return e;
    }

    private static async Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> UploadAsync(string kind, IFormFile? file, [FromQuery] bool? dryRun,
        [FromQuery] bool? allOrNothing, HttpContext http, ImportParticipantsHandler participants, ImportEmployersHandler employers, ImportFolder folder, ImportStaging staging,
        CancellationToken ct)
    {
        if (kind is not ("participants" or "employers"))
        {
            return Api.NotFound("imports are of 'participants' or 'employers'", "Impor hanya untuk peserta (participants) atau pemberi kerja (employers).");
        }

        return await StageAndRunAsync(file, kind, http, folder, staging,
            request => kind == "employers" ? employers.HandleAsync(request, ct) : participants.HandleAsync(request, ct), dryRun, allOrNothing, ct);
    }

    /// <summary>Copies an uploaded file to this node's disk, runs an import of it and deletes it; the summary's report becomes its API address.</summary>
    public static Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> StageAndRunAsync(IFormFile? file, string kind, HttpContext http, ImportFolder folder,
        ImportStaging staging, Func<ImportRequest, Task<ImportSummary>> run, bool? dryRun, bool? allOrNothing, CancellationToken ct) =>
        StageAndRunAsync(file, kind, http, folder, staging, run, dryRun, allOrNothing, "/api/v1/imports", ct);

    /// <summary>As above, with the report's address under another module's route.</summary>
    public static async Task<Results<Ok<ImportSummary>, ValidationProblem, ProblemHttpResult>> StageAndRunAsync(IFormFile? file, string kind, HttpContext http, ImportFolder folder,
        ImportStaging staging, Func<ImportRequest, Task<ImportSummary>> run, bool? dryRun, bool? allOrNothing, string reportBase, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Api.Invalid(new UsageException("send the file as the multipart field 'file'", "file") { Indonesian = "Pilih berkas untuk diimpor." });
        }

        // Checked and saved within this request: the upload is only copied to this node's disk, never staged.
        var caller = http.Caller();
        ScratchFile scratch;
        await using (var content = file.OpenReadStream())
        {
            scratch = await staging.ScratchAsync(content, file.FileName, kind, ct);
        }

        using (scratch)
        {
            try
            {
                var summary = await run(new ImportRequest(scratch.Path, caller, folder.Path, dryRun ?? false, allOrNothing ?? false, scratch.FileName, Limits: http.RequestServices.GetService<ImportLimits>()));
                return TypedResults.Ok(summary with { ErrorReport = summary.ErrorReport is null ? null : $"{reportBase}/{summary.ImportId}/errors.csv" });
            }
            catch (ImportFileException x)
            {
                return Refused(file.FileName, x);
            }
        }
    }

    /// <summary>
    /// 400 for a file that cannot be imported: the reason in the reader's language (Indonesian unless English was chosen),
    /// its code, both messages, and the import that records the refusal.
    /// </summary>
    private static ValidationProblem Refused(string fileName, ImportFileException x)
    {
        var (id, en) = ($"{fileName}: {x.Indonesian ?? x.Message}", $"{fileName}: {x.Message}");
        var message = L.T(id, en);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [message] }, detail: message, title: "Invalid request",
            extensions: new Dictionary<string, object?> { ["code"] = x.Code, ["row"] = x.Row, ["importId"] = x.ImportId, ["messageId"] = id, ["messageEn"] = en });
    }

    private static async Task<Results<Ok<ImportDetail>, ProblemHttpResult>> GetAsync(long id, HttpContext http, ListImportsHandler h, CancellationToken ct) =>
        await h.GetAsync(id, http.Caller(), ct) is { } found ? TypedResults.Ok(new ImportDetail(found.Import, found.Errors)) : Api.NotFound($"no import {id} that you may see", $"Impor {id} tidak ditemukan atau bukan impor yang boleh Anda lihat.");

    /// <summary>The report holds the rejected values (NIKs, names): it needs the personal-data permission and is audited.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReportAsync(long id, HttpContext http, ListImportsHandler h, CancellationToken ct)
    {
        var caller = http.Caller();
        if (!caller.Has(Permission.PersonalData))
        {
            return Api.Forbidden("the error report contains personal data");
        }

        if (await h.GetAsync(id, caller, ct) is not { } found)
        {
            return Api.NotFound($"no import {id} that you may see", $"Impor {id} tidak ditemukan atau bukan impor yang boleh Anda lihat.");
        }

        await h.RecordExportAsync(id, caller, ct);
        return TypedResults.File(ImportReport.Csv(found.Errors), "text/csv; charset=utf-8", $"import-{id}-errors.csv");
    }
}
