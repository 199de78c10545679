using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CoordinationPortal.Domain.Briefings;

/// <summary>What a briefing covers: the whole portfolio, a sector, a jurisdiction, one agency or one working group.</summary>
public enum BriefingScope
{
    National,
    Sector,
    Jurisdiction,
    Agency,
    WorkingGroup,
}

/// <summary>
/// One briefing a reader may ask for: a scope, its subject (<c>all</c> for national, a sector or jurisdiction code, an
/// agency or group id) and the language (<c>en</c> or <c>hi</c>). The URL forms (<c>national</c>, <c>working-group</c>)
/// are the API's; <see cref="TryParse"/> accepts exactly those, so a target that parses is safe to put in a cache key,
/// a file name or a job argument.
/// </summary>
public sealed record BriefingTarget(BriefingScope Scope, string Subject, string Language)
{
    public const string AllSubject = "all";

    public static IReadOnlyList<string> Languages { get; } = ["en", "hi"];

    public static IReadOnlyList<BriefingScope> Scopes { get; } = Enum.GetValues<BriefingScope>();

    /// <summary>The scope as the API and the pages write it.</summary>
    public static string Slug(BriefingScope scope) => scope switch
    {
        BriefingScope.National => "national",
        BriefingScope.Sector => "sector",
        BriefingScope.Jurisdiction => "jurisdiction",
        BriefingScope.Agency => "agency",
        BriefingScope.WorkingGroup => "working-group",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    public string ScopeSlug => Slug(Scope);

    /// <summary>The agency or working-group id, for the scopes whose subject is one.</summary>
    public Guid? SubjectId => Scope is BriefingScope.Agency or BriefingScope.WorkingGroup && Guid.TryParse(Subject, out var id) ? id : null;

    /// <summary>Scope, subject and language as one stable text (the cache key's first part).</summary>
    public override string ToString() => $"{ScopeSlug}/{Subject}/{Language}";

    public static bool TryParseScope(string? text, out BriefingScope scope)
    {
        foreach (var candidate in Scopes)
        {
            if (string.Equals(Slug(candidate), text, StringComparison.Ordinal))
            {
                scope = candidate;
                return true;
            }
        }

        scope = default;
        return false;
    }

    /// <summary>
    /// A target from the URL's parts, or null when any part is not one the API takes: an unknown scope or language, a
    /// national subject other than <c>all</c>, a code that is not 1–40 letters, digits or hyphens, an id that is not a
    /// non-empty GUID. A missing language is English. Whether the subject exists is the reader's to check.
    /// </summary>
    public static bool TryParse(string? scope, string? subject, string? language, [NotNullWhen(true)] out BriefingTarget? target)
    {
        target = null;
        var lang = string.IsNullOrEmpty(language) ? "en" : language;
        if (!TryParseScope(scope, out var parsed) || !Languages.Contains(lang) || string.IsNullOrEmpty(subject))
        {
            return false;
        }

        string? normalised = parsed switch
        {
            BriefingScope.National => subject == AllSubject ? AllSubject : null,
            BriefingScope.Sector or BriefingScope.Jurisdiction => IsCode(subject) ? subject : null,
            _ => Guid.TryParse(subject, CultureInfo.InvariantCulture, out var id) && id != Guid.Empty ? id.ToString("D") : null,
        };
        if (normalised is null)
        {
            return false;
        }

        target = new BriefingTarget(parsed, normalised, lang);
        return true;
    }

    private static bool IsCode(string text) =>
        text.Length is >= 1 and <= 40 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

/// <summary>
/// The version of the data a briefing reflects: the highest event sequence among the streams it reads, and the last
/// complete day of endpoint measurements its SLO table covers (30 days up to and including it). Two briefings of one
/// target with equal versions are built from the same data.
/// </summary>
public sealed record DataVersion(long Sequence, DateOnly MeasuredThrough)
{
    /// <summary>The version as printed on every page and used in the cache key, e.g. <c>4711.20261205</c>.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"{Sequence}.{MeasuredThrough:yyyyMMdd}");

    public override string ToString() => Tag;
}
