using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Domain.Tests.WorkingGroups;

/// <summary>
/// Test data for the working-group streams: one national group of two agencies (a third exists and may join), its
/// people, one session and one action item, in India Standard Time. "Now" is 10 March 2026, 10:00; the session is
/// planned for 20 March. The three deciders are reached through <see cref="DeciderSpec{TState, TCommand}"/>.
/// </summary>
internal static class Wg
{
    public const string Admin = "admin@portal.gov.in";
    public const string Chair = "meera.iyer@meity.gov.in";
    public const string Secretary = "rahul.das@meity.gov.in";
    public const string Member = "kavya.nair@niti.gov.in";
    public const string Observer = "arjun.mehta@nasscom.in";
    public const string Lead = "asha.rao@meity.gov.in";

    public static readonly Guid GroupId = new("4d2b7e10-9c3a-4f61-8b25-1a7e3c9d0f42");
    public static readonly Guid Meity = new("6f1c2a8e-3b7d-4e59-9a10-2c4d5e6f7a8b");
    public static readonly Guid Niti = new("0b6c7a52-58f1-4b1e-9f0e-3c1d2e4f5a6b");
    public static readonly Guid Health = new("a3e9d1c4-7b2f-4a8e-9c51-6d0f2b3e4a17");
    public static readonly Guid Stranger = new("e7f8a9b0-1c2d-4e3f-8a5b-6c7d8e9f0a1b");
    public static readonly Guid SessionId = new("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
    public static readonly Guid ActionItemId = new("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
    public static readonly Guid FlagId = new("5c4b3a29-1807-4f6e-9d5c-4b3a29180706");

    public static readonly TimeSpan Ist = new(5, 30, 0);

    public static readonly IReadOnlySet<Guid> Known = new HashSet<Guid> { Meity, Niti, Health };
    public static readonly LocalizedText Name = new("National AI compute coordination group", "राष्ट्रीय एआई कंप्यूट समन्वय समूह");
    public static readonly LocalizedText Purpose = new("Shared GPU capacity across ministries.", "मंत्रालयों में साझा जीपीयू क्षमता।");

    public static readonly DateTimeOffset FormedAt = At(2025, 6, 2);
    public static readonly DateOnly FormedOn = new(2025, 6, 2);
    public static readonly DateTimeOffset Now = At(2026, 3, 10);
    public static readonly DateOnly Today = new(2026, 3, 10);
    public static readonly DateTimeOffset Starts = At(2026, 3, 20, 10);
    public static readonly DateTimeOffset Ends = At(2026, 3, 20, 13);

    public static readonly DeciderSpec<WorkingGroup, GroupCommand> Groups = new(WorkingGroup.Evolve, WorkingGroupDecider.Decide);
    public static readonly DeciderSpec<GroupSession, SessionCommand> Sessions = new(GroupSession.Evolve, GroupSessionDecider.Decide);
    public static readonly DeciderSpec<ActionItem, ActionItemCommand> Items = new(ActionItem.Evolve, ActionItemDecider.Decide);

    public static DateTimeOffset At(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, Ist);

    public static WorkingGroupFormed Formed() => new(GroupId, Name, Purpose, ForumKind.National, [Meity, Niti], FormedOn, Admin, FormedAt);

    public static PersonJoinedGroup Joined(string person, GroupRole role, Guid? agencyId = null, DateOnly? on = null) =>
        new(GroupId, person, role, agencyId, on ?? FormedOn, Admin, FormedAt);

    public static DecisionRecorded DecisionNumber(int number, DateOnly? reviewOn = null) => new(
        GroupId, number, new LocalizedText($"Decision {number}.", $"निर्णय {number}।"), null, DecisionBasis.Consensus, [], [], [], [],
        reviewOn, new DateOnly(2026, 1, 15), Chair, At(2026, 1, 15));

    public static SessionScheduled Scheduled(IReadOnlyList<AgendaItem>? agenda = null, DateTimeOffset? starts = null) => new(
        SessionId, GroupId, "Quarterly compute review", starts ?? Starts, (starts ?? Starts) + TimeSpan.FromHours(3), "Room 4, MeitY", null,
        agenda ?? [], Chair, At(2026, 3, 1));

    public static SessionStarted Started(DateTimeOffset? at = null) => new(SessionId, Chair, at ?? Starts);

    public static MinutesDrafted Drafted(string markdown = "## Minutes\nGPU pool agreed.") => new(SessionId, markdown, Secretary, At(2026, 3, 20, 15));

    public static MinutesApproved Approved() => new(SessionId, Chair, At(2026, 3, 21));

    /// <summary>The id the session decider gives the agenda item entered without one at <paramref name="index"/>, at stream version <paramref name="version"/>.</summary>
    public static Guid AgendaId(long version, int index) => StableIds.For(SessionId, $"agenda:{version}:{index}");

    /// <summary>The id of the agenda item that carries <paramref name="actionItemId"/> forward.</summary>
    public static Guid CarriedId(Guid actionItemId) => StableIds.For(SessionId, $"carried:{actionItemId:N}");

    public static ActionItemRecorded ItemRecorded(ActionTarget? target = null, Guid? flagId = null, DateOnly? due = null) => new(
        ActionItemId, GroupId, SessionId, "Publish the shared GPU booking policy", Meity, Lead, Layer.Compute, flagId, target,
        due ?? new DateOnly(2026, 4, 30), Chair, At(2026, 3, 1));

    public static ActionItemStatusChanged StatusChanged(ActionStatus status, string? note = null, DateTimeOffset? at = null) =>
        new(ActionItemId, status, note, Lead, at ?? At(2026, 3, 5));

    public static string Text(int length) => new('x', length);
}

/// <summary>Refusals that name their fields: the exact errors, code and field, in any order, and nothing recorded.</summary>
internal static class OutcomeFields
{
    public static void ThenRefused(this Outcome outcome, params DomainError[] errors)
    {
        Assert.False(outcome.Decision.IsAccepted, "Expected a refusal, but the command was accepted.");
        Assert.Empty(outcome.Decision.Events);
        Assert.Equal(errors.Select(Key).Order(StringComparer.Ordinal), outcome.Decision.Errors.Select(Key).Order(StringComparer.Ordinal));
    }

    private static string Key(DomainError e) => e.Code + " @ " + e.Field;
}
