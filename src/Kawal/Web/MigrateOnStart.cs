using Kawal.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary><c>serve</c> migrates on start: pending migrations and changed reference data are applied before serving.</summary>
internal sealed class MigrateOnStart(Database db, IReadOnlyList<DataModule> modules, TimeProvider time, ILogger<MigrateOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await new MigrationRunner(db, modules, time).MigrateAsync(cancellationToken);
        log.LogInformation("Database {Database}: {Applied} migration(s) applied, reference data loaded: {Loaded}",
            db.Spec.Display, report.Applied.Count, report.ReferenceDataLoaded.Count == 0 ? "none (current)" : string.Join(", ", report.ReferenceDataLoaded));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
