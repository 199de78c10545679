namespace CoordinationPortal.Domain.OutOfStep;

/// <summary>
/// <c>claimed-vs-measured</c>: a layer of <c>layers</c> self-assessed at level <c>minClaimedLevel</c> or above while
/// the agency's endpoints missed their availability or TTFT target over the last 7 days
/// (<see cref="EndpointMeasure.Week"/>); or, for <c>noEndpointLayer</c>, while no endpoint is registered at all.
/// One flag per layer (the subject is the layer). Endpoints without samples in the week count neither way.
/// The flag cites the worst endpoint: one that missed availability (the largest shortfall) before one that missed
/// only TTFT (the largest p95 against its target). Explained with the rule's explanation for an availability miss,
/// its <c>ttft</c> case for a TTFT miss and its <c>noEndpoint</c> case for no endpoint. Measured values are cited
/// rounded towards the target missed (availability down, at the precision the target is cited with; TTFT up), so a
/// miss never reads as met.
/// </summary>
public static class ClaimedVsMeasuredRule
{
    public const string KindName = "claimed-vs-measured";
    public const string TtftCase = "ttft";
    public const string NoEndpointCase = "noEndpoint";

    private static readonly string[] Common = ["layer", "claimedLevel", "minClaimedLevel"];
    private static readonly string[] Missed = [.. Common, "missed", "measured", "endpoint"];

    public static RuleKind Kind { get; } = new(
        KindName,
        Evaluate,
        [
            new("layers", SettingType.LayerList),
            new("minClaimedLevel", SettingType.Number, Min: 1, Max: 5),
            new("noEndpointLayer", SettingType.Layer, Required: false),
        ],
        [
            new(RuleText.Explanation, [.. Missed, "availability", "availabilityTarget"]),
            new(TtftCase, [.. Missed, "ttftP95", "ttftTarget"]),
            new(NoEndpointCase, Common),
        ]);

    public static IEnumerable<Finding> Evaluate(RuleDefinition rule, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(context);
        var minClaimed = rule.Number("minClaimedLevel");
        var noEndpointLayer = rule.OptionalLayer("noEndpointLayer");
        var measured = context.Facts.Measured;
        Evidence? evidence = null;
        List<Finding>? findings = null;
        foreach (var layer in rule.LayerList("layers"))
        {
            if (context.Level(layer) is not { } claimed || !Thresholds.AtLeast(claimed, minClaimed))
            {
                continue;
            }

            Finding? finding = null;
            if (measured.HasEndpoints)
            {
                evidence ??= Evidence.Of(measured.Endpoints);
                if (evidence.Worst is not null)
                {
                    finding = Missing(rule, context, layer, claimed, minClaimed, evidence);
                }
            }
            else if (layer == noEndpointLayer)
            {
                finding = new Finding(
                    rule.Id,
                    rule.Kind,
                    layer.ToString(),
                    rule.Severity,
                    [layer],
                    [new Figure("claimedLevel", Citation.OneDecimal(claimed))],
                    Citation.Fill(
                        rule.Cases[NoEndpointCase],
                        Citation.Text("layer", context.LayerName(layer)),
                        Citation.Number("claimedLevel", claimed),
                        Citation.Number("minClaimedLevel", minClaimed)));
            }

            if (finding is not null)
            {
                (findings ??= []).Add(finding);
            }
        }

        return findings ?? [];
    }

    private static Finding Missing(RuleDefinition rule, RuleContext context, Layer layer, double claimed, double minClaimed, Evidence evidence)
    {
        var worst = evidence.Worst!;
        var week = worst.Week;
        var common = new[]
        {
            Citation.Text("layer", context.LayerName(layer)),
            Citation.Number("claimedLevel", claimed),
            Citation.Number("minClaimedLevel", minClaimed),
            Citation.Whole("missed", evidence.Missed),
            Citation.Whole("measured", evidence.Measured),
            Citation.Verbatim("endpoint", worst.Name),
        };
        List<Figure> figures =
        [
            new("claimedLevel", Citation.OneDecimal(claimed)),
            new("endpointsMissed", evidence.Missed),
            new("endpointsMeasured", evidence.Measured),
        ];
        LocalizedText explanation;
        if (week.AvailabilityMet == false)
        {
            var target = worst.Targets.AvailabilityPercent;
            var availability = RoundedDown(week.AvailabilityPercent!.Value, DecimalsFor(target));
            figures.Add(new("availabilityPercent", availability));
            figures.Add(new("availabilityTargetPercent", target));
            explanation = Citation.Fill(
                rule.Explanation,
                [.. common, Citation.Percent("availability", availability), Citation.Percent("availabilityTarget", target)]);
        }
        else
        {
            var p95 = Math.Ceiling(week.TtftP95Ms!.Value);
            var target = worst.Targets.P95TtftMs;
            figures.Add(new("ttftP95Ms", p95));
            figures.Add(new("ttftTargetMs", target));
            explanation = Citation.Fill(
                rule.Cases[TtftCase],
                [.. common, Citation.Whole("ttftP95", (long)p95), Citation.Whole("ttftTarget", target)]);
        }

        return new Finding(rule.Id, rule.Kind, layer.ToString(), rule.Severity, [layer], figures, explanation);
    }

    /// <summary>Decimals an availability is cited with: two, or three for a target that has three (up to 99.999).</summary>
    private static int DecimalsFor(double targetPercent) => (decimal)targetPercent * 100 % 1 == 0 ? 2 : 3;

    private static double RoundedDown(double percent, int decimals)
    {
        var scale = decimals == 2 ? 100m : 1000m;
        return (double)(Math.Floor((decimal)percent * scale) / scale);
    }

    /// <summary>The week's SLO standing of the agency's endpoints, worked out once per evaluation.</summary>
    private sealed record Evidence(int Measured, int Missed, EndpointMeasure? Worst)
    {
        public static Evidence Of(IReadOnlyList<EndpointMeasure> endpoints)
        {
            int measured = 0, missed = 0;
            EndpointMeasure? worst = null;
            foreach (var endpoint in endpoints)
            {
                if (endpoint.Week.AllMet is null)
                {
                    continue;
                }

                measured++;
                if (!Misses(endpoint.Week))
                {
                    continue;
                }

                missed++;
                if (worst is null || Worse(endpoint, worst))
                {
                    worst = endpoint;
                }
            }

            return new Evidence(measured, missed, worst);
        }

        private static bool Misses(Probes.SloReport week) => week.AvailabilityMet == false || week.TtftMet == false;

        private static bool Worse(EndpointMeasure a, EndpointMeasure b)
        {
            var (aMissesAvailability, bMissesAvailability) = (a.Week.AvailabilityMet == false, b.Week.AvailabilityMet == false);
            if (aMissesAvailability != bMissesAvailability)
            {
                return aMissesAvailability;
            }

            var (aBy, bBy) = aMissesAvailability
                ? (Shortfall(a), Shortfall(b))
                : (Excess(a), Excess(b));
            if (aBy != bBy)
            {
                return aBy > bBy;
            }

            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName < 0 : a.EndpointId.CompareTo(b.EndpointId) < 0;
        }

        private static double Shortfall(EndpointMeasure e) => e.Targets.AvailabilityPercent - e.Week.AvailabilityPercent!.Value;

        private static double Excess(EndpointMeasure e) => e.Week.TtftP95Ms!.Value / Math.Max(1, e.Targets.P95TtftMs);
    }
}
