namespace CoordinationPortal.Simulator;

/// <summary>Maps every server surface, tagging each route for the profile gate.</summary>
internal static class SurfaceRoutes
{
    /// <summary>Maps all surfaces on <paramref name="routes"/> (the root, or the <c>/p/{profile}</c> group).</summary>
    public static void MapAll(IEndpointRouteBuilder routes)
    {
        OpenAiSurface.Map(routes);
        TgiSurface.Map(routes);
        KServeSurface.Map(routes);
        OllamaSurface.Map(routes);
        MetricsSurface.Map(routes);
    }

    /// <summary>A GET route that reads state (health, models, metrics).</summary>
    public static void Read(this IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) =>
        routes.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler).WithMetadata(new SurfaceRoute(pattern, IsCompletion: false));

    /// <summary>A POST route that generates tokens; counted as in flight while it runs.</summary>
    public static void Generate(this IEndpointRouteBuilder routes, string pattern, RequestDelegate handler) =>
        routes.MapPost(pattern, handler).WithMetadata(new SurfaceRoute(pattern, IsCompletion: true));
}
