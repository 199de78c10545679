using System.Globalization;
using System.Text;

namespace CoordinationPortal.Simulator;

/// <summary>
/// Prometheus text format 0.0.4: <c>/metrics</c> as vLLM, TGI, Triton and llama.cpp export them (one scrape
/// carries all four families), and <c>/dcgm/metrics</c> as NVIDIA's DCGM exporter does for two GPUs.
/// </summary>
internal static class MetricsSurface
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const string GpuModel = "NVIDIA H100 80GB HBM3";
    private const double GpuMemoryMib = 81_559;
    private const double BytesPerMib = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Read("/metrics", context => Wire.WriteAsync(context, StatusCodes.Status200OK, ContentType, Server(context)));
        routes.Read("/dcgm/metrics", context => Wire.WriteAsync(context, StatusCodes.Status200OK, ContentType, Dcgm(context)));
    }

    private static string ProfileName(HttpContext context) =>
        context.GetRouteValue("profile") as string ?? SimulatorState.DefaultProfileName;

    private static string Server(HttpContext context)
    {
        var request = SimRequest.Of(context);
        var profile = request.Profile;
        var runtime = request.Runtime;
        var running = runtime.InFlight + profile.MetricsRequestsRunning;
        var waiting = profile.MetricsRequestsWaiting;
        var model = $"model_name=\"{Escape(profile.Model)}\"";
        var text = new Exposition();

        text.Family("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.")
            .Sample("vllm:num_requests_running", model, running);
        text.Family("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.")
            .Sample("vllm:num_requests_waiting", model, waiting);
        text.Family("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.")
            .Sample("vllm:kv_cache_usage_perc", model, profile.MetricsKvCacheUsage);
        text.Family("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.")
            .Sample("vllm:prompt_tokens_total", model, runtime.PromptTokens);
        text.Family("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.")
            .Sample("vllm:generation_tokens_total", model, runtime.GenerationTokens);

        var (buckets, sum, count) = runtime.TimeToFirstToken.Snapshot();
        text.Family("vllm:time_to_first_token_seconds", "histogram", "Histogram of time to first token in seconds.");
        foreach (var (upperBound, cumulative) in buckets)
        {
            text.Sample("vllm:time_to_first_token_seconds_bucket", $"le=\"{Number(upperBound)}\",{model}", cumulative);
        }

        text.Sample("vllm:time_to_first_token_seconds_bucket", $"le=\"+Inf\",{model}", count)
            .Sample("vllm:time_to_first_token_seconds_sum", model, sum)
            .Sample("vllm:time_to_first_token_seconds_count", model, count);

        text.Family("tgi_queue_size", "gauge", "Current queue size.").Sample("tgi_queue_size", "", waiting);
        text.Family("tgi_batch_current_size", "gauge", "Current batch size.").Sample("tgi_batch_current_size", "", running);
        text.Family("tgi_request_count", "counter", "Total number of requests.").Sample("tgi_request_count", "", runtime.Completions + runtime.Errors);
        text.Family("tgi_request_success", "counter", "Number of successful requests.").Sample("tgi_request_success", "", runtime.Completions);

        var gpu = $"gpu_uuid=\"{Wire.GpuUuid(ProfileName(context), 0)}\"";
        text.Family("nv_gpu_utilization", "gauge", "GPU utilization rate [0.0 - 1.0)")
            .Sample("nv_gpu_utilization", gpu, profile.MetricsGpuUtilization);
        text.Family("nv_gpu_memory_total_bytes", "gauge", "GPU total memory, in bytes")
            .Sample("nv_gpu_memory_total_bytes", gpu, GpuMemoryMib * BytesPerMib);
        text.Family("nv_gpu_memory_used_bytes", "gauge", "GPU used memory, in bytes")
            .Sample("nv_gpu_memory_used_bytes", gpu, Math.Round(MemoryUsedMib(profile, 0) * BytesPerMib));
        text.Family("nv_inference_request_success", "counter", "Number of successful inference requests, all batch sizes")
            .Sample("nv_inference_request_success", $"model=\"{Escape(profile.Model)}\",version=\"1\"", runtime.Completions);

        text.Family("llamacpp:requests_processing", "gauge", "Number of requests processing.")
            .Sample("llamacpp:requests_processing", "", running);
        text.Family("llamacpp:requests_deferred", "gauge", "Number of requests deferred.")
            .Sample("llamacpp:requests_deferred", "", waiting);
        text.Family("llamacpp:kv_cache_usage_ratio", "gauge", "KV-cache usage. 1 means 100 percent usage.")
            .Sample("llamacpp:kv_cache_usage_ratio", "", profile.MetricsKvCacheUsage);
        return text.ToString();
    }

    private static string Dcgm(HttpContext context)
    {
        var profile = SimRequest.Of(context).Profile;
        var name = ProfileName(context);
        var text = new Exposition();
        var labels = Enumerable.Range(0, 2)
            .Select(i => $"gpu=\"{i}\",UUID=\"{Wire.GpuUuid(name, i)}\",pci_bus_id=\"00000000:{0x19 + i * 0x20:X2}:00.0\",device=\"nvidia{i}\",modelName=\"{GpuModel}\",Hostname=\"sim\"")
            .ToArray();

        void Gauge(string metric, string help, Func<int, double> value)
        {
            text.Family(metric, "gauge", help);
            for (var i = 0; i < labels.Length; i++)
            {
                text.Sample(metric, labels[i], value(i));
            }
        }

        Gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", i => Math.Round(Utilization(profile, i) * 100));
        Gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", i => Math.Round(MemoryUsedMib(profile, i)));
        Gauge("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", i => Math.Round(GpuMemoryMib - MemoryUsedMib(profile, i)));
        Gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", i => Math.Round(34 + 40 * Utilization(profile, i)));
        Gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", i => Math.Round(72 + 600 * Utilization(profile, i), 3));
        Gauge("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.", _ => 0);
        return text.ToString();
    }

    /// <summary>The second GPU of a tensor-parallel pair runs a little cooler than the first.</summary>
    private static double Utilization(SimulatorProfile profile, int gpu) => profile.MetricsGpuUtilization * (gpu == 0 ? 1 : 0.93);

    /// <summary>Weights take about half the card; the KV cache grows into the rest.</summary>
    private static double MemoryUsedMib(SimulatorProfile profile, int gpu) =>
        profile.Loading ? 600 : GpuMemoryMib * (0.5 + 0.45 * profile.MetricsKvCacheUsage) - gpu * 256;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A Prometheus text exposition being written.</summary>
    private sealed class Exposition
    {
        private readonly StringBuilder text = new();

        public Exposition Family(string name, string type, string help)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
                .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            return this;
        }

        public Exposition Sample(string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(Number(value)).Append('\n');
            return this;
        }

        public override string ToString() => text.ToString();
    }
}
