using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kawal.Ui;

/// <summary>RFC 9457 problem responses shared by every module's API.</summary>
public static class Api
{
    /// <summary>400 with field-level detail: <c>errors: { field: [message] }</c>.</summary>
    public static ValidationProblem Invalid(UsageException e) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [e.Field ?? "request"] = [e.Message] },
            detail: e.Message,
            title: "Invalid request");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>400 with several fields at fault.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string detail) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "Invalid request");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
