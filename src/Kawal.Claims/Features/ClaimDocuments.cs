namespace Kawal.Claims.Features;

/// <summary>
/// The documents a claim needs, per programme and kind (docs/claims.md § Documents). Verification needs every required
/// one marked provided; the list follows BPJS Ketenagakerjaan's published claim requirements (Permenaker 5/2021 for
/// JKK/JKM, Permenaker 4/2022 for JHT, Permenaker 15/2021 for JKP).
/// </summary>
public static class ClaimDocuments
{
    private static readonly Dictionary<string, (string Id, string En)> Labels = new(StringComparer.Ordinal)
    {
        ["kartu_peserta"] = ("Kartu peserta BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan membership card"),
        ["ktp"] = ("KTP peserta", "Participant's identity card (KTP)"),
        ["kk"] = ("Kartu keluarga", "Family card (KK)"),
        ["buku_rekening"] = ("Buku tabungan penerima", "Recipient's bank book"),
        ["akta_kematian"] = ("Akta/surat kematian", "Death certificate"),
        ["surat_ahli_waris"] = ("Surat keterangan ahli waris", "Statement of heirs"),
        ["ktp_ahli_waris"] = ("KTP ahli waris", "Heirs' identity cards"),
        ["laporan_kecelakaan"] = ("Laporan kecelakaan kerja tahap I", "Work-accident report, stage I"),
        ["laporan_tahap_ii"] = ("Laporan kecelakaan kerja tahap II (surat keterangan dokter)", "Work-accident report, stage II (doctor's statement)"),
        ["surat_dokter"] = ("Surat keterangan dokter (cacat/STMB)", "Doctor's statement (disability/STMB)"),
        ["paklaring"] = ("Surat keterangan berhenti bekerja", "Letter of termination of employment"),
        ["surat_phk"] = ("Surat PHK / bukti PHK", "Termination letter or evidence"),
        ["dokumen_perumahan"] = ("Dokumen perumahan (untuk 30%)", "Housing documents (for the 30 % payout)"),
        ["bukti_keluar_negeri"] = ("Paspor dan visa (pindah ke luar negeri)", "Passport and visa (leaving Indonesia)"),
        ["surat_pernyataan_tidak_bekerja"] = ("Surat pernyataan tidak bekerja lagi", "Statement of no longer working"),
    };

    public static IReadOnlyList<string> Required(string programme, string kind, string? reason, string? purpose)
    {
        var list = new List<string> { "kartu_peserta", "ktp", "kk", "buku_rekening" };
        switch (programme, kind)
        {
            case (_, "death"):
                list.AddRange(["akta_kematian", "surat_ahli_waris", "ktp_ahli_waris"]);
                if (programme == "JKK")
                {
                    list.AddRange(["laporan_kecelakaan", "laporan_tahap_ii"]);
                }

                break;
            case ("JKK", _):
                list.AddRange(["laporan_kecelakaan", "laporan_tahap_ii", "surat_dokter"]);
                break;
            case ("JHT", "full"):
                if (reason is "resignation" or "termination" or "pkwt_end")
                {
                    list.Add("paklaring");
                }
                else if (reason == "death")
                {
                    list.AddRange(["akta_kematian", "surat_ahli_waris", "ktp_ahli_waris"]);
                }
                else if (reason == "leaving_indonesia")
                {
                    list.Add("bukti_keluar_negeri");
                }

                break;
            case ("JHT", "partial"):
                if (purpose == "housing")
                {
                    list.Add("dokumen_perumahan");
                }

                break;
            case ("JP", _):
                list.Add("surat_pernyataan_tidak_bekerja");
                break;
            case ("JKP", _):
                list.Add("surat_phk");
                break;
        }

        return list;
    }

    public static bool Known(string code) => Labels.ContainsKey(code);

    public static IReadOnlyCollection<string> All => Labels.Keys;

    /// <summary>Every document's words by its code (taught to JsonFacts, for the audit entries that list documents).</summary>
    public static IEnumerable<KeyValuePair<string, (string Id, string En)>> Words => Labels;

    public static (string Id, string En) Label(string code) => Labels.TryGetValue(code, out var l) ? l : (code, code);
}
