using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoordinationPortal.Domain.Agencies;
using CoordinationPortal.Domain.Framework;
using CoordinationPortal.Web.Agencies;
using CoordinationPortal.Web.Identity;
using CoordinationPortal.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace CoordinationPortal.Benchmarks;

internal sealed record AssessmentResult(LatencySummary Marten, LatencySummary Baseline, int PayloadBytes, int Agencies);

/// <summary>
/// Benchmark A: one <see cref="AssessIndicator"/> through <see cref="AgencyCommandHandler"/> (fresh DI scope and Marten
/// session, FetchForWriting, decide, append, both inline projections, commit) against a plain Npgsql INSERT of the
/// same event JSON into an ordinary table in its own transaction. The two alternate, so drift on a shared machine
/// hits both alike.
/// </summary>
internal static class AssessmentBenchmark
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<AssessmentResult> RunAsync(
        IServiceProvider services, string connectionString, BenchSettings settings, CancellationToken ct)
    {
        Report.Section(
            $"Benchmark A: assessment append with inline projections ({settings.AssessmentOperations.ToString(CultureInfo.InvariantCulture)} ops over " +
            $"{settings.AssessmentAgencies.ToString(CultureInfo.InvariantCulture)} agencies, {settings.AssessmentWarmup.ToString(CultureInfo.InvariantCulture)} warm-up each)");

        var framework = services.GetRequiredService<ReadinessFramework>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, SeedHistory.AdminUser), new Claim(ClaimTypes.Role, Roles.Admin)],
            authenticationType: "Benchmark"));

        var versions = await RegisterAgenciesAsync(scopes, admin, settings.AssessmentAgencies, ct);
        var agencyIds = versions.Keys.ToArray();
        var indicators = framework.Indicators.ToArray();

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await CreateBaselineTableAsync(dataSource, ct);

        var payloadBytes = 0;
        var marten = new LatencyRecorder("Marten assessment", settings.AssessmentOperations);
        var baseline = new LatencyRecorder("Npgsql INSERT baseline", settings.AssessmentOperations);
        var total = settings.AssessmentWarmup + settings.AssessmentOperations;
        for (var i = 0; i < total; i++)
        {
            var measured = i >= settings.AssessmentWarmup;
            var agencyId = agencyIds[i % agencyIds.Length];
            var command = Command(agencyId, indicators[(i / agencyIds.Length) % indicators.Length], i);

            var payload = JsonSerializer.Serialize(
                new IndicatorAssessed(agencyId, command.IndicatorId, LayerOf(framework, command.IndicatorId), command.Level,
                    command.EvidenceNote, command.EvidenceUrl, null, null, SeedHistory.AdminUser, DateTimeOffset.UtcNow),
                EventJson);
            payloadBytes = Math.Max(payloadBytes, System.Text.Encoding.UTF8.GetByteCount(payload));

            var started = Stopwatch.GetTimestamp();
            await InsertBaselineAsync(dataSource, agencyId, payload, ct);
            if (measured)
            {
                baseline.Stop(started);
            }

            started = Stopwatch.GetTimestamp();
            long version;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
                var outcome = await handler.HandleAsync(admin, command, versions[agencyId], ct);
                version = outcome is CommandOutcome.Accepted { Appended: 1 } accepted
                    ? accepted.Version
                    : throw new InvalidOperationException($"Assessment {i.ToString(CultureInfo.InvariantCulture)} was not accepted: {outcome}");
            }

            if (measured)
            {
                marten.Stop(started);
            }

            versions[agencyId] = version;
        }

        await VerifyProjectionsAsync(services, versions, ct);

        var result = new AssessmentResult(marten.Summarize(), baseline.Summarize(), payloadBytes, agencyIds.Length);
        Report.Latencies(result.Baseline, result.Marten);
        Report.Line($"  event JSON payload: up to {payloadBytes.ToString(CultureInfo.InvariantCulture)} bytes (same JSON in both)");
        return result;
    }

    private static async Task<Dictionary<Guid, long>> RegisterAgenciesAsync(
        IServiceScopeFactory scopes, ClaimsPrincipal admin, int count, CancellationToken ct)
    {
        var versions = new Dictionary<Guid, long>();
        for (var i = 0; i < count; i++)
        {
            var number = (i + 1).ToString("D3", CultureInfo.InvariantCulture);
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<AgencyCommandHandler>();
            var outcome = await handler.HandleAsync(
                admin,
                new RegisterAgency(Guid.NewGuid(), $"Assessment Bench Agency {number}", AgencyKind.Regulator, "finance", "national", "", default),
                expectedVersion: null,
                ct);
            if (outcome is not CommandOutcome.Accepted accepted)
            {
                throw new InvalidOperationException($"Registering bench agency {number} failed: {outcome}");
            }

            versions[accepted.Id] = accepted.Version;
        }

        return versions;
    }

    /// <summary>Levels cycle 1..5 and every command carries an https evidence link, so each one is valid whatever the indicator.</summary>
    private static AssessIndicator Command(Guid agencyId, IndicatorDefinition indicator, int i)
    {
        var level = (i % ReadinessFramework.MaxLevel) + ReadinessFramework.MinLevel;
        var note = $"Benchmark review {i.ToString(CultureInfo.InvariantCulture)}: {indicator.DescriptorFor(level).En}";
        var url = $"https://records.bench.gov.example/evidence/{indicator.Id}/{i.ToString(CultureInfo.InvariantCulture)}";
        return new AssessIndicator(agencyId, indicator.Id, level, note, url, null, null, "", default);
    }

    private static Domain.Layer LayerOf(ReadinessFramework framework, string indicatorId) =>
        framework.TryFind(indicatorId, out var layer, out _) ? layer.Layer : throw new InvalidOperationException(indicatorId);

    private static async Task CreateBaselineTableAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            CREATE SCHEMA IF NOT EXISTS bench;
            DROP TABLE IF EXISTS bench.baseline_events;
            CREATE TABLE bench.baseline_events (
                seq bigserial PRIMARY KEY,
                stream_id uuid NOT NULL,
                type text NOT NULL,
                data jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now());
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task InsertBaselineAsync(NpgsqlDataSource dataSource, Guid streamId, string payload, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            "INSERT INTO bench.baseline_events (stream_id, type, data) VALUES (@stream, @type, @data)", connection, transaction);
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("type", "indicator_assessed");
        command.Parameters.AddWithValue("data", NpgsqlDbType.Jsonb, payload);
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The summary rows must have followed every append: the projection really ran inside each timed operation.</summary>
    private static async Task VerifyProjectionsAsync(IServiceProvider services, Dictionary<Guid, long> versions, CancellationToken ct)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        var ids = versions.Keys.ToArray();
        var rows = await session.LoadManyAsync<AgencySummary>(ct, ids);
        var behind = rows.Count(r => r.Version != versions[r.Id]) + (ids.Length - rows.Count);
        if (behind > 0)
        {
            throw new InvalidOperationException($"{behind.ToString(CultureInfo.InvariantCulture)} agency summaries do not match their stream version.");
        }

        Report.Line($"  projection check: all {ids.Length.ToString(CultureInfo.InvariantCulture)} summary rows at their stream version");
    }
}
