using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoordinationPortal.Integration.Tests.Infrastructure;
using static CoordinationPortal.Integration.Tests.WorkingGroups.WorkingGroupApiCast;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// Following up through the API: a decision due for review is reviewed and leaves the due list, an initiative is
/// launched and tracked on the group, an overdue item gets a new due date with a reason, and bad input is a 400 that
/// names the field.
/// </summary>
[Collection(PortalTests.Name)]
public sealed class FollowUpApiTests(PortalFixture portal)
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task a_decision_due_for_review_is_reviewed_with_a_note_and_leaves_the_due_list()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var recorded = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions", new
        {
            text = new { en = "Share the national GPU pool.", hi = "राष्ट्रीय जीपीयू पूल साझा करें।" },
            basis = "consensus",
            reviewOn = Day(cast.Today),
        }), HttpStatusCode.Created);
        var number = recorded.GetProperty("number").GetInt32();
        var before = await ExpectAsync(cast.Viewer.GetAsync($"/api/v1/working-groups/{group}/decisions"), HttpStatusCode.OK);
        Assert.True(before.EnumerateArray().Single(d => d.GetProperty("number").GetInt32() == number).GetProperty("dueForReview").GetBoolean());

        var noNote = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions/{number}/review", new { note = "" }), HttpStatusCode.BadRequest);
        Assert.True(noNote.GetProperty("errors").TryGetProperty("note", out _));
        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions/{number + 100}/review", new { note = "x" }), HttpStatusCode.BadRequest);

        await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/decisions/{number}/review", new
        {
            note = "The pool is in use; review again next year.",
            nextReviewOn = Day(cast.Today.AddDays(365)),
        }), HttpStatusCode.OK);
        var after = (await ExpectAsync(cast.Viewer.GetAsync($"/api/v1/working-groups/{group}/decisions"), HttpStatusCode.OK))
            .EnumerateArray().Single(d => d.GetProperty("number").GetInt32() == number);
        Assert.False(after.GetProperty("dueForReview").GetBoolean());
        Assert.Equal("The pool is in use; review again next year.", after.GetProperty("lastReviewNote").GetString());
        Assert.Equal(Day(cast.Today.AddDays(365)), after.GetProperty("reviewOn").GetString());
    }

    [Fact]
    public async Task an_initiative_is_launched_and_tracked_on_the_group_and_bad_layers_name_the_field()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();

        var bad = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/initiatives", new
        {
            title = new { en = "Everything at 3", hi = "सब कुछ 3 पर" },
            layers = (string[])["quantum"],
            targetLevel = 3,
            deadline = Day(cast.Today.AddDays(90)),
        }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("layers[0]", out _));

        var created = await ExpectAsync(cast.Chair.PostAsJsonAsync($"/api/v1/working-groups/{group}/initiatives", new
        {
            title = new { en = "Governance at level 3 by next year", hi = "अगले वर्ष तक अभिशासन स्तर 3 पर" },
            layers = (string[])["governance"],
            targetLevel = 3,
            deadline = Day(cast.Today.AddDays(365)),
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var view = await ExpectAsync(cast.Viewer.GetAsync($"/api/v1/working-groups/{group}"), HttpStatusCode.OK);
        var initiative = view.GetProperty("initiatives").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal(3, initiative.GetProperty("targetLevel").GetDouble());
        Assert.Equal(view.GetProperty("members").GetArrayLength(), initiative.GetProperty("agencies").GetInt32());
        Assert.InRange(initiative.GetProperty("agenciesAtTarget").GetInt32(), 0, initiative.GetProperty("agencies").GetInt32());
    }

    [Fact]
    public async Task an_overdue_item_gets_a_new_due_date_with_a_reason_and_is_no_longer_overdue()
    {
        var cast = await ForAsync(portal);
        var group = await cast.NewGroupAsync();
        var item = await cast.NewActionItemAsync(group, cast.AgencyA, due: cast.Today.AddDays(-10));
        var overdue = await ExpectAsync(cast.MemberLead.GetAsync($"/api/v1/action-items/{item}"), HttpStatusCode.OK);
        Assert.Equal(10, overdue.GetProperty("item").GetProperty("daysOverdue").GetInt32());

        var noReason = await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{item}/due-date", new
        {
            dueDate = Day(cast.Today.AddDays(20)),
            expectedVersion = 1,
        }), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{item}/due-date", new { reason = "Later", expectedVersion = 1 }), HttpStatusCode.BadRequest);

        await ExpectAsync(cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{item}/due-date", new
        {
            dueDate = Day(cast.Today.AddDays(20)),
            reason = "Procurement slipped a month.",
            expectedVersion = 1,
        }), HttpStatusCode.OK);
        var moved = (await ExpectAsync(cast.MemberLead.GetAsync($"/api/v1/action-items/{item}"), HttpStatusCode.OK)).GetProperty("item");
        Assert.Equal(Day(cast.Today.AddDays(20)), moved.GetProperty("dueDate").GetString());
        Assert.False(moved.GetProperty("overdue").GetBoolean());

        // Based on the old version: a conflict, not a silent overwrite.
        var stale = await cast.MemberLead.PostAsJsonAsync($"/api/v1/action-items/{item}/due-date", new
        {
            dueDate = Day(cast.Today.AddDays(40)),
            reason = "Again.",
            expectedVersion = 1,
        });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(JsonValueKind.Number, (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentVersion").ValueKind);
    }
}
