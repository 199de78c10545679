using System.Collections.ObjectModel;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Scoring;

namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// One rule from <c>seed-data/out-of-step-rules.json</c>: which kind of check it is (the function that runs it), its
/// severity, its settings (thresholds, layers, windows; numbers and layer names as strings), and the texts a flag
/// shows. Several rules may share a kind with different settings (the four lead rules are one kind).
/// </summary>
public sealed record RuleDefinition(
    string Id,
    string Kind,
    FlagSeverity Severity,
    bool Enabled,
    IReadOnlyDictionary<string, string> Settings,
    LocalizedText Title,
    LocalizedText Explanation)
{
    /// <summary>
    /// Further explanation templates, by name, for a kind that explains more than one case (claimed-vs-measured
    /// explains an availability miss with <see cref="Explanation"/>, a TTFT miss with <c>ttft</c> and a missing
    /// endpoint with <c>noEndpoint</c>). Empty for the other kinds.
    /// </summary>
    public IReadOnlyDictionary<string, LocalizedText> Cases { get; init; } = new Dictionary<string, LocalizedText>();
}

/// <summary>
/// The rules in force. <see cref="ActiveIds"/> are the enabled ones; a flag of any other rule is withdrawn.
/// <see cref="Active"/> and <see cref="ActiveIds"/> are worked out once, when <see cref="Rules"/> is set.
/// Two rule sets are equal when their versions are and they hold the same list of rules.
/// </summary>
public sealed record RuleSet(string Version, IReadOnlyList<RuleDefinition> Rules)
{
    // Set from the constructor's argument here, and again by the init accessor when a copy is made with other rules.
    private (ReadOnlyCollection<RuleDefinition> Rules, ReadOnlySet<string> Ids) _active = ActiveOf(Rules);

    public IReadOnlyList<RuleDefinition> Rules
    {
        get;
        init
        {
            field = value;
            _active = ActiveOf(value);
        }
    } = Rules;

    /// <summary>The enabled rules, in file order.</summary>
    public IEnumerable<RuleDefinition> Active => _active.Rules;

    /// <summary>The ids of the enabled rules (read-only).</summary>
    public ISet<string> ActiveIds => _active.Ids;

    public bool Equals(RuleSet? other) =>
        other is not null && string.Equals(Version, other.Version, StringComparison.Ordinal) && Equals(Rules, other.Rules);

    public override int GetHashCode() => HashCode.Combine(Version, Rules);

    private static (ReadOnlyCollection<RuleDefinition>, ReadOnlySet<string>) ActiveOf(IReadOnlyList<RuleDefinition> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        RuleDefinition[] active = [.. rules.Where(r => r.Enabled)];
        return (Array.AsReadOnly(active), new ReadOnlySet<string>(active.Select(r => r.Id).ToHashSet(StringComparer.Ordinal)));
    }
}

/// <summary>
/// A kind of rule: a pure function of one rule's settings and one agency's facts. Adding a kind of check is one
/// <see cref="RuleKind"/> (with this function) added to <see cref="OutOfStepRules.Registry"/> and one entry in the
/// rules file.
/// </summary>
public delegate IEnumerable<Finding> RuleFunction(RuleDefinition rule, RuleContext context);

/// <summary>
/// One agency's facts with what the rules derive from them, computed once per evaluation: layer scores and levels
/// now (as of <see cref="AgencyFacts.At"/>) and as of earlier moments, and when each layer was last assessed.
/// Layer scores are derived as the scorecard derives them: the latest level of each indicator up to the moment,
/// then <see cref="Scores.Layers"/>. The history is taken to be in business-time order (as
/// <see cref="AgencyFacts"/> promises), so the last change of an indicator up to a moment is its level then.
/// </summary>
public sealed class RuleContext
{
    private readonly LayerLevels _now;
    private readonly DateTimeOffset?[] _lastAssessed = new DateTimeOffset?[Layers.All.Count];
    private readonly LocalizedText?[] _names = new LocalizedText?[Layers.All.Count];
    private List<(DateTimeOffset Moment, LayerLevels Levels)>? _earlier;

