using System.CommandLine;
using Kawal.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

internal static class DbCommands
{
    public static Command Build(CliIO io)
    {
        var db = new Command("db", "Database schema: migrate and status");
        db.Subcommands.Add(Migrate(io));
        db.Subcommands.Add(Status(io));
        db.Subcommands.Add(LeasesCommand(io));
        return db;
    }

    /// <summary><c>kawal db leases</c>: the batch runs holding their scope now, on any node (docs/operations.md, "Exclusive runs").</summary>
    private static Command LeasesCommand(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("leases", "Batch runs holding an exclusive lease now (billing, pensions, refresh, detection, imports), on any node") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var time = sp.GetRequiredService<TimeProvider>();
            var leases = await new Leases(sp.GetRequiredService<Database>(), time).ListAsync(ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, leases.Select(l => new { l.Kind, l.Scope, l.Description, l.Actor, l.Host, l.Pid, l.Acquired, l.Expires, Lapsed = l.Expires < time.GetUtcNow() }));
                return ExitCodes.Ok;
            }

            if (leases.Count == 0)
            {
                await io.Out.WriteLineAsync("no run holds a lease");
            }

            foreach (var l in leases)
            {
                await io.Out.WriteLineAsync(FormattableString.Invariant(
                    $"{l.Kind} {l.Scope}: {l.Description}, {l.Actor} on {l.Host} (process {l.Pid}) since {l.Acquired.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(l.Expires < time.GetUtcNow() ? "lapsed" : "held")} until {l.Expires.UtcDateTime:HH:mm:ss} UTC"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Migrate(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("migrate", "Apply pending migrations and load changed reference data (safe to run any number of times)") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var spec = CliOptions.ResolveDatabase(parse, create: true); // migrating builds the database: it may create the file
            await using var sp = CommandRunner.Services(spec);
            var report = await CommandRunner.EnsureSchemaAsync(sp, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, new { database = spec.Display, applied = report.Applied, referenceDataLoaded = report.ReferenceDataLoaded });
            }
            else
            {
                await io.Out.WriteLineAsync(report.Applied.Count == 0
                    ? $"{spec.Display}: schema is up to date"
                    : $"{spec.Display}: applied {report.Applied.Count} migration(s): {string.Join(", ", report.Applied)}");
                if (report.ReferenceDataLoaded.Count > 0)
                {
                    await io.Out.WriteLineAsync($"reference data loaded: {string.Join(", ", report.ReferenceDataLoaded)}");
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("status", "Show applied and pending migrations and the reference data loaded (changes nothing); exit 1 unless all are current") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var spec = CliOptions.ResolveDatabase(parse);
            await using var database = new Database(spec);
            var status = await SchemaStatus.ReadAsync(database, Modules.Data, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, new { database = status.Database, engineVersion = status.EngineVersion, pending = status.Pending, healthy = status.Healthy, migrations = status.Migrations, referenceData = status.ReferenceData });
                return await NotCurrentAsync(io, status);
            }

            await io.Out.WriteLineAsync($"database: {status.Database} ({database.Engine.ToString().ToLowerInvariant()} {status.EngineVersion})");
            foreach (var m in status.Migrations)
            {
                var at = m.AppliedAt is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "";
                await io.Out.WriteLineAsync($"  {m.Module,-12} {m.Version:D4}_{m.Name,-28} {m.State.ToString().ToLowerInvariant(),-8} {at}");
            }

            foreach (var r in status.ReferenceData)
            {
                await io.Out.WriteLineAsync($"  reference {r.Name,-14} {r.Rows} rows {(r.Current ? "current" : "outdated: run kawal db migrate")}");
            }

            await io.Out.WriteLineAsync(status.Pending == 0 ? "no pending migrations" : $"{status.Pending} pending migration(s): run kawal db migrate");
            return await NotCurrentAsync(io, status);
        }));
        return command;
    }

    /// <summary>
    /// <c>db status</c> fails (exit 1) unless the schema is current, naming on standard error each migration edited after it
    /// was applied, applied but unknown to this build, or pending, and reference data this build ships changed.
    /// </summary>
    private static async Task<int> NotCurrentAsync(CliIO io, SchemaStatus status)
    {
        if (status.Healthy)
        {
            return ExitCodes.Ok;
        }

        foreach (var state in new[] { MigrationState.Edited, MigrationState.Unknown, MigrationState.Pending })
        {
            var names = status.Migrations.Where(m => m.State == state).Select(m => $"{m.Module}/{m.Version:D4}_{m.Name}").ToList();
            if (names.Count > 0)
            {
                await io.Err.WriteLineAsync($"kawal: {names.Count} {state.ToString().ToLowerInvariant()} migration(s): {string.Join(", ", names)}");
            }
        }

        var outdated = status.ReferenceData.Where(r => !r.Current).Select(r => r.Name).ToList();
        if (outdated.Count > 0)
        {
            await io.Err.WriteLineAsync($"kawal: reference data outdated: {string.Join(", ", outdated)}");
        }

        return ExitCodes.Failure;
    }
}
