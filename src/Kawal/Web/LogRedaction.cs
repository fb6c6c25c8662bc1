using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary>
/// No NIK reaches a log (docs/operations.md, "Logs"): every logger of the host writes through <see cref="Redact"/>, which
/// replaces each run of exactly 16 digits and the value of every <c>nik=</c> parameter. This covers the URLs that ASP.NET
/// logs (<c>Request starting … /api/v1/participants/3507…</c>, the request scope's <c>RequestPath</c>), Kawal's own
/// messages, and the structured values that a JSON log writes, in one place: the <see cref="ILoggerFactory"/>.
/// Exception texts written beside a message are not rewritten.
/// </summary>
internal static partial class LogRedaction
{
    public const string Mask = "[NIK]";

    [GeneratedRegex(@"(?<![0-9])[0-9]{16}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SixteenDigits();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(nik=)[^&#\s""']*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NikParameter();

    public static string Redact(string text) => SixteenDigits().Replace(NikParameter().Replace(text, "$1" + Mask), Mask);

    /// <summary>Makes the host's <see cref="ILoggerFactory"/> one that redacts (its providers, filters and scopes unchanged).</summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("logging is not configured");
        if (original.ImplementationType is not { } type)
        {
            throw new InvalidOperationException($"the logger factory is registered as {original}, not as a type");
        }

        services.TryAdd(ServiceDescriptor.Describe(type, type, original.Lifetime));
        services.Replace(ServiceDescriptor.Describe(typeof(ILoggerFactory), sp => new Factory((ILoggerFactory)sp.GetRequiredService(type)), original.Lifetime));
        return services;
    }

    /// <summary>A scope's state, redacted like a message (ASP.NET's request scope carries the path).</summary>
    private static object Scope(object state) => state switch
    {
        string text => Redact(text),
        IEnumerable<KeyValuePair<string, object?>> values => new State(values, Redact(state.ToString() ?? "")),
        _ => state,
    };

    private static object? Value(object? value) => value switch
    {
        null or bool or int or long or double or decimal or DateTime or DateTimeOffset or TimeSpan or Enum => value,
        string text => Redact(text),
        _ => value.ToString() is { } text ? Redact(text) : null, // a PathString, QueryString, Uri…
    };

    /// <summary>The factory owns nothing: the container disposes the factory it wraps.</summary>
    private sealed class Factory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(Scope(state));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = Redact(formatter(state, exception));
            inner.Log(logLevel, eventId, new State(state as IEnumerable<KeyValuePair<string, object?>> ?? [], message), exception, static (s, _) => s.Message);
        }
    }

    /// <summary>A message's or scope's structured values, redacted, and its redacted text.</summary>
    private sealed class State(IEnumerable<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = [.. values.Select(v => new KeyValuePair<string, object?>(v.Key, Value(v.Value)))];

        public string Message => message;

        public int Count => _values.Length;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
