using System.Security.Claims;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Web.Identity.TwoFactor;
using CoordinationPortal.Web.Kernel.Features;
using CoordinationPortal.Web.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace CoordinationPortal.Web.Identity;

public static class Roles
{
    public const string Admin = "Admin";
    public const string AgencyLead = "AgencyLead";
    public const string Member = "Member";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, AgencyLead, Member, Viewer];
}

public static class Policies
{
    /// <summary>Anyone signed in with a portal role: viewers (policymakers) and up.</summary>
    public const string View = "View";

    /// <summary>Admins and the leads of the agency in question (resource-based: see <see cref="AgencyEditHandler"/>).</summary>
    public const string EditAgency = "EditAgency";

    public const string Admin = "Admin";
}

public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// An admin invited this e-mail to sign in with an identity provider: the first sign-in whose provider vouches for the
    /// e-mail (<c>email_verified</c>) links to this account. Cleared once linked, so an invitation is used once.
    /// </summary>
    public bool InvitedForSingleSignOn { get; set; }

    /// <summary>
    /// Made by a provider sign-in that no invitation matched: the account has no role and cannot sign in until an admin
    /// approves it (choosing the role) on the users page.
    /// </summary>
    public bool AwaitingApproval { get; set; }
}

public sealed class PortalIdentityDbContext(DbContextOptions<PortalIdentityDbContext> options)
    : IdentityDbContext<PortalUser>(options)
{
    public const string Schema = "identity";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
    }
}

public sealed class AgencyEditRequirement : IAuthorizationRequirement;

/// <summary>An agency may be changed by an admin, or by a user in the AgencyLead role who is one of its leads.</summary>
public sealed class AgencyEditHandler : AuthorizationHandler<AgencyEditRequirement, Agency>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AgencyEditRequirement requirement, Agency resource)
    {
        if (CanEdit(context.User, resource))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public static bool CanEdit(ClaimsPrincipal user, Agency agency) => CanEdit(user, agency.Id, agency.Leads);

    /// <summary>The same rule for callers that hold only the agency's id and (normalised) leads, e.g. a portfolio row.</summary>
    public static bool CanEdit(ClaimsPrincipal user, Guid agencyId, IEnumerable<string> leads) =>
        ActsFor(user, agencyId)
        && (user.IsInRole(Roles.Admin)
            || (user.IsInRole(Roles.AgencyLead) && user.Identity?.Name is { Length: > 0 } name && leads.Contains(Agency.Normalize(name))));

    /// <summary>
    /// Whether the request may act for this agency at all: always, unless it comes with an API token restricted to some
    /// agencies (<see cref="PortalClaims.TokenAgency"/>), which acts for those only (and only while its owner may).
    /// </summary>
    public static bool ActsFor(ClaimsPrincipal user, Guid agencyId)
    {
        var restricted = user.FindAll(PortalClaims.TokenAgency).ToList();
        return restricted.Count == 0 || restricted.Any(c => Guid.TryParse(c.Value, out var id) && id == agencyId);
    }
}

/// <summary>Claims the portal adds to a principal beyond Identity's.</summary>
public static class PortalClaims
{
    /// <summary>One per agency an API token is restricted to (see <see cref="AgencyEditHandler.ActsFor"/>).</summary>
    public const string TokenAgency = "portal:token-agency";

    /// <summary>The configured name of the OpenID Connect provider a session signed in with (for offering its sign-out).</summary>
    public const string ExternalProvider = "portal:external-provider";

    /// <summary>
    /// On an API token's principal: its owner has two-factor authentication on (read with the owner on every request), so
    /// a role that requires it lets the token through (see <see cref="TwoFactorGate"/>).
    /// </summary>
    public const string TokenOwnerTwoFactor = "portal:token-owner-2fa";

