using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Regions;
using Npgsql;

namespace Kawal.Bench;

/// <summary>
/// Participants import at scale: N generated rows (valid NIKs, PU memberships) through the real import handler, against
/// a plain bulk insert of the same participants and memberships (no validation, no look-ups) in the same run.
/// Usage: <c>Kawal.Bench import ROWS sqlite|postgres</c>; PostgreSQL needs <c>KAWAL_BENCH_POSTGRES</c>.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var engine = args.Length > 1 && args[1] == "postgres" ? Engine.Postgres : Engine.Sqlite;
        var folder = Directory.CreateTempSubdirectory("kawal-import-bench-").FullName;
        var file = Path.Combine(folder, "participants.csv");
        var employers = Path.Combine(folder, "employers.csv");
        Generate(file, employers, rows);
        await Out($"{rows:N0} rows, {engine}, {Environment.ProcessorCount} cores, file {new FileInfo(file).Length / 1_048_576} MiB");

        var (importDb, importCleanup) = await FreshAsync(engine, folder, "import");
        await using (importDb)
        {
            var time = TimeProvider.System;
            var lookup = new RegionLookup(importDb);
            await new ImportEmployersHandler(importDb, lookup, time).HandleAsync(new ImportRequest(employers, Kawal.Identity.Caller.Operator("bench"), folder));
            var watch = Stopwatch.StartNew();
            var summary = await new ImportParticipantsHandler(importDb, lookup, time).HandleAsync(new ImportRequest(file, Kawal.Identity.Caller.Operator("bench"), folder));
            var importSeconds = watch.Elapsed.TotalSeconds;
            await Out($"import: {summary.Created:N0} created, {summary.Rejected} rejected in {importSeconds:0.0} s = {rows / importSeconds:N0} rows/s; peak RSS {PeakMiB()} MiB");

            var (bulkDb, bulkCleanup) = await FreshAsync(engine, folder, "bulk");
            await using (bulkDb)
            {
                var bulkSeconds = await PlainBulkInsertAsync(bulkDb, rows);
                await Out($"plain bulk insert of the same participants and memberships: {bulkSeconds:0.0} s = {rows / bulkSeconds:N0} rows/s");
                await Out($"ratio import / plain bulk insert: {importSeconds / bulkSeconds:0.00}");
            }

            await bulkCleanup();
        }

        await importCleanup();
        Directory.Delete(folder, true);
        return 0;
    }

    private static Task Out(string line) => Console.Out.WriteLineAsync(line);

    internal static long PeakMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) ?? "VmHWM: 0 kB";
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    internal static async Task<(Database Db, Func<Task> Cleanup)> FreshAsync(Engine engine, string folder, string name)
    {
        Database db;
        Func<Task> cleanup = () => Task.CompletedTask;
        if (engine == Engine.Sqlite)
        {
            db = new Database(DatabaseSpec.Sqlite(Path.Combine(folder, name + ".db")));
        }
        else
        {
            var admin = Environment.GetEnvironmentVariable("KAWAL_BENCH_POSTGRES") ?? throw new InvalidOperationException("set KAWAL_BENCH_POSTGRES");
            var schema = $"bench_{name}_{Guid.NewGuid():N}"[..30];
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await c.ExecuteAsync($"CREATE SCHEMA {schema}");
            }

            db = new Database(DatabaseSpec.Parse(new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString, folder));
            cleanup = async () =>
            {
                await using var c = new NpgsqlConnection(admin);
                await c.OpenAsync();
                await c.ExecuteAsync($"DROP SCHEMA {schema} CASCADE");
            };
        }

        await new MigrationRunner(db, Modules.Data, TimeProvider.System).MigrateAsync();
        return (db, cleanup);
    }

    /// <summary>The same rows written with the same bulk mechanism (ids allocated, COPY / prepared statements), in batches of 1,000, without validation or look-ups.</summary>
    internal static async Task<double> PlainBulkInsertAsync(Database db, int rows, int bpuEvery = 0)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("INSERT INTO employers (npp, name, kind, region_code, risk_class, size, status, created_at, updated_at) VALUES ('63710001', 'x', 'regional_gov', '63.71', 1, 'medium', 'active', @now, @now)", new { now = DateTimeOffset.UnixEpoch });
        var employer = await c.ExecuteScalarAsync<long>("SELECT id FROM employers");
        var now = DateTimeOffset.UnixEpoch;
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < rows; start += ImportRunner.BatchSize)
        {
            await using var tx = await c.BeginTransactionAsync();
            var batch = Enumerable.Range(start, Math.Min(ImportRunner.BatchSize, rows - start)).ToList();
            var ids = await db.Dialect.AllocateIdsAsync(c, tx, "participants", batch.Count, default);
            await MultiRow.InsertAsync(c, tx, "participants", ["id", "nik", "kpj", "name", "sex", "birth_date", "domicile_region_code", "created_at", "updated_at"],
                batch.Select((i, k) => new object?[] { ids[k], Nik(i), Kawal.Registry.Domain.Kpj.For(ids[k]), $"Peserta {i}", "M", new DateOnly(1980, 1, 1), "63.71", now, now }).ToList(), default);
            var mids = await db.Dialect.AllocateIdsAsync(c, tx, "memberships", batch.Count, default);
            await MultiRow.InsertAsync(c, tx, "memberships", ["id", "participant_id", "employer_id", "segment", "category", "payer_kind", "payer_ref", "programmes", "wage", "valid_from", "status", "region_code", "created_at", "updated_at", "created_by", "import_id"],
                ids.Select((id, k) => bpuEvery > 0 && (start + k) % bpuEvery == 0
                    ? new object?[] { mids[k], id, null, "BPU", "vulnerable", "apbd", "63.71", "JKK,JKM", 2_000_000L, new DateOnly(2024, 1, 1), "active", "63.71", now, now, "bench", 1L }
                    : new object?[] { mids[k], id, employer, "PU", "regular", "employer", null, "JKK,JKM,JHT,JP", 3_000_000L + ((start + k) % 50 * 100_000L), new DateOnly(2024, 1, 1), "active", "63.71", now, now, "bench", 1L }).ToList(), default);
            await tx.CommitAsync();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static string Nik(int i)
    {
        var district = 1 + (i / 9999 % 99);
        var serial = 1 + (i % 9999);
        var block = i / (9999 * 99);
        var day = 1 + (block % 28);
        var month = 1 + (block / 28 % 12);
        var year = 60 + (block / 336 % 40);
        return string.Create(CultureInfo.InvariantCulture, $"6371{district:D2}{day:D2}{month:D2}{year:D2}{serial:D4}");
    }

    private static void Generate(string file, string employers, int rows)
    {
        File.WriteAllText(employers, "npp,name,kind,region_code,risk_class,size\n63710001,Pemerintah Kota Banjarmasin,regional_gov,63.71,1,large\n63010002,PT Karet Tanah Laut,private,63.01,3,large\n");
        using var w = new StreamWriter(file, false, new UTF8Encoding(false));
        w.WriteLine("nik,name,segment,employer_npp,wage,programmes,start_date");
        for (var i = 0; i < rows; i++)
        {
            w.Write(Nik(i));
            w.Write(",Peserta ");
            w.Write(i.ToString(CultureInfo.InvariantCulture));
            w.Write(i % 3 == 0 ? ",PU,63710001," : ",PU,63010002,");
            w.Write((3_000_000 + (i % 50) * 100_000).ToString(CultureInfo.InvariantCulture));
            w.WriteLine(",\"JKK,JKM,JHT,JP\",2024-01-01");
        }
    }
}
