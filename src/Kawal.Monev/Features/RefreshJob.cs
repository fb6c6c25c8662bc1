using Kawal.Data;
using Kawal.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Monev.Features;

/// <summary>
/// A background job of <c>kawal serve</c> (run by its job runner, on one node): keeps the dashboards' summary tables
/// current without a cron line — shortly after the runner starts and then every <c>Kawal:Monev:RefreshMinutes</c>
/// (default 15; 0 turns it off) it computes the months never computed and the current month, as
/// <c>kawal monev refresh --missing</c> does, reporting each month as progress. A failed run is recorded and retried at the
/// next tick; the pages show when each month was last computed.
/// </summary>
public sealed class RefreshJob(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time) : IJob
{
    public const string MinutesKey = "Kawal:Monev:RefreshMinutes";

    internal static readonly Caller Job = new("job:monev-refresh", Role.Admin, RegionScope.National, Permissions.Of(Role.Admin));

    public string Name => "monev-refresh";

    public TimeSpan? Every => (configuration.GetValue<double?>(MinutesKey) ?? 15) is var m && m > 0 ? TimeSpan.FromMinutes(m) : null;

    public TimeSpan FirstAfter => TimeSpan.FromSeconds(5);

    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var refresher = scope.ServiceProvider.GetRequiredService<SummaryRefresher>();
            var now = Period.Of(time.Today());
            var months = (await refresher.MissingAsync(ct)).Where(p => p != now).Append(now).ToList();
            long rows = 0;
            for (var i = 0; i < months.Count; i++)
            {
                var done = await refresher.RefreshAsync(months[i], months[i], Job, ct);
                rows += done.MemberRows + done.LedgerRows;
                await run.ProgressAsync(rows, $"{Kawal.Monev.Reports.MonevReports.Month(months[i])} ({i + 1} dari {months.Count} bulan)", ct); // shown as is on the Indonesian jobs page
            }
        }
        catch (LeaseHeldException e)
        {
            // another node's command (kawal monev refresh) is refreshing now
            run.Skip($"{e.Held?.Description ?? "the refresh"} is running on {e.Held?.Host ?? "?"} ({e.Held?.Actor ?? "?"})");
        }
    }
}
