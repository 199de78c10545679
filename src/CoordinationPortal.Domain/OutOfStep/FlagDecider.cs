using CoordinationPortal.Domain.Agencies;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>A lead or admin acknowledges an open flag with a note.</summary>
public sealed record AcknowledgeFlag(Guid FlagId, string Note, string By, DateTimeOffset At);

public static class FlagDecider
{
    public const int MaxNoteLength = 2000;

    public static Decision Decide(AcknowledgeFlag command, Flag? flag)
    {
        if (flag is null)
        {
            return Decision.Reject(new DomainError("Flag.NotFound"));
        }

        var note = command.Note?.Trim() ?? "";
        var errors = new List<DomainError>();
        if (note.Length == 0)
        {
            errors.Add(new DomainError("Flag.NoteRequired", "note"));
        }
        else if (note.Length > MaxNoteLength)
        {
            errors.Add(new DomainError("Flag.NoteTooLong", "note"));
        }

        if (flag.Status == FlagStatus.Resolved)
        {
            errors.Add(new DomainError("Flag.AlreadyResolved"));
        }

        if (errors.Count > 0)
        {
            return Decision.Reject(errors);
        }

        return Decision.Accept(new FlagAcknowledged(flag.Id, note, command.By, command.At));
    }
}
