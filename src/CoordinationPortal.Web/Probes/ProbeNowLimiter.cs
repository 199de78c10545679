using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Probes.Engine;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Probes;

/// <summary>
/// Rations *Probe now* (the page's button and <c>POST /api/v1/endpoints/{id}/probe</c>): at most
/// <see cref="ProbeOptions.ProbeNowPerEndpointPerMinute"/> runs of one endpoint and
/// <see cref="ProbeOptions.ProbeNowPerUserPerMinute"/> runs by one person in any sliding minute (<see cref="ProbeNowLimit"/>),
/// so nobody can turn the portal into a load generator against an inference server. Counted in this process's memory:
/// with several portal processes each keeps its own count (sticky sessions keep a person's page on one).
/// </summary>
public sealed class ProbeNowLimiter(IOptions<ProbeOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<DateTimeOffset>> runs = new(StringComparer.Ordinal);
    private int calls;

    /// <summary>Null: the run may start, and is counted. Otherwise how long until it may (whole seconds, at least one).</summary>
    public TimeSpan? TryStart(Guid endpointId, string user)
    {
        var o = options.Value;
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (++calls % 256 == 0)
            {
                Forget(now);
            }

            var byEndpoint = Runs("endpoint:" + endpointId.ToString("N"));
            var byUser = Runs("user:" + user.ToUpperInvariant());
            var endpointWait = ProbeNowLimit.RetryAfter(byEndpoint, now, o.ProbeNowPerEndpointPerMinute);
            var userWait = ProbeNowLimit.RetryAfter(byUser, now, o.ProbeNowPerUserPerMinute);
            if (endpointWait is null && userWait is null)
            {
                Add(byEndpoint, now);
                Add(byUser, now);
                return null;
            }

            return (endpointWait ?? TimeSpan.Zero) > (userWait ?? TimeSpan.Zero) ? endpointWait : userWait;
        }
    }

    private List<DateTimeOffset> Runs(string key)
    {
        if (!runs.TryGetValue(key, out var list))
        {
            list = [];
            runs[key] = list;
        }

        return list;
    }

    private static void Add(List<DateTimeOffset> list, DateTimeOffset now)
    {
        list.RemoveAll(t => t <= now - ProbeNowLimit.Window);
        list.Add(now);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, list) in runs.ToList())
        {
            list.RemoveAll(t => t <= now - ProbeNowLimit.Window);
            if (list.Count == 0)
            {
                runs.Remove(key);
            }
        }
    }
}
