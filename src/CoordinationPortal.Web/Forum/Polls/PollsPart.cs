using CoordinationPortal.Domain.Forum;
using CoordinationPortal.Web.Kernel.Features;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>
/// Quick polls: one event stream per poll (its state, projected inline, is the <see cref="Poll"/> document, indexed by
/// session and short code), <see cref="PollHandler"/> for every write, <see cref="PollQueries"/> for every read, the
/// API (<see cref="PollApi"/>) and the voting pages (<c>/vote</c>, <c>/vote/{code}</c>).
/// </summary>
internal static class PollsPart
{
    public static void AddServices(FeatureSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Services.AddScoped<PollHandler>();
        setup.Services.AddScoped<PollQueries>();
    }

    public static void ConfigureStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Projections.Add(new PollProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Poll>().Index(x => x.SessionId).Index(x => x.ShortCode);
        options.Events.AddEventTypes([
            typeof(PollOpened), typeof(PollVoteCast), typeof(PollClosed), typeof(PollResultsRevealed), typeof(PollRecordedAsDecision),
        ]);
    }

    public static void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPollApi();
    }
}

/// <summary>The poll's state as the domain folds it, kept inline with every append.</summary>
public sealed class PollProjection : SingleStreamProjection<Poll, Guid>
{
    public override Poll? Evolve(Poll? snapshot, Guid id, IEvent e) => Poll.Evolve(snapshot, e.Data);
}
