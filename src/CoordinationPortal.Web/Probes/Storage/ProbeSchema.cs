using Npgsql;

namespace CoordinationPortal.Web.Probes.Storage;

/// <summary>
/// The probe tables, in schema <c>probes</c>. Samples are rows, not events: 1,000 endpoints probed every minute make
/// 1.4 million a day. Raw samples are kept for a retention period; hourly roll-ups (counts and sparse latency
/// histograms) serve the 24 h, 7 d and 30 d views and are kept far longer.
/// </summary>
public static class ProbeSchema
{
    private const long LockKey = 727003;

    private const string Ddl = """
        CREATE SCHEMA IF NOT EXISTS probes;
        CREATE TABLE IF NOT EXISTS probes.schedule (
            endpoint_id uuid PRIMARY KEY,
            interval_seconds int NOT NULL,
            next_due timestamptz NOT NULL,
            active boolean NOT NULL,
            claimed_by text,
            claimed_at timestamptz);
        CREATE INDEX IF NOT EXISTS schedule_due ON probes.schedule (next_due) WHERE active;
        CREATE TABLE IF NOT EXISTS probes.samples (
            endpoint_id uuid NOT NULL,
            at timestamptz NOT NULL,
            state smallint NOT NULL,
            reason jsonb,
            in_maintenance boolean NOT NULL,
            cold boolean NOT NULL,
            readiness_ms real,
            connect_ms real,
            ttft_ms real,
            e2e_ms real,
            output_tokens int,
            tokens_from_usage boolean,
            tokens_per_s real,
            tpot_ms real,
            itl_p50_ms real,
            itl_p95_ms real);
        CREATE INDEX IF NOT EXISTS samples_endpoint_at ON probes.samples (endpoint_id, at DESC);
        CREATE INDEX IF NOT EXISTS samples_at ON probes.samples USING brin (at);
        CREATE TABLE IF NOT EXISTS probes.status (
            endpoint_id uuid PRIMARY KEY,
            health smallint NOT NULL,
            last_state smallint,
            streak int NOT NULL,
            last_at timestamptz,
            last_reason jsonb,
            last_ttft_ms real,
            last_tokens_per_s real,
            metrics jsonb,
            metrics_at timestamptz);
        CREATE TABLE IF NOT EXISTS probes.rollup_hour (
            endpoint_id uuid NOT NULL,
            hour timestamptz NOT NULL,
            samples int NOT NULL,
            up int NOT NULL,
            degraded int NOT NULL,
            down int NOT NULL,
            maintenance int NOT NULL,
            ttft_idx int[] NOT NULL,
            ttft_cnt int[] NOT NULL,
            tps_idx int[] NOT NULL,
            tps_cnt int[] NOT NULL,
            PRIMARY KEY (endpoint_id, hour));
        CREATE TABLE IF NOT EXISTS probes.rollup_state (
            id int PRIMARY KEY,
            rolled_until timestamptz NOT NULL);
        """;

    public static async Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, tx))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var create = new NpgsqlCommand(Ddl, connection, tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }
}
