using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Hardening;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Forum.Polls;
using static CoordinationPortal.Integration.Tests.Forum.PollApiCast;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>Quick polls through the API on the real host: a poll from opening to the decision log, agency votes, bad bodies.</summary>
[Collection(PortalTests.Name)]
public sealed class PollApiTests(PortalFixture portal)
{
    private static readonly string[] OneOption = ["Only"];

    [Fact]
    public async Task a_poll_runs_from_opening_to_a_decision_with_its_counts_and_results_hidden_until_the_reveal()
    {
        var cast = await ForAsync(portal);
        var (group, session) = await SessionAsync(cast);

        var created = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/polls", new
        {
            question = "Adopt the shared GPU booking policy?",
            kind = "yes-no-abstain",
        }), HttpStatusCode.Created);
        var poll = created.GetProperty("id").GetGuid();
        var code = created.GetProperty("shortCode").GetString()!;
        Assert.Matches("^[2-9A-HJKMNP-Z]{6}$", code);
        Assert.EndsWith($"/vote/{code}", created.GetProperty("joinUrl").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("http", created.GetProperty("joinUrl").GetString(), StringComparison.Ordinal);

        await VoteAsync(cast.Member, poll, "yes");
        await VoteAsync(cast.MemberLead, poll, "no");
        await VoteAsync(cast.Member, poll, "abstain");

        // Before the reveal: how many voted, never the split; each voter sees their own vote.
        var hidden = await GetAsync(cast.Member, $"/api/v1/polls/{poll}");
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("results").ValueKind);
        Assert.Equal(2, hidden.GetProperty("votesCast").GetInt32());
        Assert.Equal("abstain", hidden.GetProperty("myVotes")[0].GetProperty("choice").GetString());
        var listed = await GetAsync(cast.Chair, $"/api/v1/sessions/{session}/polls");
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("results").ValueKind);
        Assert.DoesNotContain("\"count\"", listed.GetRawText(), StringComparison.Ordinal);

        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.BadRequest);
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/decision", HttpStatusCode.BadRequest, new { text = "Too early." });
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        var late = await VoteAsync(cast.Member, poll, "yes", status: HttpStatusCode.BadRequest);
        Assert.Equal(["Poll.NotOpen"], Codes(late, "request"));
        Assert.Equal(JsonValueKind.Null, (await GetAsync(cast.Member, $"/api/v1/polls/{poll}")).GetProperty("results").ValueKind);

        await PostAsync(cast.Secretary, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.OK);
        var revealed = await GetAsync(cast.Observer, $"/api/v1/polls/{poll}");
        Assert.Equal(new Dictionary<string, int> { ["yes"] = 0, ["no"] = 1, ["abstain"] = 1 }, Results(revealed));
        Assert.False(revealed.GetProperty("mayVote").GetBoolean());

        var decided = await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/decision", HttpStatusCode.Created, new { text = "The policy is not adopted yet." });
        var number = decided.GetProperty("number").GetInt32();
        Assert.Equal(group, decided.GetProperty("groupId").GetGuid());
        var again = await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/decision", HttpStatusCode.BadRequest, new { text = "Twice." });
        Assert.Equal(["Poll.AlreadyRecorded"], Codes(again, "request"));

        var log = await GetAsync(cast.Member, $"/api/v1/working-groups/{group}");
        var decision = log.GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("number").GetInt32() == number);
        Assert.Equal("Vote", decision.GetProperty("basis").GetString());
        Assert.Equal(session, decision.GetProperty("sessionId").GetGuid());
        Assert.Equal("The policy is not adopted yet.", decision.GetProperty("text").GetProperty("hi").GetString());
        Assert.Equal(
            [("Yes", 0), ("No", 1), ("Abstain", 1)],
            decision.GetProperty("counts").EnumerateArray().Select(c => (c.GetProperty("option").GetString(), c.GetProperty("count").GetInt32())).ToList());
        Assert.Equal(number, (await GetAsync(cast.Member, $"/api/v1/polls/{poll}")).GetProperty("decisionNumber").GetInt32());
    }

    [Fact]
    public async Task recording_a_decision_is_all_or_nothing_when_the_decision_log_refuses_it()
    {
        var cast = await ForAsync(portal);
        var (group, session) = await SessionAsync(cast);
        var (poll, _) = await OpenAsync(cast, session, kind: "consent");
        await VoteAsync(cast.Member, poll, "objection");
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        var decisions = (await GetAsync(cast.Chair, $"/api/v1/working-groups/{group}")).GetProperty("decisions").GetArrayLength();

        var refused = await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/decision", HttpStatusCode.BadRequest, new { text = " ", reviewOn = "2001-01-01" });
        Assert.Equal(["WorkingGroup.TextRequired"], Codes(refused, "text"));
        Assert.Equal(["Decision.ReviewBeforeTaken"], Codes(refused, "reviewOn"));
        Assert.Equal(decisions, (await GetAsync(cast.Chair, $"/api/v1/working-groups/{group}")).GetProperty("decisions").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, (await GetAsync(cast.Chair, $"/api/v1/polls/{poll}")).GetProperty("decisionNumber").ValueKind);

        // Hindi may be given; the counts of a consent poll are its two fixed options.
        var recorded = await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/decision", HttpStatusCode.Created, new { text = "Objection noted.", textHi = "आपत्ति दर्ज।" });
        var decision = (await GetAsync(cast.Chair, $"/api/v1/working-groups/{group}")).GetProperty("decisions").EnumerateArray()
            .Single(d => d.GetProperty("number").GetInt32() == recorded.GetProperty("number").GetInt32());
        Assert.Equal("आपत्ति दर्ज।", decision.GetProperty("text").GetProperty("hi").GetString());
        Assert.Equal(
            [("No objection", 0), ("Objection", 1)],
            decision.GetProperty("counts").EnumerateArray().Select(c => (c.GetProperty("option").GetString(), c.GetProperty("count").GetInt32())).ToList());
    }

    [Fact]
    public async Task on_agency_basis_each_member_agency_has_one_vote_that_any_of_its_representatives_may_change()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, _) = await OpenAsync(cast, session, kind: "single-choice", basis: "agency", options: ["Pool A", "Pool B", "Pool C"]);

        await VoteAsync(cast.Member, poll, "option-1");
        await VoteAsync(cast.MemberLead, poll, "option-2", cast.AgencyA);
        var foreign = await VoteAsync(cast.MemberLead, poll, "option-1", cast.AgencyC, HttpStatusCode.BadRequest);
        Assert.Equal(["Poll.NotRepresentative"], Codes(foreign, "agencyId"));
        var noAgency = await VoteAsync(cast.Chair, poll, "option-1", status: HttpStatusCode.BadRequest);
        Assert.Equal(["Poll.NoAgency"], Codes(noAgency, "agencyId"));
        var unknown = await VoteAsync(cast.Member, poll, "option-9", status: HttpStatusCode.BadRequest);
        Assert.Equal(["Poll.UnknownChoice"], Codes(unknown, "choice"));

        var seen = await GetAsync(cast.Member, $"/api/v1/polls/{poll}");
        Assert.Equal(1, seen.GetProperty("votesCast").GetInt32());
        var agencyVote = Assert.Single(seen.GetProperty("myVotes").EnumerateArray());
        Assert.Equal(cast.AgencyA, agencyVote.GetProperty("agencyId").GetGuid());
        Assert.Equal("option-2", agencyVote.GetProperty("choice").GetString());
        Assert.StartsWith("wg-lead-a", agencyVote.GetProperty("by").GetString(), StringComparison.Ordinal);

        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/close", HttpStatusCode.OK);
        await PostAsync(cast.Chair, $"/api/v1/polls/{poll}/reveal", HttpStatusCode.OK);
        Assert.Equal(
            new Dictionary<string, int> { ["option-1"] = 0, ["option-2"] = 1, ["option-3"] = 0 },
            Results(await GetAsync(cast.Chair, $"/api/v1/polls/{poll}")));
    }

    [Fact]
    public async Task opening_checks_the_kind_options_and_flag_and_names_each_field()
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);

        var single = await PostAsync(cast.Chair, $"/api/v1/sessions/{session}/polls", HttpStatusCode.BadRequest, new { question = "Which pool?", kind = "single-choice", options = OneOption });
        Assert.Equal(["Poll.OptionsCount"], Codes(single, "options"));
        var flag = await PostAsync(cast.Chair, $"/api/v1/sessions/{session}/polls", HttpStatusCode.BadRequest, new { question = "Real?", kind = "flag-real", flagId = Guid.NewGuid() });
        Assert.Equal(["Poll.UnknownFlag"], Codes(flag, "flagId"));
        var empty = await PostAsync(cast.Chair, $"/api/v1/sessions/{session}/polls", HttpStatusCode.BadRequest, new { question = " ", kind = "consent" });
        Assert.Equal(["Poll.QuestionRequired"], Codes(empty, "question"));
        var kind = await PostAsync(cast.Chair, $"/api/v1/sessions/{session}/polls", HttpStatusCode.BadRequest, new { question = "Q?", kind = "ranked" });
        Assert.Contains("yes-no-abstain", Problem.Message(kind, "kind"), StringComparison.Ordinal);
        await PostAsync(cast.Chair, $"/api/v1/sessions/{Guid.NewGuid()}/polls", HttpStatusCode.NotFound, new { question = "Q?", kind = "consent" });
        await PostAsync(cast.Chair, $"/api/v1/polls/{Guid.NewGuid()}/close", HttpStatusCode.NotFound);
        await GetAsync(cast.Chair, $"/api/v1/polls/{Guid.NewGuid()}", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("sessions", "{", "body")]
    [InlineData("sessions", "{\"question\": 5, \"kind\": \"consent\"}", "question")]
    [InlineData("sessions", "{\"question\": \"Q?\", \"kind\": \"consent\", \"options\": \"no\"}", "options")]
    [InlineData("sessions", "{\"question\": \"Q?\", \"kind\": \"flag-real\", \"flagId\": \"not-an-id\"}", "flagId")]
    [InlineData("sessions", "{\"question\": \"Q?\", \"kind\": 3}", "kind")]
    [InlineData("votes", "{\"choice\": [\"yes\"]}", "choice")]
    [InlineData("votes", "{\"choice\": \"yes\", \"agencyId\": 12}", "agencyId")]
    [InlineData("votes", "[]", "body")]
    [InlineData("decision", "{\"text\": \"T\", \"reviewOn\": \"someday\"}", "reviewOn")]
    [InlineData("decision", "null", "body")]
    public async Task a_malformed_body_is_a_400_naming_the_field_not_a_500(string route, string json, string field)
    {
        var cast = await ForAsync(portal);
        var (_, session) = await SessionAsync(cast);
        var (poll, _) = await OpenAsync(cast, session);
        var url = route switch
        {
            "sessions" => $"/api/v1/sessions/{session}/polls",
            "votes" => $"/api/v1/polls/{poll}/votes",
            _ => $"/api/v1/polls/{poll}/decision",
        };
        using var response = await cast.Chair.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public void the_qr_code_is_an_svg_data_uri_of_the_voting_address()
    {
        var uri = PollQr.DataUri(PollQr.JoinUrl("https://portal.example.gov.in/", "ABC234"));
        Assert.StartsWith("data:image/svg+xml;base64,", uri, StringComparison.Ordinal);
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(uri["data:image/svg+xml;base64,".Length..]));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("viewBox", svg, StringComparison.Ordinal);
        Assert.Equal("https://portal.example.gov.in/vote/ABC234", PollQr.JoinUrl("https://portal.example.gov.in/", "ABC234"));
        Assert.Equal("portal.example.gov.in/vote", PollQr.Host("https://portal.example.gov.in/vote"));
    }
}
