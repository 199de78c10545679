using System.Security.Claims;
using System.Security.Cryptography;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Domain.Spreadsheets;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Operations;
using Hangfire;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace CoordinationPortal.Web.Spreadsheets;

public enum ImportResultKind
{
    /// <summary>A dry run: the plan, with its changes, conflicts and errors.</summary>
    Planned,
    Applied,
    Queued,
    AlreadyApplied,

    /// <summary>Errors in the file (the plan lists them): nothing changed.</summary>
    Refused,

    /// <summary>Conflicts with changes made since the export: nothing changed.</summary>
    Conflicted,

    /// <summary>The portal refused a change while applying (someone saved meanwhile); what went before stays.</summary>
    Stopped,
    Forbidden,
    NotFound,
}

public sealed record ImportResult(ImportResultKind Kind, ImportPlan? Plan, SpreadsheetImport? Record);

/// <summary>
/// Scorecard imports: read the file, compare it with the scorecard (<see cref="ScorecardImport"/>), keep it for the
/// apply, and apply it as ordinary assessments through <see cref="AgencyCommandHandler"/> — the assess form's path, its
/// rules and its rights — one change at a time, each expecting the version the last one left. A lead imports into the
/// agencies they lead, an admin into any.
/// </summary>
public sealed class ScorecardImports(
    IDocumentStore store,
    ReadinessFramework framework,
    PortalClock clock,
    SpreadsheetLimits limits,
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs)
{
    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// Reads and plans an upload. With <paramref name="apply"/> it is applied at once when the plan allows (in the
    /// background when large); otherwise it is kept for <see cref="ApplyAsync"/>. <paramref name="agencyId"/>, when
    /// given (the agency's import page), is the agency the file must be for.
    /// </summary>
    public async Task<ImportResult> UploadAsync(ClaimsPrincipal user, string fileName, byte[] content, bool apply, Guid? agencyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sheet = WorkbookReader.Read(content, fileName, ScorecardSheet.SheetName, limits);
        var file = sheet.Problems.Count > 0
            ? new ScorecardFile(null, null, [], sheet.Problems)
            : ScorecardSheet.Parse(ScorecardSheet.SheetName, sheet.Header, sheet.Rows, framework);
        var target = file.AgencyId ?? agencyId;
        if (target is null || file.AgencyId is null || file.Version is null)
        {
            return new ImportResult(ImportResultKind.Refused, ImportPlan.Refused(target ?? Guid.Empty, file.Problems), null);
        }

        await using var session = store.LightweightSession();
        var agency = await session.LoadAsync<Agency>(target.Value, ct);
        if (agency is null)
        {
            return new ImportResult(ImportResultKind.Refused, ImportPlan.Refused(target.Value,
                [new SheetProblem(ScorecardSheet.SheetName, file.Rows.Count > 0 ? file.Rows[0].Row : null, file.LetterOf(ScorecardSheet.AgencyId), "Sheet.AgencyUnknown")]), null);
        }

        if (!AgencyEditHandler.CanEdit(user, agency))
        {
            return new ImportResult(ImportResultKind.Forbidden, null, null);
        }

        if (agencyId is { } expected && expected != agency.Id)
        {
            return new ImportResult(ImportResultKind.Refused, ImportPlan.Refused(expected,
                [new SheetProblem(ScorecardSheet.SheetName, file.Rows.Count > 0 ? file.Rows[0].Row : null, file.LetterOf(ScorecardSheet.AgencyId), "Sheet.OtherAgency")]), null);
        }

        var plan = await PlanAsync(session, file, agency, user, ct);
        var now = clock.Now;
        DeleteExpired(session, now);
        var record = new SpreadsheetImport
        {
            Id = Guid.NewGuid(),
            AgencyId = agency.Id,
            Sha256 = Hash(content),
            FileName = Path.GetFileName(fileName),
            Content = plan.CanApply ? content : [],
            UploadedBy = user.Identity?.Name ?? "",
            TokenAgencies = [.. user.FindAll(PortalClaims.TokenAgency).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty)],
            UploadedAt = now,
            ExpiresAt = now + limits.KeepUploads,
            Status = ImportStatus.Previewed,
            Total = plan.Changes.Count,
            FileVersion = plan.FileVersion,
            Plan = plan,
        };
        session.Store(record);
        await session.SaveChangesAsync(ct);
        if (!plan.CanApply)
        {
            return new ImportResult(plan.Errors.Count > 0 ? ImportResultKind.Refused : apply ? ImportResultKind.Conflicted : ImportResultKind.Planned, plan, record);
        }

        return apply ? await ApplyAsync(user, record.Id, ct) : new ImportResult(ImportResultKind.Planned, plan, record);
    }

    /// <summary>Applies a previewed upload, planned again against the scorecard as it is now.</summary>
    public async Task<ImportResult> ApplyAsync(ClaimsPrincipal user, Guid importId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<SpreadsheetImport>(importId, ct);
        if (record is null || !MaySee(user, record))
        {
            return new ImportResult(ImportResultKind.NotFound, null, null);
        }

        if (record.Status != ImportStatus.Previewed)
        {
            return new ImportResult(Kind(record.Status), record.Plan, record);
        }

        if (record.ExpiresAt < clock.Now || record.Content.Length == 0)
        {
            return new ImportResult(ImportResultKind.NotFound, null, null);
        }

        var agency = await session.LoadAsync<Agency>(record.AgencyId, ct);
        if (agency is null || !AgencyEditHandler.CanEdit(user, agency))
        {
            return new ImportResult(ImportResultKind.Forbidden, null, null);
        }

        // A file applied once is not applied again, even if the scorecard has moved since.
        var repeat = await session.Query<SpreadsheetImport>()
            .AnyAsync(i => i.AgencyId == record.AgencyId && i.Sha256 == record.Sha256 && i.Status == ImportStatus.Applied && i.Id != record.Id, ct);
        if (repeat)
        {
            var done = record with { Status = ImportStatus.AlreadyApplied, Content = [], FinishedAt = clock.Now };
            session.Store(done);
            await session.SaveChangesAsync(ct);
            return new ImportResult(ImportResultKind.AlreadyApplied, done.Plan, done);
        }

        var sheet = WorkbookReader.Read(record.Content, record.FileName, ScorecardSheet.SheetName, limits);
        var file = ScorecardSheet.Parse(ScorecardSheet.SheetName, sheet.Header, sheet.Rows, framework);
        var plan = sheet.Problems.Count > 0 ? ImportPlan.Refused(agency.Id, sheet.Problems) : await PlanAsync(session, file, agency, user, ct);
        if (!plan.CanApply)
        {
            session.Store(record with { Plan = plan, Total = plan.Changes.Count });
            await session.SaveChangesAsync(ct);
            return new ImportResult(plan.Errors.Count > 0 ? ImportResultKind.Refused : ImportResultKind.Conflicted, plan, record with { Plan = plan });
        }

        if (plan.Changes.Count > limits.BackgroundChanges)
        {
            var queued = record with { Status = ImportStatus.Queued, Plan = plan, Total = plan.Changes.Count };
            session.Store(queued);
            await session.SaveChangesAsync(ct);
            jobs.Enqueue<ScorecardImportJob>(j => j.RunAsync(queued.Id, CancellationToken.None));
            return new ImportResult(ImportResultKind.Queued, plan, queued);
        }

        var applied = await RunAsync(user, record with { Status = ImportStatus.Running, Plan = plan, Total = plan.Changes.Count }, ct);
        return new ImportResult(applied.Status == ImportStatus.Applied ? ImportResultKind.Applied : ImportResultKind.Stopped, applied.Plan, applied);
    }

    /// <summary>An import as its uploader (or an admin) may follow it; null for anyone else.</summary>
    public async Task<SpreadsheetImport?> FindAsync(ClaimsPrincipal user, Guid importId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var record = await session.LoadAsync<SpreadsheetImport>(importId, ct);
        return record is not null && MaySee(user, record) ? record : null;
    }

    /// <summary>
    /// Appends the plan's changes as the uploader's assessments in one transaction (<see cref="AgencyCommandHandler.HandleAllAsync"/>):
    /// every change is recorded or none is. A scorecard changed since the plan, or rights lost meanwhile, stops it with
    /// nothing applied; the file is dropped either way (uploading it again previews it against the scorecard as it is).
    /// </summary>
    internal async Task<SpreadsheetImport> RunAsync(ClaimsPrincipal user, SpreadsheetImport record, CancellationToken ct)
    {
        var plan = record.Plan!;
        await Save(record with { Status = ImportStatus.Running, Done = 0 }, ct);
        CommandOutcome outcome;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
            var commands = plan.Changes.Select(change => ScorecardImport.Command(plan.AgencyId, change, "", default)).ToList();
            outcome = await handler.HandleAllAsync(user, plan.AgencyId, commands, plan.CurrentVersion, ct);
        }

        var failure = outcome switch
        {
            CommandOutcome.Accepted => null,
            CommandOutcome.Invalid invalid => "Error." + invalid.Errors[0].Code,
            CommandOutcome.Conflict => "Import.Conflict",
            CommandOutcome.Forbidden => "Import.Forbidden",
            _ => "Import.NotFound",
        };
        var finished = record with
        {
            Status = failure is null ? ImportStatus.Applied : ImportStatus.Failed,
            Done = failure is null ? plan.Changes.Count : 0,
            Failure = failure,
            VersionAfter = outcome is CommandOutcome.Accepted accepted ? accepted.Version : plan.CurrentVersion,
            FinishedAt = clock.Now,
            Content = [],
        };
        await Save(finished, ct);
        return finished;
    }

    /// <summary>Uploads previewed but never applied, past <see cref="SpreadsheetLimits.KeepUploads"/>: the file goes with them.</summary>
    internal static void DeleteExpired(IDocumentSession session, DateTimeOffset now) =>
        session.DeleteWhere<SpreadsheetImport>(i => i.Status == ImportStatus.Previewed && i.ExpiresAt < now);

    private async Task Save(SpreadsheetImport record, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(record);
        await session.SaveChangesAsync(ct);
    }

    private async Task<ImportPlan> PlanAsync(IQuerySession session, ScorecardFile file, Agency current, ClaimsPrincipal user, CancellationToken ct)
    {
        Agency? atFileVersion = null;
        if (file.Version is { } version && version >= 1 && version <= current.Version)
        {
            var events = await session.Events.FetchStreamAsync(current.Id, version, token: ct);
            atFileVersion = Agency.Fold(events.Select(e => e.Data));
        }

        return ScorecardImport.Plan(file, current, atFileVersion, framework, user.Identity?.Name ?? "", clock.Now);
    }

    private static bool MaySee(ClaimsPrincipal user, SpreadsheetImport record) =>
        user.IsInRole(Roles.Admin) || string.Equals(record.UploadedBy, user.Identity?.Name, StringComparison.OrdinalIgnoreCase);

    private static ImportResultKind Kind(ImportStatus status) => status switch
    {
        ImportStatus.Applied => ImportResultKind.Applied,
        ImportStatus.AlreadyApplied => ImportResultKind.AlreadyApplied,
        ImportStatus.Queued or ImportStatus.Running => ImportResultKind.Queued,
        ImportStatus.Failed => ImportResultKind.Stopped,
        _ => ImportResultKind.Planned,
    };
}

