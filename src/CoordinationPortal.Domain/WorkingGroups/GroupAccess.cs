namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>Who is asking: the user name, whether they are a portal admin, and the agencies they lead.</summary>
public sealed record Reader(string Name, bool IsAdmin, IReadOnlySet<Guid> LeadsAgencies)
{
    public static Reader Anonymous { get; } = new("", false, new HashSet<Guid>());
}

/// <summary>
/// What a person may do in a working group. Admins form groups and may do everything; a group's chair and secretary
/// manage its sessions, minutes, decisions and action items; the people of the group (any role) and the leads of its
/// member agencies read everything of it; any signed-in reader sees the group, its approved minutes and its decisions.
/// An agency's leads change the status of the action items their agency owns.
/// </summary>
public sealed record GroupAccess(bool ReadsAll, bool Manages)
{
    public static GroupAccess For(WorkingGroup group, Reader reader)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(reader);
        var role = group.RoleOf(reader.Name);
        var manages = reader.IsAdmin || role is GroupRole.Chair or GroupRole.Secretary;
        var reads = manages || role is not null || group.MemberAgencies.Any(reader.LeadsAgencies.Contains);
        return new GroupAccess(reads, manages);
    }

    /// <summary>Managers of the group, and leads of the agency that owns the item.</summary>
    public bool MayUpdate(ActionItem item, Reader reader) => Manages || reader.LeadsAgencies.Contains(item.AgencyId);

    /// <summary>Draft minutes are for the group; approved minutes (and amendments) are for every reader.</summary>
    public bool MayReadMinutes(GroupSession session) => ReadsAll || session.MinutesAreApproved;
}
