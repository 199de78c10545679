using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.WorkingGroups;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.Forum;

/// <summary>
/// Polls for the tests, on the working-group cast's groups (<see cref="WorkingGroupApiCast"/>): the chair opens them
/// through the API, in a session of a group of A and C where <c>member</c> belongs to A and <c>member-lead</c> leads A.
/// </summary>
internal static class PollApiCast
{
    /// <summary>A fresh group and a session of it.</summary>
    public static async Task<(Guid Group, Guid Session)> SessionAsync(WorkingGroupApiCast cast)
    {
        var group = await cast.NewGroupAsync("Poll test group");
        var (session, _) = await cast.PastSessionAsync(group, "Session with polls");
        return (group, session);
    }

    /// <summary>Opens a poll as the chair; its id and short code.</summary>
    public static async Task<(Guid Id, string Code)> OpenAsync(WorkingGroupApiCast cast, Guid session, string kind = "yes-no-abstain", string? basis = null, string[]? options = null)
    {
        var created = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/sessions/{session}/polls", new
        {
            question = "Adopt the shared GPU booking policy?",
            kind,
            basis,
            options,
        }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("shortCode").GetString()!);
    }

    public static Task<JsonElement> VoteAsync(HttpClient client, Guid poll, string choice, Guid? agencyId = null, HttpStatusCode status = HttpStatusCode.OK) =>
        ExpectAsync(client.PostAsJsonAsync($"/api/v1/polls/{poll}/votes", new { choice, agencyId }), status);

    public static Task<JsonElement> PostAsync(HttpClient client, string url, HttpStatusCode status, object? body = null) =>
        ExpectAsync(body is null ? client.PostAsync(url, null) : client.PostAsJsonAsync(url, body), status);

    public static Task<JsonElement> GetAsync(HttpClient client, string url, HttpStatusCode status = HttpStatusCode.OK) =>
        ExpectAsync(client.GetAsync(url), status);

    /// <summary>The domain codes a 400 lists for <paramref name="field"/>.</summary>
    public static IReadOnlyList<string> Codes(JsonElement problem, string field) =>
        [.. problem.GetProperty("codes").GetProperty(field).EnumerateArray().Select(c => c.GetString()!)];

    /// <summary>Option key → count, from a poll's revealed results.</summary>
    public static Dictionary<string, int> Results(JsonElement poll) =>
        poll.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("count").GetInt32());
}
