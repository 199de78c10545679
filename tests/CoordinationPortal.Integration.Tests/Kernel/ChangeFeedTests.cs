using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Kernel;

/// <summary>
/// The post-commit change feed on the real database: a committed change reaches subscribers of the process that made it
/// and of another process on the same database; a rolled-back one reaches nobody; a subscriber that throws does not
/// keep the change from the others.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ChangeFeedTests(PortalFixture portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ChangeFeed Feed => portal.Factory.Services.GetRequiredService<ChangeFeed>();

    /// <summary>Collects the changes of one subject heard by a feed.</summary>
    private sealed class Heard : IDisposable
    {
        private readonly IDisposable _subscription;

        public Heard(ChangeFeed feed, Guid subject, Action<PortalChange>? also = null) =>
            _subscription = feed.Subscribe(c => c.SubjectId == subject, c =>
            {
                also?.Invoke(c);
                Changes.Add(c);
                Arrived.TrySetResult(c);
            });

        public ConcurrentBag<PortalChange> Changes { get; } = [];

        public TaskCompletionSource<PortalChange> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose() => _subscription.Dispose();
    }

    private static async Task StageAndCommitAsync(IServiceProvider services, PortalChange change)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        services.GetRequiredService<ChangeFeed>().Stage(session, change);
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task a_committed_change_reaches_a_subscriber_in_the_same_process_marked_as_its_own()
    {
        var subject = Guid.NewGuid();
        using var heard = new Heard(Feed, subject);

        await StageAndCommitAsync(portal.Factory.Services, new PortalChange(ChangeKinds.Agency, subject, subject));

        var change = await heard.Arrived.Task.WaitAsync(Patience);
        Assert.Equal(ChangeKinds.Agency, change.Kind);
        Assert.Equal(subject, change.AgencyId);
        Assert.True(change.FromThisProcess);
    }

    [Fact]
    public async Task a_change_committed_by_one_process_reaches_another_process_on_the_same_database()
    {
        await using var second = portal.SecondProcess();
        var secondFeed = second.Services.GetRequiredService<ChangeFeed>();
        var subject = Guid.NewGuid();
        using var heard = new Heard(secondFeed, subject);

        // A real command in the first process: registering an agency announces it when the stream commits.
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>().HandleAsSystemAsync(
                new RegisterAgency(subject, "Change feed test " + subject.ToString("N")[..6], AgencyKind.Regulator, "health", "national", "", DateTimeOffset.UtcNow),
                CancellationToken.None);
            Assert.IsType<CommandOutcome.Accepted>(outcome);
        }

        var change = await heard.Arrived.Task.WaitAsync(Patience);
        Assert.Equal(ChangeKinds.Agency, change.Kind);
        Assert.False(change.FromThisProcess);
    }

    [Fact]
    public async Task an_assessment_in_one_process_is_heard_as_a_scorecard_change_in_another_within_a_second()
    {
        await using var second = portal.SecondProcess();
        var secondFeed = second.Services.GetRequiredService<ChangeFeed>();
        var agency = Guid.NewGuid();
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(
            new RegisterAgency(agency, "Latency test " + agency.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "", DateTimeOffset.UtcNow),
            CancellationToken.None));
        var indicator = scope.ServiceProvider.GetRequiredService<CoordinationPortal.Domain.Framework.ReadinessFramework>().Indicators.First().Id;

        var heardAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = secondFeed.Subscribe(
            c => c.SubjectId == agency && c.Kind == ChangeKinds.Scorecard, _ => heardAt.TrySetResult(Stopwatch.GetTimestamp()));
        var committedAt = 0L;
        var outcome = await handler.HandleAsSystemAsync(
            new AssessIndicator(agency, indicator, 2, "Evidence for the latency test", null, null, null, "", DateTimeOffset.UtcNow), CancellationToken.None);
        committedAt = Stopwatch.GetTimestamp();
        Assert.IsType<CommandOutcome.Accepted>(outcome);

        var heard = await heardAt.Task.WaitAsync(Patience);
        // Heard after the commit returned or, at most, a moment before it (NOTIFY is sent at commit, the caller learns later).
        Assert.True(Stopwatch.GetElapsedTime(committedAt, Math.Max(heard, committedAt)) < TimeSpan.FromSeconds(1),
            $"heard {Stopwatch.GetElapsedTime(committedAt, heard).TotalMilliseconds:0} ms after the commit");
    }

    [Fact]
    public async Task nothing_is_delivered_for_a_rolled_back_transaction()
    {
        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();
        using var heardRolledBack = new Heard(Feed, rolledBack);
        using var heardCommitted = new Heard(Feed, committed);

        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            await session.BeginTransactionAsync(CancellationToken.None);
            Feed.Stage(session, new PortalChange(ChangeKinds.Agency, rolledBack));
            // Starting a stream that already exists fails the whole batch: the NOTIFY goes with it.
            var existing = Guid.NewGuid();
            await using (var first = portal.Factory.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                first.Events.StartStream<Agency>(existing, new AgencyRegistered(existing, "Rollback test", AgencyKind.Academia, "health", "national", "test", DateTimeOffset.UtcNow));
                await first.SaveChangesAsync();
            }

            session.Events.StartStream<Agency>(existing, new AgencyRegistered(existing, "Rollback test", AgencyKind.Academia, "health", "national", "test", DateTimeOffset.UtcNow));
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        // A change committed afterwards arrives; by then the rolled-back one would have, had it been sent.
        await StageAndCommitAsync(portal.Factory.Services, new PortalChange(ChangeKinds.Agency, committed));
        await heardCommitted.Arrived.Task.WaitAsync(Patience);
        Assert.Empty(heardRolledBack.Changes);
    }

    [Fact]
    public async Task a_subscriber_that_throws_does_not_keep_the_change_from_the_others()
    {
        var subject = Guid.NewGuid();
        using var throwing = new Heard(Feed, subject, _ => throw new InvalidOperationException("A broken subscriber"));
        using var healthy = new Heard(Feed, subject);

        await StageAndCommitAsync(portal.Factory.Services, new PortalChange(ChangeKinds.Flag, subject));

        await healthy.Arrived.Task.WaitAsync(Patience);
        // And the feed goes on delivering after the failure.
        var next = Guid.NewGuid();
        using var later = new Heard(Feed, next);
        await StageAndCommitAsync(portal.Factory.Services, new PortalChange(ChangeKinds.Flag, next));
        await later.Arrived.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task a_registered_subscriber_that_throws_does_not_stop_flag_evaluation_hearing_scorecards()
    {
        await using var second = portal.SecondProcess();
        await using var host = second.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<IChangeSubscriber, ThrowingSubscriber>()));
        var feed = host.Services.GetRequiredService<ChangeFeed>();
        var subject = Guid.NewGuid();
        using var heard = new Heard(feed, subject);

        await StageAndCommitAsync(host.Services, new PortalChange(ChangeKinds.Scorecard, subject, subject));

        await heard.Arrived.Task.WaitAsync(Patience);
        Assert.True(host.Services.GetServices<IChangeSubscriber>().OfType<ThrowingSubscriber>().Single().Calls > 0);
    }

    [Fact]
    public async Task the_listener_stops_cleanly_whether_the_host_disposes_it_before_or_after_stopping_it()
    {
        var dataSource = portal.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<ChangeFeedListener>.Instance;

        var disposedFirst = new ChangeFeedListener(dataSource, Feed, logger);
        await disposedFirst.StartAsync(CancellationToken.None);
        await disposedFirst.DisposeAsync();
        await disposedFirst.StopAsync(CancellationToken.None);
        await disposedFirst.DisposeAsync();

        var stoppedFirst = new ChangeFeedListener(dataSource, Feed, logger);
        await stoppedFirst.StartAsync(CancellationToken.None);
        await stoppedFirst.StopAsync(CancellationToken.None);
        await stoppedFirst.StopAsync(CancellationToken.None);
        await stoppedFirst.DisposeAsync();
    }

    [Fact]
    public void a_notice_from_another_program_on_the_channel_is_ignored()
    {
        Assert.Null(Feed.Parse("not json"));
        Assert.Null(Feed.Parse("{\"x\":1}"));
        Assert.NotNull(Feed.Parse($"{{\"k\":\"flag\",\"s\":\"{Guid.NewGuid()}\",\"o\":\"{Guid.NewGuid()}\"}}"));
    }

    private sealed class ThrowingSubscriber : IChangeSubscriber
    {
        private int _calls;

        public int Calls => _calls;

        public Task OnChangeAsync(PortalChange change, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("A broken feature");
        }
    }
}
