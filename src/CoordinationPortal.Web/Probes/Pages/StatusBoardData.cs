namespace CoordinationPortal.Web.Probes.Pages;

/// <summary>
/// What the endpoint board read: kept by the prerender and restored by the live render, so the board is drawn once.
/// <see cref="ExcerptAgencies"/> are the agencies whose servers' own words this reader may see.
/// </summary>
public sealed record StatusBoardData(IReadOnlyList<EndpointRow> Rows, DateTimeOffset Now, bool MayRegister, IReadOnlyList<Guid> ExcerptAgencies);
