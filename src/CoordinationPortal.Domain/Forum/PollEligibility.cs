using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Forum;

/// <summary>Whether a person may vote in a group's polls, and the member agencies they may vote for (agency basis).</summary>
public sealed record PollVoter(bool Eligible, IReadOnlyList<Guid> Agencies)
{
    public static PollVoter None { get; } = new(false, []);
}

/// <summary>
/// Who votes: the group's current chair, secretary and members (not observers), and the leads of its member agencies.
/// A person represents the member agency of their membership, and every member agency they lead.
/// </summary>
public static class PollEligibility
{
    public static PollVoter For(WorkingGroup group, Reader reader)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.Name.Length == 0)
        {
            return PollVoter.None;
        }

        var members = group.MemberAgencies.ToHashSet();
        var membership = group.People.LastOrDefault(p => p.Person == WorkingGroup.Normalize(reader.Name));
        var votesAsPerson = membership is { Role: GroupRole.Chair or GroupRole.Secretary or GroupRole.Member };
        var led = members.Where(reader.LeadsAgencies.Contains).ToList();
        if (!votesAsPerson && led.Count == 0)
        {
            return PollVoter.None;
        }

        var agencies = new List<Guid>();
        if (votesAsPerson && membership!.AgencyId is { } own && members.Contains(own))
        {
            agencies.Add(own);
        }

        agencies.AddRange(led.Where(a => !agencies.Contains(a)).Order());
        return new PollVoter(true, agencies);
    }
}
