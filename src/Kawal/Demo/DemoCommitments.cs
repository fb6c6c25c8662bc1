using System.Globalization;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Monev.Features;

namespace Kawal.Demo;

/// <summary>
/// Regional commitments at every stage of the workflow, entered and moved by callers of the right roles: the region's
/// officers save, evidence and submit; the province's verify; the national team accepts or returns. Fiscal years already
/// locked are reopened by the administrator for the seed and locked again (both audited), as an operator backfilling
/// would. Every province and one regency/city in three get commitments for the last two fiscal years.
/// </summary>
internal sealed class DemoCommitments(DemoPopulation population, CommitmentsHandler handler, Database db, TimeProvider time)
{
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var to = population.Options.To.Year;
        var years = new[] { to - 1, to }.Where(y => y >= 2021).ToList();
        var provinces = population.Regencies.Select(r => r.Region.ParentCode!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var targets = provinces.Select(p => (Code: p, Index: 10_000 + int.Parse(p, CultureInfo.InvariantCulture), Pays: population.Unit(50, ulong.Parse(p, CultureInfo.InvariantCulture)) < 0.5))
            .Concat(population.Regencies.Where(r => r.Index % 3 == 0 && r.Region.IsValidOn(time.Today())).Select(r => (Code: r.Region.Code, r.Index, Pays: r.BudgetPays))).ToList();
        var apbdWorkers = await CountsAsync("SELECT payer_ref, COUNT(*) FROM memberships WHERE payer_kind = 'apbd' AND payer_ref IS NOT NULL GROUP BY payer_ref", ct);
        var nonAsn = await CountsAsync("SELECT region_code, COUNT(*) FROM memberships WHERE category = 'non_asn' GROUP BY region_code", ct);
        foreach (var (region, count) in nonAsn.ToList())
        {
            nonAsn[region[..2]] = nonAsn.GetValueOrDefault(region[..2]) + count;
        }

        var n = 0;
        foreach (var year in years)
        {
            var reopened = false;
            if ((await handler.YearAsync(year, ct)).Locked)
            {
                await handler.SetYearAsync(year, null, time.Today().ToIso(), DemoCallers.Admin, ct);
                reopened = true;
            }

            foreach (var (code, index, pays) in targets)
            {
                foreach (var kind in new[] { "regulation", "apbd", "ptsp", "census" })
                {
                    if (kind == "apbd" && !pays)
                    {
                        continue;
                    }

                    // A region that enacted its regulation keeps it: later years carry only the budget, PTSP and census.
                    if (kind == "regulation" && year != years[0] && population.Unit(51, (ulong)index) < 0.6)
                    {
                        continue;
                    }

                    var stage = population.Unit(52, (ulong)index, (ulong)(year * 10 + Array.IndexOf(CommitmentsHandler.Kinds.ToArray(), kind)));
                    if (year < to)
                    {
                        stage = stage * 0.6; // older years are further along
                    }

                    if (stage >= 0.85)
                    {
                        continue; // nothing entered yet
                    }

                    await EnterAsync(code, index, year, kind, stage, apbdWorkers.GetValueOrDefault(code), nonAsn.GetValueOrDefault(code), ct);
                    n++;
                }
            }

            if (reopened)
            {
                await handler.SetYearAsync(year, null, null, DemoCallers.Admin, ct);
            }
        }

        return n;
    }

    private async Task EnterAsync(string code, int index, int year, string kind, double stage, long apbdWorkers, long nonAsn, CancellationToken ct)
    {
        var officer = DemoCallers.Officer(code);
        var u = population.Unit(53, (ulong)index, (ulong)year);
        var regType = code.Length == 2 ? (u < 0.5 ? "perda" : "perkada") : (u < 0.35 ? "perkada" : u < 0.6 ? "perda" : u < 0.8 ? "surat_edaran" : "instruksi");
        var number = string.Create(CultureInfo.InvariantCulture, $"{1 + population.Pick(40, 54, (ulong)index, (ulong)year)} Tahun {year}");
        var workers = Math.Max(10, (long)(apbdWorkers * (1.1 + population.Unit(55, (ulong)index))));
        var input = kind switch
        {
            "regulation" => new CommitmentInput(code, year, kind, RegType: regType, RegNumber: number, RegDate: new DateOnly(year, 1 + population.Pick(9, 56, (ulong)index), 15).ToIso(),
                RegTitle: "Perlindungan Jaminan Sosial Ketenagakerjaan bagi Pekerja Non-ASN dan Pekerja Rentan", RegStatus: stage < 0.7 ? "enacted" : "draft"),
            "apbd" => new CommitmentInput(code, year, kind, Amount: workers * 16_800 * 12 / 1_000_000 * 1_000_000 + 1_000_000, WorkersTargeted: workers, TargetGroups: "non_asn, vulnerable, rt_rw"),
            "ptsp" => stage < 0.5
                ? new CommitmentInput(code, year, kind, PtspRequired: true, LegalBasis: $"Peraturan Kepala Daerah Nomor {number} tentang Persyaratan Perizinan", EffectiveDate: new DateOnly(year, 7, 1).ToIso())
                : new CommitmentInput(code, year, kind, PtspRequired: false),
            _ => new CommitmentInput(code, year, kind, CensusCount: (long)Math.Ceiling(Math.Max(1, nonAsn) * (1.05 + (0.6 * population.Unit(57, (ulong)index, (ulong)year)))), CensusSource: "BKN, pendataan tenaga non-ASN 2022 (data demo)"),
        };
        var k = await handler.SaveAsync(input, officer, ct);
        if (stage >= 0.75)
        {
            return; // draft
        }

        var evidence = Encoding.UTF8.GetBytes($"%PDF-1.4\n% Kawal data demo: bukti {kind} {code} tahun {year}\n%%EOF\n");
        await handler.AddEvidenceAsync(k.Id, $"bukti-{kind}-{code}-{year}.pdf", "application/pdf", new MemoryStream(evidence), officer, ct);
        await handler.SubmitAsync(k.Id, officer, ct);
        if (stage >= 0.65)
        {
            return; // submitted, waiting
        }

        if (code.Length > 2)
        {
            var province = DemoCallers.Officer(code[..2]);
            if (stage >= 0.6)
            {
                await handler.ReturnAsync(k.Id, "Lampirkan dokumen yang ditandatangani dan nomor register", province, ct);
                return;
            }

            await handler.VerifyAsync(k.Id, province, ct);
            if (stage >= 0.5)
            {
                return; // verified, waiting for the national team
            }
        }

        await handler.AcceptAsync(k.Id, DemoCallers.National, ct);
    }

    /// <summary>A count per region from the demo registrations (the APBD allocation's workers, the census above those registered).</summary>
    private async Task<Dictionary<string, long>> CountsAsync(string sql, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Region, long N)>(new CommandDefinition(sql, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        return rows.ToDictionary(r => r.Region, r => r.N, StringComparer.Ordinal);
    }
}
