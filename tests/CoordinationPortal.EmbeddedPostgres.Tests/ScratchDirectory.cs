namespace CoordinationPortal.EmbeddedPostgres.Tests;

/// <summary>
/// A fresh data directory per test under /tmp: short enough for the server's Unix socket path, and reachable by the
/// postgres account when the tests run as root (a folder under /root would not be).
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cp-epg-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
