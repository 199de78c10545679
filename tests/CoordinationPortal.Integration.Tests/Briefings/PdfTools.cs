using System.Diagnostics;

namespace CoordinationPortal.Integration.Tests.Briefings;

/// <summary>
/// Reads PDFs back with poppler (installed by infra/test.sh): <c>pdftotext</c> shapes text out of the fonts' ToUnicode
/// maps as a reader's copy-and-paste does, including Devanagari conjuncts; <c>pdfinfo</c> reports tagging and pages.
/// </summary>
internal static class PdfTools
{
    /// <summary>The text of each page, in order.</summary>
    public static async Task<IReadOnlyList<string>> PagesAsync(byte[] pdf)
    {
        var path = await WriteAsync(pdf);
        try
        {
            var all = await RunAsync("pdftotext", "-enc", "UTF-8", path, "-");
            // pdftotext ends every page with a form feed.
            return all.Split('\f').SkipLast(1).ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary><c>pdfinfo</c>'s fields, e.g. Tagged, Pages, Title.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> InfoAsync(byte[] pdf)
    {
        var path = await WriteAsync(pdf);
        try
        {
            var output = await RunAsync("pdfinfo", "-enc", "UTF-8", path);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2)
                .GroupBy(parts => parts[0].Trim())
                .ToDictionary(g => g.Key, g => g.First()[1].Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary><c>pdffonts</c>' rows: each font's name and whether it is embedded.</summary>
    public static async Task<IReadOnlyList<(string Name, bool Embedded)>> FontsAsync(byte[] pdf)
    {
        var path = await WriteAsync(pdf);
        try
        {
            var output = await RunAsync("pdffonts", path);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Skip(2)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length >= 5)
                // Columns: name, type (one or two words), encoding, emb, sub, uni, object id.
                .Select(parts => (parts[0], parts[^5] == "yes"))
                .ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> WriteAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cp-pdf-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        return path;
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (infra/test.sh installs poppler-utils)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
