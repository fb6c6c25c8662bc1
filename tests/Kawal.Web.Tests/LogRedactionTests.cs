using System.Collections.Concurrent;
using Kawal.Data;
using Kawal.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kawal.Web.Tests;

/// <summary>No NIK in the logs: the URLs ASP.NET logs, with their structured values and request scope, are redacted.</summary>
public class LogRedactionTests
{
    private const string Nik = "3507014101900001";

    [Theory]
    [InlineData("GET /api/v1/participants/3507014101900001", "GET /api/v1/participants/[NIK]")]
    [InlineData("/api/v1/jht/3507014101900001/statement?year=2025", "/api/v1/jht/[NIK]/statement?year=2025")]
    [InlineData("/registri/peserta?nik=35070&page=2", "/registri/peserta?nik=[NIK]&page=2")]
    [InlineData("/klaim/baru?NIK=3507014101900001", "/klaim/baru?NIK=[NIK]")]
    [InlineData("bill 35070141019000012 and 2025-03", "bill 35070141019000012 and 2025-03")] // 17 digits: not a NIK
    [InlineData("/registri/peserta?unik=1", "/registri/peserta?unik=1")]
    public void Sixteen_digits_and_nik_parameters_are_masked(string text, string expected) =>
        Assert.Equal(expected, LogRedaction.Redact(text));

    [Fact]
    public async Task Request_logs_carry_no_nik()
    {
        var capture = new Capture();
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" },
            services => services.AddSingleton<ILoggerProvider>(capture));
        var client = app.CreateClient();

        using var api = await client.GetAsync(new Uri($"/api/v1/participants/{Nik}?nik={Nik}", UriKind.Relative));
        using var page = await client.GetAsync(new Uri("/registri/peserta?nik=350701", UriKind.Relative));

        var lines = capture.Lines.ToList();
        Assert.Contains(lines, l => l.Contains($"/api/v1/participants/{LogRedaction.Mask}?nik={LogRedaction.Mask}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Request starting", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Nik, StringComparison.Ordinal) || l.Contains("nik=350701", StringComparison.Ordinal));
    }

    /// <summary>Writes down each message, its structured values and its scopes, as a JSON log would.</summary>
    private sealed class Capture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(Capture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var parts = new List<string> { formatter(state, exception) };
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    parts.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
                }

                owner._scopes?.ForEachScope((scope, list) =>
                {
                    list.Add(scope?.ToString() ?? "");
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scoped)
                    {
                        list.AddRange(scoped.Select(v => $"{v.Key}={v.Value}"));
                    }
                }, parts);
                owner.Lines.Enqueue(string.Join(" | ", parts));
            }
        }
    }
}
