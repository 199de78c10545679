using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace CoordinationPortal.Simulator;

/// <summary>The profiles a simulator serves, each with its live counters.</summary>
internal sealed partial class SimulatorState
{
    public const string DefaultProfileName = "default";

    private readonly ConcurrentDictionary<string, ProfileRuntime> profiles = new(StringComparer.Ordinal);

    public SimulatorState(IReadOnlyDictionary<string, SimulatorProfile> profiles)
    {
        foreach (var (name, profile) in profiles)
        {
            Set(name, profile);
        }

        if (!this.profiles.ContainsKey(DefaultProfileName))
        {
            Set(DefaultProfileName, new SimulatorProfile());
        }
    }

    public IEnumerable<KeyValuePair<string, ProfileRuntime>> All =>
        profiles.OrderBy(pair => pair.Key, StringComparer.Ordinal);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProfileRuntime? runtime) =>
        profiles.TryGetValue(name, out runtime);

    /// <summary>Creates the profile or replaces its knobs (its counters stay, its error sequence restarts).</summary>
    public void Set(string name, SimulatorProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"Profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'.", nameof(name));
        }

        var problems = profile.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Profile '{name}' is invalid: {string.Join("; ", problems)}.", nameof(profile));
        }

        profiles.AddOrUpdate(name, _ => new ProfileRuntime(profile), (_, runtime) => runtime.Replace(profile));
    }

    public void ResetCounters()
    {
        foreach (var runtime in profiles.Values)
        {
            runtime.ResetCounters();
        }
    }

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>One profile's knobs and counters. Counters are updated lock-free.</summary>
internal sealed class ProfileRuntime
{
    private readonly ConcurrentDictionary<string, RouteCounter> routes = new(StringComparer.Ordinal);
    private SimulatorProfile profile;
    private long requests;
    private long inFlight;
    private long completionSequence;
    private long errors;
    private long completions;
    private long promptTokens;
    private long generationTokens;

    public ProfileRuntime(SimulatorProfile profile) => this.profile = profile;

    public SimulatorProfile Profile => Volatile.Read(ref profile);

    public long Requests => Interlocked.Read(ref requests);

    public long InFlight => Interlocked.Read(ref inFlight);

    public long Errors => Interlocked.Read(ref errors);

    /// <summary>Completions answered in full (streamed to the end or sent whole).</summary>
    public long Completions => Interlocked.Read(ref completions);

    public long PromptTokens => Interlocked.Read(ref promptTokens);

    public long GenerationTokens => Interlocked.Read(ref generationTokens);

    public Histogram TimeToFirstToken { get; } = new();

    /// <summary>The prompts this profile has answered, for <see cref="SimulatorProfile.PromptCacheTtftMs"/>.</summary>
    public PromptCache Prompts { get; } = new();

    public ProfileRuntime Replace(SimulatorProfile replacement)
    {
        Volatile.Write(ref profile, replacement);
        Interlocked.Exchange(ref completionSequence, 0);
        return this;
    }

    public void CountRequest(string route)
    {
        Interlocked.Increment(ref requests);
        Interlocked.Increment(ref routes.GetOrAdd(route, static _ => new RouteCounter()).Count);
    }

    public long RequestCount(string? route) =>
        route is null ? Requests
        : routes.TryGetValue(route, out var counter) ? Interlocked.Read(ref counter.Count)
        : 0;

    public IReadOnlyDictionary<string, long> RouteCounts() =>
        routes.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Count), StringComparer.Ordinal);

    public void BeginCompletion() => Interlocked.Increment(ref inFlight);

    public void EndCompletion() => Interlocked.Decrement(ref inFlight);

    /// <summary>
    /// Whether the next completion request fails. Request n (from 0) fails when floor((n+1)·rate)
    /// exceeds floor(n·rate), which spreads failures evenly: 0.5 fails every second request.
    /// </summary>
    public bool NextCompletionFails(double rate)
    {
        var n = Interlocked.Increment(ref completionSequence) - 1;
        var fails = rate > 0 && Math.Floor((n + 1) * rate) > Math.Floor(n * rate);
        if (fails)
        {
            Interlocked.Increment(ref errors);
        }

        return fails;
    }

    public void CountCompletion(int prompt, int generated)
    {
        Interlocked.Increment(ref completions);
        Interlocked.Add(ref promptTokens, prompt);
        Interlocked.Add(ref generationTokens, generated);
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref completionSequence, 0);
        Interlocked.Exchange(ref errors, 0);
        Interlocked.Exchange(ref completions, 0);
        Interlocked.Exchange(ref promptTokens, 0);
        Interlocked.Exchange(ref generationTokens, 0);
        routes.Clear();
        TimeToFirstToken.Reset();
    }

    private sealed class RouteCounter
    {
        public long Count;
    }
}

/// <summary>A Prometheus-style histogram of seconds with vLLM's time-to-first-token buckets.</summary>
internal sealed class Histogram
{
    private static readonly double[] Bounds =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    private readonly long[] buckets = new long[Bounds.Length];
    private long count;
    private long sumMicroseconds;

    public void Observe(TimeSpan value)
    {
        var seconds = value.TotalSeconds;
        for (var i = 0; i < Bounds.Length; i++)
        {
            if (seconds <= Bounds[i])
            {
                Interlocked.Increment(ref buckets[i]);
                break;
            }
        }

        Interlocked.Increment(ref count);
        Interlocked.Add(ref sumMicroseconds, (long)value.TotalMicroseconds);
    }

    /// <summary>Cumulative bucket counts by upper bound, then the +Inf bucket, the sum and the count.</summary>
    public (IReadOnlyList<(double UpperBound, long Count)> Buckets, double Sum, long Count) Snapshot()
    {
        var cumulative = new List<(double, long)>(Bounds.Length);
        long running = 0;
        for (var i = 0; i < Bounds.Length; i++)
        {
            running += Interlocked.Read(ref buckets[i]);
            cumulative.Add((Bounds[i], running));
        }

        return (cumulative, Interlocked.Read(ref sumMicroseconds) / 1e6, Interlocked.Read(ref count));
    }

    public void Reset()
    {
        for (var i = 0; i < buckets.Length; i++)
        {
            Interlocked.Exchange(ref buckets[i], 0);
        }

        Interlocked.Exchange(ref count, 0);
        Interlocked.Exchange(ref sumMicroseconds, 0);
    }
}

/// <summary>
/// A prefix cache in miniature: remembers the last prompts answered, and calls a prompt a hit when it shares at least half
/// of its characters, from the start, with one of them. A prompt that differs at its start always misses.
/// </summary>
internal sealed class PromptCache
{
    private const int Capacity = 256;
    private readonly Lock gate = new();
    private readonly LinkedList<string> prompts = new();

    /// <summary>Whether <paramref name="prompt"/> is served from the cache; either way it is remembered.</summary>
    public bool Serve(string prompt)
    {
        lock (gate)
        {
            var hit = prompt.Length > 0 && prompts.Any(p => CommonPrefix(p, prompt) * 2 >= prompt.Length);
            prompts.AddFirst(prompt);
            if (prompts.Count > Capacity)
            {
                prompts.RemoveLast();
            }

            return hit;
        }
    }

    private static int CommonPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b);
}
