namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>How the portal answers what goes wrong: registered by the host, used before any feature's route.</summary>
public static class PortalErrors
{
    /// <summary>ProblemDetails worded by <see cref="ProblemWording"/>, the <see cref="PortalExceptionHandler"/>, and unreadable requests thrown to it.</summary>
    public static IServiceCollection AddPortalErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemWording.Apply);
        services.AddExceptionHandler<PortalExceptionHandler>();
        // A request a minimal API cannot bind (a body that is not the JSON expected, a value of the wrong type) is thrown
        // as a BadHttpRequestException in every environment, so the handler answers it with a worded 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The exception handler (pages: <c>/error</c>), and ProblemDetails for an API status with no body (404, 405, 415).</summary>
    public static WebApplication UsePortalExceptionHandling(this WebApplication app)
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseWhen(StatusPage.IsApi, branch => branch.UseStatusCodePages());
        return app;
    }

    /// <summary>The <see cref="InputGuard"/>; after request localization, so its answers are in the request's language.</summary>
    public static WebApplication UseInputGuard(this WebApplication app)
    {
        app.UseMiddleware<InputGuard>();
        return app;
    }
}
