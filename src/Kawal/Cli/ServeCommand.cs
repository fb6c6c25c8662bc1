using System.CommandLine;
using Kawal.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kawal.Cli;

internal static class ServeCommand
{
    public static Command Build(CliIO io)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';'",
            DefaultValueFactory = _ => "http://localhost:5000",
        };
        var demo = new Option<bool>("--demo") { Description = "Create the demo accounts (one per role, documented password) and, on first start, the standard demo dataset (kawal demo seed); for trying Kawal only" };
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending migrations on start (the default on SQLite; on PostgreSQL run `kawal db migrate` as the schema's owner instead)" };
        var read = new Option<string?>("--read-database") { Description = "A PostgreSQL standby to read dashboards, reports, statistics and searches from (KAWAL_READ_DATABASE, Kawal:ReadDatabase)" };
        var command = new Command("serve", "Run the web application and API (a current schema is not touched; pending migrations: see --migrate)") { urls, demo, migrate, read };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            // A malformed --database fails here, before anything starts; the host reads the same sources in the same order.
            var spec = CliOptions.ResolveDatabase(parse, create: parse.GetValue(demo));
            var settings = new Dictionary<string, string?> { ["urls"] = parse.GetValue(urls) };
            if (parse.GetValue(CliOptions.Database) is { } option && !string.IsNullOrWhiteSpace(option))
            {
                settings[Settings.DatabaseKey] = option; // the option outranks every other source
            }

            if (parse.GetValue(demo) || parse.GetValue(CliOptions.CreateDatabase))
            {
                settings[Settings.CreateDatabaseKey] = "true";
            }

            if (parse.GetValue(read) is { } standby && !string.IsNullOrWhiteSpace(standby))
            {
                settings[Settings.ReadDatabaseKey] = standby;
            }

            if (parse.GetValue(demo) || parse.GetValue(migrate))
            {
                settings[Settings.MigrateOnStartKey] = "true";
            }

            if (parse.GetValue(demo))
            {
                await using var sp = CommandRunner.Services(spec);
                await CommandRunner.EnsureSchemaAsync(sp, ct);
                await PrepareDemoAsync(sp, io.Err, ct);
            }

            using var host = KawalWeb.CreateHostBuilder(settings).Build();
            try
            {
                await host.StartAsync(ct);
            }
            catch (Exception e) when (e is not KawalException && Unwrap(e) is KawalException inner)
            {
                throw inner;
            }
            catch (IOException e)
            {
                throw new KawalException($"cannot listen on {parse.GetValue(urls)}: {e.Message}", e);
            }

            await io.Err.WriteLineAsync($"Kawal siap / ready: {parse.GetValue(urls)} (database {spec.Display})");
            await host.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static readonly Kawal.Data.LeaseRequest DemoSeedLease = new("demo-seed", "all", "serve --demo", "persiapan demo", "the demo preparation");

    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e.InnerException is { } i && e is not KawalException ? Unwrap(i) : e;

    /// <summary>
    /// What <c>serve --demo</c> does before serving (the page crawl test does the same): the demo accounts, and on a first
    /// start the standard demo — 10,000 participants since 2021, billed from January of last year (docs/demo.md).
    /// </summary>
    internal static async Task PrepareDemoAsync(IServiceProvider sp, TextWriter log, CancellationToken ct)
    {
        // Two nodes started with --demo on one database: the second waits for the first's seed, then finds it done.
        var leases = new Kawal.Data.Leases(sp.GetRequiredService<Kawal.Data.Database>(), sp.GetRequiredService<TimeProvider>());
        await using var lease = await leases.AcquireAsync(DemoSeedLease, wait: true,
            held => log.WriteLine($"demo: waiting for {held.Host} (process {held.Pid}), which is preparing the demo"), ct);
        var created = await DemoAccounts.EnsureAsync(sp, ct);
        await log.WriteLineAsync($"demo: {created} demo accounts created; sign in as demo.admin, demo.kabupaten… with password {Kawal.Identity.DemoUsers.Password}");
        if (!await Kawal.Demo.DemoSeeder.SeededAsync(sp.GetRequiredService<Kawal.Data.Database>(), ct))
        {
            var last = Period.Of(sp.GetRequiredService<TimeProvider>().Today()).Previous;
            var options = new Kawal.Demo.DemoOptions(Kawal.Demo.DemoOptions.DefaultParticipants, Kawal.Demo.DemoOptions.DefaultSeed, new Period(2021, 1), last,
                BillFrom: new Period(last.Year - 1, 1));
            await sp.GetRequiredService<Kawal.Demo.DemoSeeder>().SeedAsync(options, log, ct);
        }
    }
}
