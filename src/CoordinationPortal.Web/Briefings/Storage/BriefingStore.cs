using CoordinationPortal.Domain.Briefings;
using Npgsql;
using NpgsqlTypes;

namespace CoordinationPortal.Web.Briefings.Storage;

/// <summary>Where a cached briefing stands.</summary>
public enum BriefingRowState : short
{
    Pending = 0,
    Ready = 1,
    Failed = 2,
}

/// <summary>A cache row without its PDF.</summary>
public sealed record BriefingRow(
    string Key,
    BriefingTarget Target,
    DataVersion Version,
    string Origin,
    BriefingRowState State,
    DateTimeOffset RequestedAt,
    int Attempts,
    DateTimeOffset? FailedAt,
    string? Title,
    string? ETag,
    int Bytes,
    int Pages,
    DateTimeOffset? GeneratedAt,
    int GenerationMilliseconds)
{
    public BriefingFileInfo? File => State == BriefingRowState.Ready && ETag is not null && GeneratedAt is { } at
        ? new BriefingFileInfo(Target, Title ?? "", Version, ETag, Bytes, Pages, at, GenerationMilliseconds)
        : null;
}

/// <summary>The briefing cache's reads and writes (SQL against <see cref="BriefingTables"/>).</summary>
public sealed class BriefingStore(NpgsqlDataSource db)
{
    private const string Columns =
        "key, scope, subject, lang, version_seq, measured_through, origin, state, requested_at, attempts, failed_at, title, etag, bytes, pages, generated_at, generation_ms";

