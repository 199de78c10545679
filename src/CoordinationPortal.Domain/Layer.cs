namespace CoordinationPortal.Domain;

/// <summary>The five readiness layers every agency is assessed on, in display order.</summary>
public enum Layer
{
    Compute,
    Data,
    Governance,
    Skills,
    Operations,
}

public static class Layers
{
    public static IReadOnlyList<Layer> All { get; } = Enum.GetValues<Layer>();
}

/// <summary>A text in every language the portal speaks. Hindi falls back to English only if missing.</summary>
public sealed record LocalizedText(string En, string Hi)
{
    public string For(string language) =>
        language.StartsWith("hi", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(Hi) ? Hi : En;
}