/// <summary>Applies a large import in the background (Hangfire), as its uploader with their rights as they are now.</summary>
public sealed class ScorecardImportJob(IDocumentStore store, ScorecardImports imports, UserManager<PortalUser> users)
{
    public async Task RunAsync(Guid importId, CancellationToken ct)
    {
        SpreadsheetImport? record;
        await using (var session = store.QuerySession())
        {
            record = await session.LoadAsync<SpreadsheetImport>(importId, ct);
        }

        if (record is not { Status: ImportStatus.Queued or ImportStatus.Running, Plan: not null })
        {
            return;
        }

        var owner = await users.FindByNameAsync(record.UploadedBy);
        var claims = new List<Claim> { new(ClaimTypes.Name, record.UploadedBy) };
        if (owner is not null && !await users.IsLockedOutAsync(owner))
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, owner.Id));
            claims.AddRange((await users.GetRolesAsync(owner)).Select(r => new Claim(ClaimTypes.Role, r)));
        }

        claims.AddRange(record.TokenAgencies.Select(a => new Claim(PortalClaims.TokenAgency, a.ToString())));
        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, "import-job", ClaimTypes.Name, ClaimTypes.Role));
        await imports.RunAsync(user, record, ct);
    }
}

/// <summary>
/// Hourly: removes uploads that were previewed and never applied once they expire, so an uploaded file is not kept longer
/// than <see cref="SpreadsheetLimits.KeepUploads"/> even when nobody uploads again.
/// </summary>
public sealed class ExpiredUploadsJob(IDocumentStore store, PortalClock clock)
{
    public const string RecurringId = "spreadsheet-uploads-expire";

    [Queue(JobQueues.Default)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        ScorecardImports.DeleteExpired(session, clock.Now);
        await session.SaveChangesAsync(ct);
    }
}
