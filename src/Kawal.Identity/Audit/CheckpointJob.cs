using Kawal.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Identity;

/// <summary>
/// A background job of <c>kawal serve</c> (run by its job runner, on one node): every minute, appends a checkpoint of the
/// audit chain when it grew by <see cref="AuditCheckpoints.EveryEntries"/> entries or more, or grew at all and the last
/// checkpoint is five minutes old; a minute with nothing to do is not recorded. A head found behind the last checkpoint
/// (entries removed) fails the run, for the operator.
/// </summary>
public sealed class CheckpointJob(IServiceProvider services) : IJob
{
    public static readonly TimeSpan Age = TimeSpan.FromMinutes(5);

    public string Name => "audit-checkpoint";

    public TimeSpan? Every => services.GetService<AuditCheckpoints>() is null ? null : TimeSpan.FromMinutes(1);

    public TimeSpan FirstAfter => TimeSpan.FromSeconds(10);

    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        if (await services.GetRequiredService<AuditCheckpoints>().WriteIfDueAsync(Age, ct) is { } written)
        {
            await run.ProgressAsync(1, $"titik periksa pada entri ke-{written.Seq}", ct); // shown as is on the Indonesian jobs page
        }
        else
        {
            run.Idle();
        }
    }
}
