using System.Globalization;
using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.Probes;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// The briefing's words and numbers in its language: the executive summary written from <see cref="SummaryPoints"/>,
/// dates, scores and SLO cells. Called during the render, with the thread's culture set to the briefing's.
/// </summary>
public static class BriefingWords
{
    public static string Score(double? score) => score is { } s ? s.ToString("0", CultureInfo.CurrentCulture) : "–";

    public static string OneDecimal(double value) => value.ToString("0.0", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Quarter(IStringLocalizer text, AssessmentCycle cycle) =>
        text["Briefing.Quarter", ((cycle.Start.Month - 1) / 3) + 1, cycle.Start.Year.ToString(CultureInfo.InvariantCulture)].Value;

    public static string ScopeWord(IStringLocalizer text, BriefingScope scope) => text["Briefing.Scope." + scope].Value;

    /// <summary>The one paragraph of the executive summary: where the scope stands, what is most out of step, its open flags, and what changed since the last quarter.</summary>
    public static string Summary(BriefingModel model, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        var p = model.Summary;
        if (p.Agencies == 0)
        {
            return text["Briefing.Summary.Empty"].Value;
        }

        var sentences = new List<string>();
        if (model.Target.Scope == BriefingScope.Agency)
        {
            var agency = model.Agencies[0];
            sentences.Add(agency.Index is { } index
                ? text["Briefing.Summary.AgencyStanding", model.ScopeName, Score(index.Balanced), Score(index.Mean)].Value
                : text["Briefing.Summary.AgencyStandingNoIndex", model.ScopeName].Value);
        }
        else
        {
            sentences.Add(p.AverageBalanced is { } balanced
                ? text["Briefing.Summary.Standing", model.ScopeName, p.Agencies, p.FullyAssessed, Score(balanced)].Value
                : text["Briefing.Summary.StandingNoIndex", model.ScopeName, p.Agencies].Value);
        }

        if (p.Strongest is { } strong && p.Weakest is { } weak)
        {
            sentences.Add(text["Briefing.Summary.Layers", model.LayerName(strong), Score(p.StrongestScore), model.LayerName(weak), Score(p.WeakestScore)].Value);
        }

        sentences.Add(p.LargestGap is { } gap
            ? text["Briefing.Summary.Gap", model.LayerName(gap.Lead), model.LayerName(gap.Lag), OneDecimal(gap.MeanLevels), gap.Agencies].Value
            : text["Briefing.Summary.NoGap"].Value);
        if (p.CommonestRule is { } rule)
        {
            var title = model.Flags.FirstOrDefault(f => f.RuleId == rule.RuleId)?.RuleTitle ?? rule.RuleId;
            sentences.Add(text["Briefing.Summary.CommonRule", title, rule.Count, p.OpenFlags.Total].Value);
        }

        sentences.Add(p.OpenFlags.Total > 0
            ? text["Briefing.Summary.Flags", p.OpenFlags.High, p.OpenFlags.Medium, p.OpenFlags.Low].Value
            : text["Briefing.Summary.NoFlags"].Value);

        var quarter = Quarter(text, model.LastQuarter);
        var due = Date(model.LastQuarter.DueDate);
        if (!p.Compared)
        {
            sentences.Add(text["Briefing.Summary.NoHistory", quarter, due].Value);
        }
        else if (p.LargestRise is null && p.LargestFall is null)
        {
            sentences.Add(text["Briefing.Summary.Steady", quarter, due].Value);
        }
        else
        {
            if (p.LargestRise is { } rise)
            {
                sentences.Add(text["Briefing.Summary.Rise", quarter, due, model.LayerName(rise.Layer), Score(rise.Then), Score(rise.Now)].Value);
            }

            if (p.LargestFall is { } fall)
            {
                sentences.Add(p.LargestRise is null
                    ? text["Briefing.Summary.FallSince", quarter, due, model.LayerName(fall.Layer), Score(fall.Then), Score(fall.Now)].Value
                    : text["Briefing.Summary.FallAlso", model.LayerName(fall.Layer), Score(fall.Then), Score(fall.Now)].Value);
            }
        }

        return string.Join(" ", sentences);
    }

    /// <summary>One SLO cell in words: the figure, the target and whether it was met, so colour is never the only cue.</summary>
    public static string SloCell(IStringLocalizer text, string? figure, string target, bool? met) =>
        text["Briefing.Slo.Cell", figure ?? "–", target, text[met switch { true => "Briefing.Slo.Met", false => "Briefing.Slo.Missed", null => "Briefing.Slo.NoData" }].Value].Value;

    public static string Availability(BriefingEndpoint e, IStringLocalizer text) => SloCell(
        text,
        e.Report.AvailabilityPercent is { } a ? a.ToString("0.00", CultureInfo.CurrentCulture) + " %" : null,
        e.Targets.AvailabilityPercent.ToString("0.##", CultureInfo.CurrentCulture) + " %",
        e.Report.AvailabilityMet);

    public static string Ttft(BriefingEndpoint e, IStringLocalizer text) => SloCell(
        text,
        e.Report.TtftP95Ms is { } t ? t.ToString("0", CultureInfo.CurrentCulture) + " ms" : null,
        "≤ " + e.Targets.P95TtftMs.ToString(CultureInfo.CurrentCulture) + " ms",
        e.Report.TtftMet);

    public static string Throughput(BriefingEndpoint e, IStringLocalizer text) => SloCell(
        text,
        e.Report.TokensPerSecondP50 is { } t ? t.ToString("0.0", CultureInfo.CurrentCulture) : null,
        "≥ " + e.Targets.MinOutputTokensPerSecond.ToString("0.#", CultureInfo.CurrentCulture),
        e.Report.ThroughputMet);

    public static string SloClass(bool? met) => met switch { true => "met", false => "missed", null => "nodata" };

    /// <summary>A layer's scores as words for a chart's alternative text, e.g. "Compute 56, Data 40, …".</summary>
    public static string LayerList(BriefingModel model, Domain.Scoring.LayerScores scores) =>
        string.Join(", ", Layers.All.Select(l => $"{model.LayerName(l)} {Score(scores[l])}"));
}
