using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using static Kawal.Tests.Claims.ClaimFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Claims;

/// <summary>The four-eyes workflow, idempotent payment, heirs' shares, the pension run and scoping.</summary>
public class WorkflowTests
{
    private static readonly FixedTime August = new(new DateTimeOffset(2026, 8, 1, 10, 0, 0, TimeSpan.FromHours(7)));

    private static Caller Officer(string name, Role role, string? region) =>
        new(name, role, region is null ? RegionScope.National : RegionScope.Of(RegionCode.Parse(region)), Permissions.Of(role));

    [EngineTheory]
    public async Task A_death_claim_goes_through_four_eyes_is_paid_once_to_the_heirs_and_schedules_the_scholarship(Engine engine)
    {
        await using var t = await LedgerAsync(engine);
        var h = Handler(t);
        var claim = await h.SubmitAsync(new ClaimInput(A, "JKM", "death", "2026-01-10",
            Heirs: [Spouse(), Child("Anak Satu", "2012-03-01"), Child("Anak Dua", "2016-07-01"), new HeirInput("Ibu Peserta", "parent", "1955-01-01")],
            Documents: ["kartu_peserta", "ktp", "kk", "akta_kematian"]), Taker);
        Assert.Equal("submitted", claim.Status);
        Assert.Matches(@"^KLM-2026-\d{7}$", claim.Number);
        // The parent (rank 2) is not entitled while a spouse and children (rank 1) live.
        Assert.Equal([true, true, true, false], claim.Heirs.Select(x => x.Entitled));

        // Verification needs every required document: it names the missing ones and changes nothing.
        var missing = await Assert.ThrowsAsync<UsageException>(() => h.VerifyAsync(claim.Id, new VerifyInput(), Verifier));
        Assert.Contains("surat_ahli_waris", missing.Message, StringComparison.Ordinal);
        Assert.Equal("submitted", (await h.GetAsync(claim.Id, Taker))!.Status);
        var verified = await h.VerifyAsync(claim.Id, new VerifyInput(["surat_ahli_waris", "ktp_ahli_waris", "buku_rekening"]), Verifier);
        Assert.Equal("verified", verified.Status);

        // Four eyes: neither the taker nor the verifier may approve.
        await Assert.ThrowsAsync<ForbiddenException>(() => h.ApproveAsync(claim.Id, Taker));
        await Assert.ThrowsAsync<ForbiddenException>(() => h.ApproveAsync(claim.Id, Verifier));
        // Payment before approval is refused.
        await Assert.ThrowsAsync<ConflictException>(() => h.PayAsync(claim.Id, new PayInput("TRF-KLM-1"), Approver));
        var approved = await h.ApproveAsync(claim.Id, Approver);
        Assert.Equal("approved", approved.Status);
        Assert.Equal("ani", approved.Workflow.ApprovedBy!.Split(':')[1]);

        // Scholarship: two children, one payment a year at the level of their age (PP 82/2019 Art. 25), within Rp174 million.
        Assert.Equal(24, approved.Scholarships.Count);
        Assert.Equal(73_000_000, approved.Scholarships.Where(s => s.HeirSeq == 2).Sum(s => s.Amount)); // 13 now: SMP 2 × 2m, SMA 3 × 3m, higher 5 × 12m (before 23)
        Assert.Equal(79_500_000, approved.Scholarships.Where(s => s.HeirSeq == 3).Sum(s => s.Amount)); // 9 now: TK-SD 3 × 1.5m, SMP 3 × 2m, SMA 3 × 3m, higher 5 × 12m
        Assert.True(approved.Scholarships.Sum(s => s.Amount) <= approved.Benefit!.ScholarshipMaximum);

        // Payment: one transfer reference, a payment per entitled heir; the same reference again changes nothing.
        var paid = await h.PayAsync(claim.Id, new PayInput("TRF-KLM-1", "2026-01-20"), Approver);
        Assert.Equal("paid", paid.Status);
        Assert.Equal([14_000_000L, 14_000_000L, 14_000_000L], paid.Payments.Select(p => p.Amount));
        var again = await h.PayAsync(claim.Id, new PayInput("TRF-KLM-1", "2026-01-20"), Approver);
        Assert.Equal(3, again.Payments.Count);
        Assert.Equal(3, await Scalar(t, "SELECT count(*) FROM claim_payments"));
        // The same reference for another claim is refused; a paid claim cannot be rejected.
        var other = await h.SubmitAsync(new ClaimInput(B, "JKM", "death", "2026-01-10", Heirs: [Spouse("Rina")], Documents: DeathDocuments), Taker);
        await h.VerifyAsync(other.Id, new VerifyInput(), Verifier);
        await h.ApproveAsync(other.Id, Approver);
        await Assert.ThrowsAsync<ConflictException>(() => h.PayAsync(other.Id, new PayInput("TRF-KLM-1"), Approver));
        await Assert.ThrowsAsync<ConflictException>(() => h.RejectAsync(claim.Id, new RejectInput("salah orang"), Approver));
        // A rejection needs a reason and is kept with it.
        await Assert.ThrowsAsync<UsageException>(() => h.RejectAsync(other.Id, new RejectInput(""), Taker));
        var rejected = await h.RejectAsync(other.Id, new RejectInput("Akta kematian palsu"), Taker);
        Assert.Equal(("rejected", "Akta kematian palsu"), (rejected.Status, rejected.Workflow.RejectReason));

        // Every transition is audited with the claim's region.
        var actions = await Query<string>(t, "SELECT action FROM audit_log WHERE entity_type = 'claim' AND entity_id = @n ORDER BY seq", new { n = claim.Number });
        Assert.Equal(["claim.submit", "claim.verify", "claim.approve", "claim.pay"], actions); // (the hand-over below adds claim.handover)

        // The hand-over is linked to a monitoring visit by the national team; an unpaid claim or an unknown visit is refused.
        var visit = await new Kawal.Monev.Features.VisitsHandler(t.Database, new Kawal.Regions.RegionLookup(t.Database), Clock()).RecordAsync(
            new Kawal.Monev.Features.VisitInput("2026-01-20", "Banjarmasin", ["Kemenko PMK", "BPJS Ketenagakerjaan"], ["63.71"], "Santunan diserahkan kepada ahli waris", null, []),
            Caller.Operator("tim"));
        var national = Officer("tim", Role.NationalMonitor, null);
        Assert.Equal(visit.Id, (await h.LinkVisitAsync(claim.Id, new HandoverInput(visit.Id), national)).VisitId);
        await Assert.ThrowsAsync<NotFoundException>(() => h.LinkVisitAsync(claim.Id, new HandoverInput(visit.Id + 100), national));
        await Assert.ThrowsAsync<ConflictException>(() => h.LinkVisitAsync(rejected.Id, new HandoverInput(visit.Id), national));
        await Assert.ThrowsAsync<ForbiddenException>(() => h.LinkVisitAsync(claim.Id, new HandoverInput(visit.Id), Officer("bjm", Role.BpjsOfficer, "63.71")));

        // The pension run pays the scholarships due: the first year of both children in January 2026; once only.
        var runner = new PensionRunner(t.Database, August);
        var run = await runner.RunAsync(new Period(2026, 1), Approver);
        Assert.Equal((2, 3_500_000L), (run.Scholarships, run.Amount));
        Assert.Equal(0, (await runner.RunAsync(new Period(2026, 7), Approver)).Created);
        Assert.Equal(2, (await h.GetAsync(claim.Id, Approver))!.Scholarships.Count(s => s.Status == "paid"));
    }

