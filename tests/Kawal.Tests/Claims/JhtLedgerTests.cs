using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Claims.ClaimFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Claims;

/// <summary>JHT accounts: credited from paid bills, the declared yearly return, debited by payouts; the balance is always the sum of its entries.</summary>
public class JhtLedgerTests
{
    private static async Task AssertIdentity(TestDatabase t)
    {
        // Every account equals the sums of its entries, and every participant with entries has an account.
        Assert.Equal(0, await Scalar(t,
            """
            SELECT count(*) FROM jht_accounts a
            WHERE a.balance <> (SELECT SUM(amount) FROM jht_entries e WHERE e.participant_id = a.participant_id)
               OR a.credits <> (SELECT COALESCE(SUM(amount), 0) FROM jht_entries e WHERE e.participant_id = a.participant_id AND e.kind = 'contribution')
               OR a.returns <> (SELECT COALESCE(SUM(amount), 0) FROM jht_entries e WHERE e.participant_id = a.participant_id AND e.kind = 'return')
               OR a.payouts <> (SELECT COALESCE(-SUM(amount), 0) FROM jht_entries e WHERE e.participant_id = a.participant_id AND e.kind = 'payout')
               OR a.balance <> a.credits + a.returns - a.payouts
            """));
        Assert.Equal(0, await Scalar(t, "SELECT count(DISTINCT participant_id) FROM jht_entries e WHERE NOT EXISTS (SELECT 1 FROM jht_accounts a WHERE a.participant_id = e.participant_id)"));
    }

    [EngineTheory]
    public async Task Contributions_returns_and_payouts_keep_the_balance_equal_to_the_sum_of_entries(Engine engine)
    {
        await using var t = await LedgerAsync(engine);
        var ledger = new JhtLedger(t.Database, Clock());
        var posted = await ledger.PostAllAsync(Approver);
        Assert.True(posted > 0);
        Assert.Equal(0, await ledger.PostAllAsync(Approver)); // a second post credits nothing
        // Every paid line with JHT is credited once; Hana's unpaid months are not.
        Assert.Equal(await Scalar(t, "SELECT count(*) FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE l.programmes LIKE '%JHT%' AND b.paid >= b.amount"), posted);
        Assert.Equal(0, await Scalar(t, "SELECT count(*) FROM jht_entries j JOIN bill_lines l ON l.id = j.bill_line_id JOIN bills b ON b.id = l.bill_id WHERE b.paid < b.amount"));
        // Ahmad's JHT: 5.7 % of Rp6,000,000 = Rp342,000 a month (3.7 % employer + 2 % worker, PP 46/2015).
        Assert.Equal(342_000, await Scalar(t, "SELECT MIN(amount) FROM jht_entries j JOIN participants p ON p.id = j.participant_id WHERE p.nik = @A", new { A }));
        await AssertIdentity(t);

        // Returns need the declared rate with its source; a year not yet ended is refused.
        await Assert.ThrowsAsync<UsageException>(() => ledger.CreditReturnsAsync(2023, Approver));
        await Assert.ThrowsAsync<UsageException>(() => ledger.SetRateAsync(2023, 5.63m, "", Approver));
        await Assert.ThrowsAsync<UsageException>(() => ledger.CreditReturnsAsync(2026, Approver));
        await ledger.SetRateAsync(2023, 5.63m, "Kawal test: declared rate", Approver);
        var r2023 = await ledger.CreditReturnsAsync(2023, Approver);
        // Ahmad's 2023: January–November paid on the 15th of the next month (February–December), weighted by the whole
        // months left: 342,000 × (10 + 9 + … + 0) / 12 = 1,567,500; × 5.63 % = 88,250.
        Assert.Equal(88_250, await Scalar(t, "SELECT amount FROM jht_entries j JOIN participants p ON p.id = j.participant_id WHERE p.nik = @A AND j.kind = 'return'", new { A }));
        Assert.Equal(0, (await ledger.CreditReturnsAsync(2023, Approver)).Accounts); // once per year
        await Assert.ThrowsAsync<ConflictException>(() => ledger.SetRateAsync(2023, 6m, "Kawal test: changed", Approver));
        await ledger.SetRateAsync(2024, 6.08m, "Kawal test: declared rate 2024", Approver);
        var r2024 = await ledger.CreditReturnsAsync(2024, Approver);
        Assert.True(r2023.Amount > 0 && r2024.Amount > r2023.Amount);
        await AssertIdentity(t);

        // A payout debits the account: Citra's full JHT after resignation.
        var h = Handler(t);
        var claim = await h.SubmitAsync(new ClaimInput(C, "JHT", "full", "2025-07-01", Reason: "resignation", BankAccount: "333", Documents: [.. BasicDocuments, "paklaring"]), Taker);
        var balance = await Scalar(t, "SELECT balance FROM jht_accounts a JOIN participants p ON p.id = a.participant_id WHERE p.nik = @C", new { C });
        Assert.Equal(balance, claim.Benefit!.Total);
        await h.VerifyAsync(claim.Id, new VerifyInput(), Verifier);
        await h.ApproveAsync(claim.Id, Approver);
        await h.PayAsync(claim.Id, new PayInput("TRF-JHT-C", "2026-01-20"), Approver);
        await h.PayAsync(claim.Id, new PayInput("TRF-JHT-C", "2026-01-20"), Approver);
        Assert.Equal(0, await Scalar(t, "SELECT balance FROM jht_accounts a JOIN participants p ON p.id = a.participant_id WHERE p.nik = @C", new { C }));
        Assert.Equal(1, await Scalar(t, "SELECT count(*) FROM jht_entries WHERE kind = 'payout'"));
        await AssertIdentity(t);

        // The yearly statement: opening + contributions + returns − payouts = closing.
        var s = (await ledger.StatementAsync(A, 2024, Approver))!;
        Assert.Equal(s.Opening + s.Contributions + s.Returns - s.Payouts, s.Closing);
        Assert.Equal(12 * 342_000, s.Contributions); // December 2023 to November 2024, paid in 2024
        Assert.Equal(6.08m, s.RatePercent);
        var y2025 = (await ledger.StatementAsync(A, 2025, Approver))!;
        Assert.Equal(s.Closing, y2025.Opening);
        var c = (await ledger.StatementAsync(C, 2026, Approver))!;
        Assert.Equal((0L, c.Opening), (c.Closing, c.Payouts));
        Assert.Null(await ledger.StatementAsync(A, 2024, Kawal.Identity.Caller.Operator("x") with { Scope = Kawal.Identity.RegionScope.Of(RegionCode.Parse("12")) }));
    }
}
