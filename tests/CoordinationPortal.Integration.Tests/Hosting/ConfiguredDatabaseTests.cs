using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CoordinationPortal.Integration.Tests.Hosting;

/// <summary>A portal on a configured database: no demo data, no demo accounts, the first admin from configuration.</summary>
[Collection(PortalTests.Name)]
public sealed class ConfiguredDatabaseTests(PortalFixture portal)
{
    [Fact]
    public async Task a_configured_database_gets_no_demo_data_and_its_first_admin_from_configuration()
    {
        var database = $"configured_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(portal.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(portal.Database.ConnectionString) { Database = database }.ConnectionString;
        await using var factory = new PortalHostFactory(connectionString, seedDemo: false, new Dictionary<string, string>
        {
            ["Bootstrap:AdminEmail"] = "first.admin@example.gov.in",
            ["Bootstrap:AdminPassword"] = "First-admin-2026!",
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var login = await client.GetStringAsync("/account/login");
        Assert.DoesNotContain(Demo.Admin.Password, login, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => PortalFixture.SignInAsync(client, Demo.Admin.Email, Demo.Admin.Password));

        await PortalFixture.SignInAsync(client, "first.admin@example.gov.in", "First-admin-2026!");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);
        var agencies = await client.GetFromJsonAsync<JsonElement>("/api/v1/agencies");
        Assert.Equal(0, agencies.GetArrayLength());
    }
}
