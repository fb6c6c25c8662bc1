using Kawal.Ui;

namespace Kawal.Contributions.Pages;

/// <summary>Indonesian (and English) labels of the contributions codes.</summary>
public static class ContributionLabels
{
    public static string PayerKind(string kind) => kind switch
    {
        "employer" => L.T("Pemberi kerja", "Employer"),
        "self" => L.T("Peserta sendiri", "Participant"),
        "apbd" => "APBD",
        "apbdes" => "APBDes",
        "csr" => "CSR",
        "baznas" => "BAZNAS",
        _ => kind,
    };

    public static string BillStatus(string status) => status switch
    {
        "paid" => L.T("Lunas", "Paid"),
        "open" => L.T("Belum jatuh tempo", "Not yet due"),
        "partly_paid" => L.T("Dibayar sebagian", "Partly paid"),
        "overdue" => L.T("Menunggak", "Overdue"),
        "credit_note" => L.T("Nota kredit", "Credit note"),
        _ => status,
    };

    public static string Category(string category) => category switch
    {
        "regular" => L.T("Reguler", "Regular"),
        "non_asn" => L.T("Non-ASN", "Non-civil-servant staff"),
        "village_apparatus" => L.T("Perangkat desa", "Village officials"),
        "rt_rw" => "RT/RW",
        "election_organiser" => L.T("Penyelenggara pemilu", "Election organisers"),
        "vulnerable" => L.T("Pekerja rentan", "Vulnerable workers"),
        _ => category,
    };
}
