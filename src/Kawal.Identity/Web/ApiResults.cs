using Kawal.Ui;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kawal.Identity.Web;

/// <summary>
/// A handler's refusals as HTTP answers, the same way for every module: not found 404, forbidden 403, conflict 409,
/// bad input 400 naming the field (ProblemDetails, docs/api.md).
/// </summary>
public static class ApiResults
{
    public static async Task<TResult> Guard<TResult>(Func<Task<TResult>> action, Func<ProblemHttpResult, TResult> problem, Func<ValidationProblem, TResult> invalid)
    {
        try
        {
            return await action();
        }
        catch (NotFoundException x)
        {
            return problem(Api.NotFound(x));
        }
        catch (ForbiddenException x)
        {
            return problem(Api.Forbidden(x));
        }
        catch (ConflictException x)
        {
            return problem(Api.Conflict(x));
        }
        catch (UsageException x)
        {
            return invalid(Api.Invalid(x));
        }
    }

    /// <summary>200 with the handler's result, or its refusal.</summary>
    public static Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Run<T>(Func<Task<T>> action) =>
        Guard<Results<Ok<T>, ValidationProblem, ProblemHttpResult>>(async () => TypedResults.Ok(await action()), p => p, v => v);
}