    [EngineTheory]
    public async Task The_pension_run_pays_JKP_instalments_and_indexed_JP_pensions_once(Engine engine)
    {
        await using var t = await LedgerAsync(engine);
        var h = Handler(t);
        var jkp = await h.SubmitAsync(new ClaimInput(G, "JKP", "job_loss", "2026-01-05", Reason: "termination", BankAccount: "222", Documents: [.. BasicDocuments, "surat_phk"]), Taker);
        await h.VerifyAsync(jkp.Id, new VerifyInput(), Verifier);
        await h.ApproveAsync(jkp.Id, Approver);
        await Assert.ThrowsAsync<ConflictException>(() => h.PayAsync(jkp.Id, new PayInput("TRF-JKP"), Approver));

        // A JP pension claim: the ledger cannot hold 180 JP months before July 2030 (JP began July 2015), so the claim is
        // written as approved, with the first-year pension the rules engine computes for 180 months at Rp2,000,000.
        var pension = Kawal.Rules.Benefits.PensionAndSavings.Jp(new DateOnly(2025, 6, 10), 180, 2_000_000);
        var benefit = new BenefitDto("jp", pension.Total, pension.MonthlyPension, false, 0, [], pension.Trace);
        await using (var c = await t.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c,
                """
                INSERT INTO claims (claim_number, participant_id, programme, kind, event_date, claim_date, details, documents, checks, benefit, total, status, region_code, bank_account,
                                    submitted_by, submitted_at, verified_by, verified_at, approved_by, approved_at, updated_at)
                SELECT 'KLM-TEST-JP', id, 'JP', 'old_age', '2025-06-10', '2025-06-20', '{}', '[]', '[]', @benefit, @total, 'approved', '63.71', '999', 'a', @now, 'b', @now, 'c', @now, @now
                FROM participants WHERE nik = @E
                """, new { benefit = Json.Write(benefit), total = pension.Total, now = August.GetUtcNow(), E });
        }

