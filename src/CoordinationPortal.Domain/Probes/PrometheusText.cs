using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace CoordinationPortal.Domain.Probes;

/// <summary>One sample of a metrics scrape: a metric name, its labels and its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// The samples read from a scrape and how many lines could not be read. <see cref="Truncated"/> is true when
/// parsing stopped at the sample limit, so later lines were neither read nor counted.
/// </summary>
public sealed record PrometheusParse(IReadOnlyList<MetricSample> Samples, int MalformedLines)
{
    public bool Truncated { get; init; }
}

/// <summary>
/// A reader for the Prometheus text exposition format 0.0.4. It is tolerant: a line it cannot read is skipped and
/// counted, and the rest of the scrape is still read. Timestamps are accepted and dropped.
/// </summary>
public static class PrometheusText
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = ReadOnlyDictionary<string, string>.Empty;

    public static PrometheusParse Parse(string text, int maxSamples = 50_000)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamples);

        var samples = new List<MetricSample>();
        var malformed = 0;
        var truncated = false;
        var rest = text.AsSpan();

        while (rest.Length > 0)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];

            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            line = line.TrimStart(" \t");
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (samples.Count >= maxSamples)
            {
                truncated = true;
                break;
            }

            if (TryParseLine(line, out var sample))
            {
                samples.Add(sample);
            }
            else
            {
                malformed++;
            }
        }

        return new PrometheusParse(samples, malformed) { Truncated = truncated };
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out MetricSample sample)
    {
        sample = null!;

        var nameLength = MetricNameLength(line);
        if (nameLength == 0)
        {
            return false;
        }

        var name = line[..nameLength].ToString();
        var rest = line[nameLength..].TrimStart(" \t");

        var labels = NoLabels;
        if (rest.Length > 0 && rest[0] == '{')
        {
            if (!TryParseLabels(ref rest, out var parsed))
            {
                return false;
            }

            labels = parsed;
        }
        else if (rest.Length == line.Length - nameLength)
        {
            // Neither labels nor whitespace after the name: "metric_name5" is not a sample.
            return false;
        }

        rest = rest.TrimStart(" \t");
        var valueLength = rest.IndexOfAny(' ', '\t');
        var valueText = valueLength < 0 ? rest : rest[..valueLength];
        if (!TryParseValue(valueText, out var value))
        {
            return false;
        }

        rest = valueLength < 0 ? [] : rest[valueLength..].Trim(" \t");
        if (rest.Length > 0 && !long.TryParse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        sample = new MetricSample(name, labels, value);
        return true;
    }

    /// <summary>The length of the metric name at the start of the line: [a-zA-Z_:][a-zA-Z0-9_:]*.</summary>
    private static int MetricNameLength(ReadOnlySpan<char> line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetter(line[i]) || line[i] == '_' || line[i] == ':' || (i > 0 && char.IsAsciiDigit(line[i]))))
        {
            i++;
        }

        return i;
    }

    private static int LabelNameLength(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_' || (i > 0 && char.IsAsciiDigit(text[i]))))
        {
            i++;
        }

        return i;
    }

    /// <summary>Reads {name="value",...} (a trailing comma allowed) and leaves <paramref name="rest"/> after the brace.</summary>
    private static bool TryParseLabels(ref ReadOnlySpan<char> rest, out IReadOnlyDictionary<string, string> labels)
    {
        labels = NoLabels;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = rest[1..];
        var value = new StringBuilder();

        while (true)
        {
            text = text.TrimStart(" \t");
            if (text.Length == 0)
            {
                return false;
            }

            if (text[0] == '}')
            {
                text = text[1..];
                break;
            }

            var nameLength = LabelNameLength(text);
            if (nameLength == 0)
            {
                return false;
            }

            var labelName = text[..nameLength].ToString();
            text = text[nameLength..].TrimStart(" \t");
            if (text.Length == 0 || text[0] != '=')
            {
                return false;
            }

            text = text[1..].TrimStart(" \t");
            if (text.Length == 0 || text[0] != '"')
            {
                return false;
            }

            text = text[1..];
            value.Clear();
            var closed = false;
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '"')
                {
                    closed = true;
                    break;
                }

                if (c == '\\')
                {
                    if (i + 1 >= text.Length)
                    {
                        return false;
                    }

                    var escaped = text[i + 1] switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        'n' => '\n',
                        _ => '\0',
                    };
                    if (escaped == '\0')
                    {
                        return false;
                    }

                    value.Append(escaped);
                    i += 2;
                    continue;
                }

                value.Append(c);
                i++;
            }

            if (!closed || !result.TryAdd(labelName, value.ToString()))
            {
                return false;
            }

            text = text[(i + 1)..].TrimStart(" \t");
            if (text.Length > 0 && text[0] == ',')
            {
                text = text[1..];
            }
            else if (text.Length == 0 || text[0] != '}')
            {
                return false;
            }
        }

        // The value must be separated from the closing brace only by optional whitespace, which the caller trims;
        // "}5" is accepted as Prometheus does.
        rest = text;
        labels = result.Count == 0 ? NoLabels : result;
        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        if (text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (text.Equals("+Inf", StringComparison.OrdinalIgnoreCase) || text.Equals("Inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (text.Equals("-Inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NegativeInfinity;
            return true;
        }

        // Digits, sign, point and exponent only: no thousands separators, no "Infinity" or "∞" spellings.
        const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (text.IsEmpty || !(char.IsAsciiDigit(text[^1]) || text[^1] == '.'))
        {
            value = 0;
            return false;
        }

        return double.TryParse(text, Styles, CultureInfo.InvariantCulture, out value);
    }
}
