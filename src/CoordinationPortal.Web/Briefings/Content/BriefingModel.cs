using CoordinationPortal.Domain;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Briefings;
using CoordinationPortal.Domain.OutOfStep;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Domain.Scoring;
using CoordinationPortal.Domain.WorkingGroups;

namespace CoordinationPortal.Web.Briefings.Content;

/// <summary>
/// Everything one briefing shows, in its language, and the <see cref="DataVersion"/> it reflects. The PDF's tables and
/// the CSV annex are both made from it, so they cannot disagree; nothing in it depends on who reads it.
/// <see cref="AnnexHeader"/> is the annex's header row in the briefing's language.
/// </summary>
public sealed record BriefingModel(
    BriefingTarget Target,
    string Title,
    string ScopeName,
    DataVersion Version,
    DateOnly GeneratedOn,
    IReadOnlyDictionary<Layer, string> LayerNames,
    IReadOnlyList<BriefingAgency> Agencies,
    BriefingIndices? Indices,
    IReadOnlyList<PeerSeries> Peers,
    IReadOnlyList<BriefingFlag> Flags,
    SeverityTally OpenFlags,
    IReadOnlyList<BriefingEndpoint> Endpoints,
    SummaryPoints Summary,
    AssessmentCycle LastQuarter,
    AgencyWork? AgencyWork,
    GroupWork? GroupWork,
    IReadOnlyList<string> RulesInForce,
    IReadOnlyList<string> AnnexHeader)
{
    public string Language => Target.Language;

    /// <summary>The agencies the heatmap prints (all, or the weakest when there are too many for a page or two).</summary>
    public IReadOnlyList<BriefingAgency> HeatmapRows => BriefingTables.HeatmapRows(Agencies);

    public bool HeatmapCapped => Agencies.Count > HeatmapRows.Count;

    /// <summary>The open flags the table prints: the most severe first, at most <see cref="BriefingTables.FlagLimit"/>.</summary>
    public IReadOnlyList<BriefingFlag> FlagRows => [.. Flags.Take(BriefingTables.FlagLimit)];

    public string LayerName(Layer layer) => LayerNames.TryGetValue(layer, out var name) ? name : layer.ToString();
}

/// <summary>One agency of the scope: names in the briefing's language, its layer scores, indices and open flags.</summary>
public sealed record BriefingAgency(
    Guid Id,
    string Name,
    string Sector,
    string SectorName,
    string Jurisdiction,
    string JurisdictionName,
    LayerScores Scores,
    ReadinessIndex? Index,
    int OpenFlags);

/// <summary>The three indices of the scope (its agencies' averages, or the agency's own) over <see cref="Agencies"/> agencies.</summary>
public sealed record BriefingIndices(double Mean, double Geometric, double Balanced, int Agencies)
{
    public double ImbalancePenalty => Mean - Balanced;
}

/// <summary>One line of the peer comparison: a label (the subject, a sector, "national average"), its layer averages and how many agencies make them.</summary>
public sealed record PeerSeries(string Label, LayerScores Scores, int Agencies, bool IsSubject);

/// <summary>An open flag as the briefing prints it.</summary>
public sealed record BriefingFlag(string AgencyName, string RuleId, string RuleTitle, FlagSeverity Severity, string Explanation, DateOnly RaisedOn);

/// <summary>A non-retired endpoint, its targets and its standing over the 30 complete days through the data version's date.</summary>
public sealed record BriefingEndpoint(string Name, string AgencyName, SloTargets Targets, SloReport Report);

/// <summary>An action item as a working group's briefing prints it.</summary>
public sealed record BriefingActionItem(string Title, string AgencyName, Layer Layer, ActionStatus Status, DateOnly Due, int DaysOverdue);

/// <summary>A decision from a group's log.</summary>
public sealed record BriefingDecision(string GroupName, int Number, string Text, DecisionBasis Basis, DateOnly TakenOn);

/// <summary>A group an agency belongs to, with the open and overdue action-item counts every signed-in reader sees on the groups list.</summary>
public sealed record AgencyGroup(string Name, int OpenItems, int OverdueItems);

/// <summary>
/// An agency's part in working groups. Its action items themselves are for each group's readers, and an agency's
/// briefing is for every signed-in reader, so it carries the groups' counts (public on the groups list) and decisions.
/// </summary>
public sealed record AgencyWork(IReadOnlyList<AgencyGroup> Groups, IReadOnlyList<BriefingDecision> Decisions);

/// <summary>A session of a group: when, and where it stands.</summary>
public sealed record BriefingSession(string Title, DateOnly On, SessionState State);

/// <summary>A working group's own part: purpose, members, sessions, decisions and action items (open and overdue first).</summary>
public sealed record GroupWork(
    string Purpose,
    IReadOnlyList<string> Members,
    IReadOnlyList<BriefingSession> Sessions,
    IReadOnlyList<BriefingDecision> Decisions,
    IReadOnlyList<BriefingActionItem> Items,
    int ItemCount);
