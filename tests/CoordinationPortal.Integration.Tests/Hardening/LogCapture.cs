using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>Every line a portal logs, after the host's own level filters, to read back in a test.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Line(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " [" + Exception.GetType().Name + ": " + Exception.Message + (Exception is Npgsql.PostgresException p ? " state=" + p.SqlState + " table=" + p.TableName + " constraint=" + p.ConstraintName : "") + "]")}";
    }

    private readonly ConcurrentQueue<Line> lines = new();

    public IReadOnlyList<Line> Lines => [.. lines];

    public void Clear() => lines.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Line> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new Line(category, logLevel, formatter(state, exception), exception));
    }
}
