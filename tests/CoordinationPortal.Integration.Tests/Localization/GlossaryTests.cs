using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoordinationPortal.Integration.Tests.Localization;

/// <summary>
/// One vocabulary: every bilingual text (the portal's strings and the seed data) uses the Hindi of
/// <c>docs/glossary.md</c> for the terms it lists, and none of the words the glossary rules out.
/// </summary>
public sealed partial class GlossaryTests
{
    /// <summary>Texts where a word of the glossary means something else or is part of a name, with the reason.</summary>
    private static readonly Dictionary<string, string> OtherMeaning = new(StringComparer.Ordinal)
    {
        ["strings.notifications.json/Webhooks.Signature"] = "\"compute\" is the verb (compute the HMAC)",
        ["strings.forum.operator.json/Operator.Api.UnknownPanel"] = "panel names are API values (flags, action-items)",
        ["strings.briefings.api.json/BriefingApi.MalformedDetail"] = "scope names are API values (sector, jurisdiction, agency)",
        ["reference.json/agencyNames[13].name"] = "a department's own name (ई-शासन, e-Governance), not the layer",
        ["readiness-framework.v1.json/layers[3].indicators[0].levels[2].descriptor"] = "\"target roles\" are the roles a training plan aims at",
    };

    [Fact]
    public void the_glossary_lists_checked_terms()
    {
        var terms = Glossary();
        Assert.True(terms.Count >= 20, $"Only {terms.Count} checked terms were read from docs/glossary.md.");
        Assert.Contains(terms, t => t.English.Contains("out of step") && t.HindiForms.Contains("तालमेल से बाहर"));
    }

    [Fact]
    public void every_text_that_uses_a_term_uses_its_hindi()
    {
        var texts = BilingualTexts();
        Assert.True(texts.Count > 1000, $"Only {texts.Count} bilingual texts found.");
        var problems = new List<string>();
        foreach (var term in Glossary())
        {
            var english = new Regex(@"\b(?:" + string.Join('|', term.English.Select(Regex.Escape)) + @")\b", RegexOptions.IgnoreCase);
            foreach (var text in texts)
            {
                if (OtherMeaning.ContainsKey(text.Where) || !english.IsMatch(Prose(text.English)))
                {
                    continue;
                }

                if (!term.HindiForms.Any(text.Hindi.Contains))
                {
                    problems.Add($"{text.Where}: uses \"{term.English[0]}\" but its Hindi has none of {string.Join(", ", term.HindiForms)}: {text.Hindi}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void no_text_uses_a_word_the_glossary_rules_out()
    {
        var problems = new List<string>();
        foreach (var term in Glossary())
        {
            foreach (var never in term.Never)
            {
                // A word's start: not preceded by a Devanagari letter, so प्रशासन (administration) is not शासन.
                var pattern = new Regex(@"(?<![\u0900-\u097F])" + Regex.Escape(never));
                problems.AddRange(BilingualTexts()
                    .Where(t => !OtherMeaning.ContainsKey(t.Where) && pattern.IsMatch(t.Hindi))
                    .Select(t => $"{t.Where}: \"{never}\" where the glossary says \"{term.Hindi}\": {t.Hindi}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void the_check_finds_a_text_that_strays()
    {
        var term = Glossary().Single(t => t.English.Contains("jurisdiction"));
        var english = new Regex(@"\b(?:" + string.Join('|', term.English.Select(Regex.Escape)) + @")\b", RegexOptions.IgnoreCase);
        Assert.Matches(english, Prose("By jurisdiction"));
        Assert.DoesNotContain(term.HindiForms, "अधिकार-क्षेत्र के अनुसार".Contains);
        Assert.DoesNotMatch(english, Prose("Use /api/v1/jurisdiction/{jurisdiction} here"));
    }

    private sealed record Term(IReadOnlyList<string> English, string Hindi, IReadOnlyList<string> HindiForms, IReadOnlyList<string> Never);

    private sealed record BilingualText(string Where, string English, string Hindi);

    /// <summary>The English a reader reads: placeholders and code-like words (paths, event names, query strings) removed.</summary>
    private static string Prose(string english) => CodeLike().Replace(Placeholder().Replace(english, " "), " ");

    private static List<Term> Glossary()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "glossary.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("## Checked terms", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/glossary.md has no \"## Checked terms\" section.");
        return lines.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith('|') && !l.StartsWith("| English", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Select(c => new Term(List(c[0]), c[1], List(c[2]), List(c[3])))
            .ToList();

        static string[] List(string cell) => cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static List<BilingualText> BilingualTexts()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src", "CoordinationPortal.Web", "Localization"), "strings*.json")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "seed-data"), "*.json", SearchOption.AllDirectories));
        var texts = new List<BilingualText>();
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file), options);
            Walk(document.RootElement, Path.GetFileName(file) + "/", texts);
        }

        return texts;
    }

    private static void Walk(JsonElement element, string where, List<BilingualText> texts)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("en", out var en) && element.TryGetProperty("hi", out var hi)
                && en.ValueKind == JsonValueKind.String && hi.ValueKind == JsonValueKind.String)
            {
                texts.Add(new BilingualText(where.TrimEnd('.'), en.GetString()!, hi.GetString()!));
            }

            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, where + property.Name + ".", texts);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, where.TrimEnd('.') + $"[{i++}].", texts);
            }
        }
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

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();

    /// <summary>A word with a dot, slash, underscore, equals sign or question mark inside it: a path, an event name, a query.</summary>
    [GeneratedRegex(@"\S*[./_=?]\S*[A-Za-z]\S*")]
    private static partial Regex CodeLike();
}
