using CoordinationPortal.Integration.Tests.Infrastructure;
using CoordinationPortal.Web.Probes.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Core;
using Weasel.Postgresql.Tables;

namespace CoordinationPortal.Integration.Tests.Probes;

/// <summary>The probe tables come from Marten's schema management (<see cref="ProbeTables"/>), not hand-written DDL.</summary>
[Collection(PortalTests.Name)]
public sealed class ProbeTablesTests(PortalFixture portal)
{
    /// <summary>The DDL the portal ran before the tables were declared to Marten, as databases in use still have it.</summary>
    private const string HandWrittenDdl = """
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

    private const string Columns = """
        SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable
        FROM information_schema.columns WHERE table_schema = 'probes' ORDER BY table_name, ordinal_position
        """;

    /// <summary>Added after the hand-written DDL: whether the last probe's tokens came from the server's usage.</summary>
    private const string AddedToStatus = "status.last_tokens_from_usage bool YES";

    private const string Indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = 'probes' ORDER BY indexname";

    private const string Constraints = """
        SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'probes'::regnamespace ORDER BY conname
        """;

    [Fact]
    public async Task a_fresh_database_gets_every_table_column_key_and_index_the_hand_written_ddl_made()
    {
        var legacy = await ScratchDatabase.CreateAsync(portal, "probes_legacy");
        await ScratchDatabase.ExecuteAsync(legacy, HandWrittenDdl);
        var fresh = await ScratchDatabase.CreateAsync(portal, "probes_fresh");
        using (var store = Store(fresh, ProbeTables.All()))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        var columns = await ScratchDatabase.LinesAsync(fresh, Columns);
        // Every column the hand-written DDL made, and those added since (additive: Marten adds them at start-up).
        var expected = (await ScratchDatabase.LinesAsync(legacy, Columns)).ToList();
        expected.Insert(expected.IndexOf("status.metrics_at timestamptz YES") + 1, AddedToStatus);
        Assert.Equal(expected, columns);
        Assert.Equal(46, columns.Count);
        Assert.Contains("rollup_hour.ttft_idx _int4 NO", columns);
        Assert.Contains("schedule.claimed_by text YES", columns);

        var indexes = await ScratchDatabase.LinesAsync(fresh, Indexes);
        Assert.Equal(await ScratchDatabase.LinesAsync(legacy, Indexes), indexes);
        Assert.Contains("CREATE INDEX schedule_due ON probes.schedule USING btree (next_due) WHERE active", indexes);
        Assert.Contains("CREATE INDEX samples_endpoint_at ON probes.samples USING btree (endpoint_id, at DESC)", indexes);
        Assert.Contains("CREATE INDEX samples_at ON probes.samples USING brin (at)", indexes);

        var constraints = await ScratchDatabase.LinesAsync(fresh, Constraints);
        Assert.Equal(await ScratchDatabase.LinesAsync(legacy, Constraints), constraints);
        Assert.Contains("probes.rollup_hour rollup_hour_pkey PRIMARY KEY (endpoint_id, hour)", constraints);
    }

    [Fact]
    public async Task once_applied_nothing_is_left_to_migrate_and_a_new_column_is_an_update()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "probes_delta");
        using (var store = Store(database, ProbeTables.All()))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var settled = await store.Storage.Database.CreateMigrationAsync();
            Assert.True(settled.Difference == SchemaPatchDifference.None, Describe(settled));
        }

        var tables = ProbeTables.All();
        tables.Single(t => t.Identifier.Name == "schedule").AddColumn("last_error", "text");
        using (var store = Store(database, tables))
        {
            var migration = await store.Storage.Database.CreateMigrationAsync();
            Assert.Equal(SchemaPatchDifference.Update, migration.Difference);
            Assert.Contains("last_error", Describe(migration), StringComparison.Ordinal);
            Assert.DoesNotContain("DROP", Describe(migration), StringComparison.OrdinalIgnoreCase);

            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Assert.Equal(SchemaPatchDifference.None, (await store.Storage.Database.CreateMigrationAsync()).Difference);
        }

        Assert.Contains("schedule.last_error text YES", await ScratchDatabase.LinesAsync(database, Columns));
    }

    [Fact]
    public async Task a_database_made_by_the_hand_written_ddl_is_adopted_with_only_additions_and_keeps_its_rows()
    {
        var database = await ScratchDatabase.CreateAsync(portal, "probes_adopt");
        await ScratchDatabase.ExecuteAsync(database, HandWrittenDdl + """
            INSERT INTO probes.schedule VALUES ('00000000-0000-0000-0000-000000000001', 60, now(), true, NULL, NULL);
            INSERT INTO probes.samples (endpoint_id, at, state, in_maintenance, cold, ttft_ms)
                VALUES ('00000000-0000-0000-0000-000000000001', now(), 1, false, false, 42.5);
            INSERT INTO probes.status (endpoint_id, health, streak) VALUES ('00000000-0000-0000-0000-000000000001', 1, 3);
            INSERT INTO probes.rollup_hour VALUES ('00000000-0000-0000-0000-000000000001', date_trunc('hour', now()), 1, 1, 0, 0, 0, '{3}', '{1}', '{4}', '{1}');
            INSERT INTO probes.rollup_state VALUES (1, now());
            """);

        using var store = Store(database, ProbeTables.All());
        var migration = await store.Storage.Database.CreateMigrationAsync();
        var probeChanges = migration.Deltas.Where(d => d.SchemaObject.Identifier.Schema == ProbeTables.Schema).ToList();
        // Only the column added since, added: nothing dropped or rebuilt.
        Assert.True(probeChanges.All(d => d.Difference == (d.SchemaObject.Identifier.Name == "status" ? SchemaPatchDifference.Update : SchemaPatchDifference.None)),
            Describe(migration));
        Assert.DoesNotContain("DROP", Describe(migration), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, probeChanges.Count);

        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        Assert.Equal(1L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM probes.schedule WHERE active"));
        Assert.Equal(42.5f, await ScratchDatabase.ScalarAsync<float>(database, "SELECT ttft_ms FROM probes.samples"));
        Assert.Equal(3, await ScratchDatabase.ScalarAsync<int>(database, "SELECT streak FROM probes.status"));
        Assert.Equal(1L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM probes.status WHERE last_tokens_from_usage IS NULL"));
        Assert.Equal(1L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM probes.rollup_hour WHERE ttft_idx = '{3}'"));
        Assert.Equal(1L, await ScratchDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM probes.rollup_state"));
    }

    [Fact]
    public async Task the_portal_registers_the_probe_tables_with_its_store()
    {
        var store = (DocumentStore)portal.Factory.Services.GetRequiredService<IDocumentStore>();
        var names = store.Options.Storage.ExtendedSchemaObjects.Select(o => o.Identifier.QualifiedName).Where(n => n.StartsWith("probes.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["probes.schedule", "probes.samples", "probes.status", "probes.rollup_hour", "probes.rollup_state"], names);
    }

    private static DocumentStore Store(string connectionString, IEnumerable<Table> tables) => DocumentStore.For(o =>
    {
        o.Connection(connectionString);
        o.DatabaseSchemaName = "portal";
        o.Storage.ExtendedSchemaObjects.AddRange(tables);
    });

    private static string Describe(SchemaMigration migration)
    {
        using var writer = new StringWriter();
        migration.WriteAllUpdates(writer, new Weasel.Postgresql.PostgresqlMigrator(), JasperFx.AutoCreate.CreateOrUpdate);
        return writer.ToString();
    }
}
