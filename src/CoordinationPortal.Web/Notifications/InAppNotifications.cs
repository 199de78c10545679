using System.Security.Cryptography;
using System.Text;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Web.OutOfStep;
using Marten;

namespace CoordinationPortal.Web.Notifications;

/// <summary>
/// One flag raised or resolved, told to one person: a lead of the agency when it happened. Copies what the list shows
/// (agency name, explanation) so it reads the same later, whatever became of the flag or the agency.
/// </summary>
public sealed record Notification
{
    public Guid Id { get; init; }

    /// <summary>The lead's user name, normalised as agencies store leads (<see cref="Agency.Normalize"/>).</summary>
    public string Recipient { get; init; } = "";

    public FlagNoticeKind Kind { get; init; }
    public Guid FlagId { get; init; }
    public int Occurrence { get; init; }
    public Guid AgencyId { get; init; }
    public string AgencyName { get; init; } = "";
    public string RuleId { get; init; } = "";
    public FlagSeverity Severity { get; init; }
    public LocalizedText Explanation { get; init; } = new("", "");
    public DateTimeOffset At { get; init; }
    public bool Read { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    public static Notification For(FlagNotice notice, string recipient) => new()
    {
        Id = NotificationIds.For("notification", notice.Flag.Id, notice.Flag.Occurrence, notice.Kind, recipient),
        Recipient = recipient,
        Kind = notice.Kind,
        FlagId = notice.Flag.Id,
        Occurrence = notice.Flag.Occurrence,
        AgencyId = notice.Agency.Id,
        AgencyName = notice.Agency.Name,
        RuleId = notice.Flag.RuleId,
        Severity = notice.Flag.Severity,
        Explanation = notice.Flag.Explanation,
        At = notice.At,
    };
}

/// <summary>
/// Ids derived from what they identify, so staging the same notice twice (an evaluation retried after its commit failed)
/// overwrites rather than duplicates.
/// </summary>
public static class NotificationIds
{
    /// <summary>The id of what a notice makes for <paramref name="purpose"/> (and, e.g., a recipient): one per flag, occurrence and kind.</summary>
    public static Guid For(string purpose, Guid flagId, int occurrence, FlagNoticeKind kind, string discriminator) =>
        From($"{purpose}/{flagId:N}/{occurrence}/{kind}/{discriminator}");

    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        // A version-8 (custom) UUID with the RFC 9562 variant.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}

/// <summary>Stores one notification per lead of the agency, in the evaluation's own transaction.</summary>
public sealed class InAppNotifications : IFlagSubscriber
{
    public Task StageAsync(IDocumentSession session, IReadOnlyList<FlagNotice> notices, CancellationToken ct)
    {
        foreach (var notice in notices)
        {
            // The agency's leads as it stores them: normalised, each once.
            foreach (var recipient in notice.Agency.Leads)
            {
                session.Store(Notification.For(notice, recipient));
            }
        }

        return Task.CompletedTask;
    }

    public Task CommittedAsync(IReadOnlyList<FlagNotice> notices, CancellationToken ct) => Task.CompletedTask;
}
