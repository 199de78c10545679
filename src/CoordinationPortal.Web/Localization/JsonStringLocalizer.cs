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

    /// <summary>
    /// Loads <c>Localization/strings.json</c> and every feature file beside it (<c>strings.*.json</c>); a key defined twice
    /// is an error, so features cannot silently override each other.
    /// </summary>
    public static PortalStrings Load()
    {
        const string prefix = "CoordinationPortal.Web.Localization.strings";
        var assembly = typeof(PortalStrings).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException("The embedded strings.json is missing.");
        }

        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var entries = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(stream)
                ?? throw new InvalidOperationException($"{name} is empty.");
            foreach (var (key, texts) in entries)
            {
                if (!all.TryAdd(key, texts))
                {
                    throw new InvalidOperationException($"The string key {key} is defined twice ({name}).");
                }
            }
        }

        return new PortalStrings(all);
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

    /// <summary>A localizer that answers in <paramref name="culture"/> whatever the thread's culture (a page showing both languages at once).</summary>
    public IStringLocalizer For(CultureInfo culture) => new JsonStringLocalizer(this, culture);
}

/// <summary>The portal's strings in the current UI culture, or in a fixed one when <paramref name="culture"/> is given.</summary>
public sealed class JsonStringLocalizer(PortalStrings strings, CultureInfo? culture = null) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var text = strings.Find(name, culture ?? CultureInfo.CurrentUICulture);
            return new LocalizedString(name, text ?? name, resourceNotFound: text is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = strings.Find(name, culture ?? CultureInfo.CurrentUICulture);
            return new LocalizedString(
                name,
                string.Format(culture ?? CultureInfo.CurrentCulture, text ?? name, arguments),
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
