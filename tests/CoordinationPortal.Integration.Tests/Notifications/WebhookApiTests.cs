using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Notifications.Webhooks;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoordinationPortal.Integration.Tests.Notifications;

[Collection(PortalTests.Name)]
public sealed class WebhookApiTests(PortalFixture portal)
{
    private static readonly string[] RaisedOnly = ["flag.raised"];
    private static readonly string[] Unknown = ["flag.acknowledged"];

    [Fact]
    public async Task only_admins_use_the_webhooks_api_others_get_403_and_anonymous_401()
    {
        var someId = Guid.NewGuid();
        foreach (var account in new[] { Demo.Lead, Demo.Member, Demo.Viewer })
        {
            using var client = await portal.SignedInClientAsync(account.Email, account.Password);
            using var list = await client.GetAsync("/api/v1/webhooks");
            using var create = await client.PostAsJsonAsync("/api/v1/webhooks", new { name = "x", url = "https://hooks.example.org/x" });
            using var delete = await client.DeleteAsync($"/api/v1/webhooks/{someId}");
            using var deliveries = await client.GetAsync($"/api/v1/webhooks/{someId}/deliveries");
            using var test = await client.PostAsync($"/api/v1/webhooks/{someId}/test", null);
            Assert.All(new[] { list, create, delete, deliveries, test }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        }

        using var anonymous = portal.AnonymousClient();
        using var refused = await anonymous.GetAsync("/api/v1/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var allowed = await admin.GetAsync("/api/v1/webhooks");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task a_chosen_secret_is_stored_encrypted_and_never_returned()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var secret = "chosen-" + Guid.NewGuid().ToString("N");
        using var created = await admin.PostAsJsonAsync("/api/v1/webhooks",
            new { name = "Chosen secret", url = "https://hooks.example.org/portal?team=ai", events = RaisedOnly, secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, createdText, StringComparison.Ordinal);
        var body = JsonDocument.Parse(createdText).RootElement;
        Assert.Equal(JsonValueKind.Null, body.GetProperty("secret").ValueKind);
        var webhook = body.GetProperty("webhook");
        var id = webhook.GetProperty("id").GetGuid();
        Assert.True(webhook.GetProperty("secretSet").GetBoolean());
        Assert.Equal("flag.raised", string.Join(',', webhook.GetProperty("events").EnumerateArray().Select(e => e.GetString())));

        var listText = await admin.GetStringAsync("/api/v1/webhooks");
        Assert.Contains(id.ToString(), listText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        Assert.DoesNotContain("protectedSecret", listText, StringComparison.OrdinalIgnoreCase);

        // At rest: neither the document nor any row of its table holds the secret in plain text, yet it decrypts.
        await using (var session = portal.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var stored = await session.Json.FindByIdAsync<WebhookSubscription>(id);
            Assert.NotNull(stored);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            var document = await session.LoadAsync<WebhookSubscription>(id);
            Assert.Equal(secret, portal.Factory.Services.GetRequiredService<WebhookSecrets>().Reveal(document!));
        }

        await using (var connection = new NpgsqlConnection(portal.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM portal.mt_doc_webhooksubscription WHERE data::text LIKE '%' || $1 || '%'", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = secret });
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        using var deleted = await admin.DeleteAsync($"/api/v1/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task a_generated_secret_is_returned_once_on_creation()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        using var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "Generated", url = "https://hooks.example.org/generated", enabled = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(6 + 64, secret!.Length);
        var id = body.GetProperty("webhook").GetProperty("id").GetGuid();
        Assert.False(body.GetProperty("webhook").GetProperty("enabled").GetBoolean());
        Assert.Equal(2, body.GetProperty("webhook").GetProperty("events").GetArrayLength()); // both, when none are named

        Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/admin/webhooks"), StringComparison.Ordinal);

        using var enabled = await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}/enabled", new { enabled = true });
        Assert.True((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        using var disabled = await admin.PutAsJsonAsync($"/api/v1/webhooks/{id}/enabled", new { enabled = false });
        Assert.False((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task urls_and_secrets_are_validated_on_save()
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        foreach (var url in new[] { "ftp://hooks.example.org/x", "https://user:pw@hooks.example.org/x", "/relative/path", "https://hooks.example.org/x#frag", "" })
        {
            using var refused = await admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "bad", url });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), url);
        }

        using var shortSecret = await admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "bad", url = "https://hooks.example.org/x", secret = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortSecret.StatusCode);
        Assert.True((await shortSecret.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("secret", out _));

        using var unknownEvent = await admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "bad", url = "https://hooks.example.org/x", events = Unknown });
        Assert.Equal(HttpStatusCode.BadRequest, unknownEvent.StatusCode);
    }
}
