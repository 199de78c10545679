namespace CoordinationPortal.Web.Kernel.Forms;

/// <summary>One choice of a <see cref="FilterSelect"/>: the value sent in the query string, the text shown, whether it is the current one.</summary>
public sealed record FilterOption(string Value, string Text, bool Selected);
