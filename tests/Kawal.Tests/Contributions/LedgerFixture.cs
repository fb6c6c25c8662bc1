using System.Globalization;
using System.Text;
using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;
using Kawal.Rules.Contributions;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Contributions;

/// <summary>A generated population imported through the registry, and the contributions handlers on it.</summary>
internal static class LedgerFixture
{
    public static readonly Period October = new(2026, 10);

    /// <summary>
    /// Rows of every kind: PU at two employers (risk classes 1 and 3, wages below and above the JP cap, three programme
    /// sets), BPU vulnerable workers paid by the budget of Kota Banjarmasin or by themselves, Jakon on wages, PMI (not
    /// billed monthly), memberships starting mid-October, in November (not billed) and ended before October (not billed).
    /// </summary>
    public static string Population(int rows, int salt = 0)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kawal-ledger-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder("nik,name,segment,employer_npp,category,occupation,payer,wage,programmes,start_date,end_date\n");
        for (var i = 0; i < rows; i++)
        {
            var female = i % 2 == 1;
            var day = 1 + (i % 28);
            var nik = string.Create(CultureInfo.InvariantCulture, $"6371{1 + (i / 9999):D2}{(female ? day + 40 : day):D2}{1 + (i % 12):D2}{70 + (i % 30):D2}{1 + (i % 9999):D4}");
            var start = (i % 23) switch { 0 => "2026-10-15", 1 => "2026-11-01", _ => "2025-01-01" };
            var end = i % 29 == 0 && start == "2025-01-01" ? "2026-10-01" : "";
            var wage = 2_000_000 + (((i * 7) + salt) % 40) * 250_000;
            var line = (i % 10) switch
            {
                < 5 => $"PU,{(i % 2 == 0 ? "63710001" : "63010002")},{(i % 6 == 0 ? "non_asn" : "regular")},,employer,{wage},\"{(i % 3) switch { 0 => "JKK,JKM,JHT,JP,JKP", 1 => "JKK,JKM,JHT,JP", _ => "JKK,JKM" }}\"",
                5 or 6 => $"BPU,,vulnerable,farmer,apbd:63.71,{(i % 4 == 0 ? 1_000_000 : 2_000_000)},\"JKK,JKM\"",
                7 => "BPU,,vulnerable,trader,self,1500000,\"JKK,JKM,JHT\"",
                8 => "JAKON,63010002,regular,,employer,3000000,\"JKK,JKM\"",
                _ => "PMI,,regular,,self,0,\"JKK,JKM\"",
            };
            sb.Append(nik).Append(",Peserta ").Append(i).Append(',').Append(line).Append(',').Append(start).Append(',').Append(end).Append('\n');
        }

