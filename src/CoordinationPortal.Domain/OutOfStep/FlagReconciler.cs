namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>An event for one flag stream; <see cref="IsNew"/> when the stream does not exist yet.</summary>
public sealed record FlagChange(Guid FlagId, bool IsNew, object Event);

/// <summary>
/// Turns one agency's findings into flag events, given the agency's flags as they stand. Pure and idempotent:
/// reconciling the same findings against the flags they produced yields nothing.
/// </summary>
public static class FlagReconciler
{
    public static IReadOnlyList<FlagChange> Reconcile(
        Guid agencyId,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<Flag> flags,
        DateTimeOffset at,
        ISet<string>? activeRuleIds = null)
    {
        var byId = flags.Where(f => f.AgencyId == agencyId).ToDictionary(f => f.Id);
        var changes = new List<FlagChange>();
        var found = new HashSet<Guid>();
        foreach (var finding in findings)
        {
            var id = FlagIds.For(agencyId, finding.RuleId, finding.Subject);
            if (!found.Add(id))
            {
                continue; // one flag per rule and subject, whatever a rule returns
            }

            byId.TryGetValue(id, out var flag);
            if (flag is null || !flag.IsOpen)
            {
                changes.Add(new FlagChange(id, flag is null, new FlagRaised(
                    id, agencyId, finding.RuleId, finding.Kind, finding.Subject, finding.Severity, finding.Layers,
                    finding.Figures, finding.Explanation, (flag?.Occurrence ?? 0) + 1, at)));
            }
            else if (!SameAs(flag, finding))
            {
                changes.Add(new FlagChange(id, false, new FlagUpdated(
                    id, finding.Severity, finding.Layers, finding.Figures, finding.Explanation, at)));
            }
        }

        foreach (var flag in byId.Values.Where(f => f.IsOpen && !found.Contains(f.Id)).OrderBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal))
        {
            var reason = activeRuleIds is null || activeRuleIds.Contains(flag.RuleId)
                ? ResolutionReason.ConditionCleared
                : ResolutionReason.RuleWithdrawn;
            changes.Add(new FlagChange(flag.Id, false, new FlagResolved(flag.Id, reason, at)));
        }

        return changes;
    }

    private static bool SameAs(Flag flag, Finding finding) =>
        flag.Severity == finding.Severity
        && flag.Layers.SequenceEqual(finding.Layers)
        && flag.Figures.SequenceEqual(finding.Figures)
        && flag.Explanation == finding.Explanation;
}
