using System.Text.Json.Nodes;

namespace CoordinationPortal.Web.Hosting;

/// <summary>
/// Why this exists: a package that ships its own fingerprinted endpoints (MudBlazor declares
/// <c>_content/MudBlazor/MudBlazor.min.{fingerprint}.css</c> in its <c>StaticWebAssetEndpoints.props</c>) gets the
/// SDK's compressed variants (<c>Content-Encoding</c> selectors) only on its plain route. <c>@Assets[...]</c> links the
/// fingerprinted route, so MudBlazor's 627 KB stylesheet went out uncompressed while its .br and .gz copies sat unused.
/// This copies the plain route's compressed variants onto every fingerprinted route that has none, keeping the
/// fingerprinted route's properties, marks every fingerprinted route <c>public, max-age=31536000, immutable</c>, and
/// writes the result to a manifest in the temporary folder for <c>MapStaticAssets</c> and the components' <c>@Assets</c>.
/// </summary>
internal static class StaticAssetManifest
{
    /// <summary>The path of the completed manifest, or null (no manifest: run from elsewhere) to map the build's own.</summary>
    public static string? WithCompressedFingerprints(string applicationName, bool development)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{applicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonObject root || root["Endpoints"] is not JsonArray endpoints)
        {
            return null;
        }

        var all = endpoints.OfType<JsonObject>().ToList();
        var byRoute = all.ToLookup(e => (string?)e["Route"] ?? "", StringComparer.Ordinal);
        var added = new List<JsonObject>();
        foreach (var fingerprinted in all.Where(e => Property(e, "fingerprint") is not null && !HasSelectors(e)))
        {
            var route = (string?)fingerprinted["Route"] ?? "";
            if (Property(fingerprinted, "label") is not { } label || byRoute[route].Any(HasSelectors))
            {
                continue;
            }

            foreach (var compressed in byRoute[label].Where(HasSelectors))
            {
                var copy = (JsonObject)compressed.DeepClone();
                copy["Route"] = route;
                copy["EndpointProperties"] = fingerprinted["EndpointProperties"]?.DeepClone();
                added.Add(copy);
            }
        }

        foreach (var endpoint in added)
        {
            endpoints.Add(endpoint);
        }

        // A fingerprinted URL names one content for ever: any cache, shared ones too, may keep it for a year.
        foreach (var endpoint in endpoints.OfType<JsonObject>().Where(e => Property(e, "fingerprint") is not null))
        {
            foreach (var header in (endpoint["ResponseHeaders"] as JsonArray ?? []).OfType<JsonObject>().Where(h => (string?)h["Name"] == "Cache-Control"))
            {
                header["Value"] = Immutable;
            }
        }

        // Run from the build output (the README's run command), MapStaticAssets treats a "Build" manifest as assets under
        // development: "no-cache" on fingerprinted URLs, and an asset whose file looks newer than the manifest is sent
        // re-compressed on the fly (as a gzip body labelled br). Only a developer editing assets wants that.
        if (!development)
        {
            root["ManifestType"] = "Publish";
        }

        // Named by its content, so every process (and every restart) of the same build writes and maps the same file.
        var text = root.ToJsonString();
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
        var completed = Path.Combine(Path.GetTempPath(), $"coordination-portal-assets-{hash}.json");
        if (!File.Exists(completed))
        {
            var partial = completed + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(partial, text);
            File.Move(partial, completed, overwrite: true);
        }

        return completed;
    }

    /// <summary>The caching of a fingerprinted asset.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    private static bool HasSelectors(JsonObject endpoint) => endpoint["Selectors"] is JsonArray { Count: > 0 };

    private static string? Property(JsonObject endpoint, string name) =>
        (endpoint["EndpointProperties"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(p => (string?)p["Name"] == name)?["Value"]?.GetValue<string>();
}
