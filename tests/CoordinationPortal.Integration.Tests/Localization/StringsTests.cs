using System.Text.RegularExpressions;
using CoordinationPortal.Web.Localization;

namespace CoordinationPortal.Integration.Tests.Localization;

public sealed partial class StringsTests
{
    private static readonly PortalStrings Strings = PortalStrings.Load();

    [Fact]
    public void every_string_has_english_and_hindi_text()
    {
        var missing = Strings.Entries
            .Where(e => e.Key != "App.Name")
            .Where(e => !e.Value.TryGetValue("hi", out var hi) || !Devanagari().IsMatch(hi) || string.IsNullOrWhiteSpace(e.Value.GetValueOrDefault("en")))
            .Select(e => e.Key)
            .ToList();
        Assert.True(missing.Count == 0, "Missing a language: " + string.Join(", ", missing));
    }

    [Fact]
    public void placeholders_match_between_languages()
    {
        foreach (var (key, texts) in Strings.Entries)
        {
            var en = Placeholders().Matches(texts["en"]).Select(m => m.Value).Order().ToList();
            var hi = Placeholders().Matches(texts["hi"]).Select(m => m.Value).Order().ToList();
            Assert.True(en.SequenceEqual(hi), $"{key}: {string.Join(",", en)} vs {string.Join(",", hi)}");
        }
    }

    [Fact]
    public void every_key_the_code_uses_exists()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "CoordinationPortal.Web");
        var used = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => UsedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(k => !k.EndsWith('.'))
            .Distinct()
            .ToList();
        Assert.NotEmpty(used);
        var unknown = used.Where(k => !Strings.Entries.ContainsKey(k)).ToList();
        Assert.True(unknown.Count == 0, "Keys used but not defined: " + string.Join(", ", unknown));
    }

    [Fact]
    public void every_domain_error_code_has_a_message()
    {
        var domain = Path.Combine(RepositoryRoot(), "src", "CoordinationPortal.Domain");
        var codes = Directory.EnumerateFiles(domain, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => ErrorCode().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        Assert.NotEmpty(codes);
        var missing = codes.Where(c => !Strings.Entries.ContainsKey("Error." + c)).ToList();
        Assert.True(missing.Count == 0, "No message for: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoordinationPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex("[\u0900-\u097F]")]
    private static partial Regex Devanagari();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholders();

    [GeneratedRegex(@"(?:L|text)\[""([A-Za-z.]+)""")]
    private static partial Regex UsedKey();

    /// <summary>
    /// A code is any string literal of the shape <c>"Area.Name"</c> in the domain: not only <c>new DomainError("…")</c>
    /// but codes chosen in a condition or passed on as a default (<c>code = "WorkingGroup.TextRequired"</c>).
    /// </summary>
    [GeneratedRegex(@"(?<!cref=)(?<!name=)""((?!CoordinationPortal\.)[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+)""")]
    private static partial Regex ErrorCode();
}
