using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Kernel;

/// <summary>
/// The one runner every event-sourced write goes through, on a real stream: each outcome (accepted, accepted with no
/// events, invalid, forbidden, not found, conflict on a stale version and on a concurrent save) and what it leaves behind.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class StreamCommandRunnerTests(PortalFixture portal)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(5.5));

    private async Task<Guid> NewAgencyAsync()
    {
        var id = Guid.NewGuid();
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Agency>(id, new AgencyRegistered(id, "Runner test " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "test", At));
        await session.SaveChangesAsync();
        return id;
    }

    private async Task<(CommandOutcome Outcome, bool Committed)> RunAsync(StreamCommand<Agency> command)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var committed = false;
        var outcome = await scope.ServiceProvider.GetRequiredService<StreamCommandRunner>().RunAsync(
            command with { Committed = (_, _) => { committed = true; return Task.CompletedTask; } }, CancellationToken.None);
        return (outcome, committed);
    }

    private static StreamCommand<Agency> Rename(Guid id, string name, long? expected) =>
        new(id, "Rename", "test", expected, Agency.Evolve, agency => Decision.Accept(new AgencyDetailsUpdated(id, name, agency.Kind, agency.Sector, agency.Jurisdiction, "test", At)));

    private async Task<long> StreamVersionAsync(Guid id)
    {
        await using var query = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await query.Events.FetchStreamStateAsync(id))!.Version;
    }

    [Fact]
    public async Task accepted_appends_the_decided_events_and_answers_the_new_version()
    {
        var id = await NewAgencyAsync();

        var (outcome, committed) = await RunAsync(Rename(id, "Renamed by the runner", expected: 1));

        var accepted = Assert.IsType<CommandOutcome.Accepted>(outcome);
        Assert.Equal((id, 2L, 1), (accepted.Id, accepted.Version, accepted.Appended));
        Assert.True(committed);
        Assert.Equal(2, await StreamVersionAsync(id));
    }

    [Fact]
    public async Task accepted_with_no_events_appends_nothing_and_runs_no_after_commit_step()
    {
        var id = await NewAgencyAsync();

        var (outcome, committed) = await RunAsync(new StreamCommand<Agency>(id, "Nothing", "test", 1, Agency.Evolve, _ => Decision.Accept()));

        Assert.Equal(new CommandOutcome.Accepted(id, 1, 0), outcome);
        Assert.False(committed);
        Assert.Equal(1, await StreamVersionAsync(id));
    }

    [Fact]
    public async Task invalid_carries_the_deciders_errors_and_appends_nothing()
    {
        var id = await NewAgencyAsync();

        var (outcome, _) = await RunAsync(new StreamCommand<Agency>(id, "Refused", "test", null, Agency.Evolve, _ => Decision.Reject(new DomainError("Agency.Name.Required", "Name"))));

        var invalid = Assert.IsType<CommandOutcome.Invalid>(outcome);
        Assert.Equal([new DomainError("Agency.Name.Required", "Name")], invalid.Errors);
        Assert.Equal(1, await StreamVersionAsync(id));
    }

    [Fact]
    public async Task forbidden_is_answered_before_deciding()
    {
        var id = await NewAgencyAsync();
        var decided = false;

        var (outcome, _) = await RunAsync(new StreamCommand<Agency>(id, "Forbidden", "test", null, Agency.Evolve, _ => { decided = true; return Decision.Accept(); })
        {
            MayAct = (_, _) => ValueTask.FromResult(false),
        });

        Assert.IsType<CommandOutcome.Forbidden>(outcome);
        Assert.False(decided);
    }

    [Fact]
    public async Task a_stream_that_does_not_exist_is_not_found()
    {
        var (outcome, _) = await RunAsync(Rename(Guid.NewGuid(), "Nobody", expected: null));

        Assert.IsType<CommandOutcome.NotFound>(outcome);
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_conflict_naming_the_current_version()
    {
        var id = await NewAgencyAsync();
        Assert.IsType<CommandOutcome.Accepted>((await RunAsync(Rename(id, "First edit", expected: 1))).Outcome);

        var (outcome, committed) = await RunAsync(Rename(id, "Second edit, from the old page", expected: 1));

        Assert.Equal(new CommandOutcome.Conflict(2), outcome);
        Assert.False(committed);
    }

    [Fact]
    public async Task a_save_that_loses_a_race_is_a_conflict_and_the_winner_is_kept()
    {
        var id = await NewAgencyAsync();
        // The decision runs between the runner's read and its save: another writer appends then.
        var command = new StreamCommand<Agency>(id, "Racing", "test", null, Agency.Evolve, agency =>
        {
            using var other = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession();
            other.Events.Append(id, new AgencyDetailsUpdated(id, "The winner", agency.Kind, agency.Sector, agency.Jurisdiction, "other", At));
            other.SaveChangesAsync().GetAwaiter().GetResult();
            return Decision.Accept(new AgencyDetailsUpdated(id, "The loser", agency.Kind, agency.Sector, agency.Jurisdiction, "test", At));
        });

        var (outcome, committed) = await RunAsync(command);

        Assert.Equal(new CommandOutcome.Conflict(2), outcome);
        Assert.False(committed);
        await using var query = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal("The winner", (await query.LoadAsync<Agency>(id))!.Name);
    }

    [Fact]
    public async Task starting_a_stream_that_exists_is_refused_with_the_features_code()
    {
        var id = await NewAgencyAsync();
        await using var scope = portal.Factory.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<StreamCommandRunner>().StartAsync<Agency>(
            id, "Register", "test", Decision.Accept(new AgencyRegistered(id, "Again", AgencyKind.Ministry, "health", "national", "test", At)),
            "Agency.AlreadyRegistered", CancellationToken.None);

        var invalid = Assert.IsType<CommandOutcome.Invalid>(outcome);
        Assert.Equal("Agency.AlreadyRegistered", invalid.Errors.Single().Code);
    }
}
