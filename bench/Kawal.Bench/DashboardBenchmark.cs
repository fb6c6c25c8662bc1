using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Regions;
using Kawal.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kawal.Bench;

/// <summary>
/// The national monev dashboard at scale: N participants with memberships spread over every regency/city valid today
/// (segments, categories, payers, sexes, birth years and start months varied) written by plain bulk insert, the summary
/// tables refreshed for the 12 months to October 2026, then <c>kawal serve</c>'s web host on a local port and
/// 8 concurrent clients (a national monitor's API key) requesting <c>/monev?periode=2026-10</c>; baseline: <c>/health</c>
/// with the same clients in the same run. Prints the latency percentiles.
/// Usage: <c>Kawal.Bench dashboard N sqlite|postgres [requests-per-client] [--generator]</c>; with <c>--generator</c> the
/// population is the demo generator's (<c>kawal demo seed</c>) instead of the plain bulk insert.
/// </summary>
public static class DashboardBenchmark
{
    private const int Clients = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var engine = args.Length > 1 && args[1] == "postgres" ? Engine.Postgres : Engine.Sqlite;
        var perClient = args.Length > 2 && args[2] != "--generator" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        var generator = args.Contains("--generator");
        var folder = Directory.CreateTempSubdirectory("kawal-dashboard-bench-").FullName;
        await Out($"{rows:N0} participants, {engine}, {Environment.ProcessorCount} cores, {Clients} clients × {perClient} requests");
        var (db, cleanup) = await ImportBenchmark.FreshAsync(engine, folder, "dashboard");
        await using (db)
        {
            var watch = Stopwatch.StartNew();
            if (generator)
            {
                // The demo generator (kawal demo seed): registrations through the imports, commitments, one month billed
                // and paid, the 12 months of the trend summarised.
                var summary = await GeneratorAsync(db, rows, new Period(2026, 10));
                await Out($"demo generator: {summary.Participants:N0} participants, {summary.Employers:N0} employers, {summary.Commitments:N0} commitments in {summary.Seconds:0.0} s");
            }
            else
            {
                var regencies = await SeedAsync(db, rows);
                await Out($"seeded {rows:N0} participants in {regencies} regencies/cities in {watch.Elapsed.TotalSeconds:0.0} s");

                watch.Restart();
                var refresh = await new SummaryRefresher(db, TimeProvider.System).RefreshAsync(new Period(2025, 11), new Period(2026, 10), Caller.Operator("bench"));
                await Out($"summary refresh of 12 months: {refresh.MemberRows:N0} membership rows in {watch.Elapsed.TotalSeconds:0.0} s");
            }

            var port = StartupBenchmark.FreePort();
            var settings = new Dictionary<string, string?>
            {
                [Settings.DatabaseKey] = engine == Engine.Sqlite ? "sqlite:" + db.Spec.SqlitePath : db.Spec.ConnectionString,
                ["urls"] = $"http://127.0.0.1:{port}",
                ["Kawal:KeysPath"] = Path.Combine(folder, "keys"),
                [RefreshJob.MinutesKey] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
                // The benchmark measures rendering, not the per-key request limit (default 1,200 a minute).
                ["Kawal:RateLimits:ApiKey"] = "1000000",
            };
            using var host = KawalWeb.CreateHostBuilder(settings).Build();
            await host.StartAsync();
            string secret;
            using (var scope = host.Services.CreateScope())
            {
                secret = (await scope.ServiceProvider.GetRequiredService<ApiKeyStore>()
                    .CreateAsync(new NewApiKey("bench", Role.NationalMonitor, null, null, null), Caller.Operator("bench"))).Secret;
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            watch.Restart();
            var first = await http.GetAsync(new Uri("/monev?periode=2026-10", UriKind.Relative));
            first.EnsureSuccessStatusCode();
            var html = await first.Content.ReadAsStringAsync();
            await Out($"first (cold) render of the national dashboard: {watch.Elapsed.TotalMilliseconds:0} ms, {html.Length / 1024} KiB of HTML");
            if (!html.Contains("data-testid=\"crumbs\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the dashboard did not render");
            }

            var health = await LoadAsync(http, "/health", perClient);
            await Out(health.Line("/health (baseline)"));
            var national = await LoadAsync(http, "/monev?periode=2026-10", perClient);
            await Out(national.Line("/monev?periode=2026-10 (national)"));
            var province = await LoadAsync(http, "/monev/wilayah/63?periode=2026-10", perClient);
            await Out(province.Line("/monev/wilayah/63?periode=2026-10 (province)"));
            await Out(string.Create(CultureInfo.InvariantCulture, $"ratio national p95 / health p95: {national.P95 / health.P95:0.0}; peak RSS {ImportBenchmark.PeakMiB()} MiB"));
            await host.StopAsync();
        }

        await cleanup();
        Directory.Delete(folder, true);
        return 0;
    }

    private sealed record Latencies(double P50, double P95, double P99, double Max, double PerSecond, int Count)
    {
        public string Line(string what) => string.Create(CultureInfo.InvariantCulture,
            $"{what}: {Count} requests, p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms, {PerSecond:0} requests/s");
    }

