using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CoordinationPortal.EmbeddedPostgres;

/// <summary>Runs one tool to completion with a timeout and keeps the tail of its output for one-line error messages.</summary>
internal sealed partial class ProcessResult
{
    private const int TailLineCount = 5;
    private const int MaxKeptLines = 400;

    private ProcessResult(string fileName, int exitCode, bool timedOut, IReadOnlyList<string> output)
    {
        FileName = fileName;
        ExitCode = exitCode;
        TimedOut = timedOut;
        Output = output;
    }

    public string FileName { get; }

    public int ExitCode { get; }

    public bool TimedOut { get; }

    public IReadOnlyList<string> Output { get; }

    public bool Succeeded => !TimedOut && ExitCode == 0;

    public static async Task<ProcessResult> RunAsync(
        string displayName, string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Keep the caller's libpq settings (PGDATA, PGPORT, PGOPTIONS...) away from the tools; English messages.
        foreach (var key in startInfo.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new EmbeddedPostgresUnavailableException($"Could not run {fileName}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var output = new List<string>();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));

        var timedOut = false;
        using (var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeoutSource.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                ct.ThrowIfCancellationRequested();
                timedOut = true;
            }
        }

        // A daemon that inherited the pipes must not hold us up: wait only briefly for the rest of the output.
        await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        var exitCode = process.HasExited ? process.ExitCode : -1;
        lock (output)
        {
            return new ProcessResult(displayName, exitCode, timedOut, [.. output]);
        }
    }

    public bool Mentions(string text) =>
        Output.Any(line => line.Contains(text, StringComparison.OrdinalIgnoreCase));

    public string Describe() => TimedOut
        ? $"{FileName} timed out"
        : $"{FileName} exit code {ExitCode.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The last few error lines of the output, or its last few lines when none looks like an error.</summary>
    public string Tail()
    {
        var errors = Output.Where(line => ErrorLine().IsMatch(line)).ToList();
        return FormatTail(errors.Count > 0 ? errors : Output);
    }

    public static string FormatTail(IEnumerable<string> lines)
    {
        var meaningful = lines
            .Select(line => LogLinePrefix().Replace(line, string.Empty).Trim())
            .Where(line => line.Length > 0)
            .ToList();
        return meaningful.Count == 0
            ? "(no output)"
            : string.Join(" | ", meaningful.Skip(Math.Max(0, meaningful.Count - TailLineCount)));
    }

    private static async Task PumpAsync(StreamReader reader, List<string> sink)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (sink)
                {
                    sink.Add(line);
                    if (sink.Count > MaxKeptLines)
                    {
                        sink.RemoveAt(0);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (Win32Exception)
        {
            // could not be killed; the exit code will say so
        }
    }

    /// <summary>"2025-01-31 12:00:00.000 UTC [1234] " at the start of a server log line.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \S+ \[\d+\] ")]
    private static partial Regex LogLinePrefix();

    [GeneratedRegex(@"error|fatal|panic|could not|cannot|denied|not permitted|does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();
}
