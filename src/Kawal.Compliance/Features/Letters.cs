using System.Text.Json;
using Kawal.Ui;

namespace Kawal.Compliance.Features;

/// <summary>
/// The case's letters as PDF, from Indonesian templates (docs/compliance.md § Letters): warning letters I and II
/// (PP 86/2013 Art. 6-7) and the special power of attorney (SKK) to the prosecutors' office (UU 16/2004 Art. 30(2)).
/// </summary>
public static class Letters
{
    public static IReadOnlyList<string> Kinds { get; } = ["warning1", "warning2", "skk"];

    private static readonly Dictionary<string, string> KindNames = new(StringComparer.Ordinal)
    {
        ["pwbd"] = "perusahaan wajib belum daftar (PWBD)",
        ["pds_workers"] = "perusahaan daftar sebagian – tenaga kerja (PDS TK)",
        ["pds_wage"] = "perusahaan daftar sebagian – upah (PDS Upah)",
        ["pds_programme"] = "perusahaan daftar sebagian – program (PDS Program)",
        ["arrears"] = "tunggakan iuran",
    };

    public static byte[] Render(CaseDto k, string kind)
    {
        var (title, date, body) = kind switch
        {
            "warning1" when k.Warning1On is { } d => ("SURAT TEGURAN I", d, Warning(k, 1, d)),
            "warning2" when k.Warning2On is { } d => ("SURAT TEGURAN II", d, Warning(k, 2, d)),
            "skk" when k.SkkDate is { } d => ("SURAT KUASA KHUSUS", d, Skk(k, d)),
            _ => throw new ConflictException($"case {k.Number} has no {kind} letter yet", "kind") { Indonesian = $"Kasus {k.Number} belum memiliki surat {(kind switch { "warning1" => "teguran I", "warning2" => "teguran II", _ => "kuasa khusus (SKK)" })}." },
        };
        var pdf = new PdfWriter();
        const double L = PdfWriter.Margin;
        const double Width = PdfWriter.PageWidth - (2 * PdfWriter.Margin);
        pdf.Text(L, pdf.Y, 11, "BPJS KETENAGAKERJAAN", bold: true);
        pdf.Y += 16;
        pdf.Text(L, pdf.Y, 9, $"Nomor: {k.Number}/{kind.ToUpperInvariant()}    Tanggal: {Fmt.Date(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))}");
        pdf.Y += 22;
        pdf.Text(L, pdf.Y, 14, title, bold: true);
        pdf.Y += 24;
        foreach (var paragraph in body)
        {
            foreach (var line in PdfWriter.Wrap(paragraph, 10, Width))
            {
                pdf.Need(14);
                pdf.Text(L, pdf.Y, 10, line);
                pdf.Y += 14;
            }

            pdf.Y += 6;
        }

        pdf.Y += 20;
        pdf.Text(L, pdf.Y, 10, "Kepala Kantor Cabang BPJS Ketenagakerjaan");
        pdf.Y += 40;
        pdf.Text(L, pdf.Y, 10, "(tanda tangan dan nama)");
        return pdf.ToBytes($"{title} {k.Number}");
    }

    private static string Subject(CaseDto k) => $"{k.Name}{(k.Npp is null ? "" : $" (NPP {k.Npp})")}{(k.Nib is null ? "" : $", NIB {k.Nib}")}, wilayah {k.RegionCode}";

    private static string Finding(CaseDto k)
    {
        var e = k.Evidence;
        string P(string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
        return k.Kind switch
        {
            "pwbd" => $"Berdasarkan data perizinan berusaha ({P("source")}), perusahaan mempekerjakan {P("reportedWorkers")} pekerja tetapi belum terdaftar sebagai peserta BPJS Ketenagakerjaan.",
            "pds_workers" => $"Perusahaan melaporkan {P("reportedWorkers")} pekerja ({P("source")}), sedangkan yang terdaftar aktif {P("registeredWorkers")} orang; {P("missing")} pekerja belum didaftarkan.",
            "pds_wage" => $"Upah {P("workersBelow")} pekerja yang dilaporkan di bawah {P("minimumKind")} tahun {P("year")} sebesar {Fmt.Money(e.TryGetProperty("minimum", out var m) ? m.GetInt64() : 0)} (terendah {Fmt.Money(e.TryGetProperty("lowestWage", out var w) ? w.GetInt64() : 0)}).",
            "pds_programme" => $"{P("workersLacking")} pekerja belum diikutsertakan dalam program {string.Join(", ", e.TryGetProperty("missing", out var mi) ? mi.EnumerateArray().Select(x => x.GetString()) : [])} yang wajib bagi usaha skala {P("size")}.",
            _ => $"Terdapat tunggakan iuran sebesar {Fmt.Money(k.OutstandingArrears ?? k.Amount)} (jatuh tempo tertua {P("oldestDue")}).",
        };
    }

    private static List<string> Warning(CaseDto k, int n, string date)
    {
        var due = k.StepDue is { } s && n == (k.Warning2On is null ? 1 : 2) ? s : "10 (sepuluh) hari kerja sejak surat ini";
        return
        [
            $"Kepada: {Subject(k)}.",
            $"Perihal: teguran tertulis {(n == 1 ? "pertama" : "kedua")} atas {KindNames.GetValueOrDefault(k.Kind, k.Kind)}.",
            Finding(k),
            $"Berdasarkan Undang-Undang Nomor 24 Tahun 2011 tentang BPJS dan Peraturan Pemerintah Nomor 86 Tahun 2013 Pasal 6 dan 7, kami meminta Saudara memenuhi kewajiban tersebut paling lambat {due}.",
            n == 1
                ? "Apabila dalam jangka waktu tersebut kewajiban belum dipenuhi, akan diterbitkan teguran tertulis kedua."
                : "Apabila dalam jangka waktu tersebut kewajiban belum dipenuhi, perusahaan dikenai sanksi tidak mendapat pelayanan publik tertentu (TMP2T) dan penanganannya diserahkan kepada Jaksa Pengacara Negara dengan Surat Kuasa Khusus.",
            $"Dibuat di Kawal pada {date}; kasus {k.Number}.",
        ];
    }

    private static List<string> Skk(CaseDto k, string date) =>
    [
        $"Nomor SKK: {k.SkkNumber}.",
        $"Yang bertanda tangan di bawah ini, Kepala Kantor Cabang BPJS Ketenagakerjaan, memberi kuasa khusus kepada {k.OfficeName ?? k.OfficeCode} selaku Jaksa Pengacara Negara (Undang-Undang Nomor 16 Tahun 2004 Pasal 30 ayat (2) sebagaimana diubah dengan Undang-Undang Nomor 11 Tahun 2021).",
        $"Untuk dan atas nama pemberi kuasa melakukan tindakan hukum di dalam maupun di luar pengadilan terhadap {Subject(k)} atas {KindNames.GetValueOrDefault(k.Kind, k.Kind)}.",
        Finding(k),
        $"Nilai yang diserahkan: {Fmt.Money(k.SkkAmount ?? 0)}. Teguran I: {k.Warning1On}; teguran II: {k.Warning2On}.",
        $"Surat kuasa ini berlaku sejak {date} sampai perkara selesai.",
    ];
}
