using System.Net;
using System.Net.Http.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>
/// A conflict is an ordinary outcome: one Information line naming the stream and the versions, and nothing at Warning
/// or above — no SQL, no stack trace — whether the version was stale when read or another save won the race.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class ConflictLoggingTests(PortalFixture portal) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(5.5));

    private ScratchPortal scratch = null!;

    public async Task InitializeAsync() => scratch = await ScratchPortal.StartAsync(portal, "conflictlog");

    public async Task DisposeAsync() => await scratch.DisposeAsync();

    [Fact]
    public async Task a_save_that_loses_a_race_logs_one_information_line_with_the_versions_and_nothing_louder()
    {
        var id = await NewAgencyAsync();
        var command = new StreamCommand<Agency>(id, "Racing", "test", null, Agency.Evolve, agency =>
        {
            using var other = scratch.Services.GetRequiredService<IDocumentStore>().LightweightSession();
            other.Events.Append(id, new AgencyDetailsUpdated(id, "The winner", agency.Kind, agency.Sector, agency.Jurisdiction, "other", At));
            other.SaveChangesAsync().GetAwaiter().GetResult();
            return Decision.Accept(new AgencyDetailsUpdated(id, "The loser", agency.Kind, agency.Sector, agency.Jurisdiction, "test", At));
        });
        scratch.Log.Clear();

        await using var scope = scratch.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<StreamCommandRunner>().RunAsync(command, CancellationToken.None);

        Assert.Equal(new CommandOutcome.Conflict(2), outcome);
        AssertOneQuietConflictLine(id, "based on version 1, now 2");
    }

    [Fact]
    public async Task a_409_from_the_api_logs_one_information_line_and_nothing_louder()
    {
        var id = await NewAgencyAsync();
        using var admin = await scratch.AdminAsync();
        scratch.Log.Clear();

        using var response = await admin.PostAsJsonAsync(
            new Uri($"/api/v1/agencies/{id}/assessments", UriKind.Relative),
            new { indicatorId = "compute.capacity", level = 2, expectedVersion = 7 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        AssertOneQuietConflictLine(id, "based on version 7, now 1");
    }

    private void AssertOneQuietConflictLine(Guid id, string versions)
    {
        var lines = scratch.Log.Lines;
        var loud = lines.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.True(loud.Count == 0, "logged at Warning or above: " + string.Join("\n", loud));
        var conflict = Assert.Single(lines, l => l.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(LogLevel.Information, conflict.Level);
        Assert.Contains(id.ToString(), conflict.Message, StringComparison.Ordinal);
        Assert.Contains(versions, conflict.Message, StringComparison.Ordinal);
        Assert.Null(conflict.Exception);
        Assert.DoesNotContain(lines, l => l.Message.Contains("mt_events", StringComparison.OrdinalIgnoreCase) || l.Exception is not null);
    }

    private async Task<Guid> NewAgencyAsync()
    {
        var id = Guid.NewGuid();
        await using var session = scratch.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream<Agency>(id, new AgencyRegistered(id, "Conflict log " + id.ToString("N")[..6], AgencyKind.Ministry, "health", "national", "test", At));
        await session.SaveChangesAsync();
        return id;
    }
}
