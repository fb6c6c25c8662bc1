using Kawal.Data;
using System.Text;
using Dapper;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Testing;

namespace Kawal.Tests.Monev;

/// <summary>Commitments: submit → verify → accept / return, evidence, locking, audit; and what accepted commitments do to the figures and the scorecard.</summary>
public class WorkflowTests
{
    private static readonly Caller Regency = MonevFixture.Officer(Role.RegencyOfficer, "63.71");
    private static readonly Caller Province = MonevFixture.Officer(Role.ProvinceOfficer, "63");
    private static readonly Caller OtherProvince = MonevFixture.Officer(Role.ProvinceOfficer, "12");

    private static async Task<CommitmentDto> Accepted(MonevFixture f, CommitmentInput input)
    {
        var k = await f.Commitments.SaveAsync(input, Regency);
        await f.Commitments.AddEvidenceAsync(k.Id, "bukti.pdf", "application/pdf", new MemoryStream(Encoding.UTF8.GetBytes("%PDF bukti " + input.Kind)), Regency);
        await f.Commitments.SubmitAsync(k.Id, Regency);
        await f.Commitments.VerifyAsync(k.Id, Province);
        return await f.Commitments.AcceptAsync(k.Id, MonevFixture.National);
    }

    [EngineTheory]
    public async Task A_regency_submits_its_province_verifies_the_nation_accepts_and_every_step_is_audited(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var census = new CommitmentInput("63.71", 2026, "census", CensusCount: 8, CensusSource: "BKN pendataan non-ASN 2022");
        var k = await f.Commitments.SaveAsync(census, Regency);
        Assert.Equal("draft", k.Status);
        var noEvidence = await Assert.ThrowsAsync<UsageException>(() => f.Commitments.SubmitAsync(k.Id, Regency));
        Assert.Equal("evidence", noEvidence.Field);
        var bytes = Encoding.UTF8.GetBytes("daftar non-ASN");
        var e = await f.Commitments.AddEvidenceAsync(k.Id, "daftar.csv", "text/csv", new MemoryStream(bytes), Regency);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), e.Sha256);
        var again = await f.Commitments.AddEvidenceAsync(k.Id, "daftar.csv", "text/csv", new MemoryStream(bytes), Regency);
        Assert.Equal(e.Id, again.Id); // the same file once
        Assert.Equal("submitted", (await f.Commitments.SubmitAsync(k.Id, Regency)).Status);
        await Assert.ThrowsAsync<ConflictException>(() => f.Commitments.SaveAsync(census with { CensusCount = 9 }, Regency)); // submitted: not editable
        await Assert.ThrowsAsync<ConflictException>(() => f.Commitments.AcceptAsync(k.Id, MonevFixture.National)); // not verified yet
        await Assert.ThrowsAsync<NotFoundException>(() => f.Commitments.VerifyAsync(k.Id, OtherProvince));
        await Assert.ThrowsAsync<ForbiddenException>(() => f.Commitments.VerifyAsync(k.Id, Regency));
        var returned = await f.Commitments.ReturnAsync(k.Id, "Lampirkan SK pengangkatan", Province);
        Assert.Equal("returned", returned.Status);
        Assert.Equal("Lampirkan SK pengangkatan", returned.Comment);
        await f.Commitments.SaveAsync(census with { CensusCount = 8 }, Regency);
        await f.Commitments.SubmitAsync(k.Id, Regency);
        Assert.Equal("verified", (await f.Commitments.VerifyAsync(k.Id, Province)).Status);
        await Assert.ThrowsAsync<ForbiddenException>(() => f.Commitments.AcceptAsync(k.Id, Province));
        var accepted = await f.Commitments.AcceptAsync(k.Id, MonevFixture.National);
        Assert.Equal("accepted", accepted.Status);
        Assert.Equal(["create", "submit", "return", "update", "submit", "verify", "accept"], accepted.Steps.Select(s => s.Step));
        var file = await f.Commitments.EvidenceFileAsync(k.Id, e.Id, MonevFixture.National);
        Assert.Equal(bytes, file!.Value.Content);
        Assert.Null(await f.Commitments.EvidenceFileAsync(k.Id, e.Id, OtherProvince));

        // The accepted census is the non-ASN denominator: 2 registered of 8 = 25 %.
        var v = (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Equal(8m, v["non_asn.census"]);
        Assert.Equal(25.0m, v["non_asn.coverage_pct"]);
        Assert.Equal(25.0m, (await f.Indicators.ForAsync("63", MonevFixture.October, MonevFixture.Admin)).Values["non_asn.coverage_pct"]); // the sum of its regencies' census

        await using var c = await f.T.Database.OpenAsync();
        var actions = (await c.QueryAsync<string>("SELECT action FROM audit_log WHERE entity_type = 'commitment' ORDER BY seq")).ToList();
        Assert.Equal(["commitment.create", "commitment.evidence", "commitment.submit", "commitment.return", "commitment.update", "commitment.submit", "commitment.verify", "commitment.accept"], actions);
    }

    [EngineTheory]
    public async Task After_the_deadline_a_year_is_locked_until_an_administrator_reopens_it(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        // Fiscal year 2025's default deadline is 31 March 2026: today (21 Nov 2026) it is locked.
        var input = new CommitmentInput("63.71", 2025, "ptsp", PtspRequired: true, LegalBasis: "Perwal 12/2025", EffectiveDate: "2025-07-01");
        var locked = await Assert.ThrowsAsync<ConflictException>(() => f.Commitments.SaveAsync(input, Regency));
        Assert.Equal("fiscalYear", locked.Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => f.Commitments.SetYearAsync(2025, null, "2026-12-31", MonevFixture.National));
        var year = await f.Commitments.SetYearAsync(2025, null, "2026-12-31", MonevFixture.Admin);
        Assert.False(year.Locked);
        Assert.Equal("draft", (await f.Commitments.SaveAsync(input, Regency)).Status);
        await f.Commitments.SetYearAsync(2025, "2026-03-31", null, MonevFixture.Admin);
        Assert.True((await f.Commitments.YearAsync(2025)).Locked);
    }

    [EngineTheory]
    public async Task Bad_commitments_name_the_field(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        async Task<string?> Field(CommitmentInput i) => (await Assert.ThrowsAsync<UsageException>(() => f.Commitments.SaveAsync(i, Regency))).Field;
        Assert.Equal("kind", await Field(new CommitmentInput("63.71", 2026, "perda")));
        Assert.Equal("region", await Field(new CommitmentInput("63.01", 2026, "census", CensusCount: 1, CensusSource: "x"))); // another regency
        Assert.Equal("fiscalYear", await Field(new CommitmentInput("63.71", 2019, "census", CensusCount: 1, CensusSource: "x")));
        Assert.Equal("amount", await Field(new CommitmentInput("63.71", 2026, "apbd", Amount: 0, WorkersTargeted: 5)));
        Assert.Equal("regType", await Field(new CommitmentInput("63.71", 2026, "regulation", RegType: "perpres", RegNumber: "1", RegTitle: "t", RegStatus: "enacted", RegDate: "2026-01-01")));
        Assert.Equal("regDate", await Field(new CommitmentInput("63.71", 2026, "regulation", RegType: "perda", RegNumber: "1", RegTitle: "t", RegStatus: "enacted")));
        Assert.Equal("bumdRegistered", await Field(new CommitmentInput("63.71", 2026, "bumd", BumdTotal: 2, BumdRegistered: 3)));
        Assert.Equal("targetGroups", await Field(new CommitmentInput("63.71", 2026, "apbd", Amount: 10, WorkersTargeted: 1, TargetGroups: "non_asn,astronauts")));
        await Assert.ThrowsAsync<ForbiddenException>(() => f.Commitments.SaveAsync(new CommitmentInput("63.71", 2026, "census", CensusCount: 1, CensusSource: "x"), MonevFixture.National));
    }

    [EngineTheory]
    public async Task The_scorecard_weighs_accepted_commitments_and_figures_and_ranks_ties_equally(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        await Accepted(f, new CommitmentInput("63.71", 2026, "census", CensusCount: 8, CensusSource: "BKN"));
        await Accepted(f, new CommitmentInput("63.71", 2026, "regulation", RegType: "perda", RegNumber: "3 Tahun 2026", RegDate: "2026-02-01", RegTitle: "Perlindungan Jamsostek", RegStatus: "enacted"));
        await Accepted(f, new CommitmentInput("63.71", 2026, "apbd", Amount: 1_200_000, WorkersTargeted: 10, TargetGroups: "non_asn,vulnerable"));
        await f.Refresher.RefreshAsync(MonevFixture.October, MonevFixture.October, MonevFixture.Admin);
        var board = await f.Scorecards.ForAsync("regency", "63", MonevFixture.October, MonevFixture.Admin);
        var banjarmasin = board.Rows.Single(r => r.Code == "63.71");
        // Regulation 100 (Perda enacted); budget 50 (allocated, nothing paid yet); non-ASN 25 (2 of 8); vulnerable 0 (no estimate);
        // PTSP 0; growth 100 (A C a year ago, A B C F now: +100 %, capped). (20·100 + 20·50 + 20·25 + 15·0 + 10·0 + 15·100) / 100 = 50.0.
        Assert.Equal(new ScoreComponents(100, 50, 25, 0, 0, 100), banjarmasin.Components);
        Assert.Equal(50.0m, banjarmasin.Score);
        Assert.Equal("oranye", banjarmasin.Band);
        Assert.Equal(1, banjarmasin.Rank);
        var tanahLaut = board.Rows.Single(r => r.Code == "63.01"); // D now, D E a year ago: −50 % → growth 0
        Assert.Equal(0m, tanahLaut.Score);
        Assert.Equal(2, tanahLaut.Rank);
        Assert.Equal(board.Rows.Count(r => r.Code.StartsWith("63.", StringComparison.Ordinal)), board.Rows.Count);
        Assert.All(board.Rows.Where(r => r.Code != "63.71"), r => Assert.Equal(2, r.Rank)); // ties share the rank
        var provinces = await f.Scorecards.ForAsync("province", null, MonevFixture.October, MonevFixture.Admin);
        Assert.Equal(38, provinces.Rows.Count);
        Assert.Equal(34, (await f.Scorecards.ForAsync("province", null, new Period(2022, 3), MonevFixture.Admin)).Rows.Count);
        var v = (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Equal(1_200_000m, v["apbd.allocation"]);
        Assert.Equal(0.0m, v["apbd.realisation_pct"]);
    }

    [EngineTheory]
    public async Task Visits_record_recommendations_and_list_the_overdue(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        var visit = await f.Visits.RecordAsync(new VisitInput("2026-09-10", "Banjarmasin", ["Kemenko PMK", "Kemendagri", "BPJS Ketenagakerjaan"], ["63", "63.71"],
            "Perwal belum mewajibkan syarat PTSP", "Anggaran 2026 terbatas",
            [new RecommendationInput("Terbitkan Perwal syarat PTSP", "63.71", "2026-10-31"), new RecommendationInput("Anggarkan iuran 2027", "63.71", "2027-01-31")]), MonevFixture.National);
        Assert.Equal(2, visit.Recommendations.Count);
        var overdue = await f.Visits.RecommendationsAsync("63", true, Province);
        Assert.Equal("Terbitkan Perwal syarat PTSP", Assert.Single(overdue).Action);
        var done = await f.Visits.FollowUpAsync(overdue[0].Id, "done", "Perwal 7/2026 terbit", Regency);
        Assert.False(done.Overdue);
        Assert.Empty(await f.Visits.RecommendationsAsync("63", true, Province));
        await Assert.ThrowsAsync<NotFoundException>(() => f.Visits.FollowUpAsync(overdue[0].Id, "open", null, OtherProvince));
        await Assert.ThrowsAsync<ForbiddenException>(() => f.Visits.RecordAsync(new VisitInput("2026-09-10", "x", ["KSP"], ["63"], "y", null, null), Regency));
        Assert.Equal("date", (await Assert.ThrowsAsync<UsageException>(() => f.Visits.RecordAsync(new VisitInput("2027-01-01", "x", ["KSP"], ["63"], "y", null, null), MonevFixture.National))).Field);
        Assert.Empty(await f.Visits.ListAsync(null, OtherProvince));
        Assert.Single(await f.Visits.ListAsync(null, Regency));
    }
}
