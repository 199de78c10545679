using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Forum.Screen;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// A working group of agencies of its own (so no other test's scorecards or flags reach its screen), with the demo member
/// as its chair, and a session that began half an hour ago: what the room-screen tests put on the screen, through the
/// same handlers the pages and the flag evaluation use.
/// </summary>
internal sealed class ScreenTestBed(PortalFixture portal)
{
    public Guid Assessed { get; private set; }
    public Guid Flagged { get; private set; }
    public Guid Outside { get; private set; }
    public Guid Group { get; private set; }
    public Guid Session { get; private set; }

    public string ComputeIndicator => Framework.LayerOf(Layer.Compute).Indicators[0].Id;

    public DateOnly Today => portal.Factory.Services.GetRequiredService<PortalClock>().Today;

    private ReadinessFramework Framework => portal.Factory.Services.GetRequiredService<ReadinessFramework>();

    /// <summary>Three agencies (two members), the group and a session that began 30 minutes ago; started when asked.</summary>
    public async Task<ScreenTestBed> CreateAsync(bool start = true)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        Assessed = await RegisterAsync($"Screen assessed agency {tag}");
        Flagged = await RegisterAsync($"Screen flagged agency {tag}");
        Outside = await RegisterAsync($"Screen outside agency {tag}");
        Group = await GroupAsync(portal, $"Screen group {tag}", Assessed, Flagged);
        Session = await SessionAsync(portal, Group, $"Screen session {tag}", DateTimeOffset.UtcNow.AddMinutes(-30));
        if (start)
        {
            await StartAsync();
        }

        return this;
    }

    public async Task StartAsync() =>
        Assert.IsType<CommandOutcome.Accepted>(await ActAsync(portal, Chair, new StartSession(Session, [], "", default)));

    public async Task<Guid> RegisterAsync(string name)
    {
        var id = Guid.NewGuid();
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(
            new RegisterAgency(id, name, AgencyKind.Regulator, "health", "national", "", default), default));
        return id;
    }

    public async Task AssessAsync(Guid agencyId, string indicatorId, int level)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(
            new AssessIndicator(agencyId, indicatorId, level, "Capacity audit for the screen test.", "https://evidence.example.gov.in/screen", null, null, "", DateTimeOffset.UtcNow),
            default));
    }

    /// <summary>Raises a flag as the evaluation would: the first event of the flag's own stream.</summary>
    public async Task<Guid> RaiseAsync(Guid agencyId, FlagSeverity severity, string explanation)
    {
        var rule = "screen-" + Guid.NewGuid().ToString("N")[..8];
        var id = FlagIds.For(agencyId, rule, "");
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Flag>(id, new FlagRaised(
            id, agencyId, rule, "lead", "", severity, [Layer.Compute, Layer.Data], [new Figure("leadingLevel", 4), new Figure("laggingLevel", 2)],
            new LocalizedText(explanation, "हिंदी: " + explanation), 1, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
        return id;
    }

    public async Task<ScreenView> ViewAsync()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<ForumScreenQueries>().LoadAsync(Session, default);
        Assert.NotNull(view);
        return view;
    }
}
