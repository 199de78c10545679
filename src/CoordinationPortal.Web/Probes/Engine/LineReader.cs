using System.Buffers;

namespace CoordinationPortal.Web.Probes.Engine;

/// <summary>The body passed the probe's byte cap.</summary>
public sealed class BodyTooLargeException(long limit) : IOException($"The response passed the {limit}-byte limit.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Reads a response body line by line as bytes, never holding more than the cap: a server that streams forever
/// without a newline, or sends 10 MB, ends the read with <see cref="BodyTooLargeException"/>.
/// </summary>
public sealed class LineReader(Stream stream, long maxBytes) : IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(8192);
    private int start;
    private int end;
    private long total;
    private bool finished;

    public long BytesRead => total;

    /// <summary>The next line without its terminator (\n or \r\n), or false at the end of the body.</summary>
    public async ValueTask<(bool Ok, ReadOnlyMemory<byte> Line)> ReadLineAsync(CancellationToken ct)
    {
        var scanFrom = start;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, end - scanFrom);
            if (newline >= 0)
            {
                var length = newline - start;
                if (length > 0 && buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = new ReadOnlyMemory<byte>(buffer, start, length);
                start = newline + 1;
                return (true, line);
            }

            if (finished)
            {
                if (end > start)
                {
                    var last = new ReadOnlyMemory<byte>(buffer, start, end - start);
                    start = end;
                    return (true, last);
                }

                return (false, default);
            }

            scanFrom = end;
            if (start > 0)
            {
                // Keep the partial line at the front of the buffer.
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                scanFrom -= start;
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                Buffer.BlockCopy(buffer, 0, larger, 0, end);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), ct);
            if (read == 0)
            {
                finished = true;
                continue;
            }

            total += read;
            if (total > maxBytes)
            {
                throw new BodyTooLargeException(maxBytes);
            }

            end += read;
        }
    }

    /// <summary>Reads the rest of the body (within the cap) as one block.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (copy.Length + read > maxBytes)
                {
                    throw new BodyTooLargeException(maxBytes);
                }

                copy.Write(chunk, 0, read);
            }

            return copy.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
