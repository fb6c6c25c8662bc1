using System.Diagnostics;
using System.Globalization;
using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Bench;

/// <summary>
/// Monthly billing at scale: N memberships (4 in 5 PU at two employers, 1 in 5 BPU paid by a regional budget) written by
/// plain bulk insert, then R rounds (3 unless <c>--rounds</c> says) of: a billing run of a month from an empty ledger, and plain bulk inserts of the same number of bill lines in the
/// same run (same bulk mechanism, batches of the run's size): into a bare table (the columns and the two indexes, no primary
/// key, no reference checks) and into a copy of <c>bill_lines</c> as defined.
/// Usage: <c>Kawal.Bench billing N sqlite|postgres [--generator] [--batch-size B] [--rounds R]</c>; PostgreSQL needs <c>KAWAL_BENCH_POSTGRES</c>. With
/// <c>--generator</c> the memberships are the demo generator's (<c>kawal demo seed</c>, N participants) instead.
/// </summary>
public static class BillingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var engine = args.Length > 1 && args[1] == "postgres" ? Engine.Postgres : Engine.Sqlite;
        var folder = Directory.CreateTempSubdirectory("kawal-billing-bench-").FullName;
        await Console.Out.WriteLineAsync($"{rows:N0} {(args.Contains("--generator") ? "participants (demo generator)" : "memberships")}, {engine}, {Environment.ProcessorCount} cores");
        var (db, cleanup) = await ImportBenchmark.FreshAsync(engine, folder, "billing");
        await using (db)
        {
            var seed = Stopwatch.StartNew();
            if (args.Contains("--generator"))
            {
                // The demo generator's registry (every segment, category and payer kind, 137,511 employers at national scale), not billed.
                var population = await DashboardBenchmark.GeneratorAsync(db, rows, new Period(2026, 11));
                await Console.Out.WriteLineAsync($"demo generator: {population.Participants:N0} participants, {population.Employers:N0} employers in {seed.Elapsed.TotalSeconds:0.0} s");
            }
            else
            {
                await ImportBenchmark.PlainBulkInsertAsync(db, rows, bpuEvery: 5);
                await Console.Out.WriteLineAsync($"seeded in {seed.Elapsed.TotalSeconds:0.0} s");
            }

            // Each round: the month's billing from an empty ledger, then the two plain inserts of as many lines into emptied tables.
            // The host's speed drifts by ±15 % within a minute; rounds interleave the three timings and the medians are compared.
            var batch = Array.IndexOf(args, "--batch-size") is var at and >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : BillingRunner.ChunkSize;
            var rounds = Array.IndexOf(args, "--rounds") is var r and >= 0 ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3;
            var (billings, plains, sames, peak) = (new List<double>(), new List<double>(), new List<double>(), 0L);
            for (var round = 1; round <= rounds; round++)
            {
                if (round > 1)
                {
                    await ForgetMonthAsync(db);
                }

                var (allocatedBefore, pausedBefore) = (GC.GetTotalAllocatedBytes(true), GC.GetTotalPauseDuration());
                var watch = Stopwatch.StartNew();
                var summary = await new BillingRunner(db, TimeProvider.System) { BatchSize = batch }.RunAsync(new BillingRequest(new Period(2026, 10), null, Caller.Operator("bench")), null, CancellationToken.None);
                var billing = watch.Elapsed.TotalSeconds;
                var (allocated, paused) = (GC.GetTotalAllocatedBytes(true) - allocatedBefore, GC.GetTotalPauseDuration() - pausedBefore);
                peak = round == 1 ? ImportBenchmark.PeakMiB() : peak;
                var plain = await PlainLinesAsync(db, summary.Lines, create: round == 1);
                var same = await SameTableLinesAsync(db, summary.Lines, create: round == 1);
                billings.Add(billing);
                plains.Add(plain);
                sames.Add(same);
                await Console.Out.WriteLineAsync($"round {round}{(round == 1 ? " (a fresh process: code not yet compiled)" : "")}: billing {summary.Memberships:N0} memberships, {summary.Bills:N0} bills, {summary.Lines:N0} lines, total Rp{summary.Total:N0} in {billing:0.00} s = {summary.Memberships / billing:N0} memberships/s");
                await Console.Out.WriteLineAsync($"  allocated {allocated / 1_048_576:N0} MiB, garbage-collector pauses {paused.TotalMilliseconds:N0} ms");
                await Console.Out.WriteLineAsync($"  plain bulk insert of {summary.Lines:N0} bill lines: {plain:0.00} s; into a copy of bill_lines: {same:0.00} s; ratios {billing / plain:0.00} and {billing / same:0.00}");
                if (round == rounds)
                {
                    var (b, p, s) = (Median(billings), Median(plains), Median(sames));
                    await Console.Out.WriteLineAsync($"billing (median of {rounds}): {b:0.00} s = {summary.Memberships / b:N0} memberships/s; peak RSS {peak} MiB (the process up to the end of the first billing: seeding and billing)");
                    await Console.Out.WriteLineAsync($"plain bulk insert of {summary.Lines:N0} bill lines (median): {p:0.00} s = {summary.Lines / p:N0} rows/s");
                    await Console.Out.WriteLineAsync($"ratio billing / plain bulk insert (medians): {b / p:0.00}");
                    await Console.Out.WriteLineAsync($"plain bulk insert of {summary.Lines:N0} bill lines into a copy of bill_lines (primary key, indexes, reference checks; median): {s:0.00} s = {summary.Lines / s:N0} rows/s");
                    await Console.Out.WriteLineAsync($"ratio billing / plain bulk insert into the same table definition (medians): {b / s:0.00}");
                }
            }
        }

        await cleanup();
        Directory.Delete(folder, true);
        return 0;
    }

    /// <summary>
    /// The same lines into a table defined as <c>bill_lines</c> is (identity primary key, both indexes, the references to
    /// bills, memberships and rate sets checked as the engine checks them), each line naming a real membership: what any
    /// writer of these lines must pay, without reading or pricing anything.
    /// </summary>
    private static async Task<double> SameTableLinesAsync(Database db, int lines, bool create)
    {
        await using var c = await db.OpenAsync();
        if (create && db.Dialect.Engine == Engine.Postgres)
        {
            await c.ExecuteAsync("CREATE TABLE bench_lines_same (LIKE bill_lines INCLUDING ALL)");
            foreach (var (column, parent) in new[] { ("bill_id", "bills"), ("membership_id", "memberships"), ("rate_set_id", "rate_sets") })
            {
                await c.ExecuteAsync($"SELECT kawal_reference_by_statement('bench_lines_same', '{column}', '{parent}', 'id')");
            }
        }
        else if (create)
        {
            var table = await c.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bill_lines'");
            await c.ExecuteAsync(table!.Replace("CREATE TABLE bill_lines", "CREATE TABLE bench_lines_same", StringComparison.Ordinal));
            foreach (var index in await c.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bill_lines' AND sql IS NOT NULL"))
            {
                await c.ExecuteAsync(index.Replace("ix_bill_lines", "ix_bench_lines_same", StringComparison.Ordinal).Replace("ON bill_lines", "ON bench_lines_same", StringComparison.Ordinal));
            }
        }

        var bill = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM bills");
        var rateSet = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM rate_sets");
        var memberships = (await c.QueryAsync<long>($"SELECT id FROM memberships ORDER BY id LIMIT {lines}")).AsList();
        return await TimedInsertAsync(c, "bench_lines_same", ["bill_id", "membership_id", "period", "segment", "programmes", "risk_class", "base", "employer_amount", "worker_amount",
            "government_amount", "jp_amount", "amount", "supplementary", "rate_set_id", "region_code"], lines, (i, v) =>
            {
                v.Bigint(bill);
                v.Bigint(memberships[i % memberships.Count]);
                Line(v);
                v.Bigint(rateSet);
                v.Text("63.71");
            });
    }

    private static double Median(List<double> values) =>
        values.Order().ToList() is var sorted && sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>
    /// The ledger as it was before the round's billing (no bills, lines, runs or payers), and empty baseline tables. On PostgreSQL
    /// the ledger's guards refuse any truncation of bills (rows other tables may name are never deleted): the bench, owner of
    /// its throwaway database, turns triggers off for the statement.
    /// </summary>
    private static async Task ForgetMonthAsync(Database db)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(db.Dialect.Engine == Engine.Postgres
            ? "SET session_replication_role = replica; TRUNCATE bench_lines, bench_lines_same, bill_lines, bills, billing_runs, payers CASCADE; SET session_replication_role = origin"
            : "DELETE FROM bench_lines; DELETE FROM bench_lines_same; DELETE FROM bill_lines; DELETE FROM bills; DELETE FROM billing_runs; DELETE FROM payers");
    }

    /// <summary>A line's period to supplementary, as the run writes them (typed, no boxing).</summary>
    private static void Line(RowValues v)
    {
        v.Text("2026-10");
        v.Text("PU");
        v.Text("JKK,JKM,JHT,JP");
        v.Int4(1);
        v.Bigint(3_000_000L);
        v.Bigint(200_000L);
        v.Bigint(90_000L);
        v.Bigint(0L);
        v.Bigint(90_000L);
        v.Bigint(290_000L);
        v.Flag(false);
    }

    /// <summary>Seconds to insert <paramref name="lines"/> rows in transactions of the run's batch size, by the run's bulk mechanism (typed rows).</summary>
    private static async Task<double> TimedInsertAsync(System.Data.Common.DbConnection c, string table, string[] columns, int lines, Action<int, RowValues> row)
    {
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < lines; start += BillingRunner.ChunkSize)
        {
            await using var tx = await c.BeginTransactionAsync();
            var n = Math.Min(BillingRunner.ChunkSize, lines - start);
            await MultiRow.InsertAsync(c, tx, table, columns, Enumerable.Range(start, n).ToList(), row, default);
            await tx.CommitAsync();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> PlainLinesAsync(Database db, int lines, bool create)
    {
        await using var c = await db.OpenAsync();
        if (create)
        {
            await c.ExecuteAsync("CREATE TABLE bench_lines AS SELECT * FROM bill_lines WHERE 1 = 0");
            await c.ExecuteAsync("CREATE INDEX ix_bench_lines_membership ON bench_lines (membership_id, period)");
            await c.ExecuteAsync("CREATE INDEX ix_bench_lines_bill ON bench_lines (bill_id)");
        }

        return await TimedInsertAsync(c, "bench_lines", ["id", "bill_id", "membership_id", "period", "segment", "programmes", "risk_class", "base", "employer_amount", "worker_amount",
            "government_amount", "jp_amount", "amount", "supplementary", "rate_set_id", "region_code"], lines, (i, v) =>
            {
                v.Bigint(i + 1L);
                v.Bigint(1L);
                v.Bigint(i + 1L);
                Line(v);
                v.Bigint(1L);
                v.Text("63.71");
            });
    }
}
