namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>Runs the PostgreSQL tools, through <c>runuser -u postgres --</c> when the launcher is root.</summary>
internal sealed class Toolchain(string binDirectory, string? runUser, string workingDirectory)
{
    internal static readonly TimeSpan QuickToolTimeout = TimeSpan.FromSeconds(30);

    public bool RunsAsServiceAccount => runUser is not null;

    public Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var executable = Path.Combine(binDirectory, tool);
        return runUser is null
            ? ProcessResult.RunAsync(tool, executable, arguments, workingDirectory, timeout, ct)
            : ProcessResult.RunAsync(tool, runUser, ["-u", ServiceAccount.Name, "--", executable, .. arguments], workingDirectory, timeout, ct);
    }

    public async Task GiveToServiceAccountAsync(IReadOnlyList<string> paths, CancellationToken ct)
    {
        var chown = PostgresBinaries.FindSystemTool("chown")
            ?? throw new EmbeddedPostgresUnavailableException("Running as root, but 'chown' was not found to hand the data directory to the 'postgres' account.");
        var result = await ProcessResult.RunAsync("chown", chown, [ServiceAccount.Name + ":", .. paths], workingDirectory, QuickToolTimeout, ct);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresUnavailableException(
                $"Could not hand {paths[0]} to the 'postgres' account ({result.Describe()}): {result.Tail()}. Running as root needs a 'postgres' OS account (Debian: apt-get install postgresql creates it).");
        }
    }
}
