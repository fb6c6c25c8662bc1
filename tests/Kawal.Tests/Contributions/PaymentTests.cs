using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules.Benefits;
using Kawal.Testing;
using static Kawal.Tests.Contributions.LedgerFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Contributions;

public class PaymentTests
{
    private static readonly Caller Officer = Caller.Operator("teller");

    private static PaymentInput Pay(string reference, long amount, string date, string? payer = "employer:63710001", string? bill = null) =>
        new(reference, payer, bill, amount, date, "bank");

    private static async Task<(long Amount, string Number)> BillOf(TestDatabase t, string payer, string period) =>
        (await Query<(long, string)>(t, "SELECT b.amount, b.bill_number FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = @payer AND b.period = @period ORDER BY b.sequence",
            new { payer, period })).First();

    [EngineTheory]
    public async Task Payments_go_to_the_named_bill_then_the_oldest_and_the_rest_is_credit_for_the_next_bill(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 120);
        await Bill(t, new Period(2026, 9));
        await Bill(t, October);
        var september = await BillOf(t, "employer:63710001", "2026-09");
        var october = await BillOf(t, "employer:63710001", "2026-10");
        var payments = Payments(t);

        // Named bill first: October paid in full, the remaining 1,000 goes to the oldest open bill (September).
        var first = await payments.RecordAsync(Pay("TRX-1", october.Amount + 1_000, "2026-11-10", bill: october.Number), Officer);
        Assert.Equal([(october.Number, october.Amount), (september.Number, 1_000L)], first.Allocations.Select(a => (a.Bill, a.Amount)));
        Assert.Equal(0, first.Unallocated);

        // More than is owed: September is settled and the rest is carried as credit.
        var second = await payments.RecordAsync(Pay("TRX-2", september.Amount, "2026-11-12"), Officer);
        Assert.Equal(1_000, second.Unallocated);

        // The same reference again is the same payment: nothing counted twice.
        var again = await payments.RecordAsync(Pay("TRX-2", september.Amount, "2026-11-12"), Officer);
        Assert.False(again.Created);
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM payments"));

