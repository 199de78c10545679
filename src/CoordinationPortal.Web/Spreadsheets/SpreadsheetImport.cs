using CoordinationPortal.Domain.Spreadsheets;

namespace CoordinationPortal.Web.Spreadsheets;

public enum ImportStatus
{
    /// <summary>Uploaded and previewed; waits to be applied until it expires.</summary>
    Previewed,
    Queued,
    Running,
    Applied,

    /// <summary>The same file (by SHA-256) had already been applied to this agency: nothing was done again.</summary>
    AlreadyApplied,
    Failed,
}

/// <summary>
/// An uploaded scorecard file and what became of it (Marten document). It keeps the file between the preview and
/// applying it (dropped once applied, refused or stopped; an upload never applied is deleted when it expires, by
/// <see cref="ExpiredUploadsJob"/>), its SHA-256 for good, and the progress of a background apply.
/// </summary>
public sealed record SpreadsheetImport
{
    public Guid Id { get; init; }
    public Guid AgencyId { get; init; }
    public string Sha256 { get; init; } = "";
    public string FileName { get; init; } = "";
    public byte[] Content { get; init; } = [];
    public string UploadedBy { get; init; } = "";

    /// <summary>The agencies the uploading token was restricted to, if it was: a background apply keeps to them.</summary>
    public IReadOnlyList<Guid> TokenAgencies { get; init; } = [];
    public DateTimeOffset UploadedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public ImportStatus Status { get; init; }

    /// <summary>Changes to apply, and applied (all of them at once: an import is one transaction).</summary>
    public int Total { get; init; }
    public int Done { get; init; }
    public long FileVersion { get; init; }
    public long? VersionAfter { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why a background apply stopped (a domain or sheet code), when it did.</summary>
    public string? Failure { get; init; }

    /// <summary>The plan as last computed: what the preview showed, or what was applied.</summary>
    public ImportPlan? Plan { get; init; }
}
