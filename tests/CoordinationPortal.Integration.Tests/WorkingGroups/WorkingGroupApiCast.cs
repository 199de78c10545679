using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Integration.Tests.Identity;
using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Agencies;
using Microsoft.Extensions.DependencyInjection;

namespace CoordinationPortal.Integration.Tests.WorkingGroups;

/// <summary>
/// The people the working-group API tests act as, each a real account signed in through the real form: the demo admin
/// and viewer, a chair, a secretary, a member and an observer of the groups the tests form (portal Members and a Viewer
/// who have no other power), a lead of a member agency and a lead of an agency outside the groups. Agencies of their
/// own, so no other test's agencies change. Made once per test run (signing in costs a request each).
/// </summary>
public sealed class WorkingGroupApiCast
{
    public const string Password = "Working-group-api-2026";

    private static readonly ConditionalWeakTable<PortalFixture, Task<WorkingGroupApiCast>> Casts = [];

    private WorkingGroupApiCast(PortalFixture portal) => Portal = portal;

    public PortalFixture Portal { get; }

    /// <summary>Members of every group the cast forms; <see cref="MemberLead"/> leads <see cref="AgencyA"/>.</summary>
    public Guid AgencyA { get; private set; }

    public Guid AgencyC { get; private set; }

    /// <summary>Not a member of the groups; <see cref="OutsideLead"/> leads it.</summary>
    public Guid AgencyB { get; private set; }

    /// <summary>Not a member at first: the tests add and remove it.</summary>
    public Guid AgencyD { get; private set; }

    public string ChairName { get; private set; } = "";

    public string SecretaryName { get; private set; } = "";

    public string MemberName { get; private set; } = "";

    public string ObserverName { get; private set; } = "";

    /// <summary>A portal user the tests add to a group and remove again.</summary>
    public string ExtraName { get; private set; } = "";

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Chair { get; private set; } = null!;

    public HttpClient Secretary { get; private set; } = null!;

    public HttpClient Member { get; private set; } = null!;

    public HttpClient Observer { get; private set; } = null!;

    public HttpClient MemberLead { get; private set; } = null!;

