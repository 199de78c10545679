using System.Diagnostics;
using System.Text.RegularExpressions;
using CoordinationPortal.Domain.WorkingGroups;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Agencies;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CoordinationPortal.Integration.Tests.Seeding;

/// <summary>
/// A demo portal seeded before working groups existed (agencies and flags, no groups) gets the groups at its next start,
/// and its flags evaluated once after them; a portal that has them seeds nothing again.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class DemoWorkingGroupsUpgradeTests(PortalFixture portal, ITestOutputHelper output)
{
    [Fact]
    public async Task a_demo_database_with_agencies_but_no_groups_gets_the_groups_and_one_evaluation_at_the_next_start()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "wgseed");
        var watch = Stopwatch.StartNew();
        await using (var first = new PortalHostFactory(database, seedDemo: true, portal.ProbeSettings))
        {
            _ = first.Server;
        }

        output.WriteLine($"first start with the whole demo seed: {watch.ElapsedMilliseconds} ms");

        // Back to how a demo portal looked before this change: the same agencies and flags, no working group.
        await ScratchDatabase.ExecuteAsync(database, """
            DELETE FROM portal.mt_events WHERE mt_dotnet_type LIKE 'CoordinationPortal.Domain.WorkingGroups.%';
            DELETE FROM portal.mt_streams s WHERE NOT EXISTS (SELECT 1 FROM portal.mt_events e WHERE e.stream_id = s.id);
            DELETE FROM portal.mt_doc_workinggroup;
            DELETE FROM portal.mt_doc_groupsession;
            DELETE FROM portal.mt_doc_actionitem;
            """);
        Assert.Equal(0L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM portal.mt_doc_workinggroup"));
        var agencies = await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM portal.mt_doc_agencysummary");

        var log = new LogCapture();
        watch.Restart();
        await using (var second = new PortalHostFactory(database, seedDemo: true, new Dictionary<string, string>(portal.ProbeSettings)
        {
            ["Logging:LogLevel:CoordinationPortal.Web.Seeding"] = "Information",
            ["Logging:LogLevel:CoordinationPortal.Web.OutOfStep"] = "Information",
        }).WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(log)))))
        {
            _ = second.Server;
            output.WriteLine($"second start, seeding only the groups: {watch.ElapsedMilliseconds} ms");

            await using var session = second.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Equal(5, await session.Query<WorkingGroup>().CountAsync());
            Assert.Equal(agencies, await session.Query<AgencySummary>().CountAsync());
            Assert.True(await session.Query<ActionItem>().CountAsync() >= 100);
        }

        var lines = log.Lines.Select(l => l.Message).ToList();
        var seeded = Assert.Single(lines, l => l.StartsWith("Seeded 5 working groups", StringComparison.Ordinal));
        output.WriteLine(seeded);
        Assert.DoesNotContain(lines, l => l.StartsWith("Seeded 46 agencies", StringComparison.Ordinal));
        // Evaluated once, after the groups were written, and not replayed month by month.
        var evaluated = lines.FindIndex(l => l.StartsWith("Out-of-step evaluation of", StringComparison.Ordinal));
        Assert.True(evaluated > lines.IndexOf(seeded), string.Join("\n", lines));
        Assert.Single(lines, l => l.StartsWith("Out-of-step evaluation of", StringComparison.Ordinal));
        Assert.InRange(int.Parse(Milliseconds().Match(seeded).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 30_000);
    }

    [GeneratedRegex(@"in (\d+) ms")]
    private static partial Regex Milliseconds();
}
