using System.Text;
using Kawal.Compliance.Features;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Compliance;

/// <summary>Detection on hand-made data, the pipeline's deadlines, recoveries through the ledger, prosecutor scoping.</summary>
public class ComplianceTests
{
    private static readonly Caller Branch = new("bpjs:tanah-laut", Role.BpjsOfficer, RegionScope.Of(RegionCode.Parse("63")), Permissions.Of(Role.BpjsOfficer));
    private static readonly Caller Jaksa = new("jaksa:tala", Role.Prosecutor, RegionScope.Of(RegionCode.Parse("63.01")), Permissions.Of(Role.Prosecutor));
    private static readonly Caller OtherJaksa = new("jaksa:bjm", Role.Prosecutor, RegionScope.Of(RegionCode.Parse("63.71")), Permissions.Of(Role.Prosecutor));

    private static string Write(string name, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kawal-{name}-{Guid.NewGuid():N}.csv");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static ImportRequest Request(string file) => new(file, Caller.Operator("officer"), Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")));

    /// <summary>
    /// PT Karet Tanah Laut (63.01, private, large, NIB 1234567890123): two PU workers, one on Rp2,000,000 (below the
    /// 2026 UMP of South Kalimantan, Rp3,725,000) without JP; the business registry says it has 5 workers; its bills for
    /// January–June 2026 are never paid. Setda Kota Banjarmasin (63.71) pays on time. CV Belum Daftar (NIB 9999999999999,
    /// 12 workers) is not registered.
    /// </summary>
    internal static async Task<TestDatabase> WorldAsync(Engine engine)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var people = Write("people",
            """
            nik,name,segment,employer_npp,category,occupation,payer,wage,programmes,start_date,end_date
            6301010101800001,Ahmad,PU,63010002,regular,,employer,2000000,"JKK,JKM,JHT",2025-01-01,
            6301010202800002,Budi,PU,63010002,regular,,employer,4000000,"JKK,JKM,JHT,JP,JKP",2025-01-01,
            6371010303800003,Citra,PU,63710001,non_asn,,employer,4000000,"JKK,JKM,JHT,JP",2025-01-01,
            """);
        Assert.Equal(0, (await Import(t, "participants", people)).Rejected);
        var imports = new ComplianceImports(t.Database, new Kawal.Regions.RegionLookup(t.Database), Today);
        var registry = Write("oss",
            """
            nib,name,region_code,sector,workers,source
            1234567890123,PT Karet Tanah Laut,63.01,perkebunan,5,OSS RBA ekspor 2026-10
            9999999999999,CV Belum Daftar,63.71,perdagangan,12,OSS RBA ekspor 2026-10
            8888888888888,Usaha Tanpa Pekerja,63.71,jasa,0,OSS RBA ekspor 2026-10
            """);
        var summary = await imports.BusinessesAsync(Request(registry));
        Assert.Equal((3, 0), (summary.Created, summary.Rejected));
        var billing = new BillingRunner(t.Database, Today);
        var payments = new PaymentsHandler(t.Database, Today);
        for (var p = new Period(2026, 1); p <= new Period(2026, 6); p = p.Next)
        {
            await billing.RunAsync(new BillingRequest(p, null, Caller.Operator("billing")), null, CancellationToken.None);
            var (number, amount, due) = (await Query<(string, long, DateOnly)>(t,
                "SELECT b.bill_number, b.amount, b.due_date FROM bills b JOIN payers y ON y.id = b.payer_id WHERE y.payer_key = 'employer:63710001' AND b.period = @p", new { p = p.ToString() })).Single();
            await payments.RecordAsync(new PaymentInput($"TRF-{number}", null, number, amount, due.ToIso(), "bank"), Caller.Operator("teller"));
        }

        return t;
    }

    [EngineTheory]
    public async Task Each_kind_of_non_compliance_is_detected_once_with_its_evidence(Engine engine)
    {
        await using var t = await WorldAsync(engine);
        var detector = new ComplianceDetector(t.Database, Today);
        var first = await detector.RunAsync(null, Branch);
        Assert.Equal(5, first.Created);
        var cases = new Cases(t.Database, new PaymentsHandler(t.Database, Today), Today);
        var all = (await cases.ListAsync(new CaseSearch(), Branch)).Items.ToDictionary(c => c.Kind);
        Assert.Equal(["arrears", "pds_programme", "pds_wage", "pds_workers", "pwbd"], all.Keys.Order());
        Assert.Equal(("nib:9999999999999", "63.71"), (all["pwbd"].SubjectKey, all["pwbd"].RegionCode));
        Assert.All(all.Values.Where(c => c.Kind != "pwbd"), c => Assert.Equal("npp:63010002", c.SubjectKey));

        var workers = (await cases.GetAsync(all["pds_workers"].Id, Branch))!.Evidence;
        Assert.Equal((5, 2, 3), (workers.GetProperty("reportedWorkers").GetInt32(), workers.GetProperty("registeredWorkers").GetInt32(), workers.GetProperty("missing").GetInt32()));
        var wage = (await cases.GetAsync(all["pds_wage"].Id, Branch))!.Evidence;
        Assert.Equal((3_725_000L, 1, 2_000_000L), (wage.GetProperty("minimum").GetInt64(), wage.GetProperty("workersBelow").GetInt32(), wage.GetProperty("lowestWage").GetInt64()));
        Assert.Equal("UMP", wage.GetProperty("minimumKind").GetString());
        var programme = (await cases.GetAsync(all["pds_programme"].Id, Branch))!.Evidence;
        Assert.Equal(["JP"], programme.GetProperty("missing").EnumerateArray().Select(x => x.GetString()));
        var arrears = await cases.GetAsync(all["arrears"].Id, Branch);
        var billed = await Count(t, "SELECT SUM(b.amount) FROM bills b JOIN payers y ON y.id = b.payer_id WHERE y.payer_key = 'employer:63010002'");
        Assert.Equal(billed, arrears!.Amount);
        Assert.Equal(billed, arrears.Evidence.GetProperty("buckets").EnumerateObject().Sum(b => b.Value.GetInt64()));
        Assert.True(arrears.Evidence.GetProperty("buckets").TryGetProperty("7-12", out _)); // January's bill is 9 months overdue

        // A second run changes nothing; a UMK imported for Tanah Laut replaces the UMP.
        var again = await detector.RunAsync(null, Branch);
        Assert.Equal((0, 0, 0), (again.Created, again.Updated, again.Resolved));
        var umk = Write("umk", "region_code,year,kind,amount,legal_basis,source\n63.01,2026,UMK,3800000,SK Bupati 2025,Kawal test\n63,2026,UMK,1,x,bad row\n");
        var imported = await new ComplianceImports(t.Database, new Kawal.Regions.RegionLookup(t.Database), Today).WagesAsync(Request(umk));
        Assert.Equal((1, 1), (imported.Created, imported.Rejected));
        Assert.Equal(1, (await detector.RunAsync(null, Branch)).Updated);
        Assert.Equal("UMK", (await cases.GetAsync(all["pds_wage"].Id, Branch))!.Evidence.GetProperty("minimumKind").GetString());

        // CV Belum Daftar registers: its PWBD case (no letter sent yet) closes as resolved.
        await Import(t, "employers", Write("cv", "npp,nib,name,kind,region_code,risk_class,size,address,status\n63710009,9999999999999,CV Belum Daftar,private,63.71,1,small,,active\n"));
        var after = await detector.RunAsync(null, Branch);
        Assert.Equal(1, after.Resolved);
        Assert.Equal("closed", (await cases.GetAsync(all["pwbd"].Id, Branch))!.Status);

        // A Karo officer sees none of them.
        var karo = new Caller("karo", Role.BpjsOfficer, RegionScope.Of(RegionCode.Parse("12.06")), Permissions.Of(Role.BpjsOfficer));
        Assert.Equal(0, (await cases.ListAsync(new CaseSearch(), karo)).Total);
    }

    [EngineTheory]
    public async Task The_pipeline_keeps_its_deadlines_and_recoveries_are_payments_that_reduce_arrears(Engine engine)
    {
        await using var t = await WorldAsync(engine);
        await new ComplianceDetector(t.Database, Today).RunAsync(new DateOnly(2026, 10, 1), Branch);
        var payments = new PaymentsHandler(t.Database, Today);
        var cases = new Cases(t.Database, payments, Today);
        var list = (await cases.ListAsync(new CaseSearch(Kind: "arrears"), Branch)).Items;
        var id = list.Single().Id;

        // Warning letter 1 on Thursday 1 October 2026: 10 working days to comply, to 15 October.
        var w1 = await cases.WarnAsync(id, 1, new WarningInput("2026-10-01"), Branch);
        Assert.Equal(("warning1", "2026-10-15"), (w1.Status, w1.StepDue));
        await Assert.ThrowsAsync<ConflictException>(() => cases.WarnAsync(id, 2, new WarningInput("2026-10-15"), Branch));
        var w2 = await cases.WarnAsync(id, 2, new WarningInput("2026-10-16"), Branch);
        Assert.Equal("2026-10-30", w2.StepDue);
        await Assert.ThrowsAsync<ConflictException>(() => cases.HandOverAsync(id, new SkkInput("SKK-01/KC-TALA/2026", "2026-10-30", null), Branch));
        await Assert.ThrowsAsync<ForbiddenException>(() => cases.HandOverAsync(id, new SkkInput("SKK-01/KC-TALA/2026", "2026-11-02", null), Jaksa));
        var skk = await cases.HandOverAsync(id, new SkkInput("SKK-01/KC-TALA/2026", "2026-11-02", null), Branch);
        Assert.Equal(("skk", "kejari:63.01", "Kejaksaan Negeri Kabupaten Tanah Laut"), (skk.Status, skk.OfficeCode, skk.OfficeName));
        Assert.Equal(skk.OutstandingArrears, skk.SkkAmount);
        Assert.NotNull(skk.Sanction);
        Assert.Contains("TMP2T", skk.Sanction!.Basis, StringComparison.Ordinal);
        Assert.Single(await cases.SanctionsAsync("63", false, Branch));
        Assert.Equal(["warning1", "warning2", "skk"], skk.Letters);
        var pdf = Letters.Render(skk, "skk");
        Assert.StartsWith("%PDF-1.4", Encoding.ASCII.GetString(pdf, 0, 8), StringComparison.Ordinal);
        Assert.Contains("SURAT KUASA KHUSUS", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        Assert.Contains("Kejaksaan Negeri Kabupaten Tanah Laut", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);

        // Overdue: a case warned on 2 November and left there is past its 16 November deadline on 21 November.
        var wage = (await cases.ListAsync(new CaseSearch(Kind: "pds_wage"), Branch)).Items.Single();
        await cases.WarnAsync(wage.Id, 1, new WarningInput("2026-11-02"), Branch);
        var overdue = (await cases.ListAsync(new CaseSearch(OverdueOnly: true), Branch)).Items;
        Assert.Contains(overdue, c => c.Id == wage.Id && c.StepDue == "2026-11-16");
        Assert.DoesNotContain(overdue, c => c.Id == id);

        // The prosecutors: only the office the SKK was handed to sees it.
        Assert.Equal(1, (await cases.ListAsync(new CaseSearch(), Jaksa)).Total);
        Assert.Equal(0, (await cases.ListAsync(new CaseSearch(), OtherJaksa)).Total);
        Assert.Null(await cases.GetAsync(id, OtherJaksa));
        await Assert.ThrowsAsync<NotFoundException>(() => cases.RecoverAsync(id, new RecoveryInput("KEJARI-BJM-1", 1_000, "2026-11-10"), OtherJaksa));
        await cases.ActAsync(id, new ActionInput("summons", "2026-11-05", "Panggilan I"), Jaksa);
        await cases.ActAsync(id, new ActionInput("agreement_instalments", "2026-11-09", "3 kali angsuran"), Jaksa);
        await Assert.ThrowsAsync<ForbiddenException>(() => cases.ActAsync(id, new ActionInput("summons", "2026-11-05", null), Branch));

        // A recovery is a payment: the employer's arrears fall by it; the same reference again records nothing new.
        var before = skk.OutstandingArrears!.Value;
        var r1 = await cases.RecoverAsync(id, new RecoveryInput("KEJARI-TALA-001", 1_000_000, "2026-11-10"), Jaksa);
        Assert.Equal((1_000_000L, before - 1_000_000), (r1.Recovered, r1.OutstandingArrears!.Value));
        await cases.RecoverAsync(id, new RecoveryInput("KEJARI-TALA-001", 1_000_000, "2026-11-10"), Jaksa);
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM case_recoveries"));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM payments WHERE reference = 'KEJARI-TALA-001' AND channel = 'kejari:63.01'"));
        var statement = (await new ContributionQueries(t.Database, new Kawal.Regions.RegionLookup(t.Database), Today).StatementAsync("employer:63010002", Caller.Operator("x")))!;
        Assert.Equal(1_000_000, statement.Paid);

        // Closing as paid needs no arrears left; the rest recovered, it closes and the sanction is lifted.
        await Assert.ThrowsAsync<ConflictException>(() => cases.CloseAsync(id, new CloseInput("paid", "2026-11-20", null), Jaksa));
        await cases.RecoverAsync(id, new RecoveryInput("KEJARI-TALA-002", before - 1_000_000, "2026-11-20"), Jaksa);
        var closed = await cases.CloseAsync(id, new CloseInput("paid", "2026-11-20", "lunas"), Jaksa);
        Assert.Equal(("closed", "paid", "2026-11-20"), (closed.Status, closed.CloseReason, closed.Sanction!.EndDate));
        Assert.Empty(await cases.SanctionsAsync("63", false, Branch));

        // Recovery indicators: the SKK and what it recovered, for the office, the region and the month.
        var stats = await new RecoveryStatistics(t.Database, Today).StatsAsync("63", null, "2026-11", "2026-11", Branch);
        Assert.Equal((1L, before, before, 100.0m), (stats.SkkCount, stats.SkkAmount, stats.Recovered, stats.RecoveryPct));
        Assert.Equal("kejari:63.01", stats.Offices.Single().Key);
        var events = (await cases.GetAsync(id, Branch))!.Events.Select(e => e.Kind);
        Assert.Equal(["detected", "warning1", "warning2", "skk", "summons", "agreement_instalments", "recovery", "recovery", "closed"], events);
    }
}
