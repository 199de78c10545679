// TEMPORARY until the probes-domain branch merges.
namespace CoordinationPortal.Domain.Probes;
public sealed record SloTargets(double AvailabilityPercent, int P95TtftMs, double MinOutputTokensPerSecond);
public enum SloWindow { Hour, Day, Week, Month }
public sealed record StreamMeasurement(
    double TtftMs, double EndToEndMs, int OutputTokens, bool TokensFromUsage,
    IReadOnlyList<double> InterTokenLatenciesMs, double? TpotMs, double? OutputTokensPerSecond,
    double? ItlP50Ms, double? ItlP95Ms);
public sealed record SloReport(
    SloWindow Window, long Samples, double? AvailabilityPercent, double? TtftP50Ms, double? TtftP95Ms,
    double? TokensPerSecondP50, double? ErrorBudgetRemainingPercent,
    bool? AvailabilityMet, bool? TtftMet, bool? ThroughputMet);
