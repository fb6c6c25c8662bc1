namespace Kawal.Identity;

/// <summary>The roles of docs/security.md. Stored and written as snake_case (<c>regency_officer</c>).</summary>
public enum Role
{
    Admin,
    NationalMonitor,
    ProvinceOfficer,
    RegencyOfficer,
    BpjsOfficer,
    Prosecutor,
    Employer,
    Public,
}

public static class Roles
{
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    public static string Name(this Role role) => role switch
    {
        Role.Admin => "admin",
        Role.NationalMonitor => "national_monitor",
        Role.ProvinceOfficer => "province_officer",
        Role.RegencyOfficer => "regency_officer",
        Role.BpjsOfficer => "bpjs_officer",
        Role.Prosecutor => "prosecutor",
        Role.Employer => "employer",
        Role.Public => "public",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Role Parse(string text) =>
        All.Where(r => string.Equals(r.Name(), text.Trim(), StringComparison.OrdinalIgnoreCase)).Select(r => (Role?)r).FirstOrDefault()
        ?? throw new UsageException($"unknown role '{text}'; roles are {string.Join(", ", All.Select(x => x.Name()))}", "role") { Indonesian = $"Peran '{text}' tidak dikenal. Pilih salah satu: {string.Join(", ", All.Select(x => $"{x.LabelId()} ({x.Name()})"))}." };

    /// <summary>Indonesian label for pages.</summary>
    public static string LabelId(this Role role) => role switch
    {
        Role.Admin => "Administrator",
        Role.NationalMonitor => "Tim monev nasional",
        Role.ProvinceOfficer => "Petugas provinsi",
        Role.RegencyOfficer => "Petugas kabupaten/kota",
        Role.BpjsOfficer => "Petugas BPJS Ketenagakerjaan",
        Role.Prosecutor => "Jaksa (Kejaksaan)",
        Role.Employer => "Pemberi kerja",
        _ => "Publik",
    };

    public static string LabelEn(this Role role) => role switch
    {
        Role.Admin => "Administrator",
        Role.NationalMonitor => "National monitoring team",
        Role.ProvinceOfficer => "Province officer",
        Role.RegencyOfficer => "Regency/city officer",
        Role.BpjsOfficer => "BPJS Ketenagakerjaan officer",
        Role.Prosecutor => "Prosecutor (Kejaksaan)",
        Role.Employer => "Employer",
        _ => "Public",
    };
}
