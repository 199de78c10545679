namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// The id of a flag is a name-based UUID (version 5) of agency, rule and subject: every evaluation, in any process,
/// finds the same stream for the same condition.
/// </summary>
public static class FlagIds
{
    private static readonly Guid Namespace = new("5b0f3a8e-6f0c-4d5e-9d8a-1f2c3b4a5d6e");

    public static Guid For(Guid agencyId, string ruleId, string subject) => StableIds.For(Namespace, $"{agencyId:N}/{ruleId}/{subject}");
}
