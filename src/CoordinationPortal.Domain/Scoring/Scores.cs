using CoordinationPortal.Domain.Framework;

namespace CoordinationPortal.Domain.Scoring;

/// <summary>The score of each layer, 0–100, or null where nothing in that layer has been assessed yet.</summary>
public sealed record LayerScores(double? Compute, double? Data, double? Governance, double? Skills, double? Operations)
{
    public static LayerScores Empty { get; } = new(null, null, null, null, null);

    public double? this[Layer layer] => layer switch
    {
        Layer.Compute => Compute,
        Layer.Data => Data,
        Layer.Governance => Governance,
        Layer.Skills => Skills,
        Layer.Operations => Operations,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };

    public bool IsComplete => Layers.All.All(l => this[l] is not null);

    public static LayerScores From(Func<Layer, double?> score) =>
        new(score(Layer.Compute), score(Layer.Data), score(Layer.Governance), score(Layer.Skills), score(Layer.Operations));
}

/// <summary>
/// An agency's readiness index shown three ways. The arithmetic mean lets a strong layer hide a weak one;
/// the geometric mean and the Mazziotta–Pareto index (MPI) penalise an unbalanced profile.
/// </summary>
public sealed record ReadinessIndex(double Mean, double Geometric, double Balanced)
{
    /// <summary>How many points the imbalance between layers costs: mean minus the balanced index.</summary>
    public double ImbalancePenalty => Mean - Balanced;
}

public static class Scores
{
    /// <summary>An indicator at level L scores (L−1)/4×100: level 1 is 0, level 5 is 100.</summary>
    public static double Indicator(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, ReadinessFramework.MinLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, ReadinessFramework.MaxLevel);
        return (level - 1) / 4.0 * 100.0;
    }

    /// <summary>
    /// A layer's score is the weighted mean of the scores of its assessed indicators. Indicators not yet
    /// assessed are left out rather than counted as zero; a layer with none assessed has no score.
    /// </summary>
    public static double? Layer(LayerDefinition layer, IReadOnlyDictionary<string, int> levels)
    {
        double weighted = 0, weights = 0;
        foreach (var indicator in layer.Indicators)
        {
            if (levels.TryGetValue(indicator.Id, out var level))
            {
                weighted += indicator.Weight * Indicator(level);
                weights += indicator.Weight;
            }
        }

        return weights > 0 ? weighted / weights : null;
    }

    public static LayerScores Layers(ReadinessFramework framework, IReadOnlyDictionary<string, int> levels) =>
        LayerScores.From(l => Layer(framework.LayerOf(l), levels));

    /// <summary>The three indices, or null until all five layers have a score.</summary>
    public static ReadinessIndex? Index(LayerScores scores)
    {
        if (!scores.IsComplete)
        {
            return null;
        }

        return Index(Domain.Layers.All.Select(l => scores[l]!.Value).ToArray());
    }

    public static ReadinessIndex Index(IReadOnlyList<double> layerScores)
    {
        ArgumentOutOfRangeException.ThrowIfZero(layerScores.Count);
        var n = layerScores.Count;
        var mean = layerScores.Average();

        // Any layer at zero makes the geometric mean zero: nothing in place on one layer is not offset by the others.
        var geometric = layerScores.Any(s => s <= 0) ? 0 : Math.Exp(layerScores.Sum(Math.Log) / n);

        // Mazziotta–Pareto: MPI = M − S·cv with S the population standard deviation and cv = S/M.
        // Clamped at 0 so the index stays on the same 0–100 scale as the layers.
        var s = Math.Sqrt(layerScores.Sum(x => (x - mean) * (x - mean)) / n);
        var balanced = mean <= 0 ? 0 : Math.Max(0, mean - (s * (s / mean)));

        return new ReadinessIndex(mean, geometric, balanced);
    }

    /// <summary>The level band a score falls in, for showing a layer score as a maturity level (1.0–5.0).</summary>
    public static double AsLevel(double score) => 1 + (score / 100.0 * 4);
}
