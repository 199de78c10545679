namespace CoordinationPortal.Web.Probes.Pages;

/// <summary>
/// What the endpoint page read: kept by the prerender and restored by the live render, so the page is drawn once.
/// <see cref="Detail"/> is null for an unknown endpoint.
/// </summary>
public sealed record EndpointPageData(Guid Id, EndpointDetail? Detail, DateTimeOffset Now, bool MayChange);
