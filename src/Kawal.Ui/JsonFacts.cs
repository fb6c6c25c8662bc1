using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kawal.Ui;

/// <summary>
/// A record's stored details (case evidence, case events, audit entries — JSON in the database) as people read them: a
/// list of labelled values, field names in the reader's language, dates as <c>7 Desember 2026</c>, amounts as
/// <c>Rp1.234.567</c>, citations as their legal basis (<see cref="Citations"/>). The one place such details are turned into
/// text for pages (<c>Components/Facts.razor</c>).
/// </summary>
public static partial class JsonFacts
{
    /// <summary>One labelled value; <see cref="Children"/> for a nested object or a list of objects.</summary>
    public sealed record Fact(string Label, string Value, IReadOnlyList<IReadOnlyList<Fact>> Children);

    private static readonly Dictionary<string, (string Id, string En)> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amount"] = ("Jumlah", "Amount"), ["arrears"] = ("Tunggakan", "Arrears"), ["billed"] = ("Ditagih", "Billed"), ["paid"] = ("Dibayar", "Paid"),
        ["period"] = ("Periode", "Period"), ["periods"] = ("Periode", "Periods"), ["from"] = ("Dari", "From"), ["to"] = ("Sampai", "To"),
        ["region"] = ("Wilayah", "Region"), ["regionCode"] = ("Wilayah", "Region"), ["citation"] = ("Dasar hukum", "Legal basis"), ["rule"] = ("Dasar hukum", "Legal basis"),
        ["respondBy"] = ("Batas tanggapan", "Respond by"), ["letter"] = ("Surat", "Letter"), ["number"] = ("Nomor", "Number"), ["reason"] = ("Alasan", "Reason"),
        ["nib"] = ("NIB", "NIB"), ["npp"] = ("NPP", "NPP"), ["name"] = ("Nama", "Name"), ["sector"] = ("Sektor", "Sector"), ["source"] = ("Sumber", "Source"),
        ["workers"] = ("Pekerja", "Workers"), ["reportedWorkers"] = ("Pekerja dilaporkan", "Workers reported"), ["registeredWorkers"] = ("Pekerja terdaftar", "Workers registered"),
        ["registered"] = ("Terdaftar", "Registered"), ["missing"] = ("Belum terdaftar", "Not registered"), ["wage"] = ("Upah", "Wage"), ["reportedWage"] = ("Upah dilaporkan", "Wage reported"),
        ["minimumWage"] = ("Upah minimum", "Minimum wage"), ["minimum"] = ("Upah minimum", "Minimum wage"), ["programmes"] = ("Program", "Programmes"),
        ["missingProgrammes"] = ("Program yang belum diikuti", "Programmes missing"), ["months"] = ("Bulan", "Months"), ["monthsOverdue"] = ("Bulan menunggak", "Months overdue"),
        ["oldest"] = ("Tagihan tertua", "Oldest bill"), ["bills"] = ("Tagihan", "Bills"), ["date"] = ("Tanggal", "Date"), ["status"] = ("Status", "Status"),
        ["office"] = ("Kejaksaan", "Prosecutors' office"), ["recovered"] = ("Dipulihkan", "Recovered"), ["note"] = ("Catatan", "Note"), ["kind"] = ("Jenis", "Kind"),
        ["created"] = ("Dibuat", "Created"), ["updated"] = ("Diubah", "Updated"), ["unchanged"] = ("Tetap", "Unchanged"), ["rejected"] = ("Ditolak", "Rejected"),
        ["lines"] = ("Baris tagihan", "Bill lines"), ["skipped"] = ("Dilewati", "Skipped"), ["supplementary"] = ("Susulan", "Supplementary"),
        ["firstRow"] = ("Baris pertama", "First row"), ["lastRow"] = ("Baris terakhir", "Last row"), ["fromMembership"] = ("Dari kepesertaan", "From membership"),
        ["toMembership"] = ("Sampai kepesertaan", "To membership"), ["username"] = ("Nama pengguna", "Username"), ["role"] = ("Peran", "Role"), ["actor"] = ("Oleh", "By"),
        ["employer"] = ("Pemberi kerja", "Employer"), ["participant"] = ("Peserta", "Participant"), ["segment"] = ("Segmen", "Segment"), ["category"] = ("Kategori", "Category"),
        ["outstanding"] = ("Terutang", "Outstanding"), ["oldestDue"] = ("Jatuh tempo tertua", "Oldest due"), ["buckets"] = ("Umur tunggakan (bulan)", "Arrears by age (months)"),
        ["over12"] = ("Lebih dari 12", "Over 12"), ["thresholdMonths"] = ("Ambang (bulan)", "Threshold (months)"), ["officeName"] = ("Nama kejaksaan", "Office name"),
        ["action"] = ("Tindakan", "Action"), ["address"] = ("Alamat", "Address"), ["already"] = ("Sudah ada", "Already there"), ["asOf"] = ("Per tanggal", "As of"),
        ["bill"] = ("Tagihan", "Bill"), ["bumd_registered"] = ("BUMD terdaftar", "BUMDs registered"), ["bumd_total"] = ("Jumlah BUMD", "BUMDs in total"),
        ["census_count"] = ("Jumlah non-ASN terdata", "Non-ASN staff counted"), ["census_source"] = ("Sumber pendataan", "Census source"), ["channel"] = ("Saluran", "Channel"),
        ["checksum"] = ("Sidik berkas", "File checksum"), ["sha256"] = ("Sidik berkas (SHA-256)", "File checksum (SHA-256)"), ["comment"] = ("Komentar", "Comment"),
        ["cutoff"] = ("Batas tanggal", "Cut-off"), ["deadline"] = ("Tenggat", "Deadline"), ["demo"] = ("Data demo", "Demo data"), ["detail"] = ("Rincian", "Detail"),
        ["documents"] = ("Dokumen", "Documents"), ["effective_date"] = ("Berlaku sejak", "In force from"), ["eventDate"] = ("Tanggal kejadian", "Event date"),
        ["evidence"] = ("Bukti", "Evidence"), ["file"] = ("Berkas", "File"), ["fileName"] = ("Nama berkas", "File name"), ["findings"] = ("Temuan", "Findings"),
        ["fiscal_year"] = ("Tahun anggaran", "Fiscal year"), ["followUp"] = ("Tindak lanjut", "Follow-up"), ["jkp"] = ("JKP", "JKP"),
        ["ledgerRows"] = ("Baris buku besar", "Ledger rows"), ["memberRows"] = ("Baris kepesertaan", "Membership rows"), ["legal_basis"] = ("Dasar hukum", "Legal basis"),
        ["locked"] = ("Dikunci", "Locked"), ["lowestWage"] = ("Upah terendah", "Lowest wage"), ["workersBelow"] = ("Pekerja di bawah upah minimum", "Workers below the minimum"),
        ["minimumKind"] = ("Jenis upah minimum", "Kind of minimum wage"), ["paidOn"] = ("Tanggal bayar", "Paid on"), ["payees"] = ("Penerima", "Payees"),
        ["payerId"] = ("Pembayar", "Payer"), ["payer"] = ("Pembayar", "Payer"), ["pensions"] = ("Pensiun", "Pensions"), ["place"] = ("Tempat", "Place"), ["programme"] = ("Program", "Programme"),
        ["ptsp_required"] = ("Perizinan mensyaratkan kepesertaan", "Licensing requires membership"), ["reactivated"] = ("Diaktifkan kembali", "Reactivated"),
        ["reactivatedIds"] = ("Kepesertaan diaktifkan kembali", "Memberships reactivated"), ["suspended"] = ("Dinonaktifkan", "Suspended"),
        ["suspendedIds"] = ("Kepesertaan dinonaktifkan", "Memberships suspended"), ["recommendations"] = ("Rekomendasi", "Recommendations"), ["reference"] = ("Referensi", "Reference"),
        ["reg_date"] = ("Tanggal ditetapkan", "Enacted on"), ["reg_number"] = ("Nomor regulasi", "Regulation number"), ["reg_status"] = ("Status regulasi", "Regulation status"),
        ["reg_title"] = ("Judul regulasi", "Regulation title"), ["reg_type"] = ("Bentuk regulasi", "Regulation type"), ["region_code"] = ("Wilayah", "Region"),
        ["regions"] = ("Wilayah", "Regions"), ["reopenedUntil"] = ("Dibuka kembali sampai", "Reopened until"), ["resolved"] = ("Diselesaikan", "Resolved"),
        ["riskClass"] = ("Kelompok risiko", "Risk group"), ["rows"] = ("Baris", "Rows"), ["sanction"] = ("Sanksi", "Sanction"),
        ["scholarshipPayments"] = ("Pembayaran beasiswa", "Scholarship payments"), ["scholarships"] = ("Beasiswa", "Scholarships"), ["size"] = ("Skala usaha", "Size"),
        ["target_groups"] = ("Kelompok sasaran", "Target groups"), ["team"] = ("Tim", "Team"), ["total"] = ("Jumlah", "Total"), ["workers_targeted"] = ("Pekerja sasaran", "Workers targeted"),
        ["lumpSum"] = ("Santunan sekaligus", "Lump sum"), ["periodic"] = ("Santunan berkala", "Periodic benefit"), ["funeral"] = ("Biaya pemakaman", "Funeral benefit"),
        ["scholarshipEligible"] = ("Berhak beasiswa", "Scholarship"), ["scholarshipMaximum"] = ("Beasiswa paling banyak", "Scholarship up to"),
        ["percentage"] = ("Persentase cacat", "Disability percentage"), ["base"] = ("Dasar perhitungan", "Basis"), ["eligible"] = ("Memenuhi syarat", "Eligible"),
        ["monthlyPension"] = ("Pensiun bulanan", "Monthly pension"), ["formula"] = ("Menurut rumus", "By the formula"), ["maximum"] = ("Batas atas", "Ceiling"),
        ["percent"] = ("Persentase", "Percentage"), ["age"] = ("Usia", "Age"), ["monthsLate"] = ("Bulan terlambat", "Months late"), ["ratePercent"] = ("Tarif (%)", "Rate (%)"),
        ["startDate"] = ("Mulai", "Start"), ["endDate"] = ("Selesai", "End"), ["basis"] = ("Dasar", "Basis"), ["year"] = ("Tahun", "Year"), ["fiscalYear"] = ("Tahun anggaran", "Fiscal year"),
    };

    /// <summary>
    /// Code values as words, for the fields that hold codes (status, kind, role, …). The workflow statuses of claims,
    /// commitments and cases share these words; a field's own module keeps its finer labels for its pages.
    /// </summary>
    private static readonly Dictionary<string, (string Id, string En)> Words_ = new(StringComparer.Ordinal)
    {
        ["active"] = ("aktif", "active"), ["inactive"] = ("nonaktif", "inactive"), ["ended"] = ("berakhir", "ended"), ["closed"] = ("selesai", "closed"),
        ["draft"] = ("draf", "draft"), ["submitted"] = ("diajukan", "submitted"), ["verified"] = ("diverifikasi", "verified"), ["approved"] = ("disetujui", "approved"),
        ["accepted"] = ("diterima", "accepted"), ["returned"] = ("dikembalikan", "returned"), ["rejected"] = ("ditolak", "rejected"), ["paid"] = ("dibayar", "paid"),
        ["completed"] = ("selesai", "completed"), ["done"] = ("selesai", "done"), ["open"] = ("terbuka", "open"), ["detected"] = ("terdeteksi", "detected"),
        ["warning1"] = ("teguran I", "warning letter 1"), ["warning2"] = ("teguran II", "warning letter 2"), ["skk"] = ("SKK di kejaksaan", "SKK with the prosecutors"),
        ["enacted"] = ("ditetapkan", "enacted"), ["revoked"] = ("dicabut", "revoked"), ["scheduled"] = ("terjadwal", "scheduled"),
        ["perda"] = ("Perda", "Regional regulation (Perda)"), ["perkada"] = ("Perkada", "Head of region regulation (Perkada)"), ["instruksi"] = ("Instruksi", "Instruction"),
        ["keputusan"] = ("Keputusan", "Decree"), ["surat_edaran"] = ("Surat edaran", "Circular"),
        ["apbd"] = ("Alokasi APBD", "APBD allocation"), ["ptsp"] = ("Syarat PTSP", "PTSP requirement"), ["regulation"] = ("Regulasi daerah", "Regional regulation"),
        ["bumd"] = ("Pendaftaran BUMD", "BUMD registration"), ["census"] = ("Pendataan non-ASN", "Non-ASN census"),
        ["employers"] = ("pemberi kerja", "employers"), ["participants"] = ("peserta", "participants"), ["payments"] = ("pembayaran", "payments"),
        ["death"] = ("meninggal dunia", "death"), ["partial"] = ("sebagian", "partial"), ["full"] = ("penuh", "full"), ["stmb"] = ("STMB", "STMB"),
        ["termination"] = ("PHK", "termination"), ["resignation"] = ("mengundurkan diri", "resignation"), ["retirement"] = ("pensiun", "retirement"),
        ["summons"] = ("pemanggilan", "summons"), ["agreement_full"] = ("kesepakatan bayar lunas", "agreement to pay in full"),
        ["agreement_instalments"] = ("kesepakatan bayar bertahap", "agreement to pay in instalments"), ["lawsuit"] = ("gugatan", "lawsuit"), ["note"] = ("catatan", "note"),
        ["micro"] = ("mikro", "micro"), ["small"] = ("kecil", "small"), ["medium"] = ("menengah", "medium"), ["large"] = ("besar", "large"),
        ["admin"] = ("administrator", "administrator"), ["employer"] = ("pemberi kerja", "employer"), ["prosecutor"] = ("jaksa", "prosecutor"), ["public"] = ("publik", "public"),
        ["national_monitor"] = ("tim monev nasional", "national monitoring team"), ["province_officer"] = ("petugas provinsi", "provincial officer"),
        ["regency_officer"] = ("petugas kabupaten/kota", "regency officer"), ["bpjs_officer"] = ("petugas BPJS", "BPJS officer"),
        ["self"] = ("peserta sendiri", "self-paying"), ["other"] = ("lainnya", "other"), ["in_progress"] = ("dalam proses", "in progress"),
        ["claims_history"] = ("riwayat klaim", "claims history"), ["monev_denominators"] = ("pembanding monev", "monev denominators"),
        ["monev_commitments"] = ("komitmen daerah", "regional commitments"), ["business_registry"] = ("data perizinan berusaha", "business licences"),
        ["minimum_wages"] = ("upah minimum", "minimum wages"), ["regular"] = ("pekerja biasa", "regular"), ["non_asn"] = ("non-ASN", "non-civil-servant"),
        ["village_apparatus"] = ("perangkat desa", "village officials"), ["rt_rw"] = ("pengurus RT/RW", "RT/RW heads"),
        ["election_organiser"] = ("penyelenggara pemilu", "election organisers"), ["vulnerable"] = ("pekerja rentan", "vulnerable workers"),
    };

    /// <summary>Code words a module owns (claim documents…), taught at start-up (<see cref="Learn"/>) so that they are kept in one place.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Id, string En)> Learned = new(StringComparer.Ordinal);

    /// <summary>Teaches the words of a module's codes (<c>kartu_peserta</c> → <c>Kartu peserta BPJS Ketenagakerjaan</c>); a code known already keeps its word.</summary>
    public static void Learn(IEnumerable<KeyValuePair<string, (string Id, string En)>> words)
    {
        foreach (var (code, word) in words)
        {
            Learned.TryAdd(code, word);
        }
    }

    private static bool TryWord(string code, out (string Id, string En) word) => Words_.TryGetValue(code, out word) || Learned.TryGetValue(code, out word);

    /// <summary>Fields kept for the record but not shown: the reference data's notes on its sources (docs/ and data/reference/ hold them).</summary>
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "minimumSource", "census_source_note" };

    /// <summary>The facts of a JSON text; an empty list for nothing, and the text itself as one fact when it is not JSON.</summary>
    public static IReadOnlyList<Fact> Of(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return Of(doc.RootElement);
        }
        catch (JsonException)
        {
            return [new Fact("", json, [])];
        }
    }

    public static IReadOnlyList<Fact> Of(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null && !Hidden.Contains(p.Name)).Select(p => FactOf(p.Name, p.Value)).ToList(),
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        _ => [FactOf("", e)],
    };

    /// <summary>A field name in the reader's language: from the list above, else its words (<c>lastPaidOn</c> → <c>last paid on</c>).</summary>
    public static string Label(string key)
    {
        if (Labels.TryGetValue(key, out var l))
        {
            return L.T(l.Id, l.En);
        }

        var words = Words().Replace(key, " $1").Replace('_', ' ').Trim();
        return words.Length == 0 ? "" : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant();
    }

    private static Fact FactOf(string key, JsonElement v)
    {
        var label = Label(key);
        switch (v.ValueKind)
        {
            case JsonValueKind.Object when Money(key):
                return new Fact(label, "", [v.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var r)
                    ? new Fact(Label(p.Name), Fmt.Money(r), []) : FactOf(p.Name, p.Value)).ToList()]);
            case JsonValueKind.Object:
                return new Fact(label, "", [Of(v)]);
            case JsonValueKind.Array when v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Object):
                return new Fact(label, "", v.EnumerateArray().Select(Of).ToList());
            case JsonValueKind.Array:
                return new Fact(label, string.Join(", ", v.EnumerateArray().Select(x => Value(key, x))), []);
            default:
                return new Fact(label, Value(key, v), []);
        }
    }

    private static string Value(string key, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return L.T("ya", "yes");
            case JsonValueKind.False:
                return L.T("tidak", "no");
            case JsonValueKind.Number when Money(key) && v.TryGetInt64(out var rupiah):
                return Fmt.Money(rupiah);
            case JsonValueKind.Number when key.Contains("year", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Id", StringComparison.Ordinal) || key.EndsWith("Ids", StringComparison.Ordinal):
                return v.ToString();
            case JsonValueKind.Number:
                return v.TryGetInt64(out var n) ? Fmt.Number(n) : v.GetDecimal().ToString("0.##", L.IsEnglish ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("id-ID"));
            case JsonValueKind.String:
                var s = v.GetString() ?? "";
                if (key.Equals("citation", StringComparison.OrdinalIgnoreCase) || key.Equals("rule", StringComparison.OrdinalIgnoreCase) || key.Equals("basis", StringComparison.OrdinalIgnoreCase))
                {
                    return Citations.Show(s) is { Length: > 0 } shown ? shown : s;
                }

                if (TryWord(s, out var word))
                {
                    return L.T(word.Id, word.En);
                }

                // A list of codes in one text (target groups: non_asn,vulnerable), each as its word.
                if (s.Contains(',', StringComparison.Ordinal) && s.Split(',', StringSplitOptions.TrimEntries) is var codes && codes.All(c => TryWord(c, out _)))
                {
                    return string.Join(", ", codes.Select(c => TryWord(c, out var w) ? L.T(w.Id, w.En) : c));
                }

                if (s.StartsWith("kejari:", StringComparison.Ordinal) || s.StartsWith("kejati:", StringComparison.Ordinal))
                {
                    return (s.StartsWith("kejari:", StringComparison.Ordinal) ? L.T("Kejaksaan Negeri ", "District prosecutors' office ") : L.T("Kejaksaan Tinggi ", "High prosecutors' office ")) + s[7..];
                }

                return s.Length > 10 && s[10] == 'T' ? Fmt.Time(s) : Fmt.Month(s);
            default:
                return v.ToString();
        }
    }

    private static bool Money(string key) =>
        key.Contains("amount", StringComparison.OrdinalIgnoreCase) || key.Contains("wage", StringComparison.OrdinalIgnoreCase) || key.Contains("arrears", StringComparison.OrdinalIgnoreCase)
        || key.Contains("minimum", StringComparison.OrdinalIgnoreCase) || key is "billed" or "paid" or "recovered" or "outstanding" or "balance" or "fine" or "buckets";

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
