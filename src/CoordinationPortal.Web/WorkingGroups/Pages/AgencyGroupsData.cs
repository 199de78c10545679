using CoordinationPortal.Domain;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Web.WorkingGroups.Pages;

/// <summary>A working group as the agency page links it.</summary>
public sealed record AgencyGroupLink(Guid Id, LocalizedText Name);

/// <summary>
/// What the agency page's working-groups section read: kept by the prerender and restored by the live render, so the
/// section is drawn once.
/// </summary>
public sealed record AgencyGroupsData(
    Guid AgencyId,
    IReadOnlyList<AgencyGroupLink> Groups,
    bool ReadsItems,
    IReadOnlyList<ActionItem> Shown,
    int ItemCount,
    int OpenCount);
