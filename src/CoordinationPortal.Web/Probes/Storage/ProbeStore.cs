using CoordinationPortal.Domain.Probes;
using Npgsql;
using NpgsqlTypes;

namespace CoordinationPortal.Web.Probes.Storage;

/// <summary>The schedule, the statuses, the SLO windows and the roll-ups: the probe feature's own tables.</summary>
public sealed class ProbeStore(NpgsqlDataSource db, TimeProvider time)
{
    public NpgsqlDataSource DataSource => db;

    // ---- schedule -------------------------------------------------------------------------------------------

    /// <summary>Keeps an endpoint's schedule in step with its registry state; a new or resumed endpoint is due at once.</summary>
    public async Task ScheduleAsync(Guid endpointId, int intervalSeconds, bool active, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            INSERT INTO probes.schedule (endpoint_id, interval_seconds, next_due, active) VALUES ($1, $2, now(), $3)
            ON CONFLICT (endpoint_id) DO UPDATE SET interval_seconds = EXCLUDED.interval_seconds, active = EXCLUDED.active,
                next_due = CASE WHEN NOT probes.schedule.active AND EXCLUDED.active THEN now()
                                ELSE LEAST(probes.schedule.next_due, now() + make_interval(secs => EXCLUDED.interval_seconds)) END
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = intervalSeconds });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = active });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Claims the endpoints due within <paramref name="horizon"/> for this worker and moves each one's next due time on
    /// by its interval, in one statement: rows another worker holds are skipped, so however many workers claim at
    /// once, each endpoint is claimed once per interval. Returns each claimed endpoint with the time it is due.
    /// </summary>
    public async Task<IReadOnlyList<(Guid EndpointId, DateTimeOffset Due)>> ClaimDueAsync(string worker, TimeSpan horizon, int limit, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            WITH due AS (
                SELECT endpoint_id, next_due FROM probes.schedule
                WHERE active AND next_due <= now() + $2
                ORDER BY next_due
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            UPDATE probes.schedule s
            SET next_due = CASE WHEN due.next_due + make_interval(secs => s.interval_seconds) <= now()
                                THEN now() + make_interval(secs => s.interval_seconds)
                                ELSE due.next_due + make_interval(secs => s.interval_seconds) END,
                claimed_by = $1, claimed_at = now()
            FROM due WHERE s.endpoint_id = due.endpoint_id
            RETURNING s.endpoint_id, due.next_due
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = horizon, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var claimed = new List<(Guid, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return claimed;
    }

    // ---- reads ----------------------------------------------------------------------------------------------

    public async Task<IReadOnlyDictionary<Guid, ProbeStatus>> StatusesAsync(IReadOnlyCollection<Guid>? endpointIds, CancellationToken ct)
    {
        await using var command = db.CreateCommand(endpointIds is null
            ? $"SELECT {ProbeRows.StatusColumns} FROM probes.status"
            : $"SELECT {ProbeRows.StatusColumns} FROM probes.status WHERE endpoint_id = ANY($1)");
        if (endpointIds is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. endpointIds] });
        }

        var statuses = new Dictionary<Guid, ProbeStatus>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var status = ProbeRows.ReadStatus(reader);
            statuses[status.EndpointId] = status;
        }

        return statuses;
    }

    public async Task<IReadOnlyList<ProbeSample>> SamplesAsync(Guid endpointId, DateTimeOffset since, int limit, bool failuresOnly, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"SELECT {ProbeRows.SampleColumns} FROM probes.samples WHERE endpoint_id = $1 AND at >= $2"
            + (failuresOnly ? " AND state <> 0" : "") + " ORDER BY at DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var samples = new List<ProbeSample>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            samples.Add(ProbeRows.ReadSample(reader));
        }

        samples.Reverse();
        return samples;
    }

    /// <summary>
    /// SLO statistics for a window ending now, for the given endpoints (all when null). The last hour is read from raw
    /// samples; longer windows from hourly roll-ups up to where roll-ups reach, plus raw samples after that. Samples
    /// taken inside a maintenance window do not count.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, SloWindowStats>> WindowStatsAsync(
        SloWindow window, IReadOnlyCollection<Guid>? endpointIds, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var from = now - SloMath.Length(window);
        var stats = new Dictionary<Guid, Accumulator>();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rawFrom = from;
        if (window != SloWindow.Hour)
        {
            var rolledUntil = await RolledUntilAsync(connection, ct);
            var firstHour = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            if (rolledUntil is { } until && until > firstHour)
            {
                await ReadRollupsAsync(connection, firstHour, until, endpointIds, stats, ct);
                await ReadRawAsync(connection, from, firstHour, endpointIds, stats, ct);
                rawFrom = until;
            }
        }

        await ReadRawAsync(connection, rawFrom, now.AddSeconds(1), endpointIds, stats, ct);
        return stats.ToDictionary(s => s.Key, s => s.Value.ToStats());
    }

    /// <summary>
    /// SLO statistics for the fixed window [<paramref name="from"/>, <paramref name="to"/>) (a briefing's 30 complete
    /// days), for the given endpoints: hourly roll-ups for the whole hours inside it up to where roll-ups reach, raw
    /// samples for the rest. Samples taken inside a maintenance window do not count.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, SloWindowStats>> WindowStatsAsync(
        DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<Guid> endpointIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpointIds);
        (from, to) = (from.ToUniversalTime(), to.ToUniversalTime()); // PostgreSQL takes a timestamptz parameter only in UTC
        var stats = new Dictionary<Guid, Accumulator>();
        if (endpointIds.Count == 0 || to <= from)
        {
            return new Dictionary<Guid, SloWindowStats>();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var rawFrom = from;
        var firstHour = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero);
        firstHour = firstHour < from ? firstHour.AddHours(1) : firstHour;
        var lastHour = new DateTimeOffset(to.Year, to.Month, to.Day, to.Hour, 0, 0, TimeSpan.Zero);
        var rolledUntil = await RolledUntilAsync(connection, ct);
        if (rolledUntil is { } until && until > firstHour && lastHour > firstHour)
        {
            var rolledTo = until < lastHour ? until : lastHour;
            await ReadRollupsAsync(connection, firstHour, rolledTo, endpointIds, stats, ct);
            await ReadRawAsync(connection, from, firstHour, endpointIds, stats, ct);
            rawFrom = rolledTo;
        }

        await ReadRawAsync(connection, rawFrom, to, endpointIds, stats, ct);
        return stats.ToDictionary(s => s.Key, s => s.Value.ToStats());
    }

    public async Task<IReadOnlyList<HourPoint>> HoursAsync(Guid endpointId, DateTimeOffset from, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT hour, samples - maintenance, up, degraded, down, ttft_idx, ttft_cnt, tps_idx, tps_cnt
            FROM probes.rollup_hour WHERE endpoint_id = $1 AND hour >= $2 ORDER BY hour
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        var points = new List<HourPoint>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var ttft = LogHistogram.FromSparse(reader.GetFieldValue<int[]>(5), reader.GetFieldValue<int[]>(6));
            var tps = LogHistogram.FromSparse(reader.GetFieldValue<int[]>(7), reader.GetFieldValue<int[]>(8));
            points.Add(new HourPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt32(4), ttft.Percentile(50), ttft.Percentile(95), tps.Percentile(50)));
        }

        return points;
    }

    // ---- roll-ups and retention ------------------------------------------------------------------------------

    /// <summary>Rolls every complete hour not yet rolled up into per-endpoint hourly rows. Returns the hours rolled.</summary>
    public async Task<int> RollUpAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var now = time.GetUtcNow();
        var currentHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var until = await RolledUntilAsync(connection, ct);
        if (until is null)
        {
            await using var first = new NpgsqlCommand("SELECT min(at) FROM probes.samples", connection);
            if (await first.ExecuteScalarAsync(ct) is not DateTime oldest)
            {
                return 0;
            }

            var o = new DateTimeOffset(DateTime.SpecifyKind(oldest, DateTimeKind.Utc));
            until = new DateTimeOffset(o.Year, o.Month, o.Day, o.Hour, 0, 0, TimeSpan.Zero);
        }

        var hours = 0;
        for (var hour = until.Value; hour < currentHour; hour = hour.AddHours(1))
        {
            var stats = new Dictionary<Guid, Accumulator>();
            await ReadRawAsync(connection, hour, hour.AddHours(1), null, stats, ct, countMaintenance: true);
            await using var tx = await connection.BeginTransactionAsync(ct);
            foreach (var (endpointId, a) in stats)
            {
                await using var upsert = new NpgsqlCommand(
                    """
                    INSERT INTO probes.rollup_hour (endpoint_id, hour, samples, up, degraded, down, maintenance, ttft_idx, ttft_cnt, tps_idx, tps_cnt)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    ON CONFLICT (endpoint_id, hour) DO UPDATE SET samples = EXCLUDED.samples, up = EXCLUDED.up, degraded = EXCLUDED.degraded,
                        down = EXCLUDED.down, maintenance = EXCLUDED.maintenance, ttft_idx = EXCLUDED.ttft_idx, ttft_cnt = EXCLUDED.ttft_cnt,
                        tps_idx = EXCLUDED.tps_idx, tps_cnt = EXCLUDED.tps_cnt
                    """, connection, tx);
                var (ti, tc) = a.Ttft.ToSparse();
                var (pi, pc) = a.Tps.ToSparse();
                upsert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
                upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = hour });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)(a.Samples + a.Maintenance) });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)a.Up });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)a.Degraded });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)a.Down });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)a.Maintenance });
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = ti });
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = tc });
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = pi });
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = pc });
                await upsert.ExecuteNonQueryAsync(ct);
            }

            await using (var mark = new NpgsqlCommand(
                "INSERT INTO probes.rollup_state (id, rolled_until) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET rolled_until = EXCLUDED.rolled_until",
                connection, tx))
            {
                mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = hour.AddHours(1) });
                await mark.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            hours++;
        }

        return hours;
    }

    /// <summary>Deletes raw samples and roll-ups past their retention. Returns the rows deleted.</summary>
    public async Task<long> PurgeAsync(TimeSpan rawRetention, TimeSpan rollupRetention, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var raw = new NpgsqlCommand(
            "DELETE FROM probes.samples WHERE at < $1 AND at < COALESCE((SELECT rolled_until FROM probes.rollup_state WHERE id = 1), '-infinity')",
            connection);
        raw.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - rawRetention });
        long deleted = await raw.ExecuteNonQueryAsync(ct);
        await using var hours = new NpgsqlCommand("DELETE FROM probes.rollup_hour WHERE hour < $1", connection);
        hours.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - rollupRetention });
        deleted += await hours.ExecuteNonQueryAsync(ct);
        return deleted;
    }

    /// <summary>
    /// Repairs, in one statement, the schedule rows that disagree with the registry (a lost schedule write), leaving
    /// correct rows and their due times alone.
    /// </summary>
    public async Task EnsureScheduledAsync(IReadOnlyList<(Guid EndpointId, int IntervalSeconds, bool Active)> endpoints, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            INSERT INTO probes.schedule (endpoint_id, interval_seconds, next_due, active)
            SELECT id, interval, now(), active FROM unnest($1, $2, $3) AS e(id, interval, active)
            ON CONFLICT (endpoint_id) DO UPDATE SET interval_seconds = EXCLUDED.interval_seconds, active = EXCLUDED.active
            WHERE probes.schedule.interval_seconds <> EXCLUDED.interval_seconds OR probes.schedule.active <> EXCLUDED.active
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. endpoints.Select(e => e.EndpointId)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. endpoints.Select(e => e.IntervalSeconds)] });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. endpoints.Select(e => e.Active)] });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<DateTimeOffset?> RolledUntilAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT rolled_until FROM probes.rollup_state WHERE id = 1", connection);
        return await command.ExecuteScalarAsync(ct) is DateTime until ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)) : null;
    }

    private static async Task ReadRawAsync(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyCollection<Guid>? endpointIds, Dictionary<Guid, Accumulator> stats, CancellationToken ct, bool countMaintenance = false)
    {
        await using var command = WindowQuery(connection,
            "SELECT endpoint_id, state, in_maintenance, ttft_ms, tokens_per_s FROM probes.samples WHERE at >= $1 AND at < $2", from, to, endpointIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var a = For(stats, reader.GetGuid(0));
            if (reader.GetBoolean(2))
            {
                if (countMaintenance)
                {
                    a.Maintenance++;
                }

                continue;
            }

            a.Count((ProbeState)reader.GetInt16(1), reader.IsDBNull(3) ? null : reader.GetFloat(3), reader.IsDBNull(4) ? null : reader.GetFloat(4));
        }
    }

    private static async Task ReadRollupsAsync(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyCollection<Guid>? endpointIds, Dictionary<Guid, Accumulator> stats, CancellationToken ct)
    {
        await using var command = WindowQuery(connection,
            "SELECT endpoint_id, samples - maintenance, up, degraded, down, ttft_idx, ttft_cnt, tps_idx, tps_cnt FROM probes.rollup_hour WHERE hour >= $1 AND hour < $2",
            from, to, endpointIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var a = For(stats, reader.GetGuid(0));
            a.Samples += reader.GetInt32(1);
            a.Up += reader.GetInt32(2);
            a.Degraded += reader.GetInt32(3);
            a.Down += reader.GetInt32(4);
            a.Ttft.Add(LogHistogram.FromSparse(reader.GetFieldValue<int[]>(5), reader.GetFieldValue<int[]>(6)));
            a.Tps.Add(LogHistogram.FromSparse(reader.GetFieldValue<int[]>(7), reader.GetFieldValue<int[]>(8)));
        }
    }

    /// <summary>A time-window query, for the given endpoints only when <paramref name="endpointIds"/> is set.</summary>
    private static NpgsqlCommand WindowQuery(NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<Guid>? endpointIds)
    {
        var command = new NpgsqlCommand(sql + (endpointIds is null ? "" : " AND endpoint_id = ANY($3)"), connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to });
        if (endpointIds is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. endpointIds] });
        }

        return command;
    }

    private static Accumulator For(Dictionary<Guid, Accumulator> stats, Guid endpointId)
    {
        if (!stats.TryGetValue(endpointId, out var a))
        {
            stats[endpointId] = a = new Accumulator();
        }

        return a;
    }

    private sealed class Accumulator
    {
        public long Samples;
        public long Up;
        public long Degraded;
        public long Down;
        public long Maintenance;
        public readonly LogHistogram Ttft = new();
        public readonly LogHistogram Tps = new();

        public void Count(ProbeState state, float? ttft, float? tps)
        {
            Samples++;
            switch (state)
            {
                case ProbeState.Up: Up++; break;
                case ProbeState.Degraded: Degraded++; break;
                default: Down++; break;
            }

            if (ttft is { } t)
            {
                Ttft.Add(t);
            }

            if (tps is { } p)
            {
                Tps.Add(p);
            }
        }

        public SloWindowStats ToStats() => new(Samples, Up, Degraded, Down, Ttft, Tps);
    }
}
