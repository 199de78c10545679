using System.Buffers;
using System.Globalization;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// One value a flag's explanation cites: the placeholder it fills (<c>{name}</c>) in English and in Hindi.
/// Numbers are written with InvariantCulture in both languages, so the explanation cites exactly the figure.
/// </summary>
public readonly record struct Citation(string Name, string En, string Hi)
{
    /// <summary>The number cited, as written (levels rounded to one decimal); null for text and dates.</summary>
    public double? Value { get; init; }

    /// <summary>A level, a spread or a number of points: one decimal, as the figure that goes with it is rounded.</summary>
    public static Citation Number(string name, double value)
    {
        var text = OneDecimal(value).ToString("0.0", CultureInfo.InvariantCulture);
        return new(name, text, text) { Value = OneDecimal(value) };
    }

    /// <summary>A change of level with its sign: +1.5, -0.5, 0.0.</summary>
    public static Citation Change(string name, double value)
    {
        var text = OneDecimal(value).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
        return new(name, text, text) { Value = OneDecimal(value) };
    }

    /// <summary>
    /// A percentage with one to three decimals, as many as it has (availability targets go to 99.999): 97.5, 99.95,
    /// 99.999. A value with more decimals is rounded to three; round it first where the direction matters.
    /// </summary>
    public static Citation Percent(string name, double value)
    {
        var text = value.ToString("0.0##", CultureInfo.InvariantCulture);
        return new(name, text, text);
    }

    public static Citation Whole(string name, long value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return new(name, text, text);
    }

    public static Citation Date(string name, DateOnly date)
    {
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(name, text, text);
    }

    public static Citation Text(string name, LocalizedText text) => new(name, text.En, text.Hi);

    public static Citation Verbatim(string name, string text) => new(name, text, text);

    /// <summary>Rounded as cited (half away from zero, as "0.0" formats), never minus zero.</summary>
    public static double OneDecimal(double value)
    {
        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary>
    /// Fills a template's placeholders with the citations. A placeholder is <c>{name}</c> with a name of letters and
    /// digits; one with no citation is left as written (the parser refuses templates with unknown placeholders).
    /// </summary>
    public static LocalizedText Fill(LocalizedText template, params ReadOnlySpan<Citation> citations) =>
        new(Fill(template.En, citations, hindi: false), Fill(template.Hi, citations, hindi: true));

    /// <summary>The placeholder names a template uses, in order of appearance.</summary>
    public static IEnumerable<string> PlaceholdersIn(string template)
    {
        var names = new List<string>();
        var i = 0;
        while (NextPlaceholder(template, ref i, out var start, out var length))
        {
            names.Add(template.Substring(start, length));
        }

        return names;
    }

    /// <summary>
    /// Two passes over the template: the first measures the text, the second writes it into a buffer on the stack (or
    /// a pooled one for a long text), so the only allocation is the text itself. Every flag's explanation is filled on
    /// each evaluation of every agency, so this is on the evaluator's hot path.
    /// </summary>
    private static string Fill(string template, ReadOnlySpan<Citation> citations, bool hindi)
    {
        var length = template.Length;
        var filled = 0;
        var i = 0;
        while (NextPlaceholder(template, ref i, out var start, out var nameLength))
        {
            if (Find(template.AsSpan(start, nameLength), citations) is { } found)
            {
                length += Written(citations[found], hindi).Length - nameLength - 2;
                filled++;
            }
        }

        if (filled == 0)
        {
            return template;
        }

        const int OnStack = 512;
        char[]? rented = null;
        Span<char> buffer = length <= OnStack ? stackalloc char[OnStack] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = 0;
            var copied = 0;
            i = 0;
            while (NextPlaceholder(template, ref i, out var start, out var nameLength))
            {
                if (Find(template.AsSpan(start, nameLength), citations) is { } found)
                {
                    template.AsSpan(copied, start - 1 - copied).CopyTo(buffer[written..]);
                    written += start - 1 - copied;
                    var value = Written(citations[found], hindi);
                    value.CopyTo(buffer[written..]);
                    written += value.Length;
                    copied = i;
                }
            }

            template.AsSpan(copied).CopyTo(buffer[written..]);
            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int? Find(ReadOnlySpan<char> name, ReadOnlySpan<Citation> citations)
    {
        for (var c = 0; c < citations.Length; c++)
        {
            if (name.SequenceEqual(citations[c].Name))
            {
                return c;
            }
        }

        return null;
    }

    private static string Written(in Citation citation, bool hindi) => hindi ? citation.Hi : citation.En;

    /// <summary>Finds the next <c>{name}</c> from <paramref name="i"/>; on success <paramref name="i"/> is past its brace.</summary>
    private static bool NextPlaceholder(string template, ref int i, out int start, out int length)
    {
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                break;
            }

            var end = open + 1;
            while (end < template.Length && char.IsAsciiLetterOrDigit(template[end]))
            {
                end++;
            }

            if (end < template.Length && template[end] == '}' && end > open + 1)
            {
                start = open + 1;
                length = end - start;
                i = end + 1;
                return true;
            }

            i = open + 1;
        }

        i = template.Length;
        start = 0;
        length = 0;
        return false;
    }
}
