using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Claims.ClaimFixture;

namespace Kawal.Tests.Claims;

/// <summary>
/// Every eligibility rule on both sides of its boundary, decided from the ledger and the registry (the claim form
/// asserts nothing about contribution months, status or membership dates).
/// </summary>
public class EligibilityTests
{
    private static ClaimInput Jkm(string nik, string eventDate, params HeirInput[] heirs) =>
        new(nik, "JKM", "death", eventDate, Heirs: heirs, Documents: DeathDocuments);

    private static string? Refusal(ClaimDto k) => k.Checks.FirstOrDefault(c => !c.Passed)?.Rule;

    [EngineTheory]
    public async Task Eligibility_boundaries_from_the_ledger(Engine engine)
    {
        await using var t = await LedgerAsync(engine);
        var h = Handler(t);

        // JKM scholarship: 36 paid months qualify, 35 do not (PP 82/2019 Art. 34).
        var a = await h.SubmitAsync(Jkm(A, "2026-01-10", Spouse(), Child("Anak Satu", "2012-03-01"), Child("Anak Dua", "2016-07-01")), Taker);
        Assert.Equal("submitted", a.Status);
        Assert.True(a.Benefit!.ScholarshipEligible);
        Assert.Equal(42_000_000, a.Benefit.Total);
        Assert.Equal(174_000_000, a.Benefit.ScholarshipMaximum);
        Assert.Contains(a.Benefit.Trace, s => s.ParameterId == "scholarship.jkm_min_months" && s.Citation!.Contains("PP 82/2019", StringComparison.Ordinal));
        Assert.Contains(a.Benefit.Trace, s => s.DescriptionEn.StartsWith("36 contribution months", StringComparison.Ordinal));
        var b = await h.SubmitAsync(Jkm(B, "2026-01-10", Spouse("Rina")), Taker);
        Assert.Equal("submitted", b.Status);
        Assert.False(b.Benefit!.ScholarshipEligible);
        Assert.Contains(b.Benefit.Trace, s => s.DescriptionEn.StartsWith("35 contribution months", StringComparison.Ordinal));

        // Heirs: spouse and children share equally; a parent is not entitled while they live (rank 2 after rank 1).
        Assert.All(a.Heirs, x => Assert.True(x.Entitled));
        Assert.Equal(14_000_000, a.Heirs[0].Share);
        Assert.Equal(42_000_000, a.Heirs.Sum(x => x.Share));

        // Membership non-aktif on the event day: Hana stopped paying in June 2025; the arrears rule suspended her on 2026-01-20.
        var later = new FixedTime(new DateTimeOffset(2026, 1, 30, 10, 0, 0, TimeSpan.FromHours(7)));
        var hana = await Handler(t, later).SubmitAsync(Jkm(H, "2026-01-25", Spouse("Joko")), Taker);
        Assert.Equal("rejected", hana.Status);
        Assert.Equal("membership.active", Refusal(hana));
        Assert.Equal("arrears.inactive.months", hana.Checks.First(c => c.Rule == "membership.active").ParameterId);
        Assert.NotNull(hana.Workflow.RejectReason);
        // The day before the suspension she was still active.
        var before = await Handler(t, later).SubmitAsync(Jkm(H, "2026-01-19", Spouse("Joko")), Taker);
        Assert.Equal("submitted", before.Status);

        // No membership on the event day: Citra's ended on 2025-07-01.
        var citra = await h.SubmitAsync(Jkm(C, "2025-08-01", Spouse("Dodi")), Taker);
        Assert.Equal("membership.covers", Refusal(citra));
        var citraCovered = await h.SubmitAsync(Jkm(C, "2025-06-30", Spouse("Dodi")), Taker);
        Assert.Equal("submitted", citraCovered.Status);

        // JKK: the claim expires 2 years after the accident (PP 44/2015).
        var jkk = new ClaimInput(D, "JKK", "partial_disability", "2024-01-10", Percentage: 35, AccidentReport: "LKK-001", BankAccount: "111", ClaimDate: "2026-01-10");
        Assert.Equal("submitted", (await h.SubmitAsync(jkk, Taker)).Status);
        var late = await h.SubmitAsync(jkk with { EventDate = "2024-01-09", ClaimDate = "2026-01-10" }, Taker);
        Assert.Equal("jkk.claim_deadline", Refusal(late));
        var noReport = await h.SubmitAsync(jkk with { EventDate = "2025-03-03", AccidentReport = null }, Taker);
        Assert.Equal("jkk.accident_report", Refusal(noReport));

        // JKP (PP 6/2025): 12 paid months within the 24 before the termination; 11 are not enough.
        var jkp = new ClaimInput(G, "JKP", "job_loss", "2026-01-05", Reason: "termination", BankAccount: "222", Documents: ["surat_phk"]);
        var g = await h.SubmitAsync(jkp, Taker);
        Assert.Equal("submitted", g.Status);
        Assert.Equal(6, g.Benefit!.Schedule.Count);
        Assert.Equal(2_700_000, g.Benefit.Schedule[0].Amount); // 60 % × Rp4,500,000
        var f = await h.SubmitAsync(jkp with { Nik = F }, Taker);
        Assert.Equal("jkp.min_contributions", Refusal(f));
        // Resignation gives no JKP.
        Assert.Equal("jkp.cause", Refusal(await h.SubmitAsync(jkp with { Nik = A, Reason = "resignation" }, Taker)));

        // JKP deadline: 6 months after 7 Feb 2025, 3 months before.
        var after = jkp with { Nik = A, EventDate = "2025-07-15", ClaimDate = "2026-01-15" };
        Assert.Equal("submitted", (await h.SubmitAsync(after, Taker)).Status);
        Assert.Equal("jkp.claim_deadline", Refusal(await h.SubmitAsync(after with { Nik = B, ClaimDate = "2026-01-16" }, Taker)));
        var old = jkp with { Nik = D, EventDate = "2025-01-10", ClaimDate = "2025-04-10" };
        var dOld = await h.SubmitAsync(old, Taker);
        Assert.Equal("submitted", dOld.Status);
        Assert.Contains(dOld.Checks, c => c.Rule == "jkp.consecutive_months" && c.Passed); // PP 37/2021's six consecutive months still applied then
        Assert.Equal(8_400_000, dOld.Benefit!.Total); // 3 × 45 % + 3 × 25 % of Rp4,000,000 (PP 37/2021)
        Assert.Equal("jkp.claim_deadline", Refusal(await h.SubmitAsync(old with { Nik = E, ClaimDate = "2025-04-11" }, Taker)));

        // JHT after resignation: one month's wait after the membership ended (Permenaker 4/2022).
        var jht = new ClaimInput(C, "JHT", "full", "2025-07-01", Reason: "resignation", BankAccount: "333", ClaimDate: "2025-07-31", Documents: ["paklaring"]);
        Assert.Equal("jht.waiting_period", Refusal(await h.SubmitAsync(jht, Taker)));
        var c = await h.SubmitAsync(jht with { ClaimDate = "2025-08-01" }, Taker);
        Assert.Equal("submitted", c.Status);
        Assert.True(c.Benefit!.Total > 0);
        // Still employed: no full payout for a resignation.
        Assert.Equal("jht.membership_ended", Refusal(await h.SubmitAsync(jht with { Nik = A, EventDate = "2025-12-01", ClaimDate = "2026-01-10" }, Taker)));

        // JHT partial: ten years of membership (Dedi since 2014); Ahmad (since 2023) is refused.
        var partial = new ClaimInput(D, "JHT", "partial", "2026-01-10", Purpose: "other", BankAccount: "444");
        var d = await h.SubmitAsync(partial, Taker);
        Assert.Equal("submitted", d.Status);
        Assert.Equal("jht.partial.min_years", Refusal(await h.SubmitAsync(partial with { Nik = A }, Taker)));

        // JP: at pension age (59 for 2025) with fewer than 180 months: the contributions are paid as a lump sum.
        var jp = new ClaimInput(E, "JP", "old_age", "2025-06-01", BankAccount: "555", Documents: ["surat_pernyataan_tidak_bekerja"]);
        var e = await h.SubmitAsync(jp, Taker);
        Assert.Equal("submitted", e.Status);
        Assert.Equal("jp-lump-sum", e.Benefit!.Kind);
        Assert.Null(e.Benefit.Monthly);
        Assert.Equal(await Scalar(t, "SELECT SUM(l.jp_amount) FROM bill_lines l JOIN memberships m ON m.id = l.membership_id JOIN participants p ON p.id = m.participant_id WHERE p.nik = @E", new { E }),
            e.Benefit.Total);
        Assert.Equal("jp.retirement_age", Refusal(await h.SubmitAsync(jp with { Nik = A, EventDate = "2025-12-01" }, Taker)));
    }
}
