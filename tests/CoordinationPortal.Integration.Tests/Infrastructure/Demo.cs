using CoordinationPortal.Web.Seeding;

namespace CoordinationPortal.Integration.Tests.Infrastructure;

public static class Demo
{
    public static DemoAccount Admin => DemoSeeder.Accounts.Single(a => a.Role == "Admin");
    public static DemoAccount Lead => DemoSeeder.Accounts.Single(a => a.Role == "AgencyLead");
    public static DemoAccount Member => DemoSeeder.Accounts.Single(a => a.Role == "Member");
    public static DemoAccount Viewer => DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    public static Guid AgencyId(string slug) => SeedHistory.StableId("agency:" + slug);

    /// <summary>An agency the demo lead leads.</summary>
    public static Guid LedAgency => AgencyId("health-ministry");

    /// <summary>An agency the demo lead does not lead.</summary>
    public static Guid OtherAgency => AgencyId("reserve-bank-of-india");
}