    public RuleContext(AgencyFacts facts, ReadinessFramework framework)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(framework);
        Facts = facts;
        Framework = framework;
        _now = Derive(facts.At, _lastAssessed);
    }

    public AgencyFacts Facts { get; }

    public ReadinessFramework Framework { get; }

    /// <summary>The moment evaluated, as a calendar date in the offset of <see cref="AgencyFacts.At"/>.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Facts.At.DateTime);

    /// <summary>The layer scores (0–100) as they stand at <see cref="AgencyFacts.At"/>.</summary>
    public LayerScores Scores => _now.Scores;

    /// <summary>A layer's level (1.0–5.0, <see cref="Scoring.Scores.AsLevel"/> of its score) now; null when nothing in it is assessed.</summary>
    public double? Level(Layer layer) => _now.Level(layer);

    /// <summary>
    /// A layer's level as it stood at <paramref name="moment"/> (changes at that instant included); null when nothing
    /// in it was assessed by then.
    /// </summary>
    public double? LevelAsOf(DateTimeOffset moment, Layer layer) => LevelsAsOf(moment).Level(layer);

    /// <summary>When an indicator of the layer was last assessed, up to <see cref="AgencyFacts.At"/>; null if never.</summary>
    public DateTimeOffset? LastAssessed(Layer layer) => _lastAssessed[(int)layer];

    /// <summary>The layer's name in the framework (English and Hindi).</summary>
    public LocalizedText LayerName(Layer layer) => _names[(int)layer] ??= Framework.LayerOf(layer).Name;

    /// <summary>
    /// The end of a calendar day in the offset of <see cref="AgencyFacts.At"/>: its last instant, so that
    /// <see cref="LevelAsOf"/> at it includes every change made that day and none made the next.
    /// </summary>
    public DateTimeOffset EndOf(DateOnly day) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Facts.At.Offset).AddTicks(-1);

    /// <summary>
    /// Of the layers <paramref name="value"/> gives a value for, the one with the highest value and the one with the
    /// lowest; on a tie the first in framework order. Null when no layer has a value; one layer can be both.
    /// </summary>
    internal static LayerExtremes? Extremes(Func<Layer, double?> value)
    {
        LayerExtremes? found = null;
        foreach (var layer in Layers.All)
        {
            if (value(layer) is not { } v)
            {
                continue;
            }

            var f = found ?? new LayerExtremes(layer, v, layer, v);
            if (v > f.High)
            {
                f = f with { Highest = layer, High = v };
            }

            if (v < f.Low)
            {
                f = f with { Lowest = layer, Low = v };
            }

            found = f;
        }

        return found;
    }

    private LayerLevels LevelsAsOf(DateTimeOffset moment)
    {
        if (moment == Facts.At)
        {
            return _now;
        }

        _earlier ??= [];
        foreach (var (at, levels) in _earlier)
        {
            if (at == moment)
            {
                return levels;
            }
        }

        var derived = Derive(moment, lastAssessed: null);
        _earlier.Add((moment, derived));
        return derived;
    }

    private LayerLevels Derive(DateTimeOffset moment, DateTimeOffset?[]? lastAssessed)
    {
        var history = Facts.History;
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < history.Count; i++)
        {
            var change = history[i];
            if (change.At > moment || !Framework.TryFind(change.IndicatorId, out var layer, out _))
            {
                continue; // after the moment, or not an indicator of this framework (not scored either)
            }

            levels[change.IndicatorId] = change.Level;
            if (lastAssessed is not null)
            {
                ref var last = ref lastAssessed[(int)layer.Layer];
                if (last is null || change.At > last)
                {
                    last = change.At;
                }
            }
        }

        return new LayerLevels(Domain.Scoring.Scores.Layers(Framework, levels));
    }

    private sealed class LayerLevels
    {
        private readonly double?[] _levels = new double?[Layers.All.Count];

        public LayerLevels(LayerScores scores)
        {
            Scores = scores;
            foreach (var layer in Layers.All)
            {
                _levels[(int)layer] = scores[layer] is { } score ? Domain.Scoring.Scores.AsLevel(score) : null;
            }
        }

        public LayerScores Scores { get; }

        public double? Level(Layer layer) => _levels[(int)layer];
    }
}

/// <summary>The layer with the highest value and the one with the lowest (see <see cref="RuleContext.Extremes"/>).</summary>
internal readonly record struct LayerExtremes(Layer Highest, double High, Layer Lowest, double Low);
