using System.Text.Json;
using CoordinationPortal.Domain.Probes;
using CoordinationPortal.Web.Probes.Engine;
using Npgsql;
using NpgsqlTypes;

namespace CoordinationPortal.Web.Probes.Storage;

/// <summary>One stored probe, as the pages and the API read it.</summary>
public sealed record ProbeSample(
    Guid EndpointId,
    DateTimeOffset At,
    ProbeState State,
    ProbeReason Reason,
    bool InMaintenance,
    bool Cold,
    double? ReadinessMs,
    double? TtftMs,
    double? EndToEndMs,
    int? OutputTokens,
    bool? TokensFromUsage,
    double? TokensPerSecond,
    double? TpotMs,
    double? ItlP50Ms,
    double? ItlP95Ms,
    double? ConnectMs);

/// <summary>An endpoint's live status: the damped health and the latest probe.</summary>
public sealed record ProbeStatus(
    Guid EndpointId,
    EndpointHealth Health,
    ProbeState? LastState,
    int Streak,
    DateTimeOffset? LastAt,
    ProbeReason? LastReason,
    double? LastTtftMs,
    double? LastTokensPerSecond,
    ServerMetrics? Metrics,
    DateTimeOffset? MetricsAt,
    bool? LastTokensFromUsage = null)
{
    public HealthTracker Tracker => new(Health, LastState, Streak);
}

/// <summary>One hour of an endpoint's probes, for 7- and 30-day charts.</summary>
public sealed record HourPoint(DateTimeOffset Hour, long Samples, long Up, long Degraded, long Down, double? TtftP50Ms, double? TtftP95Ms, double? TokensPerSecondP50);

/// <summary>Reads and writes probe rows (plain SQL through Npgsql: this is the high-volume path).</summary>
public static class ProbeRows
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public const string SampleColumns =
        "endpoint_id, at, state, reason, in_maintenance, cold, readiness_ms, ttft_ms, e2e_ms, output_tokens, tokens_from_usage, tokens_per_s, tpot_ms, itl_p50_ms, itl_p95_ms, connect_ms";

    public const string StatusColumns =
        "endpoint_id, health, last_state, streak, last_at, last_reason, last_ttft_ms, last_tokens_per_s, metrics, metrics_at, last_tokens_from_usage";

    public static async Task InsertSampleAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid endpointId, ProbeResult r, bool inMaintenance, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO probes.samples (endpoint_id, at, state, reason, in_maintenance, cold, readiness_ms, connect_ms, ttft_ms, e2e_ms,
                output_tokens, tokens_from_usage, tokens_per_s, tpot_ms, itl_p50_ms, itl_p95_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """, connection, tx);
        var s = r.Stream;
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = r.At });
        insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)r.Verdict.State });
        insert.Parameters.Add(Jsonb(r.Verdict.Reason.Code == ReasonCode.Healthy ? null : JsonSerializer.Serialize(r.Verdict.Reason, Json)));
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = inMaintenance });
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.Cold });
        insert.Parameters.Add(Real(r.ReadinessMs));
        insert.Parameters.Add(Real(r.ConnectMs));
        insert.Parameters.Add(Real(s?.TtftMs));
        insert.Parameters.Add(Real(s?.EndToEndMs));
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)s?.OutputTokens ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)s?.TokensFromUsage ?? DBNull.Value });
        insert.Parameters.Add(Real(s?.OutputTokensPerSecond));
        insert.Parameters.Add(Real(s?.TpotMs));
        insert.Parameters.Add(Real(s?.ItlP50Ms));
        insert.Parameters.Add(Real(s?.ItlP95Ms));
        await insert.ExecuteNonQueryAsync(ct);
    }

    public static async Task<ProbeStatus?> LockStatusAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid endpointId, CancellationToken ct)
    {
        await using (var ensure = new NpgsqlCommand(
            "INSERT INTO probes.status (endpoint_id, health, streak) VALUES ($1, 0, 0) ON CONFLICT DO NOTHING", connection, tx))
        {
            ensure.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
            await ensure.ExecuteNonQueryAsync(ct);
        }

        await using var select = new NpgsqlCommand($"SELECT {StatusColumns} FROM probes.status WHERE endpoint_id = $1 FOR UPDATE", connection, tx);
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        await using var reader = await select.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadStatus(reader) : null;
    }

    public static async Task SaveStatusAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid endpointId, HealthTracker tracker, ProbeResult r, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE probes.status SET health = $2, last_state = $3, streak = $4, last_at = $5, last_reason = $6,
                last_ttft_ms = $7, last_tokens_per_s = $8, last_tokens_from_usage = $10,
                metrics = COALESCE($9, metrics), metrics_at = CASE WHEN $9 IS NULL THEN metrics_at ELSE $5 END
            WHERE endpoint_id = $1
            """, connection, tx);
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = endpointId });
        update.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)tracker.Health });
        update.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = tracker.LastState is { } st ? (short)st : DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tracker.Streak });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = r.At });
        update.Parameters.Add(Jsonb(JsonSerializer.Serialize(r.Verdict.Reason, Json)));
        update.Parameters.Add(Real(r.Stream?.TtftMs));
        update.Parameters.Add(Real(r.Stream?.OutputTokensPerSecond));
        update.Parameters.Add(Jsonb(r.Metrics is null ? null : JsonSerializer.Serialize(r.Metrics, Json)));
        update.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)r.Stream?.TokensFromUsage ?? DBNull.Value });
        await update.ExecuteNonQueryAsync(ct);
    }

    public static ProbeStatus ReadStatus(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        (EndpointHealth)r.GetInt16(1),
        r.IsDBNull(2) ? null : (ProbeState)r.GetInt16(2),
        r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
        r.IsDBNull(5) ? null : JsonSerializer.Deserialize<ProbeReason>(r.GetString(5), Json),
        r.IsDBNull(6) ? null : r.GetFloat(6),
        r.IsDBNull(7) ? null : r.GetFloat(7),
        r.IsDBNull(8) ? null : JsonSerializer.Deserialize<ServerMetrics>(r.GetString(8), Json),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetBoolean(10));

    public static ProbeSample ReadSample(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetFieldValue<DateTimeOffset>(1),
        (ProbeState)r.GetInt16(2),
        r.IsDBNull(3) ? ProbeReason.Healthy : JsonSerializer.Deserialize<ProbeReason>(r.GetString(3), Json) ?? ProbeReason.Healthy,
        r.GetBoolean(4),
        r.GetBoolean(5),
        Float(r, 6),
        Float(r, 7),
        Float(r, 8),
        r.IsDBNull(9) ? null : r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetBoolean(10),
        Float(r, 11),
        Float(r, 12),
        Float(r, 13),
        Float(r, 14),
        Float(r, 15));

    private static double? Float(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFloat(i);

    private static NpgsqlParameter Real(double? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Real, Value = value is { } v ? (float)v : DBNull.Value };

    private static NpgsqlParameter Jsonb(string? json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };
}
