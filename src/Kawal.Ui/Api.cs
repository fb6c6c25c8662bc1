using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kawal.Ui;

/// <summary>
/// RFC 9457 problem responses shared by every module's API. A refusal's <c>detail</c> is its English message; when the
/// refusal carries its Indonesian text (<see cref="KawalException.Indonesian"/>), that is the extension member <c>detailId</c>.
/// </summary>
public static class Api
{
    /// <summary>The extension member that holds a refusal's Indonesian text.</summary>
    public const string DetailId = "detailId";

    /// <summary>400 with field-level detail: <c>errors: { field: [message] }</c>.</summary>
    public static ValidationProblem Invalid(UsageException e) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [e.Field ?? "request"] = [e.Message] },
            detail: e.Message,
            title: "Invalid request",
            extensions: Extensions(e));

    /// <summary>404 with its detail in English and in Indonesian (<c>detailId</c>), as every refusal a person can meet.</summary>
    public static ProblemHttpResult NotFound(string detail, string detailId) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found", extensions: Extensions(detailId));

    public static ProblemHttpResult NotFound(NotFoundException e) =>
        TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found", extensions: Extensions(e));

    /// <summary>400 with several fields at fault; <paramref name="detailId"/> is the first one's message in Indonesian.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string detail, string? detailId = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "Invalid request", extensions: Extensions(detailId));

    public static ProblemHttpResult Conflict(ConflictException e) =>
        TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: Extensions(e));

    /// <summary>The 409 body as a plain <see cref="ProblemDetails"/> (for endpoints typed <c>Conflict&lt;ProblemDetails&gt;</c>).</summary>
    public static ProblemDetails ConflictDetails(ConflictException e)
    {
        var details = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message };
        if (e.Indonesian is { } id)
        {
            details.Extensions[DetailId] = id;
        }

        return details;
    }

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>403 for a refusal of the caller's role (a <c>ForbiddenException</c>, which lives in Kawal.Identity).</summary>
    public static ProblemHttpResult Forbidden(KawalException e) =>
        TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", extensions: Extensions(e));

    private static Dictionary<string, object?>? Extensions(KawalException e) => Extensions(e.Indonesian);

    private static Dictionary<string, object?>? Extensions(string? indonesian) =>
        indonesian is null ? null : new Dictionary<string, object?> { [DetailId] = indonesian };
}
