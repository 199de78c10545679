using System.IO.Compression;
using CoordinationPortal.Web.Kernel.Caching;
using CoordinationPortal.Web.Kernel.Changes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace CoordinationPortal.Web.Hosting;

/// <summary>
/// What keeps the portal fast on a slow link and under many readers: compressed HTML and JSON (brotli, else gzip),
/// pre-compressed and immutably cached static assets, and the output cache of read pages and API answers, evicted by
/// the change feed. <c>Performance:Compression</c> and <c>Performance:OutputCache</c> (both default true) switch them
/// off, e.g. for a benchmark's baseline; <c>Performance:OutputCacheSeconds</c> (default 60) is the longest an answer is
/// kept. It stays far below the five minutes for which Blazor accepts the component descriptors in a prerendered page.
/// </summary>
public static class PortalPerformance
{
    public const string Section = "Performance";

    /// <summary>
    /// The reads worth caching and the kinds of data each shows. Never listed: anything under <c>/account</c>,
    /// <c>/hangfire</c>, <c>/api/v1/briefings</c> (ETags of its own), event streams, the forum's screen and operator
    /// pages, the vote pages, forms, and every write.
    /// </summary>
    public static readonly IReadOnlyList<ReadCacheRoute> Routes =
    [
        new("/", ReadCacheTags.Agencies, ReadCacheTags.Flags, ReadCacheTags.Endpoints, ReadCacheTags.WorkingGroups),
        new("/flags", ReadCacheTags.Flags, ReadCacheTags.Agencies),
        new("/flags/rollups", ReadCacheTags.Flags, ReadCacheTags.Agencies),
        new("/framework", ReadCacheTags.Agencies, ReadCacheTags.Flags),
        new("/endpoints", ReadCacheTags.Endpoints, ReadCacheTags.Probes, ReadCacheTags.Agencies),
        new("/working-groups", ReadCacheTags.WorkingGroups, ReadCacheTags.Agencies),
        new("/agencies/{id}", [.. ReadCacheTags.All]),
        new("/api/v1/agencies", ReadCacheTags.Agencies),
        new("/api/v1/agencies/{id}/scorecard", ReadCacheTags.Agencies),
        new("/api/v1/agencies/{id}/flags", ReadCacheTags.Flags),
        new("/api/v1/flags", ReadCacheTags.Flags),
        new("/api/v1/flags/{id}", ReadCacheTags.Flags),
        new("/api/v1/working-groups", ReadCacheTags.WorkingGroups),
    ];

    public static void AddPortalPerformance(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddResponseCompression(o =>
        {
            // BREACH needs a secret that is the same in every response next to text an attacker controls. The portal's
            // pages hold none: the antiforgery request token is data-protected afresh (random key modifier and IV) for
            // every render, so it differs in every response, and a cached page is cached per query string, so a
            // different reflected text gets a page of its own with a token of its own.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "image/svg+xml", "text/csv", "text/calendar"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

        services.AddSingleton<ReadCacheGenerations>();
        services.AddSingleton<ReadCacheInvalidator>();
        services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<ReadCacheInvalidator>());
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<ReadCacheInvalidator>());
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<ReadCacheGenerations, IOptions<AntiforgeryOptions>, IConfiguration>((o, generations, antiforgery, configuration) =>
        {
            var seconds = Math.Clamp(configuration.GetValue($"{Section}:OutputCacheSeconds", 60), 1, 240);
            var cookie = antiforgery.Value.Cookie.Name ?? "";
            o.AddBasePolicy(new ReadCachePolicy(Routes, generations, cookie, TimeSpan.FromSeconds(seconds)));
        });
    }

    /// <summary>After authentication (the cache is per user) and the language: the cache outside compression, so it keeps compressed bodies.</summary>
    public static void UsePortalPerformance(this WebApplication app)
    {
        if (app.Configuration.GetValue($"{Section}:OutputCache", true))
        {
            app.UseOutputCache();
        }

        if (app.Configuration.GetValue($"{Section}:Compression", true))
        {
            app.UseResponseCompression();
        }
    }

    /// <summary>
    /// <c>MapStaticAssets</c> over the build's endpoint manifest, with the fingerprinted package assets made compressible
    /// (<see cref="StaticAssetManifest"/>). Returns the manifest mapped, which the components' <c>@Assets</c> must use too.
    /// </summary>
    public static string? MapPortalStaticAssets(this WebApplication app)
    {
        var manifest = app.Configuration.GetValue($"{Section}:Compression", true)
            ? StaticAssetManifest.WithCompressedFingerprints(app.Environment.ApplicationName, app.Environment.IsDevelopment())
            : null;
        app.MapStaticAssets(manifest).AllowAnonymous();
        return manifest;
    }
}
