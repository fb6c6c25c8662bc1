using Kawal.Data;
using System.Text;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Monev;

/// <summary>Bulk imports of denominators and commitments: row-level errors, idempotence, scope, locking, dry run.</summary>
public class ImportTests
{
    private static readonly Caller Regency = MonevFixture.Officer(Role.RegencyOfficer, "63.71");

    private static string MonevFile(string name) => Path.Combine(AppContext.BaseDirectory, "Monev", "Files", name);

    private static ImportRequest Request(string file, Caller caller, bool dryRun = false, bool allOrNothing = false) =>
        new(file, caller, Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")), dryRun, allOrNothing);

    private static MonevImportsHandler Handler(MonevFixture f) => new(f.T.Database, f.Regions, f.Commitments, Today);

    private static async Task<List<(int Row, string? Column, string Code)>> Errors(MonevFixture f, long importId) =>
        (await new ListImportsHandler(f.T.Database, Today).GetAsync(importId, MonevFixture.Admin))!.Value.Errors.Select(e => (e.Row, e.Column, e.Code)).ToList();

    [EngineTheory]
    public async Task Denominators_explain_every_rejected_row_and_a_second_run_changes_nothing(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var h = Handler(f);
        var first = await h.DenominatorsAsync(Request(MonevFile("denominators.csv"), MonevFixture.National));
        Assert.Equal(("monev_denominators", "completed", 10, 7, 3, 0), (first.Kind, first.Status, first.Rows, first.Rejected, first.Created, first.Updated));
        Assert.Equal(
            [(5, "region_code", "region.not_valid"), (6, "region_code", "region.unknown"), (7, "kind", "kind.unknown"), (8, "value", "value.format"), (9, "source", "required"),
             (10, "year", "year.range"), (11, "region_code", "duplicate_in_file")],
            await Errors(f, first.ImportId));
        var report = await System.IO.File.ReadAllTextAsync(first.ErrorReport!, Encoding.UTF8);
        Assert.Contains("Wilayah 93 (Papua Selatan) tidak berlaku pada tahun 2021", report, StringComparison.Ordinal);

        var second = await h.DenominatorsAsync(Request(MonevFile("denominators.csv"), MonevFixture.National));
        Assert.Equal((0, 0, 3), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(1, await Count(f.T, "SELECT COUNT(*) FROM monev_denominators WHERE region_code = '63.71' AND year = 2026 AND kind = 'non_asn'"));
        Assert.Equal(12000, await Count(f.T, "SELECT value FROM monev_denominators WHERE region_code = '63.01' AND year = 2026 AND kind = 'vulnerable'"));
        Assert.Equal(first.ImportId, await Count(f.T, "SELECT import_id FROM monev_denominators WHERE region_code = '63' AND year = 2026 AND kind = 'labour_force'"));

        // The imported census is what the indicators divide by: 2 registered non-ASN of 1,250.
        await f.Refresher.RefreshAsync(MonevFixture.October, MonevFixture.October, MonevFixture.Admin);
        var v = (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Equal(1250m, v["non_asn.census"]);
        Assert.Equal(0.2m, v["non_asn.coverage_pct"]);

        // A corrected figure replaces the shipped one and keeps its new source.
        var fix = Path.Combine(Path.GetTempPath(), $"kawal-denominators-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(fix, "kode_wilayah;tahun;jenis;nilai;sumber\n63;2025;angkatan_kerja;2.500.001;BPS, Sakernas Agustus 2025 (revisi)\n");
        var updated = await h.DenominatorsAsync(Request(fix, MonevFixture.National));
        System.IO.File.Delete(fix);
        Assert.Equal((1, 0, 1), (updated.Rows, updated.Rejected, updated.Updated));
        Assert.Equal(2_500_001, await Count(f.T, "SELECT value FROM monev_denominators WHERE region_code = '63' AND year = 2025 AND kind = 'labour_force'"));
    }

    [EngineTheory]
    public async Task Denominators_are_the_national_teams_and_a_dry_run_saves_nothing(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        var h = Handler(f);
        await Assert.ThrowsAsync<ForbiddenException>(() => h.DenominatorsAsync(Request(MonevFile("denominators.csv"), Regency)));
        var before = await Count(f.T, "SELECT COUNT(*) FROM monev_denominators");
        var dry = await h.DenominatorsAsync(Request(MonevFile("denominators.csv"), MonevFixture.National, dryRun: true));
        Assert.Equal((true, 3), (dry.DryRun, dry.Created));
        var atomic = await h.DenominatorsAsync(Request(MonevFile("denominators.csv"), MonevFixture.National, allOrNothing: true));
        Assert.Equal("rolled_back", atomic.Status);
        Assert.Equal(before, await Count(f.T, "SELECT COUNT(*) FROM monev_denominators"));
    }

    [EngineTheory]
    public async Task Commitments_import_as_drafts_with_the_workflows_rules_row_by_row(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        var h = Handler(f);
        var first = await h.CommitmentsAsync(Request(MonevFile("commitments.csv"), Regency));
        Assert.Equal(("monev_commitments", 9, 6, 3), (first.Kind, first.Rows, first.Rejected, first.Created));
        // Each rejected row names its column as the file heads it ("Dasar Hukum"), not by the field it fills (legal_basis).
        Assert.Equal(
            [(4, "Dasar Hukum", "commitment.invalid"), (5, "BUMD Terdaftar", "commitment.invalid"), (6, "Kode Wilayah", "commitment.invalid"), (7, "Tahun Anggaran", "year.locked"),
             (8, "Tanggal Regulasi", "date.format"), (10, "Jenis", "duplicate_in_file")],
            await Errors(f, first.ImportId));
        var list = await f.Commitments.ListAsync("63.71", 2026, null, Regency);
        Assert.Equal(["apbd", "census", "regulation"], list.Select(k => k.Kind).Order());
        Assert.All(list, k => Assert.Equal("draft", k.Status));
        var apbd = list.Single(k => k.Kind == "apbd");
        Assert.Equal((1_500_000_000L, 8_000L, "non_asn,vulnerable"), (apbd.Amount, apbd.WorkersTargeted, apbd.TargetGroups));
        var regulation = list.Single(k => k.Kind == "regulation");
        Assert.Equal(("perkada", "2026-03-15"), (regulation.RegType, regulation.RegDate));

        // Again: nothing changes, no new workflow step.
        var second = await h.CommitmentsAsync(Request(MonevFile("commitments.csv"), Regency));
        Assert.Equal((0, 0, 3), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(3, await Count(f.T, "SELECT COUNT(*) FROM commitment_steps"));

        // Once submitted, a commitment is no longer the import's to change.
        await f.Commitments.AddEvidenceAsync(regulation.Id, "perwal.pdf", "application/pdf", new MemoryStream("%PDF perwal"u8.ToArray()), Regency);
        await f.Commitments.SubmitAsync(regulation.Id, Regency);
        var third = await h.CommitmentsAsync(Request(MonevFile("commitments.csv"), Regency));
        Assert.Equal((7, 2), (third.Rejected, third.Unchanged));
        Assert.Contains((2, "Jenis", "commitment.status"), await Errors(f, third.ImportId));
        Assert.Equal("submitted", (await f.Commitments.GetAsync(regulation.Id, Regency))!.Status);

        await Assert.ThrowsAsync<ForbiddenException>(() => h.CommitmentsAsync(Request(MonevFile("commitments.csv"), MonevFixture.National)));
    }

    [EngineTheory]
    public async Task Figures_kept_in_memory_follow_a_new_denominator_and_a_refresh(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var before = (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values;
        Assert.Null(before["non_asn.census"]);
        var total = before["participants.total"];
        await Handler(f).DenominatorsAsync(Request(MonevFile("denominators.csv"), MonevFixture.National));
        Assert.Equal(1250m, (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values["non_asn.census"]);

        // A registration shows only after the month is refreshed again.
        var registry = new Kawal.Registry.Features.RegisterRecordsHandler(f.T.Database, f.Regions, Today);
        var added = await registry.RegisterParticipantAsync(new Dictionary<string, string?>
        {
            ["nik"] = "6371015506880011", ["name"] = "I woman 1988", ["segment"] = "BPU", ["category"] = "regular", ["wage"] = "2000000", ["start_date"] = "2026-10-02",
        }, MonevFixture.Admin);
        Assert.True(added.Ok, string.Join("; ", added.Errors.Select(e => e.MessageEn)));
        Assert.Equal(total, (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values["participants.total"]);
        await new SummaryRefresher(f.T.Database, new FixedTime(Today.Now.AddMinutes(15))).RefreshAsync(MonevFixture.October, MonevFixture.October, MonevFixture.Admin);
        Assert.Equal(total + 1, (await f.Indicators.ForAsync("63.71", MonevFixture.October, MonevFixture.Admin)).Values["participants.total"]);
    }
}
