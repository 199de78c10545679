using Marten;
using Weasel.Postgresql.Tables;

namespace CoordinationPortal.Web.Probes.Storage;

/// <summary>
/// The probe tables, in schema <c>probes</c>. Samples are rows, not events: 1,000 endpoints probed every minute make
/// 1.4 million a day. Raw samples are kept for a retention period; hourly roll-ups (counts and sparse latency
/// histograms) serve the 24 h, 7 d and 30 d views and are kept far longer.
/// </summary>
/// <remarks>
/// Declared to Marten as extended schema objects, so the start-up migration (<c>ApplyAllConfiguredChangesToDatabaseAsync</c>,
/// under Marten's own lock) creates them and a column added here becomes an additive change instead of a hand-written
/// <c>ALTER</c>. The names, types, primary-key names and index definitions are those the earlier hand-written DDL
/// created, so Marten finds nothing to change on a database that DDL made.
/// <see cref="ProbeStore"/> and <see cref="ProbeSamples"/> keep their own SQL against these tables.
/// </remarks>
public static class ProbeTables
{
    public const string Schema = "probes";

    public static StoreOptions AddTo(StoreOptions options)
    {
        foreach (var table in All())
        {
            options.Storage.ExtendedSchemaObjects.Add(table);
        }

        return options;
    }

    /// <summary>Fresh definitions on every call: a test may change one without touching the store the portal uses.</summary>
    public static IReadOnlyList<Table> All() => [Schedule(), Samples(), Status(), RollupHour(), RollupState()];

    public static Table Schedule()
    {
        var table = NewTable("schedule");
        table.AddColumn("endpoint_id", "uuid").AsPrimaryKey();
        table.AddColumn("interval_seconds", "integer").NotNull();
        table.AddColumn("next_due", "timestamptz").NotNull();
        table.AddColumn("active", "boolean").NotNull();
        table.AddColumn("claimed_by", "text");
        table.AddColumn("claimed_at", "timestamptz");
        // The dispatcher only ever looks for due, active endpoints.
        table.Indexes.Add(new IndexDefinition("schedule_due") { Columns = ["next_due"], Predicate = "active" });
        return table;
    }

    public static Table Samples()
    {
        // No primary key: samples are only appended and read by endpoint and time.
        var table = new Table($"{Schema}.samples");
        table.AddColumn("endpoint_id", "uuid").NotNull();
        table.AddColumn("at", "timestamptz").NotNull();
        table.AddColumn("state", "smallint").NotNull();
        table.AddColumn("reason", "jsonb");
        table.AddColumn("in_maintenance", "boolean").NotNull();
        table.AddColumn("cold", "boolean").NotNull();
        table.AddColumn("readiness_ms", "real");
        table.AddColumn("connect_ms", "real");
        table.AddColumn("ttft_ms", "real");
        table.AddColumn("e2e_ms", "real");
        table.AddColumn("output_tokens", "integer");
        table.AddColumn("tokens_from_usage", "boolean");
        table.AddColumn("tokens_per_s", "real");
        table.AddColumn("tpot_ms", "real");
        table.AddColumn("itl_p50_ms", "real");
        table.AddColumn("itl_p95_ms", "real");
        // Newest-first reads per endpoint; BRIN on time for the retention purge and roll-ups (rows arrive in time order).
        table.Indexes.Add(new IndexDefinition("samples_endpoint_at") { Columns = ["endpoint_id", "at"], SortOrder = SortOrder.Desc });
        table.Indexes.Add(new IndexDefinition("samples_at") { Columns = ["at"], Method = IndexMethod.brin });
        return table;
    }

    public static Table Status()
    {
        var table = NewTable("status");
        table.AddColumn("endpoint_id", "uuid").AsPrimaryKey();
        table.AddColumn("health", "smallint").NotNull();
        table.AddColumn("last_state", "smallint");
        table.AddColumn("streak", "integer").NotNull();
        table.AddColumn("last_at", "timestamptz");
        table.AddColumn("last_reason", "jsonb");
        table.AddColumn("last_ttft_ms", "real");
        table.AddColumn("last_tokens_per_s", "real");
        table.AddColumn("metrics", "jsonb");
        table.AddColumn("metrics_at", "timestamptz");
        table.AddColumn("last_tokens_from_usage", "boolean");
        return table;
    }

    public static Table RollupHour()
    {
        var table = NewTable("rollup_hour");
        table.AddColumn("endpoint_id", "uuid").AsPrimaryKey();
        table.AddColumn("hour", "timestamptz").AsPrimaryKey();
        table.AddColumn("samples", "integer").NotNull();
        table.AddColumn("up", "integer").NotNull();
        table.AddColumn("degraded", "integer").NotNull();
        table.AddColumn("down", "integer").NotNull();
        table.AddColumn("maintenance", "integer").NotNull();
        table.AddColumn("ttft_idx", "integer[]").NotNull();
        table.AddColumn("ttft_cnt", "integer[]").NotNull();
        table.AddColumn("tps_idx", "integer[]").NotNull();
        table.AddColumn("tps_cnt", "integer[]").NotNull();
        return table;
    }

    public static Table RollupState()
    {
        var table = NewTable("rollup_state");
        table.AddColumn("id", "integer").AsPrimaryKey();
        table.AddColumn("rolled_until", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// PostgreSQL's own name for a primary key (<c>{table}_pkey</c>), which the hand-written DDL got; Weasel's default
    /// name differs and would make it drop and re-add every key of an existing database.
    /// </summary>
    private static Table NewTable(string name) => new($"{Schema}.{name}") { PrimaryKeyName = $"{name}_pkey" };
}
