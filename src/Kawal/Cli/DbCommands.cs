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
            var spec = CliOptions.ResolveDatabase(parse);
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
        var command = new Command("status", "Show applied and pending migrations and the reference data loaded (changes nothing)") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var spec = CliOptions.ResolveDatabase(parse);
            await using var database = new Database(spec);
            var status = await SchemaStatus.ReadAsync(database, Modules.Data, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, new { database = status.Database, engineVersion = status.EngineVersion, pending = status.Pending, healthy = status.Healthy, migrations = status.Migrations, referenceData = status.ReferenceData });
                return ExitCodes.Ok;
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
            return ExitCodes.Ok;
        }));
        return command;
    }
}
