using System.Net;
using CoordinationPortal.Tests.Support;

namespace CoordinationPortal.Integration.Tests.ProbePages;

/// <summary>Posts the probe pages' server-rendered forms as a browser would: GET for the antiforgery token, then POST.</summary>
internal static class ProbePageForms
{
    public sealed record Posted(HttpStatusCode Status, string? Location, string Html);

    public static async Task<Posted> PostAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(path, content);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : null;
        return new Posted(response.StatusCode, location,
            WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>A valid registration: an unreachable but well-formed public address, so nothing is probed by the page tests.</summary>
    public static Dictionary<string, string> Registration(Guid agencyId, string name, string? apiKey = null) => new()
    {
        ["Input.AgencyId"] = agencyId.ToString(),
        ["Input.Name"] = name,
        ["Input.BaseUrl"] = "https://gpu.example.org",
        ["Input.Kind"] = "Vllm",
        ["Input.Model"] = "meta-llama/Llama-3.1-8B-Instruct",
        ["Input.IntervalSeconds"] = "60",
        ["Input.AvailabilityPercent"] = "99.5",
        ["Input.P95TtftMs"] = "800",
        ["Input.MinOutputTokensPerSecond"] = "20",
        ["Input.MetricsUrl"] = "",
        ["Input.ApiKey"] = apiKey ?? "",
        ["Input.ExpectedVersion"] = "0",
    };

    /// <summary>Registers an endpoint through the form and returns its id (from the redirect to its page).</summary>
    public static async Task<Guid> RegisterAsync(HttpClient client, Guid agencyId, string name, string? apiKey = null)
    {
        var posted = await PostAsync(client, "/endpoints/new", "endpoint", Registration(agencyId, name, apiKey));
        Assert.True(posted.Status == HttpStatusCode.Redirect, $"Expected a redirect, got {posted.Status}: {Excerpt(posted.Html)}");
        Assert.StartsWith("/endpoints/", posted.Location, StringComparison.Ordinal);
        return Guid.Parse(posted.Location!["/endpoints/".Length..]);
    }

    public static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Excerpt(string html)
    {
        var errors = html.IndexOf("data-testid=\"errors\"", StringComparison.Ordinal);
        return errors < 0 ? html[..Math.Min(html.Length, 400)] : html.Substring(errors, Math.Min(600, html.Length - errors));
    }
}
