using System.Security.Claims;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Seeding;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Agencies;

[Collection(PortalTests.Name)]
public sealed class ScorecardStorageTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    private static ClaimsPrincipal Admin() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@portal.local"), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    private async Task<Guid> RegisterFreshAgencyAsync()
    {
        var id = Guid.NewGuid();
        await using var scope = Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        var outcome = await handler.HandleAsync(Admin(), new RegisterAgency(id, $"Test agency {id:N}", AgencyKind.Regulator, "health", "national", "", default), null, default);
        Assert.IsType<CommandOutcome.Accepted>(outcome);
        return id;
    }

    private async Task<CommandOutcome> AssessAsync(Guid id, string indicator, int level, long? expectedVersion)
    {
        await using var scope = Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        return await handler.HandleAsync(Admin(), new AssessIndicator(id, indicator, level, "Evidence note", "https://records.example.gov.in/evidence/1", null, null, "", default), expectedVersion, default);
    }

    [Fact]
    public async Task an_assessment_is_appended_with_actor_and_time_and_both_projections_follow()
    {
        var id = await RegisterFreshAgencyAsync();
        var before = DateTimeOffset.UtcNow;
        var outcome = Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(id, "compute.capacity", 4, 1));
        Assert.Equal(2, outcome.Version);

        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        var assessed = Assert.IsType<IndicatorAssessed>(events[^1].Data);
        Assert.Equal("admin@portal.local", assessed.By);
        Assert.InRange(assessed.At, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(Layer.Compute, assessed.Layer);

        var snapshot = await session.LoadAsync<Agency>(id);
        Assert.Equal(2, snapshot!.Version);
        Assert.Equal(4, snapshot.Indicators["compute.capacity"].Level);
        var summary = await session.LoadAsync<AgencySummary>(id);
        Assert.Equal(75, summary!.Compute);
        Assert.Null(summary.Data);
        Assert.Null(summary.MeanIndex);
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_conflict_and_appends_nothing()
    {
        var id = await RegisterFreshAgencyAsync();
        Assert.IsType<CommandOutcome.Accepted>(await AssessAsync(id, "data.quality-management", 3, 1));
        var conflict = Assert.IsType<CommandOutcome.Conflict>(await AssessAsync(id, "data.quality-management", 1, 1));
        Assert.Equal(2, conflict.CurrentVersion);

        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(2, (await session.Events.FetchStreamAsync(id)).Count);
    }

    [Fact]
    public async Task two_sessions_racing_from_the_same_version_cannot_both_commit()
    {
        var id = await RegisterFreshAgencyAsync();
        var store = Services.GetRequiredService<IDocumentStore>();
        var framework = Services.GetRequiredService<ReadinessFramework>();
        await using var first = store.LightweightSession();
        await using var second = store.LightweightSession();
        var a = await first.Events.FetchForWriting<Agency>(id);
        var b = await second.Events.FetchForWriting<Agency>(id);
        var now = DateTimeOffset.UtcNow;
        a.AppendMany(AgencyDecider.Decide(new AssessIndicator(id, "skills.defined-roles", 2, "first", null, null, null, "a@x", now), a.Aggregate, framework).Events);
        b.AppendMany(AgencyDecider.Decide(new AssessIndicator(id, "skills.defined-roles", 4, "second", null, null, null, "b@x", now), b.Aggregate, framework).Events);

        await first.SaveChangesAsync();
        await Assert.ThrowsAnyAsync<ConcurrencyException>(() => second.SaveChangesAsync());

        await using var check = store.QuerySession();
        var agency = await check.LoadAsync<Agency>(id);
        Assert.Equal("first", agency!.Indicators["skills.defined-roles"].EvidenceNote);
    }

    [Fact]
    public async Task every_portfolio_row_equals_the_summary_derived_from_its_scorecard()
    {
        var framework = Services.GetRequiredService<ReadinessFramework>();
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var snapshots = await session.Query<Agency>().ToListAsync();
        var summaries = (await session.Query<AgencySummary>().ToListAsync()).ToDictionary(s => s.Id);
        Assert.True(snapshots.Count >= 40);
        foreach (var agency in snapshots)
        {
            var expected = AgencySummary.From(agency, framework);
            var actual = summaries[agency.Id];
            Assert.Equal(expected.Version, actual.Version);
            Assert.Equal(expected.Compute, actual.Compute);
            Assert.Equal(expected.Data, actual.Data);
            Assert.Equal(expected.Governance, actual.Governance);
            Assert.Equal(expected.Skills, actual.Skills);
            Assert.Equal(expected.Operations, actual.Operations);
            Assert.Equal(expected.BalancedIndex, actual.BalancedIndex);
            Assert.Equal(expected.StaleForCycle, actual.StaleForCycle);
            Assert.Equal(expected.Leads, actual.Leads);
        }
    }

    [Fact]
    public async Task the_seeded_history_spans_eighteen_months_and_has_unbalanced_agencies()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(Demo.AgencyId("ntpc"));
        var first = Agency.AtOf(events[0].Data);
        Assert.True(first < DateTimeOffset.UtcNow.AddMonths(-18), $"history starts {first}");
        var summaries = await session.Query<AgencySummary>().ToListAsync();
        Assert.Contains(summaries, s => s.MeanIndex - s.BalancedIndex > 10);
        Assert.Contains(summaries, s => s.MeanIndex - s.BalancedIndex < 3);
    }

    [Fact]
    public async Task seeding_again_adds_nothing()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(default);
        }

        await using var check = Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(before, await check.Events.QueryAllRawEvents().CountAsync());
    }

    [Fact]
    public async Task the_staleness_job_marks_overdue_scorecards_once()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaleScorecardJob>().RunAsync(default);
        }

        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var laggard = await session.LoadAsync<AgencySummary>(Demo.AgencyId("rajasthan-agriculture"));
        Assert.NotNull(laggard!.StaleForCycle);
        var balanced = await session.LoadAsync<AgencySummary>(Demo.AgencyId("kerala-health-family-welfare"));
        Assert.Null(balanced!.StaleForCycle);

        await using var again = Services.CreateAsyncScope();
        Assert.Equal(0, await again.ServiceProvider.GetRequiredService<StaleScorecardJob>().RunAsync(default));
    }
}
