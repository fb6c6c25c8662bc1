using System.Globalization;
using Dapper;
using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Import;

namespace Kawal.Demo;

/// <summary>
/// The demo's claims: a deterministic sample of participants claim through the claims handler (eligibility from the
/// demo's ledger — some are refused, with the rule), two BPJS officers take them through the four-eyes workflow, and the
/// pension run pays the JKP instalments; with <c>--scenario seeds</c>, the claims the seed reports give per province are
/// imported as published aggregates (docs/demo.md).
/// </summary>
internal static class DemoClaims
{
    public static Caller Taker { get; } = new("demo:petugas-klaim", Role.BpjsOfficer, RegionScope.National, Permissions.Of(Role.BpjsOfficer));

    public static Caller Approver { get; } = new("demo:kepala-bidang", Role.BpjsOfficer, RegionScope.National, Permissions.Of(Role.BpjsOfficer));

    /// <summary>The seed reports' claim figures: province, first and last month, cases, rupiah, source.</summary>
    public static IReadOnlyList<(string Province, Period From, Period To, long Cases, long Amount, string Source)> Reported { get; } =
    [
        ("16", new Period(2021, 8), new Period(2022, 8), 75_000, 1_100_000_000_000, "Seed report 000 (BPJAMSOSTEK Sumbagsel, Sep 2022): Sumatera Selatan Rp1,1 triliun, 75.000 kasus, Agu 2021–Agu 2022"),
        ("18", new Period(2021, 8), new Period(2022, 8), 57_000, 772_000_000_000, "Seed report 000: Lampung Rp772 miliar, 57.000 kasus, Agu 2021–Agu 2022"),
        ("17", new Period(2021, 8), new Period(2022, 8), 15_000, 193_000_000_000, "Seed report 000: Bengkulu Rp193 miliar, 15.000 kasus, Agu 2021–Agu 2022"),
        ("15", new Period(2021, 8), new Period(2022, 8), 49_000, 634_000_000_000, "Seed report 000: Jambi Rp634 miliar, 49.000 kasus, Agu 2021–Agu 2022"),
        ("19", new Period(2021, 8), new Period(2022, 8), 19_000, 240_000_000_000, "Seed report 000: Bangka Belitung Rp240 miliar, 19.000 kasus, Agu 2021–Agu 2022"),
        ("63", new Period(2021, 1), new Period(2021, 9), 33_172, 336_000_000_000, "Seed report 002 (ANTARA Kalsel, 2021): Kalimantan Selatan Rp336 miliar, 33.172 kasus, s.d. Sep 2021"),
    ];

    /// <summary>The reported totals spread evenly over their months (the reports give only totals), the remainder in the last month.</summary>
    public static IEnumerable<string> HistoryLines()
    {
        foreach (var (province, from, to, cases, amount, source) in Reported)
        {
            var months = from.MonthsUntil(to) + 1;
            for (var (p, i) = (from, 0); p <= to; p = p.Next, i++)
            {
                var last = i == months - 1;
                var c = cases / months + (last ? cases % months : 0);
                var a = amount / months + (last ? amount % months : 0);
                yield return string.Join(',', province, p.ToString(), "ALL", c.ToString(CultureInfo.InvariantCulture), a.ToString(CultureInfo.InvariantCulture), Csv.Field(source));
            }
        }
    }

    public static async Task ImportHistoryAsync(ClaimStatistics stats, string folder, CancellationToken ct)
    {
        var file = Path.Combine(folder, "claims-history.csv");
        DemoPopulation.Write(file, "region_code,period,programme,cases,amount,source", HistoryLines());
        var summary = await stats.ImportHistoryAsync(new ImportRequest(file, DemoCallers.Admin, folder, Demo: true), ct);
        if (summary.Rejected > 0)
        {
            throw new KawalException($"the demo's claims history was rejected in {summary.Rejected} rows; see {summary.ErrorReport}");
        }
    }

    private static readonly string[] Basic = ["kartu_peserta", "ktp", "kk", "buku_rekening"];
    private static readonly string[] Death = ["akta_kematian", "surat_ahli_waris", "ktp_ahli_waris"];
    private static readonly string[] Accident = ["laporan_kecelakaan", "laporan_tahap_ii", "surat_dokter"];

    /// <summary>Claims of a sample of the demo's PU participants; returns (taken, refused, payments made).</summary>
    public static async Task<(int Taken, int Refused, int Paid)> SeedAsync(Database db, ClaimsHandler claims, PensionRunner pensions, int participants, DateOnly today, CancellationToken ct)
    {
        var count = Math.Clamp(participants / 1_000, 6, 300);
        List<string> niks;
        await using (var c = await db.OpenAsync(ct))
        {
            var candidates = (await c.QueryAsync<string>(new CommandDefinition(
                """
                SELECT p.nik FROM participants p
                WHERE p.is_demo AND EXISTS (SELECT 1 FROM memberships m WHERE m.participant_id = p.id AND m.segment = 'PU' AND m.status = 'active' AND m.programmes LIKE '%JKP%')
                ORDER BY p.id
                """, cancellationToken: ct))).ToList();
            var step = Math.Max(1, candidates.Count / count);
            niks = candidates.Where((_, i) => i % step == 0).Take(count).ToList();
        }

        int taken = 0, refused = 0, paid = 0;
        var eventDay = today.AddDays(-20);
        for (var i = 0; i < niks.Count; i++)
        {
            var nik = niks[i];
            var input = Input(i % 6, i, nik, eventDay);
            var k = await claims.SubmitAsync(input, Taker, ct);
            taken++;
            if (k.Status == "rejected")
            {
                refused++;
                continue;
            }

            // Most are verified; two in three of those approved; the lump sums of most approved ones paid.
            if (i % 7 == 6)
            {
                continue;
            }

            await claims.VerifyAsync(k.Id, new VerifyInput(), Taker, ct);
            if (i % 3 == 2)
            {
                continue;
            }

            k = await claims.ApproveAsync(k.Id, Approver, ct);
            if (k.Programme != "JKP" && i % 5 != 4)
            {
                await claims.PayAsync(k.Id, new PayInput("DEMO-TRF-" + k.Number, today.ToIso()), Approver, ct);
                paid++;
            }
        }

        var (regionTaken, regionRefused, regionPaid) = await SeedRegionAsync(db, claims, DemoEmployer.Region, today, ct);
        var run = await pensions.RunAsync(Period.Of(today), Approver, ct);
        return (taken + regionTaken, refused + regionRefused, paid + regionPaid + run.Created);
    }

