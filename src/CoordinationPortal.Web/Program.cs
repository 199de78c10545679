using CoordinationPortal.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

if (await builder.AddPortalDatabaseAsync() is not { } database)
{
    return 1;
}

builder.AddPortal(database);

var app = builder.Build();
if (!await app.PreparePortalAsync())
{
    return 1;
}

app.MapPortal();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
