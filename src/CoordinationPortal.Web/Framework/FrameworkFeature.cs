using System.Text.Json;
using System.Text.Json.Serialization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Framework;

public sealed record ReferenceItem(string Code, LocalizedText Name);

/// <summary>
/// Names of agency kinds, sectors and jurisdictions in every language, from <c>seed-data/reference.json</c>; and the
/// known agencies' names in every language (<see cref="AgencyNames"/>, code = the registered English name), which the
/// portfolio's search matches.
/// </summary>
public sealed record ReferenceData(
    IReadOnlyList<ReferenceItem> AgencyKinds,
    IReadOnlyList<ReferenceItem> Sectors,
    IReadOnlyList<ReferenceItem> Jurisdictions,
    IReadOnlyList<ReferenceItem>? AgencyNames = null)
{
    /// <summary>An agency's name in both languages: the Hindi one where the reference names it, else the registered name.</summary>
    public LocalizedText AgencyName(string registered) =>
        AgencyNames?.FirstOrDefault(i => string.Equals(i.Code, registered, StringComparison.Ordinal))?.Name ?? new LocalizedText(registered, registered);


    public string KindName(AgencyKind kind, string language) => NameOf(AgencyKinds, kind.ToString(), language);

    public string SectorName(string code, string language) => NameOf(Sectors, code, language);

    public string JurisdictionName(string code, string language) => NameOf(Jurisdictions, code, language);

    private static string NameOf(IReadOnlyList<ReferenceItem> items, string code, string language) =>
        items.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase))?.Name.For(language) ?? code;
}

/// <summary>The readiness framework and the reference names (kinds, sectors, jurisdictions), read from <c>seed-data/</c>.</summary>
public sealed class FrameworkFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup) => AddReadinessFramework(setup.Builder);

    internal static readonly JsonSerializerOptions SeedJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The folder holding the framework and seed documents: configurable, else next to the binaries.</summary>
    public static string SeedDataDirectory(IConfiguration configuration) =>
        configuration["SeedData:Directory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "seed-data");

    private static void AddReadinessFramework(WebApplicationBuilder builder)
    {
        var directory = SeedDataDirectory(builder.Configuration);
        var frameworkFile = builder.Configuration["Framework:File"] is { Length: > 0 } f
            ? f
            : Path.Combine(directory, "framework", "readiness-framework.v1.json");
        var framework = FrameworkParser.Parse(File.ReadAllText(frameworkFile));
        var reference = JsonSerializer.Deserialize<ReferenceData>(
            File.ReadAllText(Path.Combine(directory, "reference.json")), SeedJson)
            ?? throw new InvalidOperationException("seed-data/reference.json is empty.");
        builder.Services.AddSingleton(framework);
        builder.Services.AddSingleton(reference);
    }
}