    public async Task<BriefingRow?> FindAsync(string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM briefings.files WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task<byte[]?> PdfAsync(string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT pdf FROM briefings.files WHERE key = $1 AND state = 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>The newest ready briefing of a target for this origin and template whose data is at least at <paramref name="sequence"/>.</summary>
    public async Task<BriefingRow?> NewestReadyAsync(BriefingTarget target, string origin, string template, long sequence, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            SELECT {Columns} FROM briefings.files
            WHERE scope = $1 AND subject = $2 AND lang = $3 AND origin = $4 AND state = 1 AND version_seq >= $5 AND key LIKE $6
            ORDER BY version_seq DESC, measured_through DESC LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.ScopeSlug });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.Subject });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.Language });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = origin });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"%/{template}/%" });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Adds a pending row; false when the key has a row already (someone asked first).</summary>
    public async Task<bool> TryQueueAsync(string key, BriefingTarget target, DataVersion version, string origin, string requestedBy, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO briefings.files (key, scope, subject, lang, version_seq, measured_through, origin, state, requested_at, requested_by, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, 0)
            ON CONFLICT (key) DO NOTHING
            """);
        AddTarget(command, key, target, version, origin);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestedBy });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Puts a failed row, or a pending one whose job was lost, back in the queue; false when another request did it first.</summary>
    public async Task<bool> TryRequeueAsync(string key, DateTimeOffset olderThan, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            UPDATE briefings.files SET state = 0, requested_at = $3, attempts = 0, failed_at = NULL
            WHERE key = $1 AND ((state = 2 AND failed_at < $2) OR (state = 0 AND requested_at < $2))
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = olderThan.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Counts a job's attempt on a pending row; the attempt's number, or 0 when the row is gone or not pending.</summary>
    public async Task<int> StartAttemptAsync(string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand("UPDATE briefings.files SET attempts = attempts + 1 WHERE key = $1 AND state = 0 RETURNING attempts");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync(ct) is int attempts ? attempts : 0;
    }

    /// <summary>The origin the request that queued <paramref name="key"/> came from (links in the PDF are made absolute with it).</summary>
    public async Task<string?> OriginAsync(string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT origin FROM briefings.files WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Stores a printed briefing under its key (made ready whether or not a request queued that exact key).</summary>
    public async Task SaveReadyAsync(
        string key, BriefingTarget target, DataVersion version, string origin, string title, string etag, byte[] pdf, int pages,
        DateTimeOffset generatedAt, int generationMs, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO briefings.files (key, scope, subject, lang, version_seq, measured_through, origin, state, requested_at, requested_by, attempts,
                                         title, etag, pdf, bytes, pages, generated_at, generation_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, 'job', 1, $9, $10, $11, $12, $13, $8, $14)
            ON CONFLICT (key) DO UPDATE SET state = 1, failed_at = NULL, title = $9, etag = $10, pdf = $11, bytes = $12, pages = $13,
                                            generated_at = $8, generation_ms = $14
            WHERE briefings.files.state <> 1
            """);
        AddTarget(command, key, target, version, origin);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = generatedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = title });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = etag });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = pdf, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pdf.Length });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pages });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = generationMs });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task MarkFailedAsync(string key, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = db.CreateCommand("UPDATE briefings.files SET state = 2, failed_at = $2 WHERE key = $1 AND state = 0");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Removes a pending row whose job printed a newer version instead (the data changed before it ran).</summary>
    public async Task DeletePendingAsync(string key, CancellationToken ct)
    {
        await using var command = db.CreateCommand("DELETE FROM briefings.files WHERE key = $1 AND state <> 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The portal addresses briefings were asked from since <paramref name="since"/>, most used first (at most <paramref name="take"/>).</summary>
    public async Task<IReadOnlyList<string>> OriginsAsync(DateTimeOffset since, int take, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "SELECT origin FROM briefings.files WHERE requested_at >= $1 AND requested_by <> 'system' GROUP BY origin ORDER BY count(*) DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = take });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var origins = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            origins.Add(reader.GetString(0));
        }

        return origins;
    }

    /// <summary>The newest ready briefings, without their bytes.</summary>
    public async Task<IReadOnlyList<BriefingRow>> RecentAsync(int take, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM briefings.files WHERE state = 1 ORDER BY generated_at DESC LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(take, 1, 500) });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<BriefingRow>();
        while (await reader.ReadAsync(ct))
        {
            if (Read(reader) is { } row)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Keeps the newest <paramref name="keep"/> ready versions of each target (and anything younger than a day); deletes the rest.</summary>
    public async Task<int> PurgeAsync(int keep, DateTimeOffset olderThan, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            DELETE FROM briefings.files f USING (
                SELECT key, row_number() OVER (PARTITION BY scope, subject, lang, origin ORDER BY version_seq DESC, measured_through DESC, generated_at DESC) AS n
                FROM briefings.files WHERE state = 1) ranked
            WHERE f.key = ranked.key AND ranked.n > $1 AND f.generated_at < $2
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = keep });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = olderThan.ToUniversalTime() });
        var deleted = await command.ExecuteNonQueryAsync(ct);
        await using var stale = db.CreateCommand("DELETE FROM briefings.files WHERE state <> 1 AND requested_at < $1");
        stale.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = olderThan.ToUniversalTime() });
        return deleted + await stale.ExecuteNonQueryAsync(ct);
    }

    private static void AddTarget(NpgsqlCommand command, string key, BriefingTarget target, DataVersion version, string origin)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.ScopeSlug });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.Subject });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.Language });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version.Sequence });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = version.MeasuredThrough });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = origin });
    }

    private static BriefingRow? Read(NpgsqlDataReader r)
    {
        if (!BriefingTarget.TryParse(r.GetString(1), r.GetString(2), r.GetString(3), out var target))
        {
            return null;
        }

        return new BriefingRow(
            r.GetString(0),
            target,
            new DataVersion(r.GetInt64(4), r.GetFieldValue<DateOnly>(5)),
            r.GetString(6),
            (BriefingRowState)r.GetInt16(7),
            r.GetFieldValue<DateTimeOffset>(8),
            r.GetInt32(9),
            r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
            r.IsDBNull(11) ? null : r.GetString(11),
            r.IsDBNull(12) ? null : r.GetString(12),
            r.IsDBNull(13) ? 0 : r.GetInt32(13),
            r.IsDBNull(14) ? 0 : r.GetInt32(14),
            r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
            r.IsDBNull(16) ? 0 : r.GetInt32(16));
    }
}
