using Microsoft.Extensions.Logging;

namespace ExclusivityEngine.Service;

/// <summary>ASP.NET Core's warnings and errors, one line each on the service's stderr (stdout may carry the decision log).</summary>
internal sealed class StderrLoggerProvider(TextWriter stderr) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StderrLogger(stderr, categoryName);

    public void Dispose()
    {
        // The writer belongs to the caller.
    }

    private sealed class StderrLogger(TextWriter stderr, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                stderr.WriteLine($"serve: {logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