    /// <summary>The workflow's statuses, in the order a region's claims are taken to them.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["submitted", "verified", "approved", "paid", "rejected"];

    /// <summary>
    /// Claims of a region's participants (Kab. Malang: the demo BPJS officer's and the demo employer's region) at every
    /// step of the four-eyes workflow: one left submitted, one verified, one approved, one paid and one rejected (by a rule
    /// or, failing that, by the officer). Participants with a claim already are left out.
    /// </summary>
    private static async Task<(int Taken, int Refused, int Paid)> SeedRegionAsync(Database db, ClaimsHandler claims, string region, DateOnly today, CancellationToken ct)
    {
        List<string> niks;
        await using (var c = await db.OpenAsync(ct))
        {
            niks = (await c.QueryAsync<string>(new CommandDefinition(
                """
                SELECT p.nik FROM participants p
                WHERE p.is_demo AND NOT EXISTS (SELECT 1 FROM claims k WHERE k.participant_id = p.id)
                  AND EXISTS (SELECT 1 FROM memberships m WHERE m.participant_id = p.id AND m.segment = 'PU' AND m.status = 'active' AND m.region_code = @region)
                ORDER BY p.id
                """, new { region }, cancellationToken: ct))).ToList();
        }

        int taken = 0, refused = 0, paid = 0;
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var eventDay = today.AddDays(-20);
        int[] kinds = [0, 2, 1, 5]; // JKM death, JKK temporary inability, JKK partial disability, JKM death (a parent as heir): no JKP, which the pension run pays
        for (var i = 0; i < niks.Count && reached.Count < Statuses.Count; i++)
        {
            var target = Statuses.First(s => !reached.Contains(s));
            var k = await claims.SubmitAsync(Input(kinds[i % kinds.Length], 500 + i, niks[i], eventDay), Taker, ct);
            taken++;
            if (k.Status == "rejected")
            {
                refused++;
                reached.Add("rejected");
                continue;
            }

            if (target != "submitted")
            {
                k = await claims.VerifyAsync(k.Id, new VerifyInput(), Taker, ct);
            }

            if (target == "rejected")
            {
                k = await claims.RejectAsync(k.Id, new RejectInput("Dokumen ahli waris tidak sesuai dengan KK (demo)"), Approver, ct);
            }
            else if (target is "approved" or "paid")
            {
                k = await claims.ApproveAsync(k.Id, Approver, ct);
            }

            if (target == "paid")
            {
                k = await claims.PayAsync(k.Id, new PayInput("DEMO-TRF-" + k.Number, today.ToIso()), Approver, ct);
                paid++;
            }

            reached.Add(k.Status);
        }

        return (taken, refused, paid);
    }

    private static ClaimInput Input(int kind, int i, string nik, DateOnly eventDay) =>
        kind switch
        {
            0 => new ClaimInput(nik, "JKM", "death", eventDay.ToIso(), Heirs: [new HeirInput("Ahli Waris " + i.ToString(CultureInfo.InvariantCulture), "spouse", "1985-01-01", BankAccount: "900" + nik[^6..]),
                new HeirInput("Anak " + i.ToString(CultureInfo.InvariantCulture), "child", "2014-06-01", BankAccount: "901" + nik[^6..])], Documents: [.. Basic, .. Death]),
            1 => new ClaimInput(nik, "JKK", "partial_disability", eventDay.ToIso(), Percentage: 35, AccidentReport: "LKK-DEMO-" + i.ToString(CultureInfo.InvariantCulture),
                BankAccount: "902" + nik[^6..], Documents: [.. Basic, .. Accident]),
            2 => new ClaimInput(nik, "JKK", "stmb", eventDay.ToIso(), Months: 2 + (i % 4), AccidentReport: "LKK-DEMO-" + i.ToString(CultureInfo.InvariantCulture),
                BankAccount: "903" + nik[^6..], Documents: [.. Basic, .. Accident]),
            3 => new ClaimInput(nik, "JKP", "job_loss", eventDay.ToIso(), Reason: "termination", BankAccount: "904" + nik[^6..], Documents: [.. Basic, "surat_phk"]),
            4 => new ClaimInput(nik, "JHT", "partial", eventDay.ToIso(), Purpose: "other", BankAccount: "905" + nik[^6..], Documents: Basic),
            _ => new ClaimInput(nik, "JKM", "death", eventDay.ToIso(), Heirs: [new HeirInput("Orang Tua " + i.ToString(CultureInfo.InvariantCulture), "parent", "1950-01-01", BankAccount: "906" + nik[^6..])],
                Documents: [.. Basic, .. Death]),
        };
}
