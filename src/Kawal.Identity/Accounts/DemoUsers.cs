namespace Kawal.Identity;

/// <summary>
/// One account per role for trying Kawal (<c>kawal serve --demo</c>, <c>kawal users demo</c>), with the passwords
/// documented in docs/security.md. Never created otherwise: without it no account and no default password exist.
/// </summary>
public sealed class DemoUsers(UserStore users)
{
    public const string Password = "Kawal-Demo-2026";

    /// <summary>The demo employer's NPP (created by the demo seed; accounts do not need it to exist).</summary>
    public const string EmployerNpp = "35070000001";

    public static IReadOnlyList<(string Username, string Display, Role Role, string? Region, string? Npp)> Accounts { get; } =
    [
        ("demo.admin", "Admin Demo", Role.Admin, null, null),
        ("demo.monev", "Tim Monev Demo", Role.NationalMonitor, null, null),
        ("demo.provinsi", "Petugas Provinsi Jawa Timur", Role.ProvinceOfficer, "35", null),
        ("demo.kabupaten", "Petugas Kab. Malang", Role.RegencyOfficer, "35.07", null),
        ("demo.bpjs", "Petugas BPJS Cabang Malang", Role.BpjsOfficer, "35.07", null),
        ("demo.jaksa", "Jaksa Kejari Kab. Malang", Role.Prosecutor, "35.07", null),
        ("demo.pemberikerja", "Pemberi Kerja Demo", Role.Employer, null, EmployerNpp),
        ("demo.publik", "Publik Demo", Role.Public, null, null),
    ];

    /// <summary>Creates the accounts that do not exist yet; returns how many it created.</summary>
    public async Task<int> EnsureAsync(Caller caller, CancellationToken ct = default)
    {
        var created = 0;
        foreach (var (username, display, role, region, npp) in Accounts)
        {
            if (await users.FindByNameAsync(username, ct) is null)
            {
                await users.AddAsync(new NewUser(username, display, role, region, npp, Password, IsDemo: true), caller, ct);
                created++;
            }
        }

        return created;
    }
}
