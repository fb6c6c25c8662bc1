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
        _ => Status(kind),
    };
}
