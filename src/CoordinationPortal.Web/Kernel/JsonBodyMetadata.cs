using Microsoft.AspNetCore.Http.Metadata;

namespace CoordinationPortal.Web.Kernel;

/// <summary>
/// Describes, for the API description only, the JSON body a route reads by hand (a <c>BodyReader</c>) rather than
/// through a bound parameter. It names no content types on purpose: routing's <c>AcceptsMatcherPolicy</c> answers a bare
/// <c>415</c> (before authentication, without a ProblemDetails) for any other <c>Content-Type</c> when an
/// <see cref="IAcceptsMetadata"/> lists some, as <c>Accepts&lt;T&gt;("application/json")</c> would; with none listed the
/// route matches as before and the route's own reader keeps answering access first and then a worded 415 or 400. The
/// OpenAPI document takes <c>application/json</c> when no format is named.
/// </summary>
public sealed class JsonBodyMetadata(Type requestType, bool isOptional) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = [];

    public Type? RequestType { get; } = requestType;

    public bool IsOptional { get; } = isOptional;
}

public static class JsonBodyMetadataExtensions
{
    /// <summary>
    /// Documents <typeparamref name="TRequest"/> as the route's JSON body (optional: the route takes an empty body), and
    /// the worded <c>415</c> its reader answers for a body that is not JSON; changes no routing.
    /// </summary>
    public static RouteHandlerBuilder ReadsJson<TRequest>(this RouteHandlerBuilder builder, bool optional = false)
        where TRequest : class =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TRequest), optional))
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
