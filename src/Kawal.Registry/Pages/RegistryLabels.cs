using Kawal.Ui;

namespace Kawal.Registry.Pages;

/// <summary>Indonesian and English labels of the registry's codes.</summary>
public static class RegistryLabels
{
    public static IReadOnlyList<string> Kinds { get; } = ["private", "bumn", "bumd", "central_gov", "regional_gov", "village", "other"];

    public static IReadOnlyList<string> Categories { get; } = ["regular", "non_asn", "village_apparatus", "rt_rw", "election_organiser", "vulnerable"];

    /// <summary>What an import brought in (the <c>kind</c> of <c>imports</c>, each module's ImportRunner kind).</summary>
    public static string ImportKind(string kind) => kind switch
    {
        "participants" => L.T("Peserta", "Participants"),
        "employers" => L.T("Pemberi kerja", "Employers"),
        "payments" => L.T("Pembayaran iuran", "Contribution payments"),
        "claims_history" => L.T("Riwayat klaim", "Claims history"),
        "monev_denominators" => L.T("Pembanding monev (non-ASN, pekerja rentan)", "Monev denominators (non-ASN, vulnerable workers)"),
        "monev_commitments" => L.T("Komitmen daerah", "Regional commitments"),
        "business_registry" => L.T("Data perizinan berusaha (OSS)", "Business licences (OSS)"),
        "minimum_wages" => L.T("Upah minimum", "Minimum wages"),
        _ => kind,
    };

    public static string Kind(string kind) => kind switch
    {
        "private" => L.T("Swasta", "Private company"),
        "bumn" => "BUMN",
        "bumd" => "BUMD",
        "central_gov" => L.T("Instansi pusat", "Central government agency"),
        "regional_gov" => L.T("Pemerintah daerah", "Regional government agency"),
        "village" => L.T("Pemerintah desa", "Village government"),
        _ => L.T("Lainnya", "Other"),
    };

    public static string Category(string category) => category switch
    {
        "regular" => L.T("Pekerja biasa", "Regular"),
        "non_asn" => L.T("Non-ASN", "Non-civil-servant"),
        "village_apparatus" => L.T("Perangkat desa", "Village official"),
        "rt_rw" => L.T("Pengurus RT/RW", "RT/RW head"),
        "election_organiser" => L.T("Penyelenggara pemilu", "Election organiser"),
        "vulnerable" => L.T("Pekerja rentan", "Vulnerable worker"),
        _ => category,
    };

    public static string Status(string status) => status switch
    {
        "active" => L.T("aktif", "active"),
        "inactive" => L.T("nonaktif", "inactive"),
        "ended" => L.T("berakhir", "ended"),
        "closed" => L.T("tutup", "closed"),
        _ => status,
    };

    public static string Occupation(string? occupation) => occupation switch
    {
        null or "" => "",
        "farmer" => L.T("Petani", "Farmer"),
        "fisher" => L.T("Nelayan", "Fisher"),
        "trader" => L.T("Pedagang", "Trader"),
        "driver" => L.T("Pengemudi/ojek", "Driver"),
        "labourer" => L.T("Buruh harian", "Day labourer"),
        "porter" => L.T("Kuli angkut", "Porter"),
        "parking_attendant" => L.T("Juru parkir", "Parking attendant"),
        "artisan" => L.T("Perajin", "Artisan"),
        _ => L.T("Lainnya", "Other"),
    };

    /// <summary>Who pays: <c>employer</c>, <c>self</c>, <c>apbd:35.07</c>, <c>apbdes:…</c>, <c>csr:NAME</c>, <c>baznas</c>.</summary>
    public static string Payer(string? payer)
    {
        if (string.IsNullOrWhiteSpace(payer))
        {
            return "–";
        }

        var colon = payer.IndexOf(':', StringComparison.Ordinal);
        var (kind, reference) = colon < 0 ? (payer, "") : (payer[..colon], " " + payer[(colon + 1)..]);
        return kind switch
        {
            "employer" => L.T("Pemberi kerja", "Employer"),
            "self" => L.T("Peserta sendiri", "Self-paying"),
            "apbd" => "APBD" + reference,
            "apbdes" => "APBDes" + reference,
            "csr" => "CSR" + reference,
            "baznas" => "BAZNAS",
            _ => payer,
        };
    }

    /// <summary>A programme list as stored (<c>JKK,JKM,JHT</c>) as people write it (<c>JKK, JKM, JHT</c>).</summary>
    public static string Programmes(string? programmes) =>
        string.Join(", ", (programmes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>What a membership history entry changed.</summary>
    public static string Change(string change) => change switch
    {
        "created" => L.T("Didaftarkan", "Registered"),
        "wage" => L.T("Upah", "Wage"),
        "programmes" => L.T("Program", "Programmes"),
        "payer" => L.T("Pembayar iuran", "Payer"),
        "category" => L.T("Kategori", "Category"),
        "ended" => L.T("Tanggal berakhir", "End date"),
        "status" => L.T("Status", "Status"),
        "segment" => L.T("Segmen", "Segment"),
        "region" => L.T("Wilayah", "Region"),
        _ => change,
    };

    /// <summary>A value in a membership history entry, in words.</summary>
    public static string ChangeValue(string change, string? value)
    {
        if (value is null)
        {
            return "";
        }

        switch (change)
        {
            case "status":
                return Status(value);
            case "payer":
                return Payer(value);
            case "programmes":
                return Programmes(value);
            case "ended":
                return Fmt.Date(value, L.T("tanpa batas", "open-ended"));
            case "category":
                var parts = value.Split(' ', 2);
                return parts.Length == 2 ? $"{Category(parts[0])} · {Occupation(parts[1])}" : Category(parts[0]);
            case "created":
                var p = value.Split(' ', 3);
                return p.Length == 3 ? $"{p[0]} · {Programmes(p[1])} · {Payer(p[2])}" : value;
            default:
                return value;
        }
    }

    /// <summary>An employer's size class (Codes.Sizes).</summary>
    public static string Size(string? size) => size switch
    {
        null or "" => "–",
        "micro" => L.T("Mikro", "Micro"),
        "small" => L.T("Kecil", "Small"),
        "medium" => L.T("Menengah", "Medium"),
        "large" => L.T("Besar", "Large"),
        _ => size,
    };
}
