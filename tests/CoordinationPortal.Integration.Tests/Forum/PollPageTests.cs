using System.Net;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.Forum.PollApiCast;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupPageData;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>The voting pages over HTTP, as a phone without JavaScript uses them: the code form, the vote form and its answers.</summary>
[Collection(PortalTests.Name)]
public sealed class PollPageTests(PortalFixture portal)
{
    [Fact]
    public async Task a_typed_code_leads_to_its_poll_whatever_its_case_and_spaces()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (_, code) = await OpenAsync(cast, session);

        var typed = code[..3].ToLowerInvariant() + " " + code[3..].ToLowerInvariant();
        using var response = await cast.Member.GetAsync($"/vote?code={Uri.EscapeDataString(typed)}");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.EndsWith($"/vote/{code}", response.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var malformed = await PageAsync(cast.Member, "/vote?code=O0I1L");
        Assert.Contains("data-testid=\"code-error\"", malformed, StringComparison.Ordinal);
        var unknown = await PageAsync(cast.Member, "/vote?code=ZZZZZZ");
        Assert.Contains("No poll has this code.", Part(unknown, "code-error", "p"), StringComparison.Ordinal);
        await PageAsync(cast.Member, "/vote/ZZZZZZ", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_member_votes_with_the_form_sees_the_confirmation_and_may_change_the_vote()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, code) = await OpenAsync(cast, session);

        var page = await PageAsync(cast.Member, $"/vote/{code}");
        Assert.Contains("<legend class=\"poll-question\"", page, StringComparison.Ordinal);
        // The radio buttons carry the name the form binds (a browser posts what the page names, not what a test chooses).
        Assert.Matches("<input[^>]*type=\"radio\"[^>]*name=\"Input.Choice\"|<input[^>]*name=\"Input.Choice\"[^>]*type=\"radio\"", page);

        var posted = await PostAsync(cast.Member, $"/vote/{code}", "vote", [F("Input.Choice", "no")]);
        Assert.Equal(HttpStatusCode.Found, posted.Status);
        Assert.Equal($"/vote/{code}?voted=1", posted.Location);
        var confirmed = await PageAsync(cast.Member, posted.Location!);
        var confirmation = Part(confirmed, "vote-confirmation", "div");
        Assert.Contains("Your vote is recorded. You can change it until the poll closes.", confirmation, StringComparison.Ordinal);
        Assert.Contains("Your current vote: No", confirmation, StringComparison.Ordinal);
        Assert.Contains("role=\"status\"", confirmed[..confirmed.IndexOf("data-testid=\"vote-confirmation\"", StringComparison.Ordinal)][^80..], StringComparison.Ordinal);

        var changed = await PostAsync(cast.Member, $"/vote/{code}", "vote", [F("Input.Choice", "abstain")]);
        Assert.Equal(HttpStatusCode.Found, changed.Status);
        var hindi = await PageAsync(cast.Member, $"/vote/{code}?voted=1&culture=hi-IN");
        Assert.Contains("आपका मत दर्ज हो गया है", hindi, StringComparison.Ordinal);
        Assert.Contains("तटस्थ", Part(hindi, "vote-confirmation", "div"), StringComparison.Ordinal);

        var bad = await PostAsync(cast.Member, $"/vote/{code}", "vote", [F("Input.Choice", "maybe")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("Choose one of the poll's options.", Part(bad.Html, "vote-error", "p"), StringComparison.Ordinal);

        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        var closed = await PageAsync(cast.Member, $"/vote/{code}");
        Assert.Contains("data-testid=\"poll-closed\"", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"vote-form\"", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"poll-results\"", closed, StringComparison.Ordinal);

        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.OK);
        var results = await PageAsync(cast.Member, $"/vote/{code}");
        Assert.Contains("Votes: 1 (100%)", Part(results, "result-abstain", "span"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task on_agency_basis_the_page_votes_for_the_one_agency_the_member_represents_and_says_who_cast_it()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, code) = await OpenAsync(cast, session, basis: "agency");

        var page = await PageAsync(cast.Member, $"/vote/{code}");
        Assert.DoesNotContain("name=\"Input.AgencyId\"", page, StringComparison.Ordinal);
        var posted = await PostAsync(cast.Member, $"/vote/{code}", "vote", [F("Input.Choice", "yes")]);
        Assert.Equal(HttpStatusCode.Found, posted.Status);

        // The agency's lead sees the agency's vote, cast by the member, and may change it.
        var lead = await PageAsync(cast.MemberLead, $"/vote/{code}");
        var current = Part(lead, "current-vote", "div");
        Assert.Contains(": Yes (cast by wg-member-", current, StringComparison.Ordinal);
        Assert.Contains("checked", Part(lead, "vote-form", "form")[..Part(lead, "vote-form", "form").IndexOf("choice-no", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await PostAsync(cast.MemberLead, $"/vote/{code}", "vote", [F("Input.Choice", "no")])).Status);
        // The chair votes as a person in the group, but represents no agency: told so, with no form that would fail.
        var chair = await PageAsync(cast.Chair, $"/vote/{code}");
        Assert.Contains("data-testid=\"poll-no-agency\"", chair, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"vote-form\"", chair, StringComparison.Ordinal);
        var seen = await GetAsync(cast.Member, $"/api/v1/polls/{poll}");
        Assert.Equal(1, seen.GetProperty("votesCast").GetInt32());
        Assert.Equal("no", seen.GetProperty("myVotes")[0].GetProperty("choice").GetString());
    }

    [Fact]
    public async Task people_who_may_not_vote_get_a_clear_message_not_an_error()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (_, code) = await OpenAsync(cast, session);

        var observer = await PageAsync(cast.Observer, $"/vote/{code}");
        Assert.Contains("data-testid=\"poll-not-eligible\"", observer, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"vote-form\"", observer, StringComparison.Ordinal);

        var viewer = await PageAsync(cast.Viewer, $"/vote/{code}", HttpStatusCode.Forbidden);
        Assert.Contains("data-testid=\"poll-not-for-you\"", viewer, StringComparison.Ordinal);
        Assert.DoesNotContain("Adopt the shared GPU booking policy?", viewer, StringComparison.Ordinal);

        var refused = await PostAsync(cast.Observer, $"/vote/{code}", "vote", [F("Input.Choice", "yes")]);
        Assert.True((int)refused.Status < 500, $"{(int)refused.Status}");
        Assert.DoesNotContain("data-testid=\"vote-confirmation\"", refused.Html, StringComparison.Ordinal);
    }
}
