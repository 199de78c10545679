using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;

namespace CoordinationPortal.Integration.Tests.Operations;

/// <summary>Pages are protected on the server, not only by hiding links.</summary>
[Collection(PortalTests.Name)]
public sealed class PageAccessTests(PortalFixture portal)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/framework")]
    [InlineData("/agencies/1f174cf9-0e3d-2438-3893-d0ae9547adb6")]
    [InlineData("/agencies/1f174cf9-0e3d-2438-3893-d0ae9547adb6/assess/data.quality-management")]
    public async Task anonymous_visitors_are_redirected_to_sign_in(string path)
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_portfolio_renders_on_the_server_with_every_agency()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await client.GetStringAsync("/");
        Assert.Contains("Ministry of Health and Family Welfare", html, StringComparison.Ordinal);
        Assert.Contains("Reserve Bank of India", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"heatmap\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_viewer_opening_the_assess_form_sees_no_form()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        var html = await client.GetStringAsync($"/agencies/{Demo.LedAgency}/assess/data.quality-management");
        Assert.Contains("Only the leads of this agency", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Save assessment", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task pages_speak_hindi_when_the_culture_is_chosen()
    {
        using var client = await portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        using var switched = await client.GetAsync("/culture?culture=hi-IN&returnUrl=/framework");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/framework", switched.Headers.Location?.OriginalString);
        var html = await client.GetStringAsync("/framework");
        Assert.Contains("lang=\"hi\"", html, StringComparison.Ordinal);
        Assert.Contains("माध्य", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_language_switch_never_redirects_off_site()
    {
        using var client = portal.AnonymousClient();
        using var response = await client.GetAsync("/culture?culture=hi-IN&returnUrl=//evil.example/");
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task a_wrong_password_is_refused_with_a_message()
    {
        using var client = portal.AnonymousClient();
        await Assert.ThrowsAsync<InvalidOperationException>(() => PortalFixture.SignInAsync(client, Demo.Viewer.Email, "not-the-password"));
    }
}
