using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Monev.Features;

/// <summary>
/// Inside <c>kawal serve</c>, on every node (each keeps its own cache): protects the last
/// <c>Kawal:Disclosure:WarmMonths</c> months' figures (default 14: a dashboard's month, its trend and the scorecard's
/// year-ago months) shortly after start and again whenever the data behind them changes (checked every minute), so
/// that the first reader of the public figures does not wait for the disclosure control (about a second a month).
/// </summary>
public sealed partial class PublishedWarmup(IServiceScopeFactory scopes, IConfiguration configuration, DisclosureRule rule, TimeProvider time, ILogger<PublishedWarmup> log) : BackgroundService
{
    public const string MonthsKey = "Kawal:Disclosure:WarmMonths";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var months = configuration.GetValue<int?>(MonthsKey) ?? 14;
        if (months <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var snapshots = scope.ServiceProvider.GetRequiredService<SnapshotCache>();
                    var last = await scope.ServiceProvider.GetRequiredService<SummaryRefresher>().DefaultPeriodAsync(stoppingToken);
                    for (var p = last.AddMonths(1 - months); p <= last; p = p.Next)
                    {
                        var inputs = await snapshots.InputsAsync(p, stoppingToken);
                        await Task.Run(() => inputs.Protected(rule), stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(log, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "warming the published figures failed; the next reader computes them")]
    private static partial void Failed(ILogger logger, Exception e);
}
