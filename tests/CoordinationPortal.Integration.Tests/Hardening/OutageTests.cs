using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoordinationPortal.Integration.Tests.Hardening;

// Inside the namespace: a using at the top of the file would lose to the namespace CoordinationPortal.EmbeddedPostgres.
using CoordinationPortal.EmbeddedPostgres;

/// <summary>A PostgreSQL cluster of its own on a fixed port, which a test may stop and start again.</summary>
public sealed class StoppableCluster : IAsyncLifetime
{
    private readonly EmbeddedPostgresOptions options;

    public StoppableCluster()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        options = new EmbeddedPostgresOptions { DataDirectory = Path.Combine(Path.GetTempPath(), $"cp-outage-{Guid.NewGuid():N}"), Port = port };
    }

    public EmbeddedPostgres? Server { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        Server = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        ConnectionString = Server.ConnectionString;
    }

    public async Task StopAsync()
    {
        if (Server is { } server)
        {
            Server = null;
            await server.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; the next run uses a new directory.
        }
    }
}

/// <summary>
/// The database goes away and comes back. Meanwhile the API answers 503 ProblemDetails with Retry-After and pages a
/// "temporarily unavailable" message in the reader's language — the error page too, though its layout reads the
/// database; afterwards everything works again without a restart, and what was saved before is there. At start-up the
/// portal waits for a database that comes up late, and gives up with a clear message on one that never does.
/// </summary>
public sealed class OutageTests(StoppableCluster cluster) : IClassFixture<StoppableCluster>
{
    private const string AdminEmail = "outage.admin@example.gov.in";
    private const string AdminPassword = "Outage-admin-2026!";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    private static WebApplicationFactory<Program> Portal(string connectionString, LogCapture log, int retrySeconds = 60) =>
        new PortalHostFactory(connectionString, seedDemo: false, new Dictionary<string, string>
        {
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["Database:StartupRetrySeconds"] = retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Information",
        }).WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(log))));

    [Fact]
    public async Task while_the_database_is_down_the_api_is_503_and_pages_say_unavailable_then_all_resumes_with_nothing_lost()
    {
        var log = new LogCapture();
        await using var portal = Portal(cluster.ConnectionString, log);
        using var admin = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalForms.SignInAsync(admin, AdminEmail, AdminPassword);
        using var created = await admin.PostAsJsonAsync(new Uri("/api/v1/webhooks", UriKind.Relative), new { name = "before the outage", url = "https://hooks.example.org/outage" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await cluster.StopAsync();
        try
        {
            using var api = await admin.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative));
            var problem = await Problem.AssertAsync(api, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("The portal is temporarily unavailable.", problem.GetProperty("title").GetString());
            Assert.NotNull(api.Headers.RetryAfter);

            using var write = await Problem.SendAsync(admin, HttpMethod.Post, "/api/v1/webhooks", Problem.Json("""{"name":"during","url":"https://hooks.example.org/during"}"""), "hi-IN");
            Assert.Equal("पोर्टल अस्थायी रूप से अनुपलब्ध है।", (await Problem.AssertAsync(write, HttpStatusCode.ServiceUnavailable)).GetProperty("title").GetString());

            foreach (var page in new[] { "/admin/webhooks", "/notifications", "/error", "/" })
            {
                using var english = await admin.GetAsync(new Uri(page, UriKind.Relative));
                var html = await english.Content.ReadAsStringAsync();
                Assert.True((int)english.StatusCode is 200 or 503, $"{page}: {(int)english.StatusCode}");
                Assert.True(
                    html.Contains("temporarily unavailable", StringComparison.Ordinal) || (page == "/error" && html.Contains("Something went wrong", StringComparison.Ordinal)),
                    $"{page}: {html}");
                Problem.AssertNoStackTrace(html);

                using var hindi = await Problem.SendAsync(admin, HttpMethod.Get, page, language: "hi-IN");
                var hindiHtml = await hindi.Content.ReadAsStringAsync();
                Assert.True((int)hindi.StatusCode is 200 or 503, $"{page} (hi): {(int)hindi.StatusCode}");
                Assert.True(hindiHtml.Contains("अस्थायी रूप से अनुपलब्ध", StringComparison.Ordinal) || page == "/error", $"{page} (hi): {hindiHtml}");
            }
        }
        finally
        {
            await cluster.StartAsync();
        }

        // Back without a restart: the pool opens new connections once the server answers.
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            using var again = await admin.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative));
            status = again.StatusCode;
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"after the restart: {(int)status}");
        }
        while (status != HttpStatusCode.OK && clock.Elapsed < Within);

        var hooks = await admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>(new Uri("/api/v1/webhooks", UriKind.Relative));
        Assert.Contains(hooks!, h => h.GetProperty("name").GetString() == "before the outage");
        using var after = await admin.PostAsJsonAsync(new Uri("/api/v1/webhooks", UriKind.Relative), new { name = "after the outage", url = "https://hooks.example.org/after" });
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        using var page2 = await admin.GetAsync(new Uri("/admin/webhooks", UriKind.Relative));
        Assert.Contains("after the outage", await page2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_portal_started_before_its_database_waits_for_it_and_starts()
    {
        await cluster.StopAsync();
        var log = new LogCapture();
        WebApplicationFactory<Program>? portal = null;
        try
        {
            portal = Portal(cluster.ConnectionString, log);
            var starting = Task.Run(() => portal.Server);
            var clock = Stopwatch.StartNew();
            while (!log.Lines.Any(l => l.Level == LogLevel.Warning && l.Message.Contains("did not answer (attempt", StringComparison.Ordinal)))
            {
                Assert.False(starting.IsCompleted, "the portal finished starting without a database: " + starting.Exception?.GetBaseException().Message);
                Assert.True(clock.Elapsed < Within, "no retry was logged");
                await Task.Delay(100);
            }

            await cluster.StartAsync();
            await starting.WaitAsync(Within);

            using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            await PortalForms.SignInAsync(client, AdminEmail, AdminPassword);
            using var response = await client.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n"
                + string.Join("\n", log.Lines.Where(l => l.Level >= LogLevel.Error).TakeLast(10)));
        }
        finally
        {
            if (cluster.Server is null)
            {
                await cluster.StartAsync();
            }

            if (portal is not null)
            {
                await portal.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task a_portal_whose_database_never_answers_gives_up_after_the_configured_limit_with_a_clear_message()
    {
        var port = RawServer.ClosedPort(IPAddress.Loopback);
        var dead = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Port = port, Timeout = 2 }.ConnectionString;
        var log = new LogCapture();
        await using var portal = Portal(dead, log, retrySeconds: 3);
        var clock = Stopwatch.StartNew();

        try
        {
            _ = portal.Server; // Program returns 1 before running; the test host may or may not report that
        }
        catch (InvalidOperationException)
        {
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"gave up after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("did not answer (attempt 1", StringComparison.Ordinal));
        var last = Assert.Single(log.Lines, l => l.Level == LogLevel.Critical);
        Assert.Contains($"127.0.0.1:{port}", last.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 3 s", last.Message, StringComparison.Ordinal);
        Assert.Contains("Database:StartupRetrySeconds", last.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_process_exits_with_code_1_and_says_why_on_standard_error()
    {
        var port = RawServer.ClosedPort(IPAddress.Loopback);
        var dead = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Port = port, Timeout = 2 }.ConnectionString;
        var main = typeof(Program).Assembly.EntryPoint!;
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int exitCode;
        try
        {
            string[] args =
            [
                $"--ConnectionStrings:Portal={dead}", "--Database:StartupRetrySeconds=2", "--Jobs:RunServer=false",
                "--Logging:LogLevel:Default=None", "--environment=Testing",
            ];
            // Program's entry point, as `dotnet CoordinationPortal.Web.dll` runs it (it waits for its own async body).
            exitCode = await Task.Run(() => (int)main.Invoke(null, [args])!);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exitCode);
        Assert.Contains($"CoordinationPortal cannot start: the database at 127.0.0.1:{port}", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("did not answer within 2 s", error.ToString(), StringComparison.Ordinal);
    }
}
