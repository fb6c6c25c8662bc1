namespace Kawal.Claims.Pages;

/// <summary>Indonesian and English labels of claim statuses, programmes and kinds for the pages.</summary>
public static class ClaimLabels
{
    public static (string Id, string En) Status(string status) => status switch
    {
        "submitted" => ("Diajukan", "Submitted"),
        "verified" => ("Dokumen diverifikasi", "Verified"),
        "approved" => ("Disetujui", "Approved"),
        "paid" => ("Dibayar", "Paid"),
        "rejected" => ("Ditolak", "Rejected"),
        _ => (status, status),
    };

    public static (string Id, string En) Kind(string programme, string kind) => (programme, kind) switch
    {
        ("JKM", _) => ("JKM – kematian", "JKM – death"),
        ("JKK", "death") => ("JKK – meninggal akibat kecelakaan kerja", "JKK – death from a work accident"),
        ("JKK", "total_disability") => ("JKK – cacat total tetap", "JKK – total permanent disability"),
        ("JKK", "partial_disability") => ("JKK – cacat sebagian", "JKK – partial disability"),
        ("JKK", "stmb") => ("JKK – STMB (upah selama tidak mampu bekerja)", "JKK – STMB (wage while unfit for work)"),
        ("JHT", "full") => ("JHT – pembayaran penuh", "JHT – full payout"),
        ("JHT", "partial") => ("JHT – klaim sebagian (sekali)", "JHT – partial payout (once)"),
        ("JP", _) => ("JP – pensiun hari tua", "JP – old-age pension"),
        ("JKP", _) => ("JKP – kehilangan pekerjaan", "JKP – job loss"),
        _ => ($"{programme} {kind}", $"{programme} {kind}"),
    };

    public static (string Id, string En) Relation(string relation) => relation switch
    {
        "spouse" => ("Suami/istri", "Spouse"),
        "child" => ("Anak", "Child"),
        "parent" => ("Orang tua", "Parent"),
        "grandparent" => ("Kakek/nenek", "Grandparent"),
        "grandchild" => ("Cucu", "Grandchild"),
        "sibling" => ("Saudara kandung", "Sibling"),
        "parent_in_law" => ("Mertua", "Parent-in-law"),
        "appointed" => ("Ditunjuk dalam wasiat", "Named in the will"),
        "funeral_organiser" => ("Pengurus pemakaman", "Funeral organiser"),
        _ => (relation, relation),
    };

    /// <summary>A JHT claim's reason or a JKP claim's cause of termination (ClaimKinds.JhtReasons, JkpCauses).</summary>
    public static (string Id, string En) Reason(string reason) => reason switch
    {
        "retirement" => ("Pensiun", "Retirement"),
        "resignation" => ("Mengundurkan diri", "Resignation"),
        "termination" => ("Pemutusan hubungan kerja (PHK)", "Termination of employment"),
        "pkwt_end" => ("Kontrak kerja waktu tertentu (PKWT) berakhir", "Fixed-term contract (PKWT) ended"),
        "death" => ("Meninggal dunia", "Death"),
        "total_disability" => ("Cacat total tetap", "Total permanent disability"),
        "leaving_indonesia" => ("Meninggalkan Indonesia untuk selamanya", "Leaving Indonesia for good"),
        "bankruptcy" => ("Perusahaan pailit", "Employer bankrupt"),
        "closure" => ("Perusahaan tutup", "Employer closed"),
        _ => (reason, reason),
    };

    /// <summary>What a claim payment pays: the one-off benefit, a month of pension or of JKP, a year of scholarship.</summary>
    public static (string Id, string En) PaymentKind(string kind) => kind switch
    {
        "benefit" => ("Manfaat", "Benefit"),
        "pension" => ("Pensiun bulanan", "Monthly pension"),
        "jkp" => ("Uang tunai JKP", "JKP cash benefit"),
        "scholarship" => ("Beasiswa", "Scholarship"),
        _ => (kind, kind),
    };

    /// <summary>A scholarship's school level.</summary>
    public static (string Id, string En) Level(string level) => level switch
    {
        "tk_sd" => ("TK–SD", "Kindergarten–primary"),
        "smp" => ("SMP", "Junior secondary"),
        "sma" => ("SMA", "Senior secondary"),
        "higher" => ("Perguruan tinggi/pelatihan", "Higher education/training"),
        _ => (level, level),
    };

    /// <summary>A scheduled scholarship year's state.</summary>
    public static (string Id, string En) ScholarshipStatus(string status) => status switch
    {
        "scheduled" => ("Terjadwal", "Scheduled"),
        "paid" => ("Dibayar", "Paid"),
        "cancelled" => ("Dibatalkan", "Cancelled"),
        _ => (status, status),
    };
}