    public HttpClient OutsideLead { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>Everyone signed in, by the name the tests report.</summary>
    public IReadOnlyList<(string Who, HttpClient Client)> SignedIn =>
    [
        ("admin", Admin), ("chair", Chair), ("secretary", Secretary), ("member", Member), ("observer", Observer),
        ("member-lead", MemberLead), ("outside-lead", OutsideLead), ("viewer", Viewer),
    ];

    public DateOnly Today => Portal.Factory.Services.GetRequiredService<PortalClock>().Today;

    public static Task<WorkingGroupApiCast> ForAsync(PortalFixture portal)
    {
        lock (Casts)
        {
            if (!Casts.TryGetValue(portal, out var cast))
            {
                cast = new WorkingGroupApiCast(portal).CreateAsync();
                Casts.Add(portal, cast);
            }

            return cast;
        }
    }

    private async Task<WorkingGroupApiCast> CreateAsync()
    {
        var services = Portal.Factory.Services;
        AgencyA = await RegisterAgencyAsync("A");
        AgencyB = await RegisterAgencyAsync("B");
        AgencyC = await RegisterAgencyAsync("C");
        AgencyD = await RegisterAgencyAsync("D");
        ChairName = await Accounts.CreateAsync(services, Roles.Member, Password, "wg-chair");
        SecretaryName = await Accounts.CreateAsync(services, Roles.Member, Password, "wg-secretary");
        MemberName = await Accounts.CreateAsync(services, Roles.Member, Password, "wg-member");
        ObserverName = await Accounts.CreateAsync(services, Roles.Viewer, Password, "wg-observer");
        ExtraName = await Accounts.CreateAsync(services, Roles.Member, Password, "wg-extra");
        var memberLead = await Accounts.CreateAsync(services, Roles.AgencyLead, Password, "wg-lead-a");
        var outsideLead = await Accounts.CreateAsync(services, Roles.AgencyLead, Password, "wg-lead-b");
        await AssignLeadAsync(AgencyA, memberLead);
        await AssignLeadAsync(AgencyB, outsideLead);

        Admin = await Portal.SignedInClientAsync(Demo.Admin.Email, Demo.Admin.Password);
        Viewer = await Portal.SignedInClientAsync(Demo.Viewer.Email, Demo.Viewer.Password);
        Chair = await Portal.SignedInClientAsync(ChairName, Password);
        Secretary = await Portal.SignedInClientAsync(SecretaryName, Password);
        Member = await Portal.SignedInClientAsync(MemberName, Password);
        Observer = await Portal.SignedInClientAsync(ObserverName, Password);
        MemberLead = await Portal.SignedInClientAsync(memberLead, Password);
        OutsideLead = await Portal.SignedInClientAsync(outsideLead, Password);
        Anonymous = Portal.AnonymousClient();
        return this;
    }

    private async Task<Guid> RegisterAgencyAsync(string label)
    {
        var id = Guid.NewGuid();
        await using var scope = Portal.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        var outcome = await handler.HandleAsSystemAsync(
            new RegisterAgency(id, $"Working group agency {label} {id:N}", AgencyKind.Regulator, "health", "national", "", default), default);
        Assert.IsType<CommandOutcome.Accepted>(outcome);
        return id;
    }

    private async Task AssignLeadAsync(Guid agencyId, string lead)
    {
        await using var scope = Portal.Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
        Assert.IsType<CommandOutcome.Accepted>(await handler.HandleAsSystemAsync(new AssignLead(agencyId, lead, "", default), default));
    }

    /// <summary>A group formed by the admin through the API, with A and C as members and the cast's people in their roles.</summary>
    public async Task<Guid> NewGroupAsync(string name = "Compute coordination group")
    {
        var created = await ExpectAsync(Admin.PostAsJsonAsync("/api/v1/working-groups", new
        {
            name = new { en = name, hi = "कंप्यूट समन्वय समूह" },
            purpose = new { en = "Align the agencies' compute plans.", hi = "एजेंसियों की कंप्यूट योजनाओं में तालमेल।" },
            kind = "national",
            memberAgencyIds = new[] { AgencyA, AgencyC },
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        foreach (var (person, role, agency) in new[]
        {
            (ChairName, "chair", (Guid?)null), (SecretaryName, "secretary", null), (MemberName, "member", AgencyA), (ObserverName, "observer", null),
        })
        {
            await ExpectAsync(Admin.PostAsJsonAsync($"/api/v1/working-groups/{id}/people", new { person, role, agencyId = agency }), HttpStatusCode.OK);
        }

        return id;
    }

    /// <summary>A session of the group that began an hour and a half ago (so minutes and attendance may be recorded); its id and version.</summary>
    public async Task<(Guid Id, long Version)> PastSessionAsync(Guid groupId, string title = "Quarterly review")
    {
        var now = DateTimeOffset.UtcNow;
        var created = await ExpectAsync(Chair.PostAsJsonAsync($"/api/v1/working-groups/{groupId}/sessions", new
        {
            title,
            startsAt = now.AddMinutes(-90),
            endsAt = now.AddMinutes(-30),
            place = "Committee room 2, Nirman Bhawan",
            agenda = new[] { new { title = "Compute plans", durationMinutes = 30, presenter = "Dr. Rao" } },
        }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("version").GetInt64());
    }

    /// <summary>A session of the group a week from now.</summary>
    public async Task<(Guid Id, long Version)> FutureSessionAsync(Guid groupId, string title = "Next review", object? agenda = null)
    {
        var start = DateTimeOffset.UtcNow.AddDays(7);
        var created = await ExpectAsync(Chair.PostAsJsonAsync($"/api/v1/working-groups/{groupId}/sessions", new
        {
            title,
            startsAt = start,
            endsAt = start.AddHours(2),
            link = "https://meet.example.gov.in/wg/review",
            agenda = agenda ?? Array.Empty<object>(),
        }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("version").GetInt64());
    }

    /// <summary>A session with approved minutes; its version after approval.</summary>
    public async Task<(Guid Id, long Version)> ApprovedSessionAsync(Guid groupId)
    {
        var (id, version) = await DraftedSessionAsync(groupId);
        var approved = await ExpectAsync(Chair.PostAsJsonAsync($"/api/v1/sessions/{id}/minutes/approve", new { expectedVersion = version }), HttpStatusCode.OK);
        return (id, approved.GetProperty("version").GetInt64());
    }

    /// <summary>A past session with drafted minutes; its version after the draft.</summary>
    public async Task<(Guid Id, long Version)> DraftedSessionAsync(Guid groupId)
    {
        var (id, version) = await PastSessionAsync(groupId);
        var drafted = await ExpectAsync(Secretary.PutAsJsonAsync($"/api/v1/sessions/{id}/minutes", new
        {
            markdown = "# Minutes\n\nThe group reviewed the compute plans.",
            expectedVersion = version,
        }), HttpStatusCode.OK);
        return (id, drafted.GetProperty("version").GetInt64());
    }

    /// <summary>An action item recorded by the chair; its id.</summary>
    public async Task<Guid> NewActionItemAsync(Guid groupId, Guid agencyId, string layer = "compute", DateOnly? due = null, string title = "Publish the GPU capacity plan")
    {
        var created = await ExpectAsync(Chair.PostAsJsonAsync($"/api/v1/working-groups/{groupId}/action-items", new
        {
            agencyId,
            layer,
            title,
            dueDate = (due ?? Today.AddDays(30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }), HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> ExpectAsync(Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        using var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(body);
    }
}
