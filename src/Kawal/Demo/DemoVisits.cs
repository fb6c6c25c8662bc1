using Kawal.Identity;
using Kawal.Monev.Features;

namespace Kawal.Demo;

/// <summary>
/// Monitoring visits: the four the seed reports describe (Karo, 17 March 2022; Makassar for Sulawesi and Maluku, 23 May
/// 2022; the South Sumatra region meeting; South and Central Kalimantan), with their findings and recommendations as
/// reported, and a handful of synthetic ones in later years whose recommendations are followed up by the owner regions.
/// Where a report gives no date or due date the value used is listed in docs/demo.md as an assumption.
/// </summary>
internal static class DemoVisits
{
    private static readonly string[] SulawesiMaluku = ["71", "72", "73", "74", "75", "76", "81", "82"];
    private static readonly string[] Sumbagsel = ["16", "15", "17", "18", "19"];

    public static async Task<int> SeedAsync(DemoPopulation population, VisitsHandler visits, DateOnly today, CancellationToken ct)
    {
        // The reported visits are true whatever the population: every demo has them.
        var n = 0;
        async Task Visit(VisitInput v)
        {
            if (Dates.TryParseIso(v.Date, out var d) && d <= today)
            {
                await visits.RecordAsync(v, DemoCallers.National, ct);
                n++;
            }
        }

        await Visit(new VisitInput("2022-03-17", "Aula Kantor Bupati Karo, Kabanjahe", ["Kantor Staf Presiden", "Sekretariat Kabinet", "Kemenko PMK", "BPJS Ketenagakerjaan"], ["12.06"],
            "Audiensi dengan Bupati Karo Cory S. Sebayang dan Wakil Bupati Theopilus Ginting tentang optimalisasi jaminan sosial ketenagakerjaan bagi pekerja rentan dan non-ASN di Kabupaten Karo, setahun setelah Inpres 2/2021; tim KSP menghimpun kendala implementasi dan menawarkan pendampingan. Santunan kematian diserahkan kepada dua ahli waris peserta.",
            null,
            [
                new("Melakukan pengawasan terhadap pelaku usaha yang belum mendaftarkan pekerjanya ke program BPJAMSOSTEK", "12.06", "2022-12-31"),
                new("Mendorong pelaku usaha dan pekerja mandiri untuk tertib iuran jika sudah terdaftar", "12.06", "2022-12-31"),
                new("Berkolaborasi dengan BPJAMSOSTEK setempat untuk memaksimalkan cakupan pekerja rentan yang belum terlindungi (petani, pedagang, pelaku usaha mandiri)", "12.06", "2022-12-31"),
                new("Mendaftarkan seluruh pekerja honorer di lingkungan Pemerintah Kabupaten Karo", "12.06", "2022-12-31"),
            ]));

        await Visit(new VisitInput("2022-05-23", "Hotel Claro, Kota Makassar", ["Kemendagri (Ditjen Bina Keuangan Daerah)", "BPJS Ketenagakerjaan"], SulawesiMaluku,
            "Monitoring dan evaluasi perlindungan non-ASN dan pekerja rentan wilayah Sulawesi dan Maluku: evaluasi penganggaran lanjutan dari evaluasi 23 November 2021, dan tindak lanjut peraturan serta Surat Edaran Menteri Dalam Negeri.",
            null,
            [.. SulawesiMaluku.SelectMany(p => new RecommendationInput[]
            {
                new("Menyusun dan menetapkan regulasi serta mengalokasikan anggaran untuk program jaminan sosial ketenagakerjaan (Permendagri pedoman penyusunan APBD)", p, "2022-12-31"),
                new("Mengambil langkah agar seluruh pekerja penerima upah dan bukan penerima upah, termasuk pegawai pemerintah non-ASN, terdaftar", p, "2022-12-31"),
            })]));

        await Visit(new VisitInput("2022-09-15", "Rapat monev wilayah Sumatera Bagian Selatan (dua hari)", ["Kemenko PMK", "Kemendagri", "Sekretariat Kabinet", "Kantor Staf Presiden", "BPJS Ketenagakerjaan"], Sumbagsel,
            "Cakupan kepesertaan angkatan kerja dalam jaminan sosial ketenagakerjaan baru sekitar 31 persen. Di wilayah ini masih ada pemerintah provinsi dan kabupaten/kota yang belum mengalokasikan anggaran untuk kepesertaan pegawai non-ASN. Santunan JKK, JKM dan beasiswa Rp415 juta diserahkan kepada 5 ahli waris.",
            "Anggaran daerah untuk iuran non-ASN, guru sukarelawan, aparat desa, RT/RW dan pekerja rentan belum dialokasikan di sebagian daerah.",
            [.. Sumbagsel.Select(p => new RecommendationInput("Mengalokasikan APBD untuk iuran pegawai non-ASN, guru sukarelawan, aparat pemerintah desa, RT/RW dan pekerja rentan sesuai kemampuan anggaran", p, "2022-12-31"))]));

        await Visit(new VisitInput("2022-11-15", "Monev Inpres 2/2021 Provinsi Kalimantan Selatan dan Kalimantan Tengah", ["Kemenko PMK", "Sekretariat Kabinet", "Kantor Staf Presiden", "BPJS Ketenagakerjaan"], ["63", "62"],
            "Pemerintah daerah tingkat I dan II diminta mengambil langkah strategis sesuai tugas, fungsi dan kewenangan untuk mengoptimalkan program Jamsostek, termasuk penganggaran iuran sesuai Permendagri 84/2022 tentang pedoman penyusunan APBD 2023.",
            null,
            [
                new("Menganggarkan iuran jaminan sosial ketenagakerjaan pekerja non-ASN dan rentan dalam APBD 2023 sesuai Permendagri 84/2022", "63", "2022-12-31"),
                new("Menganggarkan iuran jaminan sosial ketenagakerjaan pekerja non-ASN dan rentan dalam APBD 2023 sesuai Permendagri 84/2022", "62", "2022-12-31"),
            ]));

        // Synthetic visits of later years (data demo), followed up in every state.
        var provinces = population.Regencies.Select(r => r.Region.ParentCode!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        for (var k = 0; k < 8 && provinces.Count > 0; k++)
        {
            var province = provinces[population.Pick(provinces.Count, 60, (ulong)k)];
            var regency = population.Regencies.Where(r => r.Region.ParentCode == province).Select(r => r.Region.Code).FirstOrDefault() ?? province;
            var date = new DateOnly(2023, 2, 1).AddDays(population.Pick(1200, 61, (ulong)k));
            if (date > today)
            {
                continue;
            }

            var recorded = await visits.RecordAsync(new VisitInput(date.ToIso(), $"Kantor Gubernur {province} (data demo)", ["Kemenko PMK", "Kemendagri", "BPJS Ketenagakerjaan"], [province, regency],
                "Data demo: regulasi daerah sudah ada, alokasi APBD untuk pekerja rentan belum mencakup seluruh kecamatan; pendataan non-ASN belum dicocokkan dengan kepesertaan.",
                "Data demo: keterbatasan fiskal daerah.",
                [
                    new("Data demo: mencocokkan hasil pendataan non-ASN dengan kepesertaan dan mendaftarkan yang belum terdaftar", regency, date.AddMonths(3).ToIso()),
                    new("Data demo: menambah alokasi APBD untuk iuran pekerja rentan tahun anggaran berikutnya", province, date.AddMonths(6).ToIso()),
                ]), DemoCallers.National, ct);
            n++;
            var states = new[] { "done", "in_progress", "open" };
            foreach (var (r, i) in recorded.Recommendations.Select((r, i) => (r, i)))
            {
                var status = states[population.Pick(3, 62, (ulong)k, (ulong)i)];
                if (status != "open")
                {
                    await visits.FollowUpAsync(r.Id, status, status == "done" ? "Data demo: selesai, bukti dilaporkan ke tim monev" : "Data demo: sedang dikerjakan",
                        DemoCallers.Officer(r.OwnerRegion), ct);
                }
            }
        }

        return n;
    }
}
