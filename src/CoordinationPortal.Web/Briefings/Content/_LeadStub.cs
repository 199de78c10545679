using CoordinationPortal.Domain.Briefings;
namespace CoordinationPortal.Web.Briefings.Content;
public sealed record BriefingModel(BriefingTarget Target, string Title, DataVersion Version);
public sealed class BriefingQueries(CoordinationPortal.Web.Kernel.PortalClock clock)
{
    public Task<DataVersion?> VersionAsync(BriefingTarget target, CancellationToken ct) => Task.FromResult<DataVersion?>(target.Subject == "missing" ? null : new DataVersion(1, clock.Today.AddDays(-1)));
    public async Task<BriefingModel?> LoadAsync(BriefingTarget target, CancellationToken ct) => (await VersionAsync(target, ct)) is { } v ? new BriefingModel(target, "Stub " + target, v) : null;
}
public sealed class BriefingHtml
{
    public const string TemplateVersion = "0";
    public Task<string> RenderAsync(BriefingModel model, Uri portalBase, CancellationToken ct) => Task.FromResult($"<!DOCTYPE html><html lang=\"{model.Target.Language}\"><head><title>{model.Title}</title></head><body><h1>{model.Title}</h1><p>{model.Version.Tag}</p><a href=\"{portalBase}x\">annex</a></body></html>");
}
public static class BriefingAnnex { public static byte[] Csv(BriefingModel model) => System.Text.Encoding.UTF8.GetBytes("\uFEFFa,b\n"); }
