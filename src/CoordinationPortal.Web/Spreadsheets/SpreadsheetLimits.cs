namespace CoordinationPortal.Web.Spreadsheets;

/// <summary>
/// How much of a spreadsheet the portal takes in (configuration section <c>Spreadsheets</c>). A workbook is a zip, so
/// its size on the wire says little: the unpacked size and the number of entries are checked too, before any parsing.
/// </summary>
public sealed record SpreadsheetLimits
{
    /// <summary>The upload itself (<c>Spreadsheets:MaxUploadBytes</c>, 5 MB).</summary>
    public long MaxUploadBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>All entries of a workbook unpacked (<c>Spreadsheets:MaxUnpackedBytes</c>, 50 MB): a zip bomb stops here.</summary>
    public long MaxUnpackedBytes { get; init; } = 50 * 1024 * 1024;

    /// <summary>Entries in a workbook (<c>Spreadsheets:MaxEntries</c>, 100).</summary>
    public int MaxEntries { get; init; } = 100;

    /// <summary>Rows of a sheet read, the header included (<c>Spreadsheets:MaxRows</c>, 1000; a scorecard has a few dozen).</summary>
    public int MaxRows { get; init; } = 1000;

    /// <summary>An import with more changes than this is applied by a background job (<c>Spreadsheets:BackgroundChanges</c>, 20).</summary>
    public int BackgroundChanges { get; init; } = 20;

    /// <summary>How long an uploaded file waits for its preview to be applied (<c>Spreadsheets:KeepUploads</c>, a day).</summary>
    public TimeSpan KeepUploads { get; init; } = TimeSpan.FromDays(1);

    public static SpreadsheetLimits From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new SpreadsheetLimits();
        var section = configuration.GetSection("Spreadsheets");
        return new SpreadsheetLimits
        {
            MaxUploadBytes = section.GetValue(nameof(MaxUploadBytes), defaults.MaxUploadBytes),
            MaxUnpackedBytes = section.GetValue("MaxUnpackedBytes", defaults.MaxUnpackedBytes),
            MaxEntries = section.GetValue(nameof(MaxEntries), defaults.MaxEntries),
            MaxRows = section.GetValue(nameof(MaxRows), defaults.MaxRows),
            BackgroundChanges = section.GetValue(nameof(BackgroundChanges), defaults.BackgroundChanges),
            KeepUploads = section.GetValue(nameof(KeepUploads), defaults.KeepUploads),
        };
    }
}