        Assert.Equal(399_700, pension.MonthlyPension); // 1 % × 15 × Rp2,000,000 = Rp300,000, raised to the 2025 minimum

        var runner = new PensionRunner(t.Database, August);
        var march = await runner.RunAsync(new Period(2026, 3), Approver);
        // JKP: instalments for February and March 2026 (from the month after termination); JP: July 2025 to March 2026.
        Assert.Equal((2, 9), (march.JkpInstalments, march.Pensions));
        var july = await runner.RunAsync(new Period(2026, 7), Approver);
        Assert.Equal((4, 4, 11), (july.JkpInstalments, july.Pensions, july.AlreadyPaid));
        var again = await runner.RunAsync(new Period(2026, 7), Approver);
        Assert.Equal((0, 19), (again.Created, again.AlreadyPaid));

        var payments = await Query<(string Kind, string Period, long Amount)>(t, "SELECT kind, period, amount FROM claim_payments ORDER BY kind, period");
        Assert.Equal(6, payments.Count(p => p.Kind == "jkp"));
        Assert.Equal(16_200_000, payments.Where(p => p.Kind == "jkp").Sum(p => p.Amount)); // 6 × 60 % × Rp4,500,000
        // Indexed at the first anniversary (July 2026) by 2025's inflation, 2.92 % (PP 45/2015 Art. 17).
        Assert.Equal(399_700, payments.Single(p => p.Kind == "pension" && p.Period == "2026-06").Amount);
        Assert.Equal(411_371, payments.Single(p => p.Kind == "pension" && p.Period == "2026-07").Amount);
        Assert.Equal("paid", (await h.GetAsync(jkp.Id, Approver))!.Status);
        // Not yet begun: refused.
        await Assert.ThrowsAsync<UsageException>(() => runner.RunAsync(new Period(2026, 9), Approver));
    }

    [EngineTheory]
    public async Task Claims_are_scoped_by_region_and_role(Engine engine)
    {
        await using var t = await LedgerAsync(engine);
        var h = Handler(t);
        var claim = await h.SubmitAsync(new ClaimInput(A, "JKM", "death", "2026-01-10", Heirs: [Spouse()], Documents: DeathDocuments), Taker);

        var karo = Officer("karo", Role.BpjsOfficer, "12.06");
        Assert.Null(await h.GetAsync(claim.Id, karo));
        Assert.Equal(0, (await h.ListAsync(new ClaimSearch(), karo)).Total);
        await Assert.ThrowsAsync<NotFoundException>(() => h.SubmitAsync(new ClaimInput(B, "JKM", "death", "2026-01-10", Heirs: [Spouse()]), karo));
        await Assert.ThrowsAsync<NotFoundException>(() => h.VerifyAsync(claim.Id, new VerifyInput(), karo));

        var banjarmasin = Officer("bjm", Role.BpjsOfficer, "63.71");
        Assert.NotNull(await h.GetAsync(claim.Id, banjarmasin));
        Assert.Equal(1, (await h.ListAsync(new ClaimSearch(Region: "63"), banjarmasin)).Total);

        // A regency officer (monev) reads no claims; the national team reads but cannot take or approve.
        await Assert.ThrowsAsync<ForbiddenException>(() => h.GetAsync(claim.Id, Officer("kota", Role.RegencyOfficer, "63.71")));
        var national = Officer("tim", Role.NationalMonitor, null);
        Assert.NotNull(await h.GetAsync(claim.Id, national));
        Assert.Equal(Nik.Mask(A), (await h.GetAsync(claim.Id, national))!.Nik);
        await Assert.ThrowsAsync<ForbiddenException>(() => h.SubmitAsync(new ClaimInput(B, "JKM", "death", "2026-01-10"), national));
        await Assert.ThrowsAsync<ForbiddenException>(() => new PensionRunner(t.Database, August).RunAsync(new Period(2026, 1), national));
    }
}
