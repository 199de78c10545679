namespace CoordinationPortal.Web.Components.Common;

public enum TrendMarkerKind
{
    Raised,
    Resolved,
}

/// <summary>An event drawn on a trend chart at <see cref="Date"/> (e.g. a flag raised), with <see cref="Text"/> as its text alternative.</summary>
public sealed record TrendMarker(DateOnly Date, TrendMarkerKind Kind, string Text);
