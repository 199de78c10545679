using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.Identity;

/// <summary>The password rule where admins meet it, on the user-administration page, and the list shipped with the portal.</summary>
[Collection(PortalTests.Name)]
public sealed class PasswordPolicyPageTests(PortalFixture portal)
{
    [Theory]
    [InlineData("Short-2026", "Passwords must be at least 12 characters long.")]
    [InlineData("Password123!", "This password is one of the common passwords that attackers try first.")]
    [InlineData("PASSWORD@2026", "This password is one of the common passwords that attackers try first.")]
    [InlineData("Qwertyuiop123!", "This password is one of the common passwords that attackers try first.")]
    [InlineData("jaishriram@2026", "This password is one of the common passwords that attackers try first.")]
    public async Task a_short_or_common_password_is_refused_with_the_reason(string password, string reason)
    {
        var (page, email) = await CreateUserAsync(password);
        Assert.Contains(reason, page, StringComparison.Ordinal);
        Assert.DoesNotContain($"Account {email} created", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_reason_is_given_in_hindi_too()
    {
        var (page, _) = await CreateUserAsync("Password123!", "?culture=hi-IN");
        Assert.Contains("यह पासवर्ड उन आम पासवर्डों में से है जिन्हें हमलावर सबसे पहले आज़माते हैं।", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("kites over the old fort at dusk")]
    public async Task a_long_passphrase_without_digits_or_symbols_is_accepted(string password)
    {
        var (page, email) = await CreateUserAsync(password);
        Assert.Contains($"Account {email} created", page, StringComparison.Ordinal);
        using var client = await portal.SignedInClientAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public void the_shipped_list_holds_thousands_of_common_passwords_and_none_of_the_demo_ones()
    {
        var common = portal.Factory.Services.GetRequiredService<CommonPasswords>();
        Assert.True(common.Count > 2_000, $"{common.Count} passwords");
        Assert.True(common.Contains("password1!"));
        Assert.All(DemoAccounts.All, a => Assert.False(common.Contains(a.Password.ToLowerInvariant()), a.Email));
        Assert.All(DemoAccounts.All, a => Assert.Empty(CoordinationPortal.Domain.Security.PasswordPolicy.Check(a.Password, common.Contains)));
    }

    private async Task<(string Page, string Email)> CreateUserAsync(string password, string query = "")
    {
        using var admin = await portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        var email = $"policy-{Guid.NewGuid():N}@portal.local";
        var form = await admin.GetStringAsync("/admin/users" + query);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create-user",
            ["__RequestVerificationToken"] = PortalForms.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Role"] = "Viewer",
            ["Input.Password"] = password,
        });
        using var response = await admin.PostAsync("/admin/users" + query, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), email);
    }
}
