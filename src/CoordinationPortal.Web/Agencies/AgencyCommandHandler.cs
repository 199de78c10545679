using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Kernel.Changes;

namespace CoordinationPortal.Web.Agencies;

/// <summary>
/// Agency commands, through the shared <see cref="StreamCommandRunner"/>: this handler says who may act and announces
/// what changed. Marten re-checks the version at commit, so a race between two saves is a conflict too. Pages, the
/// API and jobs all come through here.
/// </summary>
public sealed class AgencyCommandHandler(StreamCommandRunner runner, ReadinessFramework framework, PortalClock clock, ChangeFeed changes)
{
    public const string SystemActor = "system";

    public Task<CommandOutcome> HandleAsync(ClaimsPrincipal user, AgencyCommand command, long? expectedVersion, CancellationToken ct)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return Task.FromResult<CommandOutcome>(new CommandOutcome.Forbidden());
        }

        return RunAsync(command with { By = name, At = clock.Now }, expectedVersion, agency => MayAct(user, command, agency), ct);
    }

    /// <summary>
    /// Assessments of one agency written together: decided in order by <see cref="AgencyDecider.DecideAll"/> and appended in
    /// one transaction, so either every one is recorded or none is (a spreadsheet import).
    /// </summary>
    public Task<CommandOutcome> HandleAllAsync(ClaimsPrincipal user, Guid agencyId, IReadOnlyList<AssessIndicator> commands, long? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name) || commands.Any(c => c.AgencyId != agencyId))
        {
            return Task.FromResult<CommandOutcome>(new CommandOutcome.Forbidden());
        }

        var now = clock.Now;
        var stamped = commands.Select(c => c with { By = name, At = now }).ToList();
        return AppendAsync(agencyId, nameof(AssessIndicator) + "×" + stamped.Count, name, expectedVersion,
            agency => AgencyDecider.DecideAll(stamped, agency, framework), agency => stamped.All(c => MayAct(user, c, agency)), ct);
    }

    /// <summary>For the portal's own jobs (the staleness check): acts as <see cref="SystemActor"/> unless the command names someone.</summary>
    public Task<CommandOutcome> HandleAsSystemAsync(AgencyCommand command, CancellationToken ct) =>
        RunAsync(string.IsNullOrEmpty(command.By) ? command with { By = SystemActor } : command, null, _ => true, ct);

    private Task<CommandOutcome> RunAsync(AgencyCommand command, long? expectedVersion, Func<Agency?, bool> mayAct, CancellationToken ct)
    {
        var name = command.GetType().Name;
        if (command is RegisterAgency)
        {
            return mayAct(null)
                ? runner.StartAsync<Agency>(command.AgencyId, name, command.By, AgencyDecider.Decide(command, null, framework), "Agency.AlreadyRegistered", ct,
                    session => changes.Stage(session, new PortalChange(ChangeKinds.Agency, command.AgencyId, command.AgencyId)))
                : Task.FromResult<CommandOutcome>(new CommandOutcome.Forbidden());
        }

        return AppendAsync(command.AgencyId, name, command.By, expectedVersion, agency => AgencyDecider.Decide(command, agency, framework), mayAct, ct);
    }

    /// <summary>Appends to an existing agency's stream through the runner, announcing what changed once it commits.</summary>
    private Task<CommandOutcome> AppendAsync(
        Guid agencyId, string name, string by, long? expectedVersion, Func<Agency, Decision> decide, Func<Agency?, bool> mayAct, CancellationToken ct) =>
        runner.RunAsync(
            new StreamCommand<Agency>(agencyId, name, by, expectedVersion, Agency.Evolve, decide)
            {
                MayAct = (agency, _) => ValueTask.FromResult(mayAct(agency)),
                // Levels changed: whoever follows scorecards (flag evaluation, live pages) hears it once this commits.
                Stage = (session, agency, events) => changes.Stage(session, new PortalChange(
                    events.Any(e => e is IndicatorAssessed) ? ChangeKinds.Scorecard : ChangeKinds.Agency, agency.Id, agency.Id)),
            },
            ct);

    private static bool MayAct(ClaimsPrincipal user, AgencyCommand command, Agency? agency) => command switch
    {
        AssessIndicator or SubmitForReview => agency is not null && AgencyEditHandler.CanEdit(user, agency),
        _ => user.IsInRole(Roles.Admin),
    };
}
