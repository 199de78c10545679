using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoordinationPortal.Benchmarks;

/// <summary>The real portal (its Program) on the benchmark's own database: no demo data, no job server, quiet logs.</summary>
internal sealed class BenchPortalFactory(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Portal", connectionString);
        builder.UseSetting("Seed:Demo", "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
