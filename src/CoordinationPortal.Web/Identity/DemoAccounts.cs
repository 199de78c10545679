namespace CoordinationPortal.Web.Identity;

public sealed record DemoAccount(string Email, string Password, string Role, string DisplayName);

/// <summary>
/// The demo's accounts, one per role: the seed creates them on the embedded default and the sign-in page lists them
/// there. Kept here so the sign-in page does not reach into the demo seed.
/// </summary>
public static class DemoAccounts
{
    public static readonly IReadOnlyList<DemoAccount> All =
    [
        new("admin@portal.local", "Admin-demo-2026", Roles.Admin, "Asha Admin"),
        new("lead@portal.local", "Lead-demo-2026", Roles.AgencyLead, "Leela Lead"),
        new("member@portal.local", "Member-demo-2026", Roles.Member, "Manoj Member"),
        new("viewer@portal.local", "Viewer-demo-2026", Roles.Viewer, "Vani Viewer"),
    ];
}
