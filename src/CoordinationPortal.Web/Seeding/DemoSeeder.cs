using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace CoordinationPortal.Web.Seeding;

/// <summary>What a demo seed loaded: the agencies (a fresh portfolio) and the working groups.</summary>
public sealed record DemoSeedResult(bool Agencies, bool WorkingGroups);

/// <summary>
/// Loads the demo portfolio on first start of the embedded default (or when <c>Seed:Demo</c> is true): agencies with
/// 20 months of history, and one account per role. Idempotent, and safe when several processes start at once.
/// </summary>
public sealed partial class DemoSeeder(
    IDocumentStore store,
    ReadinessFramework framework,
    UserManager<PortalUser> users,
    IConfiguration configuration,
    NpgsqlDataSource dataSource,
    TimeProvider time,
    PortalClock clock,
    ILogger<DemoSeeder> logger)
{
    public static IReadOnlyList<DemoAccount> Accounts => DemoAccounts.All;

    /// <summary>The agencies the demo lead account leads.</summary>
    public static readonly IReadOnlyList<string> DemoLeadAgencies = ["health-ministry", "maharashtra-health-services", "state-bank-of-india"];

    public const int HistoryMonths = 20;

    /// <summary>The last moment of each past month of the seeded history, oldest first: when the demo's flags are replayed.</summary>
    public static IReadOnlyList<DateTimeOffset> MonthEnds(PortalClock clock)
    {
        var today = clock.Today;
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return [.. Enumerable.Range(1, HistoryMonths - 1).Reverse().Select(back =>
        {
            var nextMonth = thisMonth.AddMonths(-back + 1);
            return new DateTimeOffset(nextMonth.ToDateTime(TimeOnly.MinValue), clock.OffsetAt(nextMonth)).AddSeconds(-1);
        })];
    }

    /// <summary>
    /// Loads what is missing: the accounts, the agencies (into an empty portfolio), then the working groups (when there are
    /// none; after the agencies, whose current layers they read). Says which of the two it loaded.
    /// </summary>
    public async Task<DemoSeedResult> SeedAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (await AdvisoryLocks.HoldAsync(connection, AdvisoryLocks.DemoSeed, ct))
        {
            await SeedAccountsAsync();
            var agencies = await SeedAgenciesAsync(ct);
            var groups = await DemoWorkingGroups.SeedAsync(store, framework, clock, FrameworkFeature.SeedDataDirectory(configuration), logger, ct);
            return new DemoSeedResult(agencies, groups > 0);
        }
    }

    private async Task SeedAccountsAsync()
    {
        foreach (var account in Accounts)
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }

            var user = new PortalUser { UserName = account.Email, Email = account.Email, EmailConfirmed = true, DisplayName = account.DisplayName };
            var created = await users.CreateAsync(user, account.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo account {account.Email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, account.Role);
        }
    }

    private async Task<bool> SeedAgenciesAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.Query<AgencySummary>().AnyAsync(ct))
        {
            return false;
        }

        var file = Path.Combine(FrameworkFeature.SeedDataDirectory(configuration), "agencies.json");
        var document = JsonSerializer.Deserialize<AgencySeedDocument>(await File.ReadAllTextAsync(file, ct), FrameworkFeature.SeedJson)
            ?? throw new InvalidOperationException("seed-data/agencies.json is empty.");
        var now = time.GetUtcNow();
        var events = 0;
        foreach (var seed in document.Agencies)
        {
            var history = SeedHistory.Generate(seed, framework, now, HistoryMonths,
                DemoLeadAgencies.Contains(seed.Slug) ? [SeedHistory.DemoLead] : []);
            session.Events.StartStream<Agency>(seed.Id, history);
            events += history.Count;
        }

        await session.SaveChangesAsync(ct);
        LogSeeded(logger, document.Agencies.Count, events);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Agencies} agencies with {Events} events of history")]
    private static partial void LogSeeded(ILogger logger, int agencies, int events);

    /// <summary>
    /// On a real deployment (no demo data) the first administrator comes from configuration
    /// (<c>Bootstrap:AdminEmail</c>, <c>Bootstrap:AdminPassword</c>), once, while no administrator exists.
    /// </summary>
    public static async Task EnsureFirstAdminAsync(IServiceProvider services, IConfiguration configuration)
    {
        var email = configuration["Bootstrap:AdminEmail"];
        var password = configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        var admin = new PortalUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, DisplayName = "Administrator" };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Bootstrap:AdminEmail could not be created: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
    }

    private sealed record AgencySeedDocument(IReadOnlyList<AgencySeed> Agencies);
}
