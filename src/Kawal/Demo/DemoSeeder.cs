using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Regions;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Demo;

/// <summary>What a seed created, as <c>--json</c> prints it and <c>demo_runs.summary</c> keeps it.</summary>
public sealed record DemoSummary(int Seed, string? Scenario, string From, string To, string FirstBilled, int Employers, int Participants, int BillingMonths, long Bills,
    int Payments, int Commitments, int Visits, int Claims, int ClaimsRefused, int ClaimPayments, int ComplianceCases, int Skk, long SummaryRows, double Seconds);

/// <summary>
/// <c>kawal demo seed</c>: builds the synthetic dataset through the product's own handlers — the registry imports (every
/// row validated as an officer's file would be), the billing run, the bank-statement import, the commitments workflow,
/// the monitoring visits, the denominators import and the summary refresh — and marks it as demo data. Deterministic:
/// the same options give the same data (docs/demo.md).
/// </summary>
public sealed class DemoSeeder(IServiceProvider services, Database db, RegionLookup regions, TimeProvider time)
{
    public const int ChunkRows = 100_000;

    private T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>Whether a demo was seeded (or started) in this database.</summary>
    public static async Task<bool> SeededAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM demo_runs", cancellationToken: ct)) > 0;
    }

    public async Task<DemoSummary> SeedAsync(DemoOptions options, TextWriter progress, CancellationToken ct = default)
    {
        if (options.Participants is < 0 or > 50_000_000)
        {
            throw new UsageException("--participants must be from 0 to 50,000,000", "participants");
        }

        if (options.From > options.To || options.From < new Period(2015, 1) || options.To > Period.Of(time.Today()))
        {
            throw new UsageException($"--from and --to must be months from 2015-01 to this month, from before to, not {options.From}..{options.To}", "from");
        }

        if (options.Scenario is not (null or "seeds"))
        {
            throw new UsageException($"--scenario must be 'seeds', not '{options.Scenario}'", "scenario");
        }

        var clock = Stopwatch.StartNew();
        long runId;
        await using (var c = await db.OpenAsync(ct))
        {
            var earlier = await c.QuerySingleOrDefaultAsync<(long Seed, string? Finished)?>(new CommandDefinition(
                "SELECT seed, CAST(finished_at AS TEXT) FROM demo_runs ORDER BY id LIMIT 1", cancellationToken: ct));
            if (earlier is { } e)
            {
                throw new KawalException(e.Finished is null
                    ? "an earlier demo seed did not finish in this database; seed into a fresh database"
                    : $"this database already holds a demo (seed {e.Seed}); seed into a fresh database");
            }

            runId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO demo_runs (seed, participants, scenario, from_period, to_period, started_by, started_at)
                VALUES (@Seed, @Participants, @Scenario, @from, @to, @by, @now) RETURNING id
                """, new { options.Seed, options.Participants, options.Scenario, from = options.From.ToString(), to = options.To.ToString(), by = DemoCallers.Admin.Actor, now = time.GetUtcNow() },
                cancellationToken: ct));
        }

        var folder = Directory.CreateTempSubdirectory("kawal-demo-").FullName;
        try
        {
            var population = await PlanAsync(options, ct);
            var scenario = options.Scenario == "seeds" ? new SeedsScenario(population) : null;
            void Say(string what) => progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo: {what} ({clock.Elapsed.TotalSeconds:0.0} s)"));

            var employersFile = Path.Combine(folder, "employers.csv");
            // The demo employer account's employer: registered by the demo accounts (serve --demo) or here, with the others.
            string[] demoEmployer = await EmployerExistsAsync(DemoUsers.EmployerNpp, ct) ? [] : [DemoEmployer.EmployerLine()];
            DemoPopulation.Write(employersFile, DemoPopulation.EmployersHeader, population.EmployerLines().Concat(demoEmployer));
            var employers = await ImportAsync(Get<ImportEmployersHandler>().HandleAsync, employersFile, folder, ct);
            Say($"{employers:N0} employers of every kind in {population.Regencies.Count} regencies/cities");

            var participants = 0;
            foreach (var (chunk, n) in ParticipantChunks(population, scenario, folder))
            {
                participants += await ImportAsync(Get<ImportParticipantsHandler>().HandleAsync, chunk, folder, ct);
                File.Delete(chunk);
                Say($"{participants:N0} of {n:N0} participants registered");
            }

            var workers = Path.Combine(folder, "demo-employer-workers.csv");
            DemoPopulation.Write(workers, DemoPopulation.ParticipantsHeader, DemoEmployer.WorkerLines(Min(options.To.LastDay, time.Today())));
            participants += await ImportAsync(Get<ImportParticipantsHandler>().HandleAsync, workers, folder, ct);
            Say($"{DemoEmployer.Workers} workers of {DemoEmployer.Name} (the demo employer account's) registered");

            var denominators = Path.Combine(folder, "denominators.csv");
            DemoPopulation.Write(denominators, "region_code,year,kind,value,source", await DenominatorLinesAsync(population, ct));
            await ImportAsync(Get<MonevImportsHandler>().DenominatorsAsync, denominators, folder, ct);
            Say("non-ASN census and vulnerable-worker estimates per regency/city imported");

            var commitments = await new DemoCommitments(population, Get<CommitmentsHandler>(), db, time).SeedAsync(ct);
            Say($"{commitments:N0} regional commitments at their stages, with evidence");

            var months = 0;
            long bills = 0;
            for (var p = options.FirstBilled; p <= options.To; p = p.Next)
            {
                var run = await Get<BillingRunner>().RunAsync(new BillingRequest(p, null, DemoCallers.Admin), null, ct);
                bills += run.Bills;
                months++;
                if (options.Participants > 50_000)
                {
                    Say($"{p} billed: {run.Memberships:N0} memberships, {run.Bills:N0} bills");
                }
            }

            Say($"{months} months billed ({options.FirstBilled}..{options.To}), {bills:N0} bills");
            var payments = Path.Combine(folder, "payments.csv");
            var paid = await WritePaymentsAsync(population, payments, ct);
            if (paid > 0)
            {
                Say($"importing {paid:N0} payments");
                await ImportAsync(Get<PaymentsHandler>().ImportAsync, payments, folder, ct);
            }

            Say($"{paid:N0} payments from bank statements (some late, some never: arrears)");

            var (claims, refused, claimPayments) = await DemoClaims.SeedAsync(db, Get<Kawal.Claims.Features.ClaimsHandler>(), Get<Kawal.Claims.Features.PensionRunner>(), participants, time.Today(), ct);
            Say($"{claims:N0} claims taken ({refused:N0} refused by a rule), {claimPayments:N0} benefit payments");
            if (scenario is not null)
            {
                await DemoClaims.ImportHistoryAsync(Get<Kawal.Claims.Features.ClaimStatistics>(), folder, ct);
                Say("claims paid per province as the seed reports give them (published aggregates)");
            }

            var (complianceCases, skk) = await DemoCompliance.SeedAsync(db, Get<Kawal.Compliance.Features.ComplianceDetector>(), Get<Kawal.Compliance.Features.Cases>(), time.Today(), scenario is not null, ct);
            Say($"{complianceCases:N0} compliance cases detected, {skk} taken to an SKK with a prosecutor's recovery{(scenario is null ? "" : "; South Kalimantan's 2021 recovery figures")}");

            var visits = await DemoVisits.SeedAsync(population, Get<VisitsHandler>(), time.Today(), ct);
            Say($"{visits} monitoring visits with recommendations");

            // A serving node's own refresh job may be summarising at this moment: wait for it rather than fail the seed.
            var refresher = Get<SummaryRefresher>();
            refresher.Wait = true;
            var refresh = await refresher.RefreshAsync(options.FirstSummarised, options.To, DemoCallers.National, ct);
            Say($"monev summaries {refresh.From}..{refresh.To} computed");

            var summary = new DemoSummary(options.Seed, options.Scenario, options.From.ToString(), options.To.ToString(), options.FirstBilled.ToString(), employers, participants, months, bills,
                paid, commitments, visits, claims, refused, claimPayments, complianceCases, skk, refresh.MemberRows, Math.Round(clock.Elapsed.TotalSeconds, 1));
            await using (var c = await db.OpenAsync(ct))
            {
                await c.ExecuteAsync(new CommandDefinition("UPDATE demo_runs SET finished_at = @now, summary = @summary WHERE id = @runId",
                    new { now = time.GetUtcNow(), summary = JsonSerializer.Serialize(summary), runId }, cancellationToken: ct));
            }

            return summary;
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The regencies/cities valid at the end of the period, each with its share of participants (the province's employed population, BPS, split evenly).</summary>
    private async Task<DemoPopulation> PlanAsync(DemoOptions options, CancellationToken ct)
    {
        var set = await regions.LoadAsync(ct);
        var list = set.ValidOn(options.To.LastDay).Where(r => r.Level == Region.Regency).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        Dictionary<string, long> employed;
        await using (var c = await db.OpenAsync(ct))
        {
            employed = (await c.QueryAsync<(string Code, long Value)>(new CommandDefinition(
                """
                SELECT region_code, value FROM monev_denominators d
                WHERE kind = 'employed' AND year = (SELECT MAX(year) FROM monev_denominators WHERE kind = 'employed' AND year <= @year)
                """, new { year = options.To.Year }, cancellationToken: ct))).ToDictionary(x => x.Code, x => x.Value, StringComparer.Ordinal);
        }

        var perProvince = list.GroupBy(r => r.ParentCode!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var weights = list.Select(r => employed.TryGetValue(r.ParentCode!, out var e) ? (double)e / perProvince[r.ParentCode!] : 1.0).ToList();
        var counts = DemoPopulation.Apportion(options.Participants, weights);
        var draft = new DemoPopulation(options, [], time.Today());
        var regencies = list.Select((r, i) => new DemoRegency(r, i, counts[i], draft.Unit(20, (ulong)i) < 0.45,
            Math.Clamp((int)(counts[i] * 0.58 / 40) + 2, 2, 599))).ToList();
        if (options.Scenario == "seeds")
        {
            regencies = regencies.Select(r => r.Region.ParentCode == "63" ? r with { PrivateEmployers = Math.Clamp(r.PrivateEmployers + SeedsScenario.KalselPu / 13 / 60, 2, 599) } : r).ToList();
        }

        return new DemoPopulation(options, regencies, time.Today());
    }

    private static IEnumerable<(string File, int Total)> ParticipantChunks(DemoPopulation population, SeedsScenario? scenario, string folder)
    {
        var total = population.Regencies.Sum(r => r.Participants) + (scenario is null ? 0 : SeedsScenario.Rows);
        IEnumerable<string> All()
        {
            foreach (var r in population.Regencies)
            {
                // Seeds scenario: South Kalimantan's own participants as of September 2021 come from the scenario; the
                // generator adds only later registrations there.
                var floor = scenario is not null && r.Region.ParentCode == "63" ? new DateOnly(2021, 10, 1) : (DateOnly?)null;
                foreach (var line in population.ParticipantLines(r, r.Participants, 0, floor))
                {
                    yield return line;
                }
            }

            foreach (var line in scenario?.KalselLines() ?? [])
            {
                yield return line;
            }
        }

        var n = 0;
        var chunk = new List<string>(ChunkRows);
        foreach (var line in All())
        {
            chunk.Add(line);
            if (chunk.Count == ChunkRows)
            {
                yield return (Flush(), total);
            }
        }

        if (chunk.Count > 0)
        {
            yield return (Flush(), total);
        }

        string Flush()
        {
            var file = Path.Combine(folder, $"participants-{n++:D4}.csv");
            DemoPopulation.Write(file, DemoPopulation.ParticipantsHeader, chunk);
            chunk.Clear();
            return file;
        }
    }

    /// <summary>Runs an import as the demo operator; a rejected row is a bug of the generator, not data to keep quiet about.</summary>
    private static async Task<int> ImportAsync(Func<ImportRequest, CancellationToken, Task<ImportSummary>> run, string file, string folder, CancellationToken ct)
    {
        // Written as demo data from the start (is_demo on employers, participants, memberships): a crash leaves nothing unflagged.
        var summary = await run(new ImportRequest(file, DemoCallers.Admin, Path.Combine(folder, "reports"), FileName: "demo-" + Path.GetFileName(file), Demo: true), ct);
        if (summary.Rejected > 0)
        {
            var first = File.ReadLines(summary.ErrorReport!).Skip(1).First();
            throw new KawalException($"demo data rejected by the {summary.Kind} import ({summary.Rejected} rows; first: {first}): a generator bug");
        }

        return summary.Accepted;
    }

    /// <summary>Non-ASN census (BKN 2022) above the registered non-ASN, and vulnerable workers (the last year) well above those covered, per regency/city.</summary>
    private async Task<IEnumerable<string>> DenominatorLinesAsync(DemoPopulation population, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var counts = (await c.QueryAsync<(string Region, string Category, long N)>(new CommandDefinition(
            "SELECT region_code, category, COUNT(*) FROM memberships WHERE category IN ('non_asn', 'vulnerable') AND is_demo = @yes GROUP BY region_code, category",
            new { yes = true }, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToDictionary(x => (x.Region, x.Category), x => x.N);
        var lines = new List<string>();
        // BKN counted non-ASN staff in 2022; the vulnerable estimate is of the last year seeded (regions valid then).
        var estimateYear = population.Options.To.Year;
        var censusYear = Math.Min(2022, estimateYear);
        foreach (var r in population.Regencies)
        {
            var nonAsn = counts.GetValueOrDefault((r.Region.Code, "non_asn"));
            var vulnerable = counts.GetValueOrDefault((r.Region.Code, "vulnerable"));
            var census = (long)Math.Ceiling(Math.Max(1, nonAsn) * (1.05 + population.Unit(30, (ulong)r.Index)));
            var estimate = (long)Math.Ceiling(Math.Max(1, vulnerable) * (2.5 + (6 * population.Unit(31, (ulong)r.Index))));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Region.Code},{censusYear},non_asn,{census},BKN pendataan non-ASN {censusYear} (data demo)"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Region.Code},{estimateYear},vulnerable,{estimate},Dinas Sosial/DTKS {estimateYear} (data demo)"));
        }

        return lines;
    }

    /// <summary>
    /// A bank statement for the bills: most payers pay before the due date, some late, and about one in ten employers stops
    /// paying at some month (the arrears compliance works on). Budgets (APBD) pay late a quarter of the time. Payments dated
    /// after today are not written (not yet paid).
    /// </summary>
    private async Task<int> WritePaymentsAsync(DemoPopulation population, string file, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // Streamed: at national scale there are millions of bills.
        var bills = c.QueryUnbufferedAsync<BillRow>(
            """
            SELECT b.bill_number AS Number, b.amount AS Amount, b.period AS Period, b.due_date AS DueDate, y.payer_key AS PayerKey, y.kind AS Kind
            FROM bills b JOIN payers y ON y.id = b.payer_id WHERE b.amount > 0 ORDER BY b.due_date, b.id
            """, commandTimeout: Database.JobTimeout);
        var today = time.Today();
        var n = 0;
        await using var w = new StreamWriter(file, false, new UTF8Encoding(false));
        await w.WriteLineAsync("reference,bill,amount,date,channel");
        await foreach (var b in bills.WithCancellation(ct))
        {
            var key = (ulong)StableHash(b.PayerKey);
            var period = Period.TryParse(b.Period, out var p) ? p : throw new KawalException($"bad period {b.Period}");
            var month = (ulong)((p.Year * 12) + p.Month);
            var u = population.Unit(40, key);
            var due = b.DueDate;
            DateOnly? date = b.PayerKey == DemoEmployer.PayerKey ? DemoEmployer.PaidOn(due, today) : b.Kind switch
            {
                "apbd" or "apbdes" => population.Unit(41, key, month) < 0.25 ? due.AddDays(30 + population.Pick(60, 42, key, month)) : due.AddDays(-3),
                _ when u < 0.78 => due.AddDays(-1 - population.Pick(10, 43, key, month)),
                _ when u < 0.90 => population.Unit(44, key, month) < 0.5 ? due.AddDays(-2) : due.AddDays(20 + population.Pick(100, 45, key, month)),
                _ => month < 24_252 + (ulong)population.Pick(60, 46, key) ? due.AddDays(-2) : null, // 24,252 = December 2020 (year × 12 + month): stops paying some month in 2021–2025
            };
            if (date is not { } d || d > today)
            {
                continue;
            }

            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"DEMO-{b.Number},{b.Number},{b.Amount},{d.ToIso()},{(b.Kind == "self" ? "virtual account" : "bank")}"));
            n++;
        }

        return n;
    }

    private async Task<bool> EmployerExistsAsync(string npp, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM employers WHERE npp = @npp", new { npp }, cancellationToken: ct)) > 0;
    }

    private static DateOnly Min(DateOnly x, DateOnly y) => x < y ? x : y;

    /// <summary>FNV-1a of a text: stable across processes (string.GetHashCode is not).</summary>
    internal static long StableHash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        return (long)(h >> 1);
    }

    private sealed class BillRow
    {
        public string Number { get; set; } = "";
        public long Amount { get; set; }
        public string Period { get; set; } = "";
        public DateOnly DueDate { get; set; }
        public string PayerKey { get; set; } = "";
        public string Kind { get; set; } = "";
    }
}