    private static async Task<Latencies> LoadAsync(HttpClient http, string path, int perClient)
    {
        var uri = new Uri(path, UriKind.Relative);
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync(uri)).EnsureSuccessStatusCode();
        }

        var all = new List<double>[Clients];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var mine = all[c] = new List<double>(perClient);
            for (var i = 0; i < perClient; i++)
            {
                var t = Stopwatch.StartNew();
                using var response = await http.GetAsync(uri);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
                }

                mine.Add(t.Elapsed.TotalMilliseconds);
            }
        }));
        var seconds = wall.Elapsed.TotalSeconds;
        var sorted = all.SelectMany(x => x).Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return new Latencies(At(0.50), At(0.95), At(0.99), sorted[^1], sorted.Count / seconds, sorted.Count);
    }

    /// <summary>Participants spread over every regency/city valid on 1 October 2026, one employer per regency.</summary>
    private static async Task<int> SeedAsync(Database db, int rows)
    {
        var regions = (await new RegionLookup(db).LoadAsync()).ValidOn(new DateOnly(2026, 10, 1)).Where(r => r.Level == Region.Regency).Select(r => r.Code).Order(StringComparer.Ordinal).ToArray();
        await using var c = await db.OpenAsync();
        var now = DateTimeOffset.UnixEpoch;
        var employers = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var tx = await c.BeginTransactionAsync())
        {
            for (var k = 0; k < regions.Length; k++)
            {
                employers[regions[k]] = await c.ExecuteScalarAsync<long>(
                    "INSERT INTO employers (npp, name, kind, region_code, risk_class, size, status, created_at, updated_at) VALUES (@npp, @name, 'regional_gov', @code, 1, 'large', 'active', @now, @now) RETURNING id",
                    new { npp = (10_000_000 + k).ToString(CultureInfo.InvariantCulture), name = $"Pemda {regions[k]}", code = regions[k], now }, tx);
            }

            await tx.CommitAsync();
        }

        const int batchSize = 5_000;
        for (var start = 0; start < rows; start += batchSize)
        {
            await using var tx = await c.BeginTransactionAsync();
            var n = Math.Min(batchSize, rows - start);
            var ids = await db.Dialect.AllocateIdsAsync(c, tx, "participants", n, default);
            var people = new List<object?[]>(n);
            var memberships = new List<object?[]>(n);
            var mids = await db.Dialect.AllocateIdsAsync(c, tx, "memberships", n, default);
            for (var k = 0; k < n; k++)
            {
                var i = start + k;
                var region = regions[i % regions.Length];
                var inRegion = i / regions.Length;
                var female = i % 2 == 1;
                var birth = new DateOnly(1961 + (i % 44), 1 + (i % 12), 1 + (i % 28));
                var nik = string.Create(CultureInfo.InvariantCulture,
                    $"{region.Replace(".", "", StringComparison.Ordinal)}{1 + (inRegion / 9999 % 99):D2}{birth.Day + (female ? 40 : 0):D2}{birth.Month:D2}{birth.Year % 100:D2}{1 + (inRegion % 9999):D4}");
                people.Add([ids[k], nik, Kawal.Registry.Domain.Kpj.For(ids[k]), $"Peserta {i}", female ? "F" : "M", birth, region, now, now]);
                var start0 = new DateOnly(2021, 1, 1).AddMonths(i % 70);
                var ended = i % 17 == 0 && start0 < new DateOnly(2025, 10, 1) ? start0.AddMonths(12) : (DateOnly?)null;
                var status = ended is null ? "active" : "ended";
                memberships.Add((i % 100) switch
                {
                    < 50 => [mids[k], ids[k], employers[region], "PU", "regular", "employer", null, "JKK,JKM,JHT,JP", 3_500_000L, start0, ended, status, region, now, now],
                    < 58 => [mids[k], ids[k], employers[region], "PU", "non_asn", "employer", null, "JKK,JKM,JHT", 2_500_000L, start0, ended, status, region, now, now],
                    < 60 => [mids[k], ids[k], employers[region], "PU", "village_apparatus", "employer", null, "JKK,JKM", 2_000_000L, start0, ended, status, region, now, now],
                    < 75 => [mids[k], ids[k], null, "BPU", "vulnerable", "apbd", region, "JKK,JKM", 1_000_000L, start0, ended, status, region, now, now],
                    < 90 => [mids[k], ids[k], null, "BPU", "regular", "self", null, "JKK,JKM", 2_000_000L, start0, ended, status, region, now, now],
                    < 97 => [mids[k], ids[k], employers[region], "JAKON", "regular", "employer", null, "JKK,JKM", 3_000_000L, start0, ended, status, region, now, now],
                    _ => [mids[k], ids[k], null, "PMI", "regular", "self", null, "JKK,JKM", 0L, start0, ended, status, region, now, now],
                });
            }

            await MultiRow.InsertAsync(c, tx, "participants", ["id", "nik", "kpj", "name", "sex", "birth_date", "domicile_region_code", "created_at", "updated_at"], people, default);
            await MultiRow.InsertAsync(c, tx, "memberships", ["id", "participant_id", "employer_id", "segment", "category", "payer_kind", "payer_ref", "programmes", "wage", "valid_from", "valid_to",
                "status", "region_code", "created_at", "updated_at"], memberships, default);
            await tx.CommitAsync();
        }

        return regions.Length;
    }

    /// <summary>The demo generator's population (<c>kawal demo seed</c>) of Nov 2025–Oct 2026, billed from <paramref name="billFrom"/> (after October: not billed).</summary>
    internal static async Task<Kawal.Demo.DemoSummary> GeneratorAsync(Database db, int participants, Period billFrom)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton(db);
        services.AddSingleton(Modules.Data);
        services.AddLogging();
        services.AddKawalModules();
        await using var sp = services.BuildServiceProvider();
        return await sp.GetRequiredService<Kawal.Demo.DemoSeeder>().SeedAsync(
            new Kawal.Demo.DemoOptions(participants, 2021, new Period(2025, 11), new Period(2026, 10), BillFrom: billFrom), Console.Error);
    }

    private static Task Out(string line) => Console.Out.WriteLineAsync(line);
}
