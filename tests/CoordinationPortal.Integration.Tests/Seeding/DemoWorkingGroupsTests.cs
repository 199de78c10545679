using System.Text.Json;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Framework;
using CoordinationPortal.Web.Seeding;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.Integration.Tests.Seeding;

/// <summary>
/// The demo's working groups as the seeded portal holds them: 18 months of sessions with approved minutes, decisions
/// numbered per group, action items in every status (done late and overdue on the owner's weakest layer included), one
/// planned session per group carrying the open items forward, and an overdue item the demo lead can mark done.
/// Other tests of the collection may change some seeded items, so the checks ask for "at least one" where there are several.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class DemoWorkingGroupsTests(PortalFixture portal)
{
    private IServiceProvider Services => portal.Factory.Services;

    private static readonly string[] Slugs =
        ["national-ai-compute", "health-sector-data", "state-digital-governance", "financial-sector-ai", "agriculture-data-exchange"];

    private async Task<Seeded> LoadAsync()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ids = Slugs.Select(DemoWorkingGroups.GroupId).ToArray();
        var groups = (await session.LoadManyAsync<WorkingGroup>(ids)).ToList();
        var sessions = await session.Query<GroupSession>().Where(s => s.GroupId.IsOneOf(ids)).ToListAsync();
        var items = await session.Query<ActionItem>().Where(i => i.GroupId.IsOneOf(ids)).ToListAsync();
        var agencies = (await session.Query<AgencySummary>().ToListAsync()).ToDictionary(a => a.Id);
        return new Seeded(groups, [.. sessions], [.. items], agencies, Services.GetRequiredService<PortalClock>());
    }

    private sealed record Seeded(
        IReadOnlyList<WorkingGroup> Groups, IReadOnlyList<GroupSession> Sessions, IReadOnlyList<ActionItem> Items,
        IReadOnlyDictionary<Guid, AgencySummary> Agencies, PortalClock Clock)
    {
        public DateOnly Today => Clock.Today;

        public bool OverdueOnWeakest(ActionItem i) => i.IsOverdue(Today) && i.Layer == DemoWorkingGroups.WeakestLayer(Agencies[i.AgencyId]);
    }

    [Fact]
    public async Task the_demo_has_five_groups_with_members_and_people_in_their_roles()
    {
        var seeded = await LoadAsync();

        Assert.InRange(seeded.Groups.Count, 4, 5);
        Assert.All(seeded.Groups, g =>
        {
            Assert.False(string.IsNullOrWhiteSpace(g.Name.Hi));
            Assert.False(string.IsNullOrWhiteSpace(g.Purpose.Hi));
            Assert.True(g.MemberAgencies.Count() >= 5, $"{g.Name.En} has {g.MemberAgencies.Count()} members");
            Assert.Single(g.People, p => p.Role == GroupRole.Chair);
        });
        Assert.Single(seeded.Groups, g => g.RoleOf(Demo.Admin.Email) == GroupRole.Chair);
        Assert.Single(seeded.Groups, g => g.RoleOf(Demo.Lead.Email) == GroupRole.Secretary);
        Assert.Contains(seeded.Groups, g => g.RoleOf(Demo.Lead.Email) == GroupRole.Member);
        Assert.Equal(2, seeded.Groups.Count(g => g.RoleOf(Demo.Member.Email) is not null));
        Assert.DoesNotContain(seeded.Groups, g => g.RoleOf(Demo.Viewer.Email) is not null);
        // A chair with no portal account: people are named, not only the demo's users.
        Assert.Contains(seeded.Groups, g => g.People.Single(p => p.Role == GroupRole.Chair).Person.EndsWith(".gov.example", StringComparison.Ordinal));
        // Membership history: an agency joined after the group was formed.
        Assert.Contains(seeded.Groups, g => g.AgencyHistory.Any(m => m.Joined > g.FormedOn));
    }

    [Fact]
    public async Task eighteen_months_of_sessions_have_approved_minutes_and_one_session_is_planned_per_group()
    {
        var seeded = await LoadAsync();
        var now = seeded.Clock.Now;

        foreach (var group in seeded.Groups)
        {
            var sessions = seeded.Sessions.Where(s => s.GroupId == group.Id).ToList();
            var past = sessions.Where(s => s.StartsAt < now && s.State != SessionState.InProgress).OrderBy(s => s.StartsAt).ToList();
            Assert.True(past.Count >= 8, $"{group.Name.En}: {past.Count} past sessions");
            Assert.True(past[0].StartsAt < now.AddMonths(-17), $"{group.Name.En} first met {past[0].StartsAt}");
            Assert.True(past[^1].StartsAt > now.AddMonths(-3), $"{group.Name.En} last met {past[^1].StartsAt}");
            Assert.All(past, s =>
            {
                Assert.Equal(SessionState.MinutesApproved, s.State);
                Assert.Contains("## Minutes of the", s.Minutes, StringComparison.Ordinal);
                Assert.True(s.MinutesApprovedAt > s.MinutesDraftedAt && s.MinutesDraftedAt > s.EndsAt, $"{s.Title}: drafted {s.MinutesDraftedAt}, approved {s.MinutesApprovedAt}");
                Assert.True(s.MinutesApprovedAt <= now);
                Assert.NotEmpty(s.Attendees);
            });

            var planned = Assert.Single(sessions, s => s.State == SessionState.Planned);
            Assert.InRange(planned.StartsAt, now, now.AddDays(35));
            var carried = planned.Agenda.Where(a => a.ActionItemId is not null).Select(a => a.ActionItemId!.Value).ToList();
            Assert.NotEmpty(carried);
            var items = seeded.Items.Where(i => i.GroupId == group.Id).ToDictionary(i => i.Id);
            Assert.All(carried, id => Assert.True(items.ContainsKey(id)));
            // The open items at scheduling are all on the agenda (carried forward, none going stale silently).
            Assert.Contains(carried, id => items[id].IsOverdue(seeded.Today));
        }

        // One group is meeting as the demo is seeded, so the live forum has a session to show.
        var live = Assert.Single(seeded.Sessions, s => s.State == SessionState.InProgress);
        Assert.Equal(DemoWorkingGroups.GroupId("health-sector-data"), live.GroupId);
        Assert.InRange(live.StartedAt!.Value, now.AddHours(-3), now);
        Assert.Contains(live.Agenda, a => a.ActionItemId is not null);

        Assert.Contains(seeded.Sessions, s => s.Amendments.Count > 0);
        // Earlier open items were carried onto past agendas too, and the minutes report on them.
        Assert.Contains(seeded.Sessions, s => s.MinutesAreApproved && s.Agenda.Any(a => a.ActionItemId is not null) && s.Minutes!.Contains("days past its due date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task decisions_are_numbered_from_one_in_each_group_and_one_is_due_for_review()
    {
        var seeded = await LoadAsync();

        foreach (var group in seeded.Groups)
        {
            Assert.Equal(Enumerable.Range(1, group.Decisions.Count), group.Decisions.Select(d => d.Number));
            Assert.True(group.Decisions.Count >= 3, $"{group.Name.En}: {group.Decisions.Count} decisions");
            var sessions = seeded.Sessions.Where(s => s.GroupId == group.Id).Select(s => s.Id).ToHashSet();
            Assert.All(group.Decisions, d =>
            {
                Assert.Contains(d.SessionId!.Value, sessions);
                Assert.False(string.IsNullOrWhiteSpace(d.Text.Hi));
                Assert.NotEqual(d.Text.En, d.Text.Hi);
            });
        }

        var decisions = seeded.Groups.SelectMany(g => g.Decisions).ToList();
        Assert.Contains(decisions, d => d.Basis == DecisionBasis.Vote && d.Counts.Sum(c => c.Count) > 0);
        Assert.Contains(decisions, d => d.Basis == DecisionBasis.Consensus && d.Counts.Count == 0);
        Assert.Contains(decisions, d => d.IsDueForReview(seeded.Today));
        Assert.Contains(decisions, d => d.ReviewOn > seeded.Today);
    }

    [Fact]
    public async Task action_items_are_in_every_status_and_several_slip_on_the_owners_weakest_layer()
    {
        var seeded = await LoadAsync();
        var items = seeded.Items;
        var day = (DateTimeOffset at) => DateOnly.FromDateTime(seeded.Clock.Local(at).DateTime);

        Assert.True(items.Count >= 100, $"{items.Count} action items");
        Assert.Contains(items, i => i.Status == ActionStatus.Open);
        Assert.Contains(items, i => i.Status == ActionStatus.InProgress);
        Assert.Contains(items, i => i.Status == ActionStatus.Dropped && !string.IsNullOrWhiteSpace(i.DropReason));
        Assert.Contains(items, i => i.Status == ActionStatus.Done && day(i.DoneAt!.Value) <= i.DueDate);
        Assert.Contains(items, i => i.Status == ActionStatus.Done && day(i.DoneAt!.Value) > i.DueDate);
        Assert.Contains(items, i => i.Target is not null);
        Assert.True(items.Count(i => i.Status == ActionStatus.Done) > items.Count / 2, "most items are done");

        var slipping = items.Where(seeded.OverdueOnWeakest).ToList();
        Assert.True(slipping.Count >= 5, $"{slipping.Count} overdue items on their owner's weakest layer");
        Assert.True(slipping.Select(i => i.GroupId).Distinct().Count() >= 4, "slipping commitments in most groups");
        Assert.All(items, i =>
        {
            Assert.Contains(i.AgencyId, seeded.Groups.Single(g => g.Id == i.GroupId).AgencyHistory.Select(m => m.AgencyId));
            Assert.InRange(i.DueDate.DayNumber - day(i.RecordedAt).DayNumber, 25, 95);
        });
    }

    [Fact]
    public async Task the_demo_lead_leads_the_owner_of_an_overdue_item_and_may_update_it()
    {
        var seeded = await LoadAsync();
        var led = DemoSeeder.DemoLeadAgencies.Select(Demo.AgencyId).ToHashSet();

        var overdue = seeded.Items.Where(i => led.Contains(i.AgencyId) && seeded.OverdueOnWeakest(i)).ToList();
        Assert.NotEmpty(overdue);
        Assert.All(overdue, i => Assert.Contains(Demo.Lead.Email, seeded.Agencies[i.AgencyId].Leads));
        var group = seeded.Groups.Single(g => g.Id == overdue[0].GroupId);
        var reader = new Reader(Demo.Lead.Email, false, led);
        Assert.True(GroupAccess.For(group, reader).MayUpdate(overdue[0], reader));
    }

    [Fact]
    public async Task seeding_again_adds_nothing_and_the_same_day_builds_the_same_events()
    {
        var store = Services.GetRequiredService<IDocumentStore>();
        var framework = Services.GetRequiredService<ReadinessFramework>();
        var clock = Services.GetRequiredService<PortalClock>();
        var directory = FrameworkFeature.SeedDataDirectory(Services.GetRequiredService<IConfiguration>());

        Assert.Equal(0, await DemoWorkingGroups.SeedAsync(store, framework, clock, directory, NullLogger.Instance, default));

        var document = await DemoWorkingGroups.ReadAsync(directory, default);
        await using var session = store.QuerySession();
        var agencies = (await session.Query<AgencySummary>().ToListAsync()).ToDictionary(a => a.Id);
        var now = clock.Now;
        var first = DemoWorkingGroups.Build(document, agencies, framework, now, clock.OffsetAt);
        var second = DemoWorkingGroups.Build(document, agencies, framework, now, clock.OffsetAt);
        Assert.Equal(Serialize(first), Serialize(second));
        Assert.Equal(first.Count, first.Select(s => s.Id).Distinct().Count());
    }

    private static string Serialize(IReadOnlyList<DemoWorkingGroups.SeedBatch> streams) =>
        string.Join("\n", streams.Select(s => $"{s.Id} {s.Kind} " + string.Join("|", s.Events.Select(e => e.GetType().Name + JsonSerializer.Serialize(e, e.GetType())))));
}
