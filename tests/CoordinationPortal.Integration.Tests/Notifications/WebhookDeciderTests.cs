using CoordinationPortal.Web.Notifications.Webhooks;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>The webhook subscription rules as pure decisions: no database, no key ring.</summary>
public sealed class WebhookDeciderTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromHours(24);
    private const string Current = "current-secret-0123456789abcdef";
    private const string Next = "next-secret-0123456789abcdef012";

    private static WebhookSubscription Subscription(string? previous = null, DateTimeOffset? previousUntil = null) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Board feed",
        Url = "https://hooks.example.org/portal",
        ProtectedSecret = "enc(current)",
        PreviousProtectedSecret = previous,
        PreviousSecretUntil = previousUntil,
        Events = [WebhookEvents.FlagRaised],
        Enabled = true,
    };

    [Fact]
    public void a_valid_request_makes_a_subscription_with_its_events_in_the_portals_order_each_once()
    {
        var id = Guid.NewGuid();
        var decision = WebhookDecider.Create(
            new NewWebhook("  Board feed ", " https://hooks.example.org/portal ", [WebhookEvents.FlagResolved, WebhookEvents.FlagRaised, WebhookEvents.FlagResolved], null),
            id, "enc(secret)", "admin@portal.local", At);

        var created = Assert.IsType<WebhookSubscription>(decision.After);
        Assert.Equal((id, "Board feed", "https://hooks.example.org/portal", "enc(secret)", true, "admin@portal.local", At),
            (created.Id, created.Name, created.Url, created.ProtectedSecret, created.Enabled, created.CreatedBy, created.CreatedAt));
        Assert.Equal([WebhookEvents.FlagRaised, WebhookEvents.FlagResolved], created.Events);
    }

    [Fact]
    public void every_mistake_of_a_request_is_named_at_once_with_its_field()
    {
        var decision = WebhookDecider.Create(
            new NewWebhook(new string('n', WebhookDecider.MaxNameLength + 1), "ftp://user:pw@example.org/", ["flag.exploded"], "short"),
            Guid.NewGuid(), "", "admin", At);

        Assert.Null(decision.After);
        Assert.Equal(
            [new DomainError("Name.TooLong", "Name"), new DomainError("Url.Invalid", "Url"), new DomainError("Events.Unknown", "Events"), new DomainError("Secret.Invalid", "Secret")],
            decision.Errors);
    }

    [Theory]
    [InlineData("https://hooks.example.org/x", true)]
    [InlineData("http://10.0.0.5:8080/hook", true)]
    [InlineData("https://hooks.example.org/x?token=abc", true)]
    [InlineData("https://user:pw@hooks.example.org/x", false)]
    [InlineData("https://hooks.example.org/x#frag", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("/relative/path", false)]
    [InlineData("", false)]
    public void only_absolute_http_urls_without_credentials_or_fragments_are_accepted(string url, bool accepted) =>
        Assert.Equal(accepted, WebhookDecider.IsAcceptableUrl(url));

    [Fact]
    public void rotating_keeps_the_readable_current_secret_as_the_previous_one_for_the_overlap()
    {
        var subscription = Subscription();

        var rotated = WebhookDecider.Rotate(subscription, Current, Next, "enc(next)", Overlap, "admin", At).After!;

        Assert.Equal(("enc(next)", "enc(current)", At + Overlap), (rotated.ProtectedSecret, rotated.PreviousProtectedSecret, rotated.PreviousSecretUntil));
        Assert.Equal(WebhookSecretEventKind.Rotated, rotated.SecretEvents[^1].Kind);
    }

    [Fact]
    public void a_current_secret_that_no_longer_decrypts_is_dropped_at_once_with_no_overlap()
    {
        var rotated = WebhookDecider.Rotate(Subscription(), current: null, Next, "enc(next)", Overlap, "admin", At).After!;

        Assert.Equal(("enc(next)", (string?)null, (DateTimeOffset?)null), (rotated.ProtectedSecret, rotated.PreviousProtectedSecret, rotated.PreviousSecretUntil));
    }

    [Fact]
    public void rotating_to_the_same_secret_is_refused()
    {
        var decision = WebhookDecider.Rotate(Subscription(), Current, Current, "enc(again)", Overlap, "admin", At);

        Assert.Null(decision.After);
        Assert.Equal([new DomainError("Secret.Unchanged", "Secret")], decision.Errors);
    }

    [Fact]
    public void revoking_drops_the_previous_secret_and_with_none_changes_nothing()
    {
        var revoked = WebhookDecider.RevokePrevious(Subscription("enc(old)", At + Overlap), "admin", At).After!;
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (revoked.PreviousProtectedSecret, revoked.PreviousSecretUntil));
        Assert.Equal(WebhookSecretEventKind.PreviousRevoked, revoked.SecretEvents[^1].Kind);

        var nothing = WebhookDecider.RevokePrevious(Subscription(), "admin", At);
        Assert.True(nothing.IsAccepted);
        Assert.Null(nothing.After);
    }

    [Fact]
    public void an_ended_overlap_expires_recorded_at_its_end_and_a_running_one_is_left()
    {
        var end = At - TimeSpan.FromMinutes(1);
        var expired = WebhookDecider.ExpirePrevious(Subscription("enc(old)", end), At).After!;
        Assert.Null(expired.PreviousProtectedSecret);
        Assert.Equal((WebhookSecretEventKind.PreviousExpired, end), (expired.SecretEvents[^1].Kind, expired.SecretEvents[^1].At));

        Assert.Null(WebhookDecider.ExpirePrevious(Subscription("enc(old)", At + TimeSpan.FromMinutes(1)), At).After);
        Assert.Null(WebhookDecider.ExpirePrevious(Subscription(), At).After);
    }

    [Fact]
    public void enabling_and_disabling_set_only_the_switch()
    {
        var subscription = Subscription();

        var disabled = WebhookDecider.SetEnabled(subscription, false).After!;

        Assert.Equal(subscription with { Enabled = false }, disabled);
    }
}
