using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoordinationPortal.Tests.Support;
using CoordinationPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Benchmarks;

internal sealed record PortfolioResult(
    LatencySummary Baseline, LatencySummary Api, LatencySummary Page, long ApiBytes, long PageBytes, int Agencies);

/// <summary>
/// Benchmark B: <c>GET /api/v1/agencies</c> (JSON) and <c>GET /</c> (the prerendered heatmap page) for the seeded
/// portfolio, over real HTTP with a viewer's sign-in cookie, against <c>GET /culture</c> (a 302 that touches no
/// database) on the same connection. The three alternate, so drift on a shared machine hits them alike.
/// </summary>
internal static partial class PortfolioBenchmark
{
    internal const string ViewerEmail = "bench.viewer@portal.local";
    internal const string ViewerPassword = "Bench-viewer-2026";
    private const string BaselinePath = "/culture?culture=en-IN&returnUrl=/";
    private const string ApiPath = "/api/v1/agencies";
    private const string PagePath = "/";

    public static async Task<PortfolioResult> RunAsync(
        IServiceProvider services, Uri baseAddress, BenchSettings settings, int expectedAgencies, CancellationToken ct)
    {
        Report.Section(
            $"Benchmark B: portfolio of {expectedAgencies.ToString(CultureInfo.InvariantCulture)} agencies over HTTP " +
            $"({settings.HttpRequests.ToString(CultureInfo.InvariantCulture)} requests each, {settings.HttpWarmup.ToString(CultureInfo.InvariantCulture)} warm-up each)");

        await CreateViewerAsync(services);

        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await PortalForms.SignInAsync(client, ViewerEmail, ViewerPassword, ct);

        // Correctness before speed: the API lists every agency and the page renders a heatmap row for each.
        var (apiBody, apiBytes) = await GetAsync(client, ApiPath, HttpStatusCode.OK, "application/json", ct);
        var apiCount = CountJsonArray(apiBody);
        var (pageBody, pageBytes) = await GetAsync(client, PagePath, HttpStatusCode.OK, "text/html", ct);
        var pageRows = HeatmapRow().Count(Encoding.UTF8.GetString(pageBody));
        if (apiCount != expectedAgencies || pageRows != expectedAgencies)
        {
            throw new InvalidOperationException(
                $"Expected {expectedAgencies} agencies; the API listed {apiCount} and the page rendered {pageRows} heatmap rows.");
        }

        Report.Line($"  signed in as {ViewerEmail} (Viewer); API lists {apiCount.ToString(CultureInfo.InvariantCulture)} agencies, page renders {pageRows.ToString(CultureInfo.InvariantCulture)} rows");

        var baseline = new LatencyRecorder("GET /culture (baseline)", settings.HttpRequests);
        var api = new LatencyRecorder("GET /api/v1/agencies", settings.HttpRequests);
        var page = new LatencyRecorder("GET / (portfolio page)", settings.HttpRequests);
        for (var i = 0; i < settings.HttpWarmup + settings.HttpRequests; i++)
        {
            var measured = i >= settings.HttpWarmup;
            await TimeAsync(client, BaselinePath, HttpStatusCode.Redirect, "text/html", measured ? baseline : null, ct);
            await TimeAsync(client, ApiPath, HttpStatusCode.OK, "application/json", measured ? api : null, ct);
            await TimeAsync(client, PagePath, HttpStatusCode.OK, "text/html", measured ? page : null, ct);
        }

        var result = new PortfolioResult(baseline.Summarize(), api.Summarize(), page.Summarize(), apiBytes, pageBytes, apiCount);
        Report.Latencies(result.Baseline, result.Api, result.Page);
        Report.Line($"  response size: API {Report.Bytes(apiBytes)}, page {Report.Bytes(pageBytes)} (uncompressed)");
        return result;
    }

    internal static async Task CreateViewerAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = ViewerEmail, Email = ViewerEmail, EmailConfirmed = true, DisplayName = "Bench Viewer" };
        var created = await users.CreateAsync(user, ViewerPassword);
        var inRole = created.Succeeded ? await users.AddToRoleAsync(user, Roles.Viewer) : created;
        if (!inRole.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the viewer account: {string.Join(' ', inRole.Errors.Select(e => e.Description))}");
        }
    }

    /// <summary>Times one request from send until the whole body has been read (the working-group benchmark times the same way).</summary>
    internal static async Task TimeAsync(
        HttpClient client, string path, HttpStatusCode expected, string mediaType, LatencyRecorder? recorder, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = Request(path, mediaType);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (recorder is not null)
        {
            recorder.Stop(started);
        }

        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"GET {path} answered {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}, expected {((int)expected).ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static async Task<(byte[] Body, long Bytes)> GetAsync(
        HttpClient client, string path, HttpStatusCode expected, string mediaType, CancellationToken ct)
    {
        using var request = Request(path, mediaType);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"GET {path} answered {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}, expected {((int)expected).ToString(CultureInfo.InvariantCulture)}.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return (body, body.LongLength);
    }

    private static HttpRequestMessage Request(string path, string mediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        return request;
    }

    private static int CountJsonArray(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength() : -1;
    }

    [GeneratedRegex("<tr data-agency=\"")]
    private static partial Regex HeatmapRow();
}
