using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// The delivery log names a failed attempt's network error as the probes name theirs, with the detail the admin pages
/// show: the portal's real sender, through its SSRF guard, over real sockets to 127.77.0.3 (which the test portal allows).
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WebhookSenderTests(PortalFixture portal)
{
    private static readonly IPAddress Allowed = IPAddress.Parse("127.77.0.3");

    [Fact]
    public async Task a_closed_port_is_logged_as_connection_refused()
    {
        var attempt = await SendAsync($"http://{Allowed}:{RawServer.ClosedPort(Allowed)}/hook");

        Assert.Equal(("ConnectionRefused", (string?)null, (int?)null), (attempt.Error, attempt.Detail, attempt.StatusCode));
    }

    [Fact]
    public async Task a_host_that_does_not_resolve_is_logged_as_a_dns_failure()
    {
        var attempt = await SendAsync("http://portal-webhook.invalid/hook");

        Assert.Equal(("DnsFailure", (string?)null), (attempt.Error, attempt.Detail));
    }

    [Fact]
    public async Task a_receiver_that_does_not_speak_tls_is_logged_as_a_tls_failure_with_the_reason()
    {
        await using var server = RawServer.Start(Allowed, RawServer.Answers("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));

        var attempt = await SendAsync($"https://{Allowed}:{server.Port}/hook");

        Assert.Equal("TlsFailure", attempt.Error);
        Assert.InRange(attempt.Detail?.Length ?? 0, 1, 300);
        Assert.Null(attempt.StatusCode);
    }

    private async Task<DeliveryAttempt> SendAsync(string url)
    {
        var sender = portal.Factory.Services.GetRequiredService<WebhookSender>();
        var delivery = new WebhookDelivery { Id = Guid.NewGuid(), Event = WebhookEvents.Test, Payload = "{}", MaxAttempts = 1 };
        return await sender.SendAsync(delivery, url, "sender-test-secret-0123456789", null, CancellationToken.None);
    }
}
