using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class ServerMetricsTests
{
    private static ServerMetrics Read(string text) => ServerMetrics.From(PrometheusText.Parse(text).Samples);

    [Fact]
    public void vllm_requests_are_summed_over_models_and_kv_cache_is_the_fullest_model()
    {
        var metrics = Read("""
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="llama-8b"} 3.0
            vllm:num_requests_running{engine="0",model_name="qwen-7b"} 2.0
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="llama-8b"} 7.0
            vllm:num_requests_waiting{engine="0",model_name="qwen-7b"} 0.0
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="llama-8b"} 0.42
            vllm:kv_cache_usage_perc{engine="0",model_name="qwen-7b"} 0.875
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="llama-8b"} 5.0
            vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="llama-8b"} 9.0
            vllm:time_to_first_token_seconds_count{model_name="llama-8b"} 9.0
            vllm:time_to_first_token_seconds_sum{model_name="llama-8b"} 1.3
            """);

        Assert.Equal(5, metrics.RequestsRunning);
        Assert.Equal(7, metrics.RequestsWaiting);
        Assert.Equal(0.875, metrics.KvCacheUsage);
        Assert.Null(metrics.QueueSize);
        Assert.Null(metrics.GpuUtilization);
        Assert.Equal(0, metrics.GpuCount);
    }

    [Fact]
    public void the_older_vllm_gpu_cache_usage_name_is_read_as_kv_cache_usage()
    {
        var metrics = Read("""vllm:gpu_cache_usage_perc{model_name="m"} 0.3125""");

        Assert.Equal(0.3125, metrics.KvCacheUsage);
    }

    [Fact]
    public void a_zero_kv_cache_usage_is_a_reading_not_a_gap()
    {
        var metrics = Read("""vllm:kv_cache_usage_perc{model_name="m"} 0""");

        Assert.Equal(0, metrics.KvCacheUsage);
        Assert.False(metrics.IsEmpty);
    }

    [Fact]
    public void tgi_queue_and_batch_sizes_are_read()
    {
        var metrics = Read("""
            # HELP tgi_queue_size Current queue size
            # TYPE tgi_queue_size gauge
            tgi_queue_size 4
            # TYPE tgi_batch_current_size gauge
            tgi_batch_current_size 12
            # TYPE tgi_request_duration histogram
            tgi_request_duration_bucket{le="0.5"} 3
            tgi_request_duration_bucket{le="+Inf"} 8
            """);

        Assert.Equal(4, metrics.QueueSize);
        Assert.Equal(12, metrics.BatchSize);
        Assert.Null(metrics.RequestsRunning);
    }

    [Fact]
    public void llama_cpp_processing_and_deferred_requests_map_to_running_and_waiting()
    {
        var metrics = Read("""
            # HELP llamacpp:kv_cache_usage_ratio KV-cache usage. 1 means 100 percent usage.
            # TYPE llamacpp:kv_cache_usage_ratio gauge
            llamacpp:kv_cache_usage_ratio 0.25
            # TYPE llamacpp:requests_processing gauge
            llamacpp:requests_processing 2
            # TYPE llamacpp:requests_deferred gauge
            llamacpp:requests_deferred 6
            """);

        Assert.Equal(2, metrics.RequestsRunning);
        Assert.Equal(6, metrics.RequestsWaiting);
        Assert.Equal(0.25, metrics.KvCacheUsage);
    }

    [Fact]
    public void a_scrape_with_both_vllm_and_llama_cpp_families_counts_requests_once_from_vllm()
    {
        var metrics = Read("""
            vllm:num_requests_running{model_name="m"} 3
            vllm:num_requests_waiting{model_name="m"} 1
            llamacpp:requests_processing 3
            llamacpp:requests_deferred 1
            """);

        Assert.Equal(3, metrics.RequestsRunning);
        Assert.Equal(1, metrics.RequestsWaiting);
    }

    [Fact]
    public void triton_gpu_utilisation_is_the_mean_over_gpus_and_memory_the_sum()
    {
        var metrics = Read("""
            # HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
            # TYPE nv_gpu_utilization gauge
            nv_gpu_utilization{gpu_uuid="GPU-aaaa"} 0.5
            nv_gpu_utilization{gpu_uuid="GPU-bbbb"} 0.25
            # TYPE nv_gpu_memory_used_bytes gauge
            nv_gpu_memory_used_bytes{gpu_uuid="GPU-aaaa"} 1000000000
            nv_gpu_memory_used_bytes{gpu_uuid="GPU-bbbb"} 500000000
            """);

        Assert.Equal(0.375, metrics.GpuUtilization);
        Assert.Equal(1.5e9, metrics.GpuMemoryUsedBytes);
        Assert.Equal(2, metrics.GpuCount);
    }

    private const string DcgmTwoGpus = """
        # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
        # TYPE DCGM_FI_DEV_GPU_UTIL gauge
        DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1111",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a"} 90
        DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-2222",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a"} 40
        # HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).
        # TYPE DCGM_FI_DEV_FB_USED gauge
        DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1111",device="nvidia0",Hostname="node-a"} 1024
        DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-2222",device="nvidia1",Hostname="node-a"} 512
        # TYPE DCGM_FI_DEV_GPU_TEMP gauge
        DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1111",Hostname="node-a"} 71
        DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-2222",Hostname="node-a"} 64
        # TYPE DCGM_FI_DEV_POWER_USAGE gauge
        DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1111",Hostname="node-a"} 612.5
        DCGM_FI_DEV_POWER_USAGE{gpu="1",UUID="GPU-2222",Hostname="node-a"} 250.25
        # TYPE DCGM_FI_DEV_XID_ERRORS gauge
        DCGM_FI_DEV_XID_ERRORS{gpu="0",UUID="GPU-1111",Hostname="node-a",err_code="79",err_msg="GPU has fallen off the bus"} 79
        DCGM_FI_DEV_XID_ERRORS{gpu="1",UUID="GPU-2222",Hostname="node-a"} 0
        """;

    [Fact]
    public void dcgm_utilisation_is_a_percentage_averaged_over_gpus()
    {
        // (90 + 40) / 2 = 65 % = 0.65.
        Assert.Equal(0.65, Read(DcgmTwoGpus).GpuUtilization!.Value, 12);
    }

    [Fact]
    public void dcgm_framebuffer_is_mebibytes_summed_over_gpus()
    {
        // (1024 + 512) MiB × 1 048 576 = 1 610 612 736 bytes.
        Assert.Equal(1_610_612_736, Read(DcgmTwoGpus).GpuMemoryUsedBytes);
    }

    [Fact]
    public void dcgm_temperature_is_the_hottest_gpu_and_power_the_sum()
    {
        var metrics = Read(DcgmTwoGpus);

        Assert.Equal(71, metrics.GpuTemperatureCelsius);
        Assert.Equal(862.75, metrics.GpuPowerWatts);
    }

    [Fact]
    public void xid_errors_count_the_gpus_whose_last_xid_is_non_zero()
    {
        var metrics = Read(DcgmTwoGpus);

        Assert.Equal(1, metrics.XidErrors);
        Assert.Equal(2, metrics.GpuCount);
    }

    [Fact]
    public void xid_errors_are_zero_not_null_when_every_gpu_reports_none()
    {
        var metrics = Read("""
            DCGM_FI_DEV_XID_ERRORS{gpu="0",UUID="GPU-1111"} 0
            DCGM_FI_DEV_XID_ERRORS{gpu="1",UUID="GPU-2222"} 0
            DCGM_FI_DEV_XID_ERRORS{gpu="2",UUID="GPU-3333"} 43
            DCGM_FI_DEV_XID_ERRORS{gpu="3",UUID="GPU-4444"} 13
            """);

        Assert.Equal(2, metrics.XidErrors);
        Assert.Equal(0, Read("""DCGM_FI_DEV_XID_ERRORS{gpu="0",UUID="GPU-1111"} 0""").XidErrors);
    }

    [Fact]
    public void a_gpu_repeated_once_per_pod_sharing_it_is_counted_once()
    {
        var metrics = Read("""
            DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1111",pod="vllm-a",namespace="ml"} 2048
            DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-1111",pod="vllm-b",namespace="ml"} 2048
            DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1111",pod="vllm-a"} 300
            DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-1111",pod="vllm-b"} 300
            """);

        Assert.Equal(2048.0 * 1024 * 1024, metrics.GpuMemoryUsedBytes);
        Assert.Equal(300, metrics.GpuPowerWatts);
        Assert.Equal(1, metrics.GpuCount);
    }

    [Fact]
    public void gpu_zero_on_two_hosts_is_two_gpus_when_there_is_no_uuid()
    {
        var metrics = Read("""
            DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="node-a"} 100
            DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="node-b"} 0
            """);

        Assert.Equal(0.5, metrics.GpuUtilization);
        Assert.Equal(2, metrics.GpuCount);
    }

    [Fact]
    public void where_dcgm_and_triton_both_report_a_gpu_dcgm_is_used_and_the_gpu_is_counted_once()
    {
        var metrics = Read("""
            DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1111"} 80
            nv_gpu_utilization{gpu_uuid="GPU-1111"} 0.1
            nv_gpu_utilization{gpu_uuid="GPU-2222"} 0.4
            """);

        // GPU-1111 from DCGM (0.8), GPU-2222 only from Triton (0.4): mean 0.6.
        Assert.Equal(0.6, metrics.GpuUtilization!.Value, 12);
        Assert.Equal(2, metrics.GpuCount);
    }

    [Fact]
    public void gpu_samples_without_gpu_labels_still_count_in_the_figures_but_not_in_the_gpu_count()
    {
        var metrics = Read("""
            DCGM_FI_DEV_GPU_TEMP 55
            DCGM_FI_DEV_POWER_USAGE 100
            """);

        Assert.Equal(55, metrics.GpuTemperatureCelsius);
        Assert.Equal(100, metrics.GpuPowerWatts);
        Assert.Equal(0, metrics.GpuCount);
    }

    [Fact]
    public void nan_and_infinite_values_are_ignored()
    {
        var metrics = Read("""
            vllm:kv_cache_usage_perc{model_name="a"} NaN
            vllm:num_requests_running{model_name="a"} +Inf
            vllm:num_requests_running{model_name="b"} 2
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1111"} NaN
            """);

        Assert.Null(metrics.KvCacheUsage);
        Assert.Equal(2, metrics.RequestsRunning);
        Assert.Null(metrics.GpuTemperatureCelsius);
    }

    [Fact]
    public void a_scrape_with_no_known_family_is_empty()
    {
        var metrics = Read("""
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total 12.5
            python_gc_objects_collected_total{generation="0"} 1234
            """);

        Assert.True(metrics.IsEmpty);
        Assert.Equal(ServerMetrics.Empty, metrics);
    }

    [Fact]
    public void the_empty_value_is_empty_and_a_value_with_one_reading_is_not()
    {
        Assert.True(ServerMetrics.Empty.IsEmpty);
        Assert.False((ServerMetrics.Empty with { GpuCount = 1 }).IsEmpty);
        Assert.False((ServerMetrics.Empty with { QueueSize = 0 }).IsEmpty);
    }

    [Fact]
    public void merging_fills_only_the_gaps_of_the_first_from_the_second()
    {
        var server = Read("""
            vllm:num_requests_running{model_name="m"} 3
            vllm:kv_cache_usage_perc{model_name="m"} 0.5
            nv_gpu_utilization{gpu_uuid="GPU-1111"} 0.9
            """);
        var exporter = Read(DcgmTwoGpus) with { RequestsRunning = 99 };

        var merged = server.Merge(exporter);

        Assert.Equal(3, merged.RequestsRunning);
        Assert.Equal(0.5, merged.KvCacheUsage);
        Assert.Equal(0.9, merged.GpuUtilization);
        Assert.Equal(1_610_612_736, merged.GpuMemoryUsedBytes);
        Assert.Equal(71, merged.GpuTemperatureCelsius);
        Assert.Equal(1, merged.XidErrors);
        Assert.Null(merged.QueueSize);
        Assert.Equal(1, merged.GpuCount);
    }

    [Fact]
    public void merging_takes_the_gpu_count_of_the_second_when_the_first_saw_no_gpu()
    {
        var merged = Read("vllm:num_requests_running 1").Merge(Read(DcgmTwoGpus));

        Assert.Equal(2, merged.GpuCount);
        Assert.Equal(1, merged.RequestsRunning);
    }

    [Fact]
    public void merging_with_empty_changes_nothing_either_way()
    {
        var metrics = Read(DcgmTwoGpus);

        Assert.Equal(metrics, metrics.Merge(ServerMetrics.Empty));
        Assert.Equal(metrics, ServerMetrics.Empty.Merge(metrics));
    }
}
