using CoordinationPortal.Domain.WorkingGroups;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CoordinationPortal.Web.WorkingGroups;

// The states the domain folds are the documents the pages and the API read, kept inline with every append: the fold
// rules live in the domain (Evolve), so what a page shows and what a decider decides on cannot disagree.

public sealed class WorkingGroupProjection : SingleStreamProjection<WorkingGroup, Guid>
{
    public override WorkingGroup? Evolve(WorkingGroup? snapshot, Guid id, IEvent e) => WorkingGroup.Evolve(snapshot, e.Data);
}

public sealed class GroupSessionProjection : SingleStreamProjection<GroupSession, Guid>
{
    public override GroupSession? Evolve(GroupSession? snapshot, Guid id, IEvent e) => GroupSession.Evolve(snapshot, e.Data);
}

public sealed class ActionItemProjection : SingleStreamProjection<ActionItem, Guid>
{
    public override ActionItem? Evolve(ActionItem? snapshot, Guid id, IEvent e) => ActionItem.Evolve(snapshot, e.Data);
}