    /// <summary>
    /// What a session cookie carries beyond Identity's claims: <c>amr=mfa</c> when a second factor was passed (here or
    /// at the provider), and the OpenID Connect provider it signed in with (for the provider's sign-out). Every sign-in
    /// and every re-issued cookie builds them here.
    /// </summary>
    public static List<Claim> Session(bool passedSecondFactor, string? externalProvider)
    {
        List<Claim> claims = [];
        if (passedSecondFactor)
        {
            claims.Add(new Claim(Domain.Security.TwoFactorRules.AmrClaim, Domain.Security.TwoFactorRules.MultiFactor));
        }

        if (externalProvider is not null)
        {
            claims.Add(new Claim(ExternalProvider, externalProvider));
        }

        return claims;
    }
}

/// <summary>Accounts, roles and sign-in (ASP.NET Core Identity in its own schema, migrated by EF Core), and who may do what.</summary>
public sealed class IdentityFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        var (builder, connectionString) = (setup.Builder, setup.ConnectionString);
        builder.Services.AddDbContext<PortalIdentityDbContext>(o => o.UseIdentityDatabase(connectionString));
        builder.Services
            .AddIdentity<PortalUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // The password rule is PortalPasswordValidator's (length and common passwords); no composition rules.
                o.Password.RequiredLength = 0;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                // Failed sign-ins never lock an account (PortalSignIn slows the failing client instead); lockout is
                // used only to disable an account, with an end date that does not come.
                o.Lockout.AllowedForNewUsers = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<PortalIdentityDbContext>()
            .AddUserManager<PortalUserManager>()
            .AddDefaultTokenProviders()
            // Replaces the default authenticator provider (same name): each code is accepted once.
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddPasswordValidator<PortalPasswordValidator>();
        builder.Services.AddSignInSecurity(builder.Configuration);
        builder.Services.AddSessionChecks(builder.Configuration);
        builder.Services.AddTwoFactor(builder.Configuration);
        builder.Services.AddOidcProviders(builder.Configuration);

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "portal.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // The API answers with status codes and ProblemDetails; only pages redirect to the sign-in form.
            o.Events.OnRedirectToLogin = ctx => RedirectOrProblem(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrProblem(ctx, StatusCodes.Status403Forbidden);
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.View, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.EditAgency, p => p.RequireAuthenticatedUser().AddRequirements(new AgencyEditRequirement()))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddSingleton<IAuthorizationHandler, AgencyEditHandler>();
        builder.Services.AddCascadingAuthenticationState();
    }

    public void MapRoutes(WebApplication app)
    {
        app.MapAccountEndpoints();
        app.MapExternalSignIn();
    }

    /// <summary>
    /// A page redirects to the sign-in form (401) or the access-denied page (403); an API call gets the status with a
    /// ProblemDetails body, worded in the request's language like the API's other errors.
    /// </summary>
    private static Task RedirectOrProblem(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Response.HasStarted)
        {
            // Too late for a status, a redirect or a body: the response is already on its way.
            return Task.CompletedTask;
        }

        if (!Kernel.Errors.StatusPage.IsApi(ctx.HttpContext))
        {
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }

        var text = ctx.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var (title, detail) = status == StatusCodes.Status401Unauthorized
            ? (text["Api.Unauthorized.Title"], text["Api.Unauthorized.Detail"])
            : (text["Api.Forbidden.Title"], text["Api.Forbidden.Detail"]);
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(ctx.HttpContext);
    }

    /// <summary>
    /// Migrates the identity tables in their own schema (see <see cref="IdentityMigrations"/>), and creates the four roles.
    /// Serialised with an advisory lock so several portal processes starting together do not race.
    /// </summary>
    public async Task PrepareAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using (await AdvisoryLocks.HoldAsync(connection, AdvisoryLocks.IdentitySchema, ct))
            {
                await IdentityMigrations.MigrateAsync(db, connection, ct);
                var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
                foreach (var role in Roles.All)
                {
                    if (!await roles.RoleExistsAsync(role))
                    {
                        await roles.CreateAsync(new IdentityRole(role));
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
