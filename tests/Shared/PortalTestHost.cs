using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoordinationPortal.Tests.Support;

/// <summary>
/// The real portal (its Program) on a database the caller started, for the integration tests, the browser tests and
/// the bench command: no job server, quiet logs, and whatever else the caller sets. Compiled into each of those
/// projects (linked source), so they cannot drift apart.
/// </summary>
public sealed class PortalHostFactory(string connectionString, bool seedDemo, IReadOnlyDictionary<string, string>? settings = null, string environment = "Testing")
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:Portal", connectionString);
        builder.UseSetting("Seed:Demo", seedDemo ? "true" : "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // A whole suite signs in hundreds of times from one client within minutes; the per-client sign-in limit has
        // tests of its own (SignInThrottlingTests), which set it low again.
        builder.UseSetting("Security:SignIn:PerClientPermitLimit", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

public static partial class PortalForms
{
    /// <summary>Reads the antiforgery token a server-rendered form carries.</summary>
    public static string AntiforgeryToken(string html) => Token().Match(html).Groups[1].Value;

    /// <summary>Signs in through the real form, as a browser does: GET it for the token, POST it, expect a redirect.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password, CancellationToken ct = default)
    {
        var form = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative), ct);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync(new Uri("/account/login", UriKind.Relative), content, ct);
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
