using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications.Webhooks;
using Hangfire;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CoordinationPortal.Integration.Tests.Notifications.NotificationTestBed;
using static CoordinationPortal.Integration.Tests.ProbePages.ProbePageForms;

namespace CoordinationPortal.Integration.Tests.Notifications;

/// <summary>
/// Rotating a webhook's secret: through the API and the page, what is stored, and what a real receiver on loopback can
/// verify during the overlap, after it, and after the previous secret is revoked. Every test deletes the subscriptions it
/// made, whatever happens, so that later tests' notices make no deliveries for them.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class WebhookSecretRotationTests(PortalFixture portal, WebhookReceiver receiver) : IClassFixture<WebhookReceiver>
{
    private static readonly string[] SignatureHeaders = ["X-Portal-Signature", "X-Portal-Signature-Previous"];

    [Fact]
    public async Task rotating_through_the_api_returns_a_generated_secret_once_and_keeps_both_secrets_encrypted()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var original = "original-" + Guid.NewGuid().ToString("N");
        var id = await CreateAsync(admin, original);
        try
        {
            var before = await LoadAsync(id);

            var asked = DateTimeOffset.UtcNow;
            using var rotated = await admin.PostAsync($"/api/v1/webhooks/{id}/secret", null);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            var rotatedText = await rotated.Content.ReadAsStringAsync();
            var body = JsonDocument.Parse(rotatedText).RootElement;
            var secret = body.GetProperty("secret").GetString()!;
            Assert.Matches("^whsec_[0-9a-f]{64}$", secret);
            Assert.DoesNotContain(original, rotatedText, StringComparison.Ordinal);
            var webhook = body.GetProperty("webhook");
            Assert.Equal(Demo.Admin.Email, webhook.GetProperty("secretRotatedBy").GetString());
            var rotatedAt = webhook.GetProperty("secretRotatedAt").GetDateTimeOffset();
            Assert.InRange(rotatedAt, asked.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
            // The default overlap: the previous secret signs for 24 hours.
            Assert.Equal(rotatedAt + TimeSpan.FromHours(24), webhook.GetProperty("previousSecretUntil").GetDateTimeOffset());

            // Never shown again: not in the list, the log, the page, and a second rotation returns another secret.
            Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, await admin.GetStringAsync($"/api/v1/webhooks/{id}/deliveries"), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, await admin.GetStringAsync("/admin/webhooks"), StringComparison.Ordinal);

            // At rest: the new secret is encrypted (no plain text in any column) and decrypts; the original is kept, encrypted, as the previous.
            var stored = await LoadAsync(id);
            var secrets = portal.Factory.Services.GetRequiredService<WebhookSecrets>();
            Assert.Equal(secret, secrets.Reveal(stored));
            Assert.Equal(before.ProtectedSecret, stored.PreviousProtectedSecret);
            Assert.Equal(original, secrets.RevealPrevious(stored, DateTimeOffset.UtcNow));
            var row = await RowAsync(id);
            Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
            Assert.DoesNotContain(original, row, StringComparison.Ordinal);
            Assert.Contains(stored.ProtectedSecret, row, StringComparison.Ordinal);

            using var again = await admin.PostAsync($"/api/v1/webhooks/{id}/secret", null);
            var second = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString();
            Assert.Matches("^whsec_[0-9a-f]{64}$", second);
            Assert.NotEqual(secret, second);
            // Rotating again within the overlap: the first rotation's secret becomes the previous one, the original is deleted.
            var twice = await LoadAsync(id);
            Assert.Equal(stored.ProtectedSecret, twice.PreviousProtectedSecret);
            Assert.DoesNotContain(before.ProtectedSecret, await RowAsync(id), StringComparison.Ordinal);
            Assert.Equal(2, twice.SecretEvents.Count(e => e.Kind == WebhookSecretEventKind.Rotated));
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task a_chosen_secret_is_validated_as_at_creation_stored_encrypted_and_not_returned()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var original = "original-" + Guid.NewGuid().ToString("N");
        var id = await CreateAsync(admin, original);
        try
        {
            foreach (var refused in new[] { "short", "has a space in it, long enough", new string('x', WebhookSecrets.MaxLength + 1), original })
            {
                using var response = await admin.PostAsJsonAsync($"/api/v1/webhooks/{id}/secret", new { secret = refused });
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                var message = Assert.Single(problem.GetProperty("errors").GetProperty("secret").EnumerateArray()).GetString();
                Assert.Equal(refused == original ? "The new secret must differ from the current one." : "The secret must be 16 to 256 printable characters without spaces, or empty to generate one.", message);
            }

            Assert.Empty((await LoadAsync(id)).SecretEvents); // nothing refused was written

            var chosen = "chosen-" + Guid.NewGuid().ToString("N");
            using var rotated = await admin.PostAsJsonAsync($"/api/v1/webhooks/{id}/secret", new { secret = chosen });
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            var text = await rotated.Content.ReadAsStringAsync();
            Assert.DoesNotContain(chosen, text, StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(text).RootElement.GetProperty("secret").ValueKind);

            var stored = await LoadAsync(id);
            Assert.Equal(chosen, portal.Factory.Services.GetRequiredService<WebhookSecrets>().Reveal(stored));
            Assert.DoesNotContain(chosen, await RowAsync(id), StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task only_admins_rotate_a_missing_webhook_is_404_and_a_disabled_one_can_be_rotated_before_it_is_enabled_again()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await CreateAsync(admin, "others-may-not-" + Guid.NewGuid().ToString("N"));
        try
        {
            var before = await LoadAsync(id);

            foreach (var account in new[] { Demo.Lead, Demo.Member, Demo.Viewer })
            {
                using var client = await portal.SignedInClientAsync(account.Email, account.Password);
                using var rotate = await client.PostAsync($"/api/v1/webhooks/{id}/secret", null);
                using var revoke = await client.DeleteAsync($"/api/v1/webhooks/{id}/secret/previous");
                Assert.Equal(HttpStatusCode.Forbidden, rotate.StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
            }

            using var anonymous = portal.AnonymousClient();
            using var refused = await anonymous.PostAsync($"/api/v1/webhooks/{id}/secret", null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(before.ProtectedSecret, (await LoadAsync(id)).ProtectedSecret);

            var missing = Guid.NewGuid();
            using var rotateMissing = await admin.PostAsync($"/api/v1/webhooks/{missing}/secret", null);
            using var revokeMissing = await admin.DeleteAsync($"/api/v1/webhooks/{missing}/secret/previous");
            foreach (var response in new[] { rotateMissing, revokeMissing })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("No webhook with this identifier exists.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            }

            using var disabled = await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}/enabled", new { enabled = false });
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            // Nothing is sent meanwhile: disable, rotate (and after a leak revoke), hand the receiver the new secret, enable.
            using var rotateDisabled = await admin.PostAsync($"/api/v1/webhooks/{id}/secret", null);
            Assert.Equal(HttpStatusCode.OK, rotateDisabled.StatusCode);
            var rotated = await LoadAsync(id);
            Assert.False(rotated.Enabled);
            Assert.NotEqual(before.ProtectedSecret, rotated.ProtectedSecret);
            Assert.Equal(before.ProtectedSecret, rotated.PreviousProtectedSecret);
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task revoking_through_the_api_deletes_the_previous_secret_and_is_recorded()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await CreateAsync(admin, "to-be-revoked-" + Guid.NewGuid().ToString("N"));
        try
        {
            var original = (await LoadAsync(id)).ProtectedSecret;
            using (var rotated = await admin.PostAsync($"/api/v1/webhooks/{id}/secret", null))
            {
                Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            }

            Assert.Contains(original, await RowAsync(id), StringComparison.Ordinal);

            using var revoked = await admin.DeleteAsync($"/api/v1/webhooks/{id}/secret/previous");
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            var webhook = await revoked.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(JsonValueKind.Null, webhook.GetProperty("previousSecretUntil").ValueKind);
            Assert.Equal(Demo.Admin.Email, webhook.GetProperty("secretRotatedBy").GetString());

            var stored = await LoadAsync(id);
            Assert.Null(stored.PreviousProtectedSecret);
            Assert.Null(stored.PreviousSecretUntil);
            Assert.DoesNotContain(original, await RowAsync(id), StringComparison.Ordinal);
            var ended = stored.PreviousSecretEnded();
            Assert.NotNull(ended);
            Assert.Equal(WebhookSecretEventKind.PreviousRevoked, ended.Kind);
            Assert.Equal(Demo.Admin.Email, ended.By);

            // Nothing left to revoke: the same answer, and nothing more recorded.
            using var again = await admin.DeleteAsync($"/api/v1/webhooks/{id}/secret/previous");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(stored.SecretEvents.Count, (await LoadAsync(id)).SecretEvents.Count);
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task during_the_overlap_a_receiver_verifies_with_either_secret_and_after_it_only_with_the_new_one()
    {
        // On the clocked host: the overlap is ten minutes, and the test moves the clock past its end instead of waiting.
        var services = ClockedHost(portal).Services;
        var url = receiver.Hook([200]);
        var original = "overlap-" + Guid.NewGuid().ToString("N");
        var subscription = await SubscribeAsync(services, url, original);
        try
        {
            var before = await SendTestAsync(services, subscription.Id, url);
            Assert.True(Verifies(before, original));
            Assert.False(before.Headers.ContainsKey("X-Portal-Signature-Previous"));

            var rotation = await RotateAsync(services, subscription.Id);
            var secret = rotation.GeneratedSecret!;
            var until = rotation.Subscription!.PreviousSecretUntil!.Value;
            Assert.Equal(ClockedOverlap, until - rotation.Subscription.LastRotation()!.At);

            // During the overlap (minutes before its end, however slow this machine): the primary signature is the new
            // secret's, the second header the original's.
            var during = await SendTestAsync(services, subscription.Id, url);
            Assert.True(during.Timestamp < until.ToUnixTimeSeconds(), "the delivery was meant to be made within the overlap");
            Assert.True(Verifies(during, secret));
            Assert.True(Verifies(during, original));
            Assert.False(Verifies(during, "another-secret-" + Guid.NewGuid().ToString("N")));
            Assert.Equal(Signature(secret, during), during.Headers["X-Portal-Signature"]);
            Assert.Equal(Signature(original, during), during.Headers["X-Portal-Signature-Previous"]);

            // A job deletes the previous secret when the overlap ends.
            var expiries = services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 100_000)
                .Select(j => j.Value)
                .Where(j => j.Job?.Type == typeof(WebhookSecretExpiryJob))
                .Select(j => new DateTimeOffset(DateTime.SpecifyKind(j.EnqueueAt, DateTimeKind.Utc)));
            Assert.Contains(expiries, at => (at - until).Duration() < TimeSpan.FromSeconds(1));

            // After it: only the new secret signs, even before the job has deleted the previous one.
            HostClock.AdvancePast(until);
            var after = await SendTestAsync(services, subscription.Id, url);
            Assert.True(after.Timestamp > until.ToUnixTimeSeconds(), "the delivery was meant to be made after the overlap");
            Assert.True(Verifies(after, secret));
            Assert.False(Verifies(after, original));
            Assert.False(after.Headers.ContainsKey("X-Portal-Signature-Previous"));

            var previousCiphertext = subscription.ProtectedSecret;
            Assert.Contains(previousCiphertext, await RowAsync(subscription.Id), StringComparison.Ordinal);
            await using (var scope = services.CreateAsyncScope())
            {
                Assert.True(await scope.ServiceProvider.GetRequiredService<WebhookSecretExpiryJob>().RunAsync(CancellationToken.None) >= 1);
            }

            var stored = await LoadAsync(subscription.Id);
            Assert.Null(stored.PreviousProtectedSecret);
            Assert.Null(stored.PreviousSecretUntil);
            Assert.DoesNotContain(previousCiphertext, await RowAsync(subscription.Id), StringComparison.Ordinal);
            Assert.Equal(rotation.Subscription.ProtectedSecret, stored.ProtectedSecret);
            Assert.Equal(new[] { WebhookSecretEventKind.Rotated, WebhookSecretEventKind.PreviousExpired }, stored.SecretEvents.Select(e => e.Kind));
            Assert.Equal(until, stored.SecretEvents[1].At);

            // The page (any portal process: the database is shared) says the overlap is over.
            using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
            var row = Row(WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks")), subscription.Id);
            Assert.Matches("The previous secret's overlap ended \\d{1,2} \\w+ \\d{4} \\d{2}:\\d{2}: it no longer signs deliveries\\.", row);
            Assert.DoesNotContain("Previous secret accepted until", row, StringComparison.Ordinal);
            Assert.DoesNotContain($"value=\"revoke:{subscription.Id}\"", row, StringComparison.Ordinal);
        }
        finally
        {
            HostClock.Reset();
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task revoking_the_previous_secret_stops_signing_with_it_at_once()
    {
        var services = WebhookHost(portal).Services; // the default overlap: 24 hours
        var url = receiver.Hook([200]);
        var original = "revoke-" + Guid.NewGuid().ToString("N");
        var subscription = await SubscribeAsync(services, url, original);
        try
        {
            var secret = (await RotateAsync(services, subscription.Id)).GeneratedSecret!;
            var during = await SendTestAsync(services, subscription.Id, url);
            Assert.True(Verifies(during, original));
            Assert.True(Verifies(during, secret));

            await using (var scope = services.CreateAsyncScope())
            {
                var change = await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().RevokePreviousSecretAsync(subscription.Id, Demo.Admin.Email, CancellationToken.None);
                Assert.Equal(SecretChangeResult.Changed, change.Result);
            }

            var after = await SendTestAsync(services, subscription.Id, url);
            Assert.True(Verifies(after, secret));
            Assert.False(Verifies(after, original));
            Assert.False(after.Headers.ContainsKey("X-Portal-Signature-Previous"));
            Assert.DoesNotContain(subscription.ProtectedSecret, await RowAsync(subscription.Id), StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task rotating_a_secret_that_no_longer_decrypts_keeps_no_previous_secret_and_deliveries_go_on()
    {
        var services = WebhookHost(portal).Services; // the default overlap: 24 hours
        var url = receiver.Hook([200]);
        var subscription = await SubscribeAsync(services, url, "lost-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The key ring was lost: the stored secret is ciphertext this portal cannot decrypt any more.
            var unreadable = await ChangeStoredAsync(services, subscription.Id, s => s with { ProtectedSecret = Undecryptable(services) });
            Assert.ThrowsAny<CryptographicException>(() => services.GetRequiredService<WebhookSecrets>().Reveal(unreadable));

            var rotation = await RotateAsync(services, subscription.Id);
            var secret = rotation.GeneratedSecret!;
            // No overlap: the unreadable secret could sign nothing, so it is not kept as the previous one.
            var stored = await LoadAsync(subscription.Id);
            Assert.Null(stored.PreviousProtectedSecret);
            Assert.Null(stored.PreviousSecretUntil);
            Assert.DoesNotContain(unreadable.ProtectedSecret, await RowAsync(subscription.Id), StringComparison.Ordinal);
            Assert.Null(Assert.Single(stored.SecretEvents).PreviousUntil);
            Assert.Equal(secret, services.GetRequiredService<WebhookSecrets>().Reveal(stored));

            // Deliveries go on, signed with the new secret alone.
            var delivered = await SendTestAsync(services, subscription.Id, url);
            Assert.Equal(Signature(secret, delivered), delivered.Headers["X-Portal-Signature"]);
            Assert.False(delivered.Headers.ContainsKey("X-Portal-Signature-Previous"));
        }
        finally
        {
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task a_previous_secret_that_no_longer_decrypts_is_left_out_and_the_current_one_signs()
    {
        var services = WebhookHost(portal).Services;
        var url = receiver.Hook([200]);
        var secret = "current-" + Guid.NewGuid().ToString("N");
        var subscription = await SubscribeAsync(services, url, secret);
        try
        {
            // Stored before rotations checked the secret they replace: a previous secret, within its overlap, that no
            // longer decrypts.
            var at = DateTimeOffset.UtcNow;
            await ChangeStoredAsync(services, subscription.Id, s => s with
            {
                PreviousProtectedSecret = Undecryptable(services),
                PreviousSecretUntil = at.AddHours(1),
                SecretEvents = [new WebhookSecretEvent(WebhookSecretEventKind.Rotated, at, Demo.Admin.Email, at.AddHours(1))],
            });

            var delivered = await SendTestAsync(services, subscription.Id, url);
            Assert.Equal(Signature(secret, delivered), delivered.Headers["X-Portal-Signature"]);
            Assert.False(delivered.Headers.ContainsKey("X-Portal-Signature-Previous"));
        }
        finally
        {
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task asking_to_rotate_says_the_previous_secret_is_still_accepted_only_while_it_is()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await CreateAsync(admin, "asked-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var rotated = await admin.PostAsync($"/api/v1/webhooks/{id}/secret", null))
            {
                Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            }

            var during = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"rotate:{id}" });
            Assert.Contains("The secret before the current one is still accepted until ", during.Html, StringComparison.Ordinal);

            // The overlap has ended, and the job has yet to delete the previous secret: nothing is still accepted.
            await ChangeStoredAsync(portal.Factory.Services, id, s => s with { PreviousSecretUntil = DateTimeOffset.UtcNow.AddMinutes(-1) });
            var after = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"rotate:{id}" });
            Assert.Contains("data-testid=\"secret-confirm\"", after.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("is still accepted until", after.Html, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task concurrent_rotations_and_changes_lose_no_write()
    {
        var services = portal.Factory.Services;
        var subscription = await SubscribeAsync(services, "https://hooks.example.org/concurrent", "concurrent-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A write from a stale read is refused: the document is saved with an optimistic concurrency check.
            SecretChange first;
            await using (var stale = services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                var read = (await stale.LoadAsync<WebhookSubscription>(subscription.Id))!;
                first = await RotateAsync(services, subscription.Id);
                stale.Store(read with { Name = read.Name + " (stale)" });
                await Assert.ThrowsAnyAsync<ConcurrencyException>(() => stale.SaveChangesAsync());
            }

            var rotations = Enumerable.Range(0, 4).Select(_ => Task.Run(() => RotateAsync(services, subscription.Id))).ToList();
            var toggles = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var scope = services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().SetEnabledAsync(subscription.Id, true, CancellationToken.None);
            })).ToList();
            await Task.WhenAll(rotations.Cast<Task>().Concat(toggles));

            var results = rotations.Select(r => r.Result.Subscription!).ToList();
            Assert.All(rotations, r => Assert.Equal(SecretChangeResult.Changed, r.Result.Result));
            Assert.Equal(4, rotations.Select(r => r.Result.GeneratedSecret).Distinct().Count());

            // Every rotation is recorded, and they form one chain: each one's previous secret is the one before it.
            var stored = await LoadAsync(subscription.Id);
            Assert.True(stored.Enabled);
            Assert.Equal(5, stored.SecretEvents.Count(e => e.Kind == WebhookSecretEventKind.Rotated));
            var last = Assert.Single(results, r => r.ProtectedSecret == stored.ProtectedSecret);
            Assert.Equal(last.PreviousProtectedSecret, stored.PreviousProtectedSecret);
            var replaced = results.Select(r => r.PreviousProtectedSecret).ToHashSet();
            var expected = results.Where(r => r != last).Select(r => r.ProtectedSecret).Append(first.Subscription!.ProtectedSecret).ToHashSet();
            Assert.Equal(4, replaced.Count); // no two rotations replaced the same secret
            Assert.True(expected.SetEquals(replaced!), "each rotation replaced the secret of the one before it");
        }
        finally
        {
            await DeleteAsync(services, subscription.Id);
        }
    }

    [Fact]
    public async Task an_admin_rotates_on_the_page_after_confirming_sees_the_secret_once_and_can_revoke_the_previous_one()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await CreateAsync(admin, "page-" + Guid.NewGuid().ToString("N"));
        try
        {
            var before = await LoadAsync(id);
            var name = before.Name;
            var row = Row(WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks")), id);
            Assert.Contains($"value=\"rotate:{id}\"", row, StringComparison.Ordinal);
            Assert.DoesNotContain($"value=\"revoke:{id}\"", row, StringComparison.Ordinal);

            // Rotating asks first, and asking changes nothing.
            var asked = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"rotate:{id}" });
            Assert.Contains($"Rotate the secret of {name}?", asked.Html, StringComparison.Ordinal);
            Assert.Contains("For the next 24 h, deliveries carry two signatures", asked.Html, StringComparison.Ordinal);
            Assert.Matches("<h2 id=\"confirm-heading\"[^>]*tabindex=\"-1\"[^>]*autofocus", asked.Html);
            Assert.Contains("<label for=\"rotate-secret\">New secret (optional)</label>", asked.Html, StringComparison.Ordinal);
            Assert.Equal(before.ProtectedSecret, (await LoadAsync(id)).ProtectedSecret);

            // A refused secret: asked again, with the error tied to the field, and the secret typed in is not sent back.
            var typed = "short-" + Guid.NewGuid().ToString("N")[..4];
            var invalid = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new()
            {
                ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "rotate", ["SecretForm.Secret"] = typed,
            });
            Assert.Contains("The secret was not rotated: correct the new secret below.", invalid.Html, StringComparison.Ordinal);
            Assert.Contains($"Rotate the secret of {name}?", invalid.Html, StringComparison.Ordinal);
            Assert.Contains("id=\"rotate-secret-error\"", invalid.Html, StringComparison.Ordinal);
            Assert.Matches("id=\"rotate-secret\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"rotate-secret\"", invalid.Html);
            Assert.Matches("aria-describedby=\"rotate-secret-help rotate-secret-error\"", invalid.Html);
            Assert.DoesNotContain(typed, invalid.Html, StringComparison.Ordinal);
            Assert.Empty((await LoadAsync(id)).SecretEvents);

            var confirmed = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new()
            {
                ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "rotate", ["SecretForm.Secret"] = "",
            });
            Assert.Contains($"Secret of {name} rotated. The previous secret is accepted until ", confirmed.Html, StringComparison.Ordinal);
            Assert.Contains("it will not be shown again", confirmed.Html, StringComparison.Ordinal);
            var secret = Regex.Match(confirmed.Html, "whsec_[0-9a-f]{64}").Value;
            Assert.NotEmpty(secret);
            Assert.Equal(secret, portal.Factory.Services.GetRequiredService<WebhookSecrets>().Reveal(await LoadAsync(id)));
            Assert.DoesNotContain("data-testid=\"secret-confirm\"", confirmed.Html, StringComparison.Ordinal);

            // Shown once: the page read again has the rotation, who made it, and the overlap, not the secret.
            var later = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
            Assert.DoesNotContain(secret, later, StringComparison.Ordinal);
            row = Row(later, id);
            Assert.Matches($"Rotated \\d{{1,2}} \\w+ \\d{{4}} \\d{{2}}:\\d{{2}} by {Regex.Escape(Demo.Admin.Email)}\\.", row);
            Assert.Matches("Previous secret accepted until \\d{1,2} \\w+ \\d{4} \\d{2}:\\d{2}\\.", row);
            Assert.Contains($"value=\"revoke:{id}\"", row, StringComparison.Ordinal);

            var askedRevoke = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"revoke:{id}" });
            Assert.Contains($"Stop accepting the previous secret of {name}?", askedRevoke.Html, StringComparison.Ordinal);
            Assert.NotNull((await LoadAsync(id)).PreviousProtectedSecret);

            var revoked = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new() { ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "revoke" });
            Assert.Contains($"The previous secret of {name} is revoked: deliveries are signed with the current secret only.", revoked.Html, StringComparison.Ordinal);
            row = Row(revoked.Html, id);
            Assert.Matches($"Previous secret revoked \\d{{1,2}} \\w+ \\d{{4}} \\d{{2}}:\\d{{2}} by {Regex.Escape(Demo.Admin.Email)}\\.", row);
            Assert.DoesNotContain($"value=\"revoke:{id}\"", row, StringComparison.Ordinal);
            Assert.Null((await LoadAsync(id)).PreviousProtectedSecret);

            // A disabled webhook's secret is rotated as an enabled one's is.
            await DisableAsync(portal.Factory.Services, id);
            var askedDisabled = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"rotate:{id}" });
            Assert.Contains("data-testid=\"secret-confirm\"", askedDisabled.Html, StringComparison.Ordinal);
            await PostAsync(admin, "/admin/webhooks", "webhook-secret", new() { ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "rotate" });
            var disabledRotated = await LoadAsync(id);
            Assert.False(disabledRotated.Enabled);
            Assert.Equal(2, disabledRotated.SecretEvents.Count(e => e.Kind == WebhookSecretEventKind.Rotated));
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    [Fact]
    public async Task rotation_on_the_page_reads_in_hindi()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var id = await CreateAsync(admin, "hindi-" + Guid.NewGuid().ToString("N"));
        try
        {
            var name = (await LoadAsync(id)).Name;
            using (await admin.GetAsync("/culture?culture=hi-IN&returnUrl=/admin/webhooks")) { }

            var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
            Assert.Contains("गुप्त मान बदले जाने के बाद 24 घंटे तक हर डिलीवरी में X-Portal-Signature-Previous भी होता है", page, StringComparison.Ordinal);
            Assert.Contains("गुप्त मान बदलें<span class=\"visually-hidden\"> · " + name, Row(page, id), StringComparison.Ordinal);

            var asked = await PostAsync(admin, "/admin/webhooks", "webhook-action", new() { ["Action.Do"] = $"rotate:{id}" });
            Assert.Contains($"{name} का गुप्त मान बदलें?", asked.Html, StringComparison.Ordinal);
            Assert.Contains("अगले 24 घंटे तक डिलीवरी में दो हस्ताक्षर होंगे", asked.Html, StringComparison.Ordinal);
            Assert.Contains("नया गुप्त मान", asked.Html, StringComparison.Ordinal);
            Assert.Contains("हाँ, गुप्त मान बदलें", asked.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("Rotate the secret of", asked.Html, StringComparison.Ordinal);

            var confirmed = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new() { ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "rotate" });
            Assert.Contains($"{name} का गुप्त मान बदला गया। पिछला गुप्त मान ", confirmed.Html, StringComparison.Ordinal);
            var row = Row(confirmed.Html, id);
            Assert.Contains($"द्वारा बदला गया।", row, StringComparison.Ordinal);
            Assert.Contains(Demo.Admin.Email, row, StringComparison.Ordinal);
            Assert.Contains("तक स्वीकार्य है।", row, StringComparison.Ordinal);
            Assert.Contains("पिछला गुप्त मान रद्द करें", row, StringComparison.Ordinal);

            var refused = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new()
            {
                ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "rotate", ["SecretForm.Secret"] = "short",
            });
            Assert.Contains("गुप्त मान नहीं बदला गया: नीचे नया गुप्त मान ठीक करें।", refused.Html, StringComparison.Ordinal);

            var revoked = await PostAsync(admin, "/admin/webhooks", "webhook-secret", new() { ["SecretForm.Id"] = id.ToString(), ["SecretForm.Do"] = "revoke" });
            Assert.Contains($"{name} का पिछला गुप्त मान रद्द किया गया", revoked.Html, StringComparison.Ordinal);
            Assert.Contains("द्वारा रद्द किया गया।", Row(revoked.Html, id), StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(portal.Factory.Services, id);
        }
    }

    /// <summary>The webhook's row of the list on the page.</summary>
    private static string Row(string html, Guid id)
    {
        var start = html.IndexOf($"data-webhook-id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {id}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static async Task<Guid> CreateAsync(HttpClient admin, string secret)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/webhooks",
            new { name = "Rotation " + Guid.NewGuid().ToString("N")[..8], url = "https://hooks.example.org/rotation", secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook").GetProperty("id").GetGuid();
    }

    private async Task<WebhookSubscription> LoadAsync(Guid id)
    {
        await using var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<WebhookSubscription>(id))!;
    }

    /// <summary>Every column of the subscription's row, as text.</summary>
    private async Task<string> RowAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(portal.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_to_json(t)::text FROM portal.mt_doc_webhooksubscription t WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Changes the stored subscription as <paramref name="change"/> says, as no admin operation would.</summary>
    private static async Task<WebhookSubscription> ChangeStoredAsync(IServiceProvider services, Guid id, Func<WebhookSubscription, WebhookSubscription> change)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        var changed = change((await session.LoadAsync<WebhookSubscription>(id))!);
        session.Update(changed);
        await session.SaveChangesAsync();
        return changed;
    }

    /// <summary>Ciphertext from the same key ring under another purpose: as unreadable to the webhooks as a lost key's.</summary>
    private static string Undecryptable(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CoordinationPortal.Tests.NotAWebhookSecret")
            .Protect("lost-" + Guid.NewGuid().ToString("N"));

    private static async Task<SecretChange> RotateAsync(IServiceProvider services, Guid id)
    {
        await using var scope = services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().RotateSecretAsync(id, null, Demo.Admin.Email, CancellationToken.None);
        Assert.Equal(SecretChangeResult.Changed, change.Result);
        return change;
    }

    /// <summary>Sends a test delivery, which the receiver answers at once, and returns what the receiver got.</summary>
    private async Task<Signed> SendTestAsync(IServiceProvider services, Guid id, string url)
    {
        var count = receiver.For(url).Count;
        await using var scope = services.CreateAsyncScope();
        var delivery = await scope.ServiceProvider.GetRequiredService<WebhookAdmin>().SendTestAsync(id, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, delivery!.Status);
        var received = receiver.For(url);
        Assert.Equal(count + 1, received.Count);
        var request = received[^1];
        return new Signed(request.Headers, request.Body, long.Parse(request.Headers["X-Portal-Timestamp"], CultureInfo.InvariantCulture));
    }

    private sealed record Signed(IReadOnlyDictionary<string, string> Headers, byte[] Body, long Timestamp);

    /// <summary>What a receiver that holds <paramref name="secret"/> does: accept when either signature header matches.</summary>
    private static bool Verifies(Signed request, string secret)
    {
        var expected = Encoding.ASCII.GetBytes(Signature(secret, request));
        return SignatureHeaders.Any(header =>
            request.Headers.TryGetValue(header, out var value) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), expected));
    }

    /// <summary>The receiver's own computation: HMAC-SHA256 over "{timestamp}.{body}", keyed with the secret.</summary>
    private static string Signature(string secret, Signed request)
    {
        var message = Encoding.UTF8.GetBytes(request.Timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(request.Body).ToArray();
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
