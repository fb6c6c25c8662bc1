using System.Diagnostics;
using Dapper;
using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;
using Kawal.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Kawal.Web.Tests;

/// <summary>Running several nodes: <c>serve --demo</c> on two of them, and JSON log lines with trace ids.</summary>
public class OperationsTests
{
    [EngineTheory]
    public async Task Serve_demo_on_a_second_node_waits_for_the_first_nodes_seed_and_then_skips_it(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var db = app.Services.GetRequiredService<Database>();
        var log = new StringWriter();
        Task preparing;
        await using (await new Leases(db, TimeProvider.System).AcquireAsync(ServeCommand.DemoSeedLease with { Actor = "first node" }))
        {
            var scope = app.Services.CreateAsyncScope();
            preparing = Task.Run(async () =>
            {
                await using (scope)
                {
                    await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, log, CancellationToken.None);
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(preparing.IsCompleted);

            // The first node's seed, finished while the second waited.
            await using var c = await db.OpenAsync();
            await c.ExecuteAsync("INSERT INTO demo_runs (seed, participants, from_period, to_period, started_by, started_at, finished_at) VALUES (1, 0, '2021-01', '2021-02', 'first node', @now, @now)",
                new { now = TimeProvider.System.GetUtcNow() });
        }

        await preparing.WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = await db.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM demo_runs"));
        Assert.Contains("waiting for", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_logs_write_one_object_a_line_with_the_trace_and_span_ids()
    {
        using var capture = new ScopeCapture();
        using var host = KawalWeb.CreateHostBuilder(new Dictionary<string, string?> { [Telemetry.JsonLogsKey] = "true" })
            .ConfigureLogging(l => l.AddProvider(capture))
            .Build();
        var console = host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var formatter = host.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("test"); // hands the factory's scopes to the capture

        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var line = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Information, "Kawal.Test", new EventId(1), "hello", null, (s, _) => s), capture.Scopes, line);

        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        var json = System.Text.Json.JsonDocument.Parse(line.ToString()).RootElement;
        Assert.Equal("hello", json.GetProperty("Message").GetString());
        var scopes = json.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && t.GetString() == activity.TraceId.ToString());
        Assert.Contains(scopes, s => s.TryGetProperty("SpanId", out var t) && t.GetString() == activity.SpanId.ToString());
        Assert.EndsWith("Z", json.GetProperty("Timestamp").GetString()!.Trim(), StringComparison.Ordinal);
    }

    /// <summary>A provider that keeps the logger factory's scope provider (which adds the activity's ids) for the formatter.</summary>
    private sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope
    {
        public IExternalScopeProvider? Scopes { get; private set; }

        public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => Scopes = scopeProvider;

        public void Dispose()
        {
        }
    }
}
