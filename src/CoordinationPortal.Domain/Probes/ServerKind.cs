namespace CoordinationPortal.Domain.Probes;

/// <summary>The kinds of inference server the portal knows how to probe; each exposes health and streaming differently.</summary>
public enum ServerKind
{
    /// <summary>Any server with the OpenAI HTTP surface (<c>/v1/models</c>, <c>/v1/chat/completions</c>).</summary>
    OpenAi,
    Vllm,
    Tgi,

    /// <summary>NVIDIA Triton and other servers speaking the KServe v2 protocol.</summary>
    KServeV2,
    Nim,
    Ollama,
    LlamaCpp,
}
