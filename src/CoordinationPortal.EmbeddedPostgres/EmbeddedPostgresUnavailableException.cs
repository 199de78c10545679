namespace CoordinationPortal.EmbeddedPostgres;


/// <summary>The embedded PostgreSQL server could not be provided. The message is a single line meant for a user.</summary>
public sealed class EmbeddedPostgresUnavailableException : Exception
{
    public EmbeddedPostgresUnavailableException()
        : base("The embedded PostgreSQL server is unavailable.")
    {
    }

    public EmbeddedPostgresUnavailableException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Joins a multi-line text (a tool's or the server's message) into the single line this exception promises.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
