namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// Comparisons of derived levels with configured thresholds. Levels are weighted means, so a profile that is exactly
/// at a threshold on paper may be a few units in the last place off; these comparisons forgive that much and no more.
/// </summary>
internal static class Thresholds
{
    private const double Tolerance = 1e-9;

    public static bool AtLeast(double value, double threshold) => value >= threshold - Tolerance;

    public static bool AtMost(double value, double threshold) => value <= threshold + Tolerance;

    public static bool MoreThan(double value, double threshold) => value > threshold + Tolerance;
}
