using Kawal.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary>
/// <c>serve</c> migrates on start: pending migrations and changed reference data are applied before serving. Then it checks
/// that its audit key is the one that writes the audit chain (recording it if none is yet): a node given another key file
/// does not start (<see cref="Kawal.Identity.AuditKeyCheck"/>, docs/operations.md).
/// </summary>
internal sealed class MigrateOnStart(Database db, IReadOnlyList<DataModule> modules, TimeProvider time, ILogger<MigrateOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await new MigrationRunner(db, modules, time).MigrateAsync(cancellationToken);
        log.LogInformation("Database {Database}: {Applied} migration(s) applied, reference data loaded: {Loaded}",
            db.Spec.Display, report.Applied.Count, report.ReferenceDataLoaded.Count == 0 ? "none (current)" : string.Join(", ", report.ReferenceDataLoaded));
        if (db.AuditKeyLoader is not null)
        {
            await Kawal.Identity.AuditKeyCheck.EnsureAsync(db, time, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
