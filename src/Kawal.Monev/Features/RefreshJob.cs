using Kawal.Data;
using Kawal.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Monev.Features;

/// <summary>
/// Inside <c>kawal serve</c>: keeps the dashboards' summary tables current without a cron line — shortly after start and
/// then every <c>Kawal:Monev:RefreshMinutes</c> (default 15; 0 turns it off) it computes the months never computed and
/// the current month, as <c>kawal monev refresh --missing</c> does. A failed run is logged and retried at the next tick;
/// the pages show when each month was last computed.
/// </summary>
public sealed partial class RefreshJob(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<RefreshJob> log) : BackgroundService
{
    public const string MinutesKey = "Kawal:Monev:RefreshMinutes";

    internal static readonly Caller Job = new("job:monev-refresh", Role.Admin, RegionScope.National, Permissions.Of(Role.Admin));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue<double?>(MinutesKey) ?? 15;
        if (minutes <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), time);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    internal async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var refresher = scope.ServiceProvider.GetRequiredService<SummaryRefresher>();
            foreach (var p in await refresher.MissingAsync(ct))
            {
                await refresher.RefreshAsync(p, p, Job, ct);
            }

            var now = Period.Of(time.Today());
            await refresher.RefreshAsync(now, now, Job, ct);
        }
        catch (LeaseHeldException e)
        {
            Skipped(log, e.Held?.Host ?? "?", e.Held?.Actor ?? "?"); // another node (or a command) is refreshing now
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(log, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "monev summary refresh skipped: {Holder} is refreshing now ({Actor})")]
    private static partial void Skipped(ILogger logger, string holder, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "monev summary refresh failed; retrying at the next tick")]
    private static partial void Failed(ILogger logger, Exception e);
}
