using Kawal.Ui;

namespace Kawal.Registry.Pages;

/// <summary>Indonesian and English labels of the registry's codes.</summary>
public static class RegistryLabels
{
    public static IReadOnlyList<string> Kinds { get; } = ["private", "bumn", "bumd", "central_gov", "regional_gov", "village", "other"];

    public static IReadOnlyList<string> Categories { get; } = ["regular", "non_asn", "village_apparatus", "rt_rw", "election_organiser", "vulnerable"];

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
}
