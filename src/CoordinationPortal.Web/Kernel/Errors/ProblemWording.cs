using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// Every ProblemDetails body the portal writes passes here (<c>AddProblemDetails</c>'s customization): a title the
/// framework chose ("Bad Request", "Not Found", "One or more validation errors occurred.") is replaced by the portal's
/// own in the request's language, every body carries a <c>traceId</c> to quote to an administrator, and none carries an
/// exception.
/// </summary>
public static class ProblemWording
{
    private static readonly HashSet<string> FrameworkTitles = new(StringComparer.Ordinal)
    {
        "One or more validation errors occurred.",
        "An error occurred while processing your request.",
    };

    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        if (problem.Title is null || FrameworkTitles.Contains(problem.Title) || problem.Title == ReasonPhrases.GetReasonPhrase(status))
        {
            problem.Title = RequestLanguage.Text(http, TitleKey(status, problem is HttpValidationProblemDetails));
        }

        problem.Extensions.Remove("exception");
        problem.Extensions.Remove("stackTrace");
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
    }

    private static string TitleKey(int status, bool validation) => status switch
    {
        StatusCodes.Status400BadRequest when validation => "Errors.Status.Validation",
        StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            or StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status409Conflict
            or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType
            or StatusCodes.Status500InternalServerError or StatusCodes.Status503ServiceUnavailable => $"Errors.Status.{status}",
        >= 500 => "Errors.Status.500",
        _ => "Errors.Status.Other",
    };
}
