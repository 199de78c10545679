using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Kernel.Changes;
using Marten;

namespace CoordinationPortal.Web.OutOfStep;

/// <summary>
/// Hears the changes that can make or clear a flag and queues their agencies for evaluation: a scorecard's levels,
/// an action item of the agency (a slipping commitment), an endpoint's registration or announced health, and the probes' moving windows (every agency with a measured
/// endpoint). Only changes made by this process are taken: the process that made a change evaluates it, so several
/// processes do not all evaluate the same agency; the scheduled evaluation is the backstop for any that is missed.
/// </summary>
public sealed class FlagEvaluationTrigger(FlagEvaluationRequests requests, IDocumentStore store) : IChangeSubscriber
{
    public async Task OnChangeAsync(PortalChange change, CancellationToken ct)
    {
        if (!change.FromThisProcess)
        {
            return;
        }

        switch (change.Kind)
        {
            case ChangeKinds.Scorecard or ChangeKinds.ActionItem or ChangeKinds.Endpoint or ChangeKinds.EndpointHealth when change.AgencyId is { } agency:
                requests.Enqueue(agency);
                break;
            case ChangeKinds.ProbeWindows:
                await using (var session = store.QuerySession())
                {
                    var agencies = await session.Query<InferenceEndpoint>().Where(e => !e.Retired).Select(e => e.AgencyId).ToListAsync(ct);
                    foreach (var agency in agencies.Distinct())
                    {
                        requests.Enqueue(agency);
                    }
                }

                break;
        }
    }
}
