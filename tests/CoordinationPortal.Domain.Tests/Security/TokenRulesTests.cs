using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Domain.Tests.Security;

/// <summary>Which scope each API request needs, and what a new token must be.</summary>
public sealed class TokenRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly Guid Led = Guid.Parse("0b5e6f0e-7f53-4c6e-9f3e-2f1b8f0f6a11");

    [Theory]
    [InlineData("GET", "/api/v1/agencies", "read")]
    [InlineData("HEAD", "/api/v1/flags/{id:guid}", "read")]
    [InlineData("POST", "/api/v1/agencies/{id:guid}/assessments", "assessments:write")]
    [InlineData("PUT", "/api/v1/endpoints/{id:guid}", "endpoints:write")]
    [InlineData("DELETE", "/api/v1/probe-allowlist/", "endpoints:write")]
    [InlineData("POST", "/api/v1/flags/{id:guid}/acknowledgements", "flags:write")]
    [InlineData("POST", "/api/v1/sessions/{id:guid}/polls", "working-groups:write")]
    [InlineData("POST", "/api/v1/polls/{id:guid}/votes", "working-groups:write")]
    [InlineData("GET", "/api/v1/webhooks", "webhooks:admin")] // admin business even to read
    [InlineData("POST", "/api/v1/imports", "imports:write")]
    [InlineData("POST", "/api/v1/notifications/read", "read")]
    [InlineData("post", "api/v1/flags/{id:guid}/acknowledgements", "flags:write")] // however the pattern and method are spelt
    public void each_api_request_needs_one_scope(string method, string route, string scope) =>
        Assert.Equal(scope, TokenScopes.RequiredFor(method, route));

    [Theory]
    [InlineData("GET", "/api/v1/tokens")]
    [InlineData("POST", "/api/v1/tokens/")]
    [InlineData("DELETE", "/api/v1/tokens/{id:guid}")]
    [InlineData("GET", "/api/docs")]
    [InlineData("GET", "/api/docs/{**path}")]
    [InlineData("GET", "/flags")]
    [InlineData("POST", "/account/logout")]
    [InlineData("POST", "/api/v1/something-new")] // a write nobody gave a scope is refused, not allowed
    [InlineData("GET", "/apiary")] // a prefix match is a whole segment
    public void no_token_may_manage_tokens_open_pages_or_make_an_unlisted_write(string method, string route) =>
        Assert.Null(TokenScopes.RequiredFor(method, route));

    [Fact]
    public void a_good_request_passes_and_each_fault_is_named_at_its_field()
    {
        var good = new TokenRequest("Nightly export", ["read", "flags:write"], Today.AddDays(90), [Led]);
        Assert.Empty(TokenRules.Validate(good, Today, id => id == Led, liveTokens: 0));

        var bad = new TokenRequest(" ", ["read", "admin"], Today, [Guid.NewGuid()]);
        var errors = TokenRules.Validate(bad, Today, id => id == Led, liveTokens: 0);
        Assert.Equal(
            ["Token.NameRequired:name", "Token.ScopeUnknown:scopes", "Token.ExpiryPast:expiresOn", "Token.AgencyNotYours:agencyIds"],
            errors.Select(e => $"{e.Code}:{e.Field}"));
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(365, null)]
    [InlineData(366, "Token.ExpiryTooFar")]
    [InlineData(0, "Token.ExpiryPast")]
    public void a_token_lives_at_most_a_year(int days, string? error)
    {
        var errors = TokenRules.Validate(new TokenRequest("t", ["read"], Today.AddDays(days), null), Today, _ => false, 0);
        Assert.Equal(error, errors.SingleOrDefault()?.Code);
    }

    [Fact]
    public void a_token_needs_a_name_of_at_most_100_characters_scopes_and_an_expiry_and_an_account_holds_at_most_50()
    {
        var errors = TokenRules.Validate(new TokenRequest(new string('n', 101), [], null, null), Today, _ => true, TokenRules.MaxLiveTokens);
        Assert.Equal(["Token.NameTooLong", "Token.ScopesRequired", "Token.ExpiryRequired", "Token.TooMany"], errors.Select(e => e.Code));
    }
}
