namespace CoordinationPortal.Domain.Probes;

/// <summary>
/// What an inference server and its GPUs say about their own load, read from the metric families of vLLM, TGI,
/// Triton, llama.cpp and the DCGM exporter. Null where no scrape carried the family. Fractions are 0..1.
/// </summary>
public sealed record ServerMetrics(
    double? RequestsRunning,
    double? RequestsWaiting,
    double? KvCacheUsage,
    double? QueueSize,
    double? BatchSize,
    double? GpuUtilization,
    double? GpuMemoryUsedBytes,
    double? GpuTemperatureCelsius,
    double? GpuPowerWatts,
    double? XidErrors,
    int GpuCount)
{
    private const double BytesPerMebibyte = 1024 * 1024;

    public static ServerMetrics Empty { get; } = new(null, null, null, null, null, null, null, null, null, null, 0);

    public bool IsEmpty => this == Empty;

    /// <summary>
    /// Reads every known family. Requests, queue and batch sizes are summed over label sets (several models or
    /// engines); KV cache usage is the highest over models. GPU figures are taken per GPU, one value per GPU and
    /// family (the highest, where a GPU is repeated, for example once per pod sharing it), then summed (memory,
    /// power), averaged (utilisation) or maximised (temperature); XID errors count the GPUs whose last XID is
    /// non-zero. Where DCGM and Triton both report a GPU, DCGM's figure is used. NaN and infinite values are ignored.
    /// </summary>
    public static ServerMetrics From(IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);

        // A server exposes one engine's families; where a scrape carries both vLLM's and llama.cpp's (an aggregating
        // exporter, the simulator), vLLM's are used rather than added up twice.
        var running = new Sum();
        var waiting = new Sum();
        var llamaRunning = new Sum();
        var llamaWaiting = new Sum();
        var queue = new Sum();
        var batch = new Sum();
        double? kvCache = null;

        var dcgmUtil = new PerGpu();
        var tritonUtil = new PerGpu();
        var dcgmMemory = new PerGpu();
        var tritonMemory = new PerGpu();
        var temperature = new PerGpu();
        var power = new PerGpu();
        var xid = new PerGpu();
        var gpus = new HashSet<string>(StringComparer.Ordinal);

        foreach (var sample in samples)
        {
            var value = sample.Value;
            if (!double.IsFinite(value))
            {
                continue;
            }

            switch (sample.Name)
            {
                case "vllm:num_requests_running":
                    running.Add(value);
                    break;
                case "llamacpp:requests_processing":
                    llamaRunning.Add(value);
                    break;
                case "vllm:num_requests_waiting":
                    waiting.Add(value);
                    break;
                case "llamacpp:requests_deferred":
                    llamaWaiting.Add(value);
                    break;
                case "vllm:kv_cache_usage_perc" or "vllm:gpu_cache_usage_perc" or "llamacpp:kv_cache_usage_ratio":
                    kvCache = Math.Max(kvCache ?? double.MinValue, value);
                    break;
                case "tgi_queue_size":
                    queue.Add(value);
                    break;
                case "tgi_batch_current_size":
                    batch.Add(value);
                    break;
                case "nv_gpu_utilization":
                    tritonUtil.Set(Gpu(sample, gpus), value);
                    break;
                case "nv_gpu_memory_used_bytes":
                    tritonMemory.Set(Gpu(sample, gpus), value);
                    break;
                case "DCGM_FI_DEV_GPU_UTIL":
                    dcgmUtil.Set(Gpu(sample, gpus), value / 100.0);
                    break;
                case "DCGM_FI_DEV_FB_USED":
                    dcgmMemory.Set(Gpu(sample, gpus), value * BytesPerMebibyte);
                    break;
                case "DCGM_FI_DEV_GPU_TEMP":
                    temperature.Set(Gpu(sample, gpus), value);
                    break;
                case "DCGM_FI_DEV_POWER_USAGE":
                    power.Set(Gpu(sample, gpus), value);
                    break;
                case "DCGM_FI_DEV_XID_ERRORS":
                    xid.Set(Gpu(sample, gpus), value);
                    break;
                default:
                    break;
            }
        }

        var utilization = dcgmUtil.Over(tritonUtil);
        var memory = dcgmMemory.Over(tritonMemory);

        return new ServerMetrics(
            running.Value ?? llamaRunning.Value,
            waiting.Value ?? llamaWaiting.Value,
            kvCache,
            queue.Value,
            batch.Value,
            utilization.Count == 0 ? null : utilization.Values.Average(),
            memory.Count == 0 ? null : memory.Values.Sum(),
            temperature.Values.Count == 0 ? null : temperature.Values.Values.Max(),
            power.Values.Count == 0 ? null : power.Values.Values.Sum(),
            xid.Values.Count == 0 ? null : xid.Values.Values.Count(v => v != 0),
            gpus.Count);
    }

    /// <summary>This scrape's figures, with the gaps filled from <paramref name="other"/>.</summary>
    public ServerMetrics Merge(ServerMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);

        return new ServerMetrics(
            RequestsRunning ?? other.RequestsRunning,
            RequestsWaiting ?? other.RequestsWaiting,
            KvCacheUsage ?? other.KvCacheUsage,
            QueueSize ?? other.QueueSize,
            BatchSize ?? other.BatchSize,
            GpuUtilization ?? other.GpuUtilization,
            GpuMemoryUsedBytes ?? other.GpuMemoryUsedBytes,
            GpuTemperatureCelsius ?? other.GpuTemperatureCelsius,
            GpuPowerWatts ?? other.GpuPowerWatts,
            XidErrors ?? other.XidErrors,
            GpuCount == 0 ? other.GpuCount : GpuCount);
    }

    /// <summary>
    /// Which GPU a sample is about: its UUID (DCGM's UUID, Triton's gpu_uuid) when it has one, else its index
    /// (DCGM's gpu) on its host. A sample with neither stands for a GPU of its own, keyed by its whole label set,
    /// and is not counted in <see cref="GpuCount"/>.
    /// </summary>
    private static string Gpu(MetricSample sample, HashSet<string> gpus)
    {
        var labels = sample.Labels;
        string? key = null;
        if (labels.TryGetValue("UUID", out var uuid) && uuid.Length > 0)
        {
            key = "uuid:" + uuid;
        }
        else if (labels.TryGetValue("gpu_uuid", out uuid) && uuid.Length > 0)
        {
            key = "uuid:" + uuid;
        }
        else if (labels.TryGetValue("gpu", out var index) && index.Length > 0)
        {
            var host = labels.TryGetValue("Hostname", out var h) ? h : labels.TryGetValue("instance", out var i) ? i : "";
            key = "index:" + index + "@" + host;
        }

        if (key is not null)
        {
            gpus.Add(key);
            return key;
        }

        return "labels:" + string.Join('\u001f', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }

    private sealed class Sum
    {
        public double? Value { get; private set; }

        public void Add(double value) => Value = (Value ?? 0) + value;
    }

    private sealed class PerGpu
    {
        public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

        public void Set(string gpu, double value) =>
            Values[gpu] = Values.TryGetValue(gpu, out var seen) ? Math.Max(seen, value) : value;

        /// <summary>These values, with GPUs only <paramref name="fallback"/> reports added from it.</summary>
        public Dictionary<string, double> Over(PerGpu fallback)
        {
            var merged = new Dictionary<string, double>(Values, StringComparer.Ordinal);
            foreach (var (gpu, value) in fallback.Values)
            {
                merged.TryAdd(gpu, value);
            }

            return merged;
        }
    }
}
