using Microsoft.AspNetCore.Diagnostics;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// What an exception becomes. A request that could not be read (<see cref="BadHttpRequestException"/>: a body that is
/// not the JSON expected, a missing parameter) is a 400; a database that cannot be reached is a 503 with
/// <c>Retry-After</c> (a plain "temporarily unavailable" page for pages, since the layout itself reads the database);
/// anything else on the API is a 500. The API always answers ProblemDetails in the request's language with a trace id
/// and no stack trace. Other page errors fall through to the <c>/error</c> page.
/// </summary>
public sealed partial class PortalExceptionHandler(ILogger<PortalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var http = httpContext;
        // The middleware has already pointed the request at /error: what was asked for is in the path feature.
        var api = StatusPage.IsApi(http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path);
        if (exception is BadHttpRequestException bad)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var (method, path, reason) = (http.Request.Method, http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? "", bad.Message);
                LogBadRequest(method, path, reason);
            }

            var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
            await StatusPage.AnswerAsync(http, status, "Errors.BadRequest.Title", "Errors.BadRequest.Detail", api);
            return true;
        }

        if (DatabaseOutage.Is(exception))
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var (method, path, reason) = (http.Request.Method, http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? "", exception.GetBaseException().Message);
                LogOutage(method, path, reason);
            }

            http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await StatusPage.AnswerAsync(http, StatusCodes.Status503ServiceUnavailable, "Errors.Unavailable.Title", "Errors.Unavailable.Detail", api);
            return true;
        }

        if (!api)
        {
            return false; // the /error page, logged by the middleware
        }

        var (verb, where) = (http.Request.Method, http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? "");
        LogUnexpected(exception, verb, where);
        await StatusPage.AnswerAsync(http, StatusCodes.Status500InternalServerError, "Errors.Unexpected.Title", "Errors.Unexpected.Detail", api);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} could not be read: {Reason}")]
    private partial void LogBadRequest(string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the database cannot be reached ({Reason}); answered 503")]
    private partial void LogOutage(string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
