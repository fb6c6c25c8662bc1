using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kawal.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

internal static class CliOptions
{
    public static readonly Option<string?> Database = new("--database")
    {
        Description = "sqlite:PATH, a PostgreSQL connection string (Host=…;Database=…;Username=…) or postgres://user:pass@host:port/db. " +
                      "Default: $KAWAL_DATABASE, else configuration Kawal:Database (Kawal__Database, appsettings.json), else sqlite:./kawal-data/kawal.db",
        Recursive = true,
    };

    public static readonly Option<bool> CreateDatabase = new("--create-database")
    {
        Description = "Create the SQLite database file if it does not exist (without it, only db migrate, serve --demo and the default ./kawal-data/kawal.db create it)",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON" };

    /// <summary>For a batch that holds a lease (billing, pensions, refresh, detection, imports): wait for a run in progress.</summary>
    public static Option<bool> Wait() => new("--wait") { Description = "If the same run is in progress (on any node), wait for it to finish instead of refusing" };

    /// <summary>Tells the person at the terminal once that the run waits, and for whom.</summary>
    public static Action<LeaseHolding> Waiting(CliIO io) => held => io.Err.WriteLine(
        $"kawal: waiting: {held.Description} is running (started by {held.Actor} on {held.Host}, process {held.Pid}, at {held.Acquired.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)");

    public static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The database of a command (Settings gives the precedence); <paramref name="create"/> for a command that creates a missing one.</summary>
    public static DatabaseSpec ResolveDatabase(ParseResult parse, bool create = false) =>
        Settings.ResolveDatabase(Settings.Configuration(parse.GetValue(Database)), create || parse.GetValue(CreateDatabase));
}

/// <summary>Runs a command body with Kawal's error contract and the same services the web app uses.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliIO io, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            await io.Err.WriteLineAsync($"kawal: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (KawalException e)
        {
            await io.Err.WriteLineAsync($"kawal: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await io.Err.WriteLineAsync("kawal: cancelled");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: one clear line instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await io.Err.WriteLineAsync(Environment.GetEnvironmentVariable("KAWAL_DEBUG") == "1"
                ? $"kawal: unexpected error: {e}"
                : $"kawal: unexpected error: {e.GetType().Name}: {e.Message} (set KAWAL_DEBUG=1 for details)");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// A verb on one record by id (<c>kawal claims approve 12</c>, <c>kawal compliance warn 7</c>): the id, <c>--json</c>,
    /// <c>--as</c> and the verb's options; an id outside the database is a usage error naming it.
    /// </summary>
    public static Command IdVerb<T>(CliIO io, string name, string description, Argument<long> id, Option<string?> actAs,
        Func<ParseResult, IServiceProvider, CancellationToken, Task<T>> act, Func<CliIO, T, bool, Task> print, params Option[] options)
    {
        var json = CliOptions.Json();
        var cmd = new Command(name, description) { id, json, actAs };
        foreach (var o in options)
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction((parse, ct) => RunAsync(io, async () =>
        {
            await using var sp = Services(CliOptions.ResolveDatabase(parse));
            await EnsureSchemaAsync(sp, ct);
            T result;
            try
            {
                result = await act(parse, sp, ct);
            }
            catch (NotFoundException x)
            {
                throw new UsageException(x.Message, "id");
            }

            await print(io, result, parse.GetValue(json));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    /// <summary>The services of the modules, for the given database (no web host).</summary>
    public static ServiceProvider Services(DatabaseSpec spec)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        // Settings such as Kawal:Monev:Weights come from the environment (Kawal__Monev__Weights__Budget=30) or appsettings.json, as for serve.
        var configuration = Settings.Configuration();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration);
        // The audit key and checkpoint file as serve finds them: Kawal__KeysPath, else keys/ in the data folder.
        var keys = configuration["Kawal:KeysPath"] is { Length: > 0 } k ? k : Path.Combine(Settings.DataFolder(spec), "keys");
        var database = new Database(spec) { AuditKeyLoader = () => Kawal.Identity.AuditKey.LoadOrCreate(Path.Combine(keys, Kawal.Identity.AuditKey.FileName)) };
        services.AddSingleton(database);
        services.AddSingleton(sp => new Kawal.Identity.AuditCheckpoints(database, Settings.AuditCheckpointsPath(configuration, spec), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(Modules.Data);
        services.AddLogging();
        services.AddKawalModules();
        return services.BuildServiceProvider();
    }

    /// <summary>Brings the schema and reference data up to date (a no-op when current), as serve does on start.</summary>
    public static Task<MigrationReport> EnsureSchemaAsync(IServiceProvider sp, CancellationToken ct) =>
        new MigrationRunner(sp.GetRequiredService<Database>(), Modules.Data, sp.GetRequiredService<TimeProvider>()).MigrateAsync(ct);

    public static Task WriteJsonAsync<T>(CliIO io, T value) =>
        io.Out.WriteLineAsync(JsonSerializer.Serialize(value, CliOptions.JsonOutput));
}
