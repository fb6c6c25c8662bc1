using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Identity;

/// <summary>
/// Inside <c>kawal serve</c>: every minute, appends a checkpoint of the audit chain when it grew by
/// <see cref="AuditCheckpoints.EveryEntries"/> entries or more, or grew at all and the last checkpoint is five minutes
/// old. A head found behind the last checkpoint (entries removed) is logged as an error and left for the operator.
/// </summary>
public sealed partial class CheckpointJob(IServiceProvider services, TimeProvider time, ILogger<CheckpointJob> log) : BackgroundService
{
    public static readonly TimeSpan Age = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<AuditCheckpoints>() is not { } checkpoints)
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
                    await checkpoints.WriteIfDueAsync(Age, stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "audit checkpoint failed; retrying in a minute")]
    private static partial void Failed(ILogger logger, Exception e);
}
