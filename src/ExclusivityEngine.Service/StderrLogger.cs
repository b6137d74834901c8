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
        // "Hosting failed to start": the failure is thrown to the caller too, which says it in one sentence of its own
        // (`serve` on an address in use printed both).
        private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
        private const int HostedServiceStartupFaulted = 11;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && !(category == HostCategory && eventId.Id == HostedServiceStartupFaulted))
            {
                stderr.WriteLine($"serve: {logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
