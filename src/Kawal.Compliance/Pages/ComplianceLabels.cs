namespace Kawal.Compliance.Pages;

/// <summary>Indonesian and English labels of case kinds and statuses.</summary>
public static class ComplianceLabels
{
    public static (string Id, string En) Kind(string kind) => kind switch
    {
        "pwbd" => ("PWBD – wajib belum daftar", "PWBD – obliged, not registered"),
        "pds_workers" => ("PDS Tenaga Kerja", "PDS workers (not all registered)"),
        "pds_wage" => ("PDS Upah", "PDS wage (below the minimum)"),
        "pds_programme" => ("PDS Program", "PDS programme (not all programmes)"),
        "arrears" => ("Tunggakan iuran", "Contribution arrears"),
        _ => (kind, kind),
    };

    public static (string Id, string En) Status(string status) => status switch
    {
        "open" => ("Semua yang belum selesai", "All still open"),
        "detected" => ("Terdeteksi", "Detected"),
        "warning1" => ("Teguran I", "Warning letter 1"),
        "warning2" => ("Teguran II", "Warning letter 2"),
        "skk" => ("SKK di kejaksaan", "SKK with the prosecutors"),
        "closed" => ("Selesai", "Closed"),
        _ => (status, status),
    };

    /// <summary>A step in a case's history: its statuses, and the events that are not statuses.</summary>
    public static (string Id, string En) Event(string kind) => kind switch
    {
        "recovery" => ("Pemulihan tunggakan", "Arrears recovered"),
        "updated" => ("Bukti diperbarui", "Evidence updated"),
        "sanction" or "tmp2t" => ("Sanksi TMP2T", "TMP2T sanction"),
        "summons" or "agreement_full" or "agreement_instalments" or "lawsuit" or "note" => Action(kind),
        _ => Status(kind),
    };

    /// <summary>
    /// A prosecutors' office as people call it in short: <c>Kejari Kabupaten Malang</c>, <c>Kejati Jawa Timur</c>, from its
    /// name (<c>Kejaksaan Negeri Kabupaten Malang</c>) or, unknown, from its code (<c>kejari:35.07</c> → <c>Kejari 35.07</c>).
    /// </summary>
    public static string Office(string code, string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            return name.Replace("Kejaksaan Negeri ", "Kejari ", StringComparison.Ordinal).Replace("Kejaksaan Tinggi ", "Kejati ", StringComparison.Ordinal);
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? code : code[..colon] switch
        {
            "kejari" => "Kejari " + code[(colon + 1)..],
            "kejati" => "Kejati " + code[(colon + 1)..],
            _ => code,
        };
    }

    /// <summary>What the prosecutors did with an SKK (Cases.ActionKinds).</summary>
    public static (string Id, string En) Action(string kind) => kind switch
    {
        "summons" => ("Pemanggilan", "Summons"),
        "agreement_full" => ("Kesepakatan bayar lunas", "Agreement to pay in full"),
        "agreement_instalments" => ("Kesepakatan bayar bertahap", "Agreement to pay in instalments"),
        "lawsuit" => ("Gugatan", "Lawsuit"),
        "note" => ("Catatan", "Note"),
        _ => (kind, kind),
    };

    /// <summary>Why a case was closed (Cases.CloseReasons).</summary>
    public static (string Id, string En) CloseReason(string reason) => reason switch
    {
        "paid" => ("Tunggakan dibayar", "Arrears paid"),
        "registered" => ("Pekerja/program sudah didaftarkan", "Workers or programmes registered"),
        "uncollectible" => ("Tidak dapat ditagih", "Uncollectible"),
        "resolved" => ("Selesai dengan cara lain", "Resolved otherwise"),
        _ => (reason, reason),
    };

    /// <summary>A case's subject (<c>npp:16411402</c>, <c>nib:…</c>) as people write it: <c>NPP 16411402</c>.</summary>
    public static string Subject(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? key : $"{key[..colon].ToUpperInvariant()} {key[(colon + 1)..]}";
    }
}
