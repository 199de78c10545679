using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Localization;

/// <summary>Marker type for the portal's one resource file, <c>Localization/strings.json</c>.</summary>
public sealed class SharedResource;

/// <summary>
/// Every string a user reads, keyed, with one entry per language side by side so a missing translation is
/// obvious (and a test fails on it). Adding a language means adding a column to each entry.
/// </summary>
public sealed class PortalStrings
{
    public static readonly IReadOnlyList<string> Languages = ["en", "hi"];

    public PortalStrings(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> entries)
    {
        Entries = entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public FrozenDictionary<string, IReadOnlyDictionary<string, string>> Entries { get; }

    public static PortalStrings Load()
    {
        using var stream = typeof(PortalStrings).Assembly.GetManifestResourceStream("CoordinationPortal.Web.Localization.strings.json")
            ?? throw new InvalidOperationException("The embedded strings.json is missing.");
        var entries = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(stream)
            ?? throw new InvalidOperationException("strings.json is empty.");
        return new PortalStrings(entries.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)e.Value));
    }

    public string? Find(string key, CultureInfo culture)
    {
        if (!Entries.TryGetValue(key, out var byLanguage))
        {
            return null;
        }

        return byLanguage.TryGetValue(culture.TwoLetterISOLanguageName, out var text) && text.Length > 0
            ? text
            : byLanguage.GetValueOrDefault("en");
    }
}

public sealed class JsonStringLocalizer(PortalStrings strings) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var text = strings.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, text ?? name, resourceNotFound: text is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = strings.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(
                name,
                string.Format(CultureInfo.CurrentCulture, text ?? name, arguments),
                resourceNotFound: text is null);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        strings.Entries.Keys.Select(k => this[k]);
}

public sealed class JsonStringLocalizerFactory(PortalStrings strings) : IStringLocalizerFactory
{
    private readonly JsonStringLocalizer _localizer = new(strings);

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
