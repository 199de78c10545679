namespace CoordinationPortal.Benchmarks;

/// <summary>How much work each benchmark does; <c>--quick</c> trims the timed loops, not the 1,000-agency portfolio.</summary>
internal sealed record BenchSettings(
    bool Quick,
    int AssessmentAgencies,
    int AssessmentOperations,
    int AssessmentWarmup,
    int PortfolioAgencies,
    int HttpRequests,
    int HttpWarmup)
{
    /// <summary>Assessments whose arrival in a second portal process is timed.</summary>
    public int FeedSamples => Quick ? 50 : 200;

    /// <summary>Issue target: an assessment (append + inline projections) at p95.</summary>
    public const double AssessmentTargetP95Ms = 20;

    /// <summary>Issue target: the 1,000-agency portfolio, API and page, at p95.</summary>
    public const double PortfolioTargetP95Ms = 200;

    public static BenchSettings For(bool quick) => quick
        ? new(Quick: true, AssessmentAgencies: 50, AssessmentOperations: 300, AssessmentWarmup: 50, PortfolioAgencies: 1000, HttpRequests: 50, HttpWarmup: 10)
        : new(Quick: false, AssessmentAgencies: 50, AssessmentOperations: 2000, AssessmentWarmup: 50, PortfolioAgencies: 1000, HttpRequests: 200, HttpWarmup: 20);
}
