using System.CommandLine;
using Kawal.Data;

namespace Kawal.Cli;

internal static class DbCommands
{
    public static Command Build(CliIO io)
    {
        var db = new Command("db", "Database schema: migrate and status");
        db.Subcommands.Add(Migrate(io));
        db.Subcommands.Add(Status(io));
        return db;
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
