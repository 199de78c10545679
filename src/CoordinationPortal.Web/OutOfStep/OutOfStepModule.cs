using CoordinationPortal.Domain.OutOfStep;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.OutOfStep;

public static class OutOfStepModule
{
    public static WebApplicationBuilder AddOutOfStep(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<FlagQueries>();
        builder.Services.AddScoped<FlagCommandHandler>();
        builder.Services.AddScoped<RuleTitles>();
        return builder;
    }

    /// <summary>One stream per flag, with an inline snapshot the board and the agency page read.</summary>
    public static StoreOptions ConfigureOutOfStep(this StoreOptions options)
    {
        options.Projections.Add(new FlagSnapshotProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Flag>().Index(x => x.AgencyId).Index(x => x.Status);
        options.Events.AddEventTypes([typeof(FlagRaised), typeof(FlagUpdated), typeof(FlagAcknowledged), typeof(FlagResolved)]);
        return options;
    }
}

/// <summary>Folds a flag's stream through the domain's <see cref="Flag.Evolve"/>.</summary>
public sealed class FlagSnapshotProjection : SingleStreamProjection<Flag, Guid>
{
    public override Flag? Evolve(Flag? snapshot, Guid id, IEvent e) => Flag.Evolve(snapshot, e.Data);
}