        System.IO.File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static async Task<TestDatabase> PopulatedAsync(Engine engine, int rows)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var file = Population(rows);
        var summary = await Import(t, "participants", file);
        Assert.Equal(0, summary.Rejected);
        System.IO.File.Delete(file);
        return t;
    }

    public static BillingRunner Runner(TestDatabase t, FixedTime? time = null) => new(t.Database, time ?? Today);

    /// <summary>A real <c>kawal billing run</c> process on the test's database, its output redirected.</summary>
    public static System.Diagnostics.Process StartBilling(TestDatabase t, Period period, int batch, params string[] more)
    {
        var kawal = Path.Combine(AppContext.BaseDirectory, "kawal.dll");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { kawal, "billing", "run", "--period", period.ToString(), "--batch-size", batch.ToString(CultureInfo.InvariantCulture), "--database", t.ConnectionText }.Concat(more))
        {
            info.ArgumentList.Add(a);
        }

        return System.Diagnostics.Process.Start(info)!;
    }

    /// <summary>Bills the month and checks that the run's summary tells the ledger as counted from its lines.</summary>
    public static async Task<BillingSummary> Bill(TestDatabase t, Period period, string? region = null, FixedTime? time = null, int batch = BillingRunner.ChunkSize, int remember = 50_000)
    {
        var runner = Runner(t, time);
        runner.BatchSize = batch;
        runner.RememberedIds = remember;
        var summary = await runner.RunAsync(new BillingRequest(period, region, Caller.Operator("billing")), null, CancellationToken.None);
        Assert.Equal(await CountedFromLinesAsync(t, period, region), (summary.Memberships, summary.Bills, summary.Lines, summary.EmployerTotal, summary.WorkerTotal, summary.GovernmentTotal));
        return summary;
    }

    /// <summary>
    /// A month's memberships billed (their lines add up to something), bills, lines and totals in a region (or the country),
    /// counted from the lines themselves: what a billing run's summary must say.
    /// </summary>
    public static async Task<(int Memberships, int Bills, int Lines, long Employer, long Worker, long Government)> CountedFromLinesAsync(TestDatabase t, Period period, string? region)
    {
        await using var c = await t.Database.OpenAsync();
        var scope = region is null ? "" : "AND (l.region_code = @region OR l.region_code LIKE @prefix)";
        var args = new { p = period.ToString(), region, prefix = region + ".%" };
        var s = await c.QuerySingleAsync<(long Lines, long Employer, long Worker, long Government, long Bills)>(
            $"SELECT COUNT(*), COALESCE(SUM(l.employer_amount), 0), COALESCE(SUM(l.worker_amount), 0), COALESCE(SUM(l.government_amount), 0), COUNT(DISTINCT l.bill_id) FROM bill_lines l WHERE l.period = @p {scope}",
            args);
        var memberships = await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM (SELECT l.membership_id FROM bill_lines l WHERE l.period = @p {scope} GROUP BY l.membership_id HAVING SUM(l.amount) <> 0 OR SUM(l.government_amount) <> 0) x",
            args);
        return ((int)memberships, (int)s.Bills, (int)s.Lines, s.Employer, s.Worker, s.Government);
    }

    public static PaymentsHandler Payments(TestDatabase t, FixedTime? time = null) => new(t.Database, time ?? Today);

    public static ContributionQueries Queries(TestDatabase t, FixedTime? time = null) => new(t.Database, new Kawal.Regions.RegionLookup(t.Database), time ?? Today);

    internal sealed class Active
    {
        public long Id { get; set; }
        public string Segment { get; set; } = "";
        public string Programmes { get; set; } = "";
        public long Wage { get; set; }
        public long RiskClass { get; set; }
        public string PayerKind { get; set; } = "";
    }

    /// <summary>What the rules engine's calculator (not the billing kernel) says the month should bill, summed independently.</summary>
    public static async Task<(long Employer, long Worker, long Government, int Memberships)> ExpectedAsync(TestDatabase t, Period period)
    {
        var active = await Query<Active>(t,
            """
            SELECT m.id AS Id, m.segment AS Segment, m.programmes AS Programmes, m.wage AS Wage, COALESCE(e.risk_class, 1) AS RiskClass, m.payer_kind AS PayerKind
            FROM memberships m LEFT JOIN employers e ON e.id = m.employer_id
            WHERE m.valid_from <= @last AND (m.valid_to IS NULL OR m.valid_to > @first) AND m.status IN ('active', 'ended')
            """, new { first = period.FirstDay, last = period.LastDay });
        long employer = 0, worker = 0, government = 0;
        var count = 0;
        foreach (var m in active)
        {
            var segment = Enum.Parse<Segment>(m.Segment);
            if (segment == Segment.PMI)
            {
                continue;
            }

            var r = ContributionCalculator.Calculate(new ContributionInput(segment, period, ProgrammeSets.Parse(m.Programmes),
                Wage: segment == Segment.BPU ? 0 : m.Wage, RiskClass: (int)m.RiskClass, DeclaredIncome: segment == Segment.BPU ? m.Wage : 0));
            (employer, worker, government, count) = (employer + r.EmployerTotal, worker + r.WorkerTotal, government + r.GovernmentTotal, count + 1);
        }

        return (employer, worker, government, count);
    }

    /// <summary>
    /// The ledger in a comparable form: no ids, no timestamps. Bills are named by payer key, month, group and sequence:
    /// their numbers carry the payer's internal id, which PostgreSQL's sequences may skip after a killed transaction.
    /// </summary>
    public static async Task<List<string>> StateAsync(TestDatabase t, bool paid = true) =>
    [
        .. await Query<string>(t,
            """
            SELECT p.payer_key || '|' || b.period || '|' || b.bill_group || '|' || CAST(b.sequence AS text) || '|' || CAST(b.due_date AS text) || '|' || CAST(b.amount AS text) || '|' ||
                   CAST(b.employer_amount AS text) || '|' || CAST(b.worker_amount AS text) || '|' || CAST(b.government_amount AS text) || '|' || (CASE WHEN @paid THEN CAST(b.paid AS text) ELSE '' END) || '|' || CAST(b.line_count AS text)
            FROM bills b JOIN payers p ON p.id = b.payer_id ORDER BY p.payer_key, b.period, b.bill_group, b.sequence
            """, new { paid }),
        .. await Query<string>(t,
            """
            SELECT p.nik || '|' || y.payer_key || '|' || b.period || '|' || CAST(b.sequence AS text) || '|' || l.segment || '|' || CAST(l.base AS text) || '|' || CAST(l.employer_amount AS text) || '|' || CAST(l.worker_amount AS text) || '|' ||
                   CAST(l.government_amount AS text) || '|' || CAST(l.amount AS text) || '|' || CASE WHEN l.supplementary THEN 'S' ELSE 'N' END
            FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN payers y ON y.id = b.payer_id JOIN memberships m ON m.id = l.membership_id JOIN participants p ON p.id = m.participant_id
            ORDER BY p.nik, y.payer_key, b.period, b.sequence, l.amount
            """),
    ];
}