        // The credit pays part of November's bill when it is billed.
        await Bill(t, new Period(2026, 11));
        var s = (await Queries(t).StatementAsync("employer:63710001", Officer))!;
        var november = s.Bills.Single(b => b.Period == "2026-11");
        Assert.Equal(1_000, november.Paid);
        Assert.Equal(0, s.Credit);
        Assert.Equal(s.Billed - s.Paid, s.Balance);
        Assert.Equal(november.Amount - 1_000, s.Balance);
        await AssertLedgerConsistent(t);
    }

    [EngineTheory]
    public async Task Bad_payments_are_refused_with_the_field_at_fault_and_nothing_is_recorded(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 60);
        await Bill(t, October);
        var payments = Payments(t);
        await payments.RecordAsync(Pay("TRX-9", 500_000, "2026-11-01"), Officer);

        Assert.Equal("amount", (await Assert.ThrowsAsync<UsageException>(() => payments.RecordAsync(Pay("A", 0, "2026-11-01"), Officer))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<UsageException>(() => payments.RecordAsync(Pay("B", -5, "2026-11-01"), Officer))).Field);
        Assert.Equal("date", (await Assert.ThrowsAsync<UsageException>(() => payments.RecordAsync(Pay("C", 5, "2026-11-22"), Officer))).Field);
        Assert.Equal("date", (await Assert.ThrowsAsync<UsageException>(() => payments.RecordAsync(Pay("C", 5, "31/02/2026"), Officer))).Field);
        Assert.Equal("reference", (await Assert.ThrowsAsync<UsageException>(() => payments.RecordAsync(Pay("", 5, "2026-11-01"), Officer))).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => payments.RecordAsync(Pay("D", 5, "2026-11-01", payer: "employer:99999999"), Officer));
        await Assert.ThrowsAsync<NotFoundException>(() => payments.RecordAsync(Pay("E", 5, "2026-11-01", payer: null, bill: "IUR-000000-0-PU1"), Officer));
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => payments.RecordAsync(Pay("TRX-9", 600_000, "2026-11-01"), Officer));
        Assert.Equal("reference", conflict.Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => payments.RecordAsync(Pay("F", 5, "2026-11-01"),
            new Caller("x", Role.RegencyOfficer, RegionScope.Of(RegionCode.Parse("63.71")), Permissions.Of(Role.RegencyOfficer))));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM payments"));
        await AssertLedgerConsistent(t);
    }

    [EngineTheory]
    public async Task A_bank_statement_with_good_and_bad_rows_records_the_good_explains_the_bad_and_imports_once(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 60);
        await Bill(t, October);
        var october = await BillOf(t, "employer:63710001", "2026-10");
        var file = Path.Combine(Path.GetTempPath(), $"kawal-bank-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(file,
            "referensi;pembayar;tagihan;jumlah;tanggal;kanal\n" +
            $"BNI-001;63710001;;1.000.000;2026-11-02;VA BNI\n" +
            $"BNI-002;;{october.Number};250000;02/11/2026;VA BNI\n" +
            "BNI-003;employer:99999999;;1000;2026-11-02;VA BNI\n" +
            "BNI-004;apbd:63.71;;-5;2026-11-02;\n" +
            "BNI-005;apbd:63.71;;0;2026-11-02;\n" +
            "BNI-006;apbd:63.71;;1000;2026-12-25;\n" +
            "BNI-001;63710001;;1.000.000;2026-11-02;VA BNI\n" +
            "BNI-007;apbd:63.71;;abc;2026-11-02;\n");
        var request = new Kawal.Registry.Import.ImportRequest(file, Officer, Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")));

        var first = await Payments(t).ImportAsync(request);

        Assert.Equal((8, 2, 6, 2), (first.Rows, first.Accepted, first.Rejected, first.Created));
        var errors = (await System.IO.File.ReadAllLinesAsync(first.ErrorReport!)).Skip(1).Select(l => string.Join(',', l.Split(',').Take(3)))
            .OrderBy(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList(); // rows needing the ledger are checked with their batch
        // Each column as the statement heads it (pembayar, jumlah…), not by the field it fills.
        Assert.Equal(["4,pembayar,payer.unknown", "5,jumlah,amount.not_positive", "6,jumlah,amount.not_positive", "7,tanggal,date.future", "8,referensi,duplicate_in_file", "9,jumlah,amount.format"], errors);
        Assert.Equal(1_250_000, await Count(t, "SELECT SUM(amount) FROM payments"));

        var rerun = await Payments(t).ImportAsync(request with { ReportFolder = request.ReportFolder + "-2" });

        Assert.Equal((0, 2), (rerun.Created, rerun.Unchanged));
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM payments"));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM imports WHERE kind = 'payments' AND id = @id AND rejected = 6", new { id = first.ImportId }));
        await AssertLedgerConsistent(t);
    }

    [EngineTheory]
    public async Task A_bill_not_yet_due_is_shown_as_not_due_and_never_counted_as_arrears(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 80);
        await Bill(t, new Period(2026, 6));
        var bill = await BillOf(t, "employer:63710001", "2026-06"); // due 15 July 2026

        // Unpaid amounts of Kota Banjarmasin's payers due before, and on or after, a day.
        const string Open = "SELECT COALESCE(SUM(b.amount - b.paid), 0) FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.region_code LIKE '63.71%' AND b.amount > 0 AND b.paid < b.amount AND b.due_date ";
        var day = new DateOnly(2026, 7, 10);
        var (pastDue, notDue) = (await Count(t, Open + "< @day", new { day }), await Count(t, Open + ">= @day", new { day }));
        Assert.True(notDue >= bill.Amount);

        var before = await Queries(t).ArrearsAsync("63", Officer, day);
        var row = before.Rows.Single(r => r.RegionCode == "63.71");
        Assert.Equal((pastDue, notDue, notDue, pastDue + notDue), (row.Arrears, row.NotDue, row.Ageing["current"], row.Outstanding));
        Assert.Equal((before.Rows.Sum(r => r.Arrears), before.Rows.Sum(r => r.NotDue), before.Outstanding), (before.Arrears, before.NotDue, before.Arrears + before.NotDue));
        var s = (await Queries(t).StatementAsync("employer:63710001", Officer, day))!;
        Assert.Equal("open", s.Bills.Single(x => x.Number == bill.Number).Status);
        Assert.Equal(0, s.Arrears);

        // Past its due date (15 July) the same bill is arrears.
        var later = new DateOnly(2026, 7, 16);
        var after = (await Queries(t).ArrearsAsync("63", Officer, later)).Rows.Single(r => r.RegionCode == "63.71");
        Assert.Equal((await Count(t, Open + "< @later", new { later }), await Count(t, Open + ">= @later", new { later })), (after.Arrears, after.NotDue));
        Assert.True(after.Arrears >= pastDue + bill.Amount);
    }

    [EngineTheory]
    public async Task Overdue_bills_age_carry_late_fines_from_the_rules_and_make_memberships_non_aktif_until_paid(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 80);
        var june = new Period(2026, 6);
        await Bill(t, june);
        var bill = await BillOf(t, "employer:63710001", "2026-06");
        var jp = await Count(t, "SELECT jp_amount FROM bills WHERE bill_number = @n", new { n = bill.Number });

        var s = (await Queries(t).StatementAsync("employer:63710001", Officer, new DateOnly(2026, 11, 21)))!;
        var b = s.Bills.Single(x => x.Number == bill.Number);

        // Due 15 July 2026; on 21 November it is 5 started months late: bucket 4-6, fine 2 % (0.5 % on JP) per month.
        Assert.Equal(("2026-07-15", "overdue", 5, "4-6"), (b.DueDate, b.Status, b.MonthsLate, b.Bucket));
        var jpShare = bill.Amount * jp / bill.Amount;
        var expected = LateFine.Calculate(bill.Amount - jpShare, new DateOnly(2026, 7, 15), new DateOnly(2026, 11, 21)).Total
            + LateFine.Calculate(jpShare, new DateOnly(2026, 7, 15), new DateOnly(2026, 11, 21), jp: true).Total;
        Assert.Equal(expected, b.Fine);
        Assert.True(b.Fine >= (long)(bill.Amount * 0.005m * 5) && b.Fine <= (long)Math.Ceiling(bill.Amount * 0.02m * 5)); // between the JP and the general rate
        Assert.Contains("PP 44/2015", b.FineCitation, StringComparison.Ordinal);
        Assert.Equal(bill.Amount, s.Ageing["4-6"]);
        var bpu = (await Queries(t).StatementAsync("apbd:63.71", Officer, new DateOnly(2026, 11, 21)))!.Bills.Single();
        Assert.Equal((0L, "fine.rate.bpu"), (bpu.Fine, bpu.FineParameter)); // BPU: no late fine

        // Billing on 21 November found them more than 3 months overdue: non-aktif, with history.
        var members = await Count(t, "SELECT count(*) FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE b.bill_number = @n", new { n = bill.Number });
        Assert.Equal(members, await Count(t,
            "SELECT count(*) FROM memberships m JOIN bill_lines l ON l.membership_id = m.id JOIN bills b ON b.id = l.bill_id WHERE b.bill_number = @n AND m.status = 'inactive'", new { n = bill.Number }));
        Assert.Equal(members, await Count(t,
            "SELECT count(*) FROM membership_history h JOIN bill_lines l ON l.membership_id = h.membership_id JOIN bills b ON b.id = l.bill_id WHERE b.bill_number = @n AND h.new_value = 'inactive'", new { n = bill.Number }));

        // Paid (late): active again; the fine is now fixed by the payment date.
        var paid = await Payments(t).RecordAsync(Pay("LATE-1", bill.Amount, "2026-11-20"), Officer);
        Assert.Equal(0, paid.Unallocated);
        Assert.Equal(0, await Count(t,
            "SELECT count(*) FROM memberships m JOIN bill_lines l ON l.membership_id = m.id JOIN bills b ON b.id = l.bill_id WHERE b.bill_number = @n AND m.status = 'inactive'", new { n = bill.Number }));
        var after = (await Queries(t).StatementAsync("employer:63710001", Officer, new DateOnly(2026, 12, 31)))!.Bills.Single(x => x.Number == bill.Number);
        Assert.Equal(("paid", 5, expected), (after.Status, after.MonthsLate, after.Fine));
        await AssertLedgerConsistent(t);
    }

    /// <summary>Payments never allocate more than was paid, bills are never paid beyond their amount, balances are billed minus paid.</summary>
    internal static async Task AssertLedgerConsistent(TestDatabase t)
    {
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM payments y WHERE y.amount - y.unallocated <> COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = y.id), 0)"));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bills b WHERE b.amount > 0 AND (b.paid > b.amount OR b.paid <> COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.bill_id = b.id), 0))"));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bills b WHERE b.amount < 0 AND (b.paid > -b.amount OR b.paid <> COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.credit_bill_id = b.id), 0))"));
        foreach (var key in await Query<string>(t, "SELECT payer_key FROM payers"))
        {
            var s = (await Queries(t).StatementAsync(key, Caller.Operator("check")))!;
            Assert.Equal(s.Billed - s.Paid, s.Balance);
            Assert.Equal(s.Bills.Where(b => b.Amount > 0).Sum(b => b.Outstanding) - s.Credit, s.Balance);
        }
    }
}
