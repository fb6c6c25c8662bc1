using Kawal.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary>
/// Before serving: a current schema is left alone (no DDL, so a node may connect as a role that only reads and writes
/// rows); pending migrations are applied when <see cref="Settings.MigrateOnStart"/> allows it, else the node refuses to
/// start and says to run <c>kawal db migrate</c>. Edited or unknown migrations always refuse. Then it checks that its
/// audit key is the one that writes the audit chain (recording it if none is yet): a node given another key file does
/// not start (<see cref="Kawal.Identity.AuditKeyCheck"/>, docs/operations.md).
/// </summary>
internal sealed class MigrateOnStart(Database db, IReadOnlyList<DataModule> modules, IConfiguration configuration, TimeProvider time, ILogger<MigrateOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateIfAllowedAsync(cancellationToken);
        if (db.AuditKeyLoader is not null)
        {
            await Kawal.Identity.AuditKeyCheck.EnsureAsync(db, time, cancellationToken);
        }
    }

    private async Task MigrateIfAllowedAsync(CancellationToken cancellationToken)
    {
        var status = await SchemaStatus.ReadAsync(db, modules, cancellationToken);
        if (status.Healthy)
        {
            log.LogInformation("Database {Database}: schema and reference data current, nothing to migrate", db.Spec.Display);
            return;
        }

        var wrong = status.Migrations.Where(m => m.State is MigrationState.Edited or MigrationState.Unknown).ToList();
        if (wrong.Count == 0 && !Settings.MigrateOnStart(configuration, db.Spec))
        {
            var pending = status.Migrations.Where(m => m.State == MigrationState.Pending).Select(m => $"{m.Module} {m.Version:000} {m.Name}").ToList();
            throw new KawalException(
                $"the database {db.Spec.Display} is not current ({pending.Count} migration(s) pending{(pending.Count > 0 ? ": " + string.Join(", ", pending.Take(5)) : "")}, "
                + $"or reference data changed): run `kawal db migrate` as the schema's owner first, or start with --migrate ({Settings.MigrateOnStartKey}=true)")
            {
                Indonesian = $"Basis data {db.Spec.Display} belum mutakhir ({pending.Count} migrasi tertunda atau data rujukan berubah): jalankan `kawal db migrate` sebagai pemilik skema, atau mulai dengan --migrate.",
            };
        }

        var report = await new MigrationRunner(db, modules, time).MigrateAsync(cancellationToken);
        log.LogInformation("Database {Database}: {Applied} migration(s) applied, reference data loaded: {Loaded}",
            db.Spec.Display, report.Applied.Count, report.ReferenceDataLoaded.Count == 0 ? "none (current)" : string.Join(", ", report.ReferenceDataLoaded));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
