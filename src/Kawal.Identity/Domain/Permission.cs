namespace Kawal.Identity;

/// <summary>
/// What a caller may do. Every endpoint requires one (its policy has the permission's name) or is declared public.
/// A role grants a fixed set (<see cref="Permissions.Of"/>); an API key holds a subset of its role's set (its scopes).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Permission is the domain's word; nothing else is called so.")]
public enum Permission
{
    /// <summary>Read employers, participants and memberships within the caller's scope.</summary>
    RegistryRead,

    /// <summary>Register and change employers, participants and memberships within the caller's scope.</summary>
    RegistryWrite,

    /// <summary>Import files of employers and participants within the caller's scope.</summary>
    RegistryImport,

    /// <summary>See full NIKs and phone numbers, and export files that contain personal data.</summary>
    PersonalData,

    /// <summary>Aggregate coverage figures (no person).</summary>
    StatsRead,

    /// <summary>Licensing services (PTSP/OSS): is a business registered and active?</summary>
    LicensingCheck,

    /// <summary>Record monitoring (monev) visits and findings; accept or return commitments; refresh the summary tables.</summary>
    MonevWrite,

    /// <summary>Read regional commitments with their evidence, visits and recommendations within the caller's scope.</summary>
    MonevRead,

    /// <summary>Enter, evidence and submit the commitments of the caller's region; a province verifies its regencies'.</summary>
    MonevCommit,

    /// <summary>Bills, payments, statements and arrears of payers within the caller's scope (an employer: its own).</summary>
    ContributionsRead,

    /// <summary>Run monthly billing and record or import payments.</summary>
    ContributionsWrite,

    /// <summary>Claims with their heirs, documents, benefit trace and payments, and JHT statements, within the caller's scope.</summary>
    ClaimsRead,

    /// <summary>Take a claim (intake), verify its documents, reject it; set the declared JHT development rate.</summary>
    ClaimsWrite,

    /// <summary>Approve a claim another officer took and verified (four eyes), pay it, run the monthly pension payments.</summary>
    ClaimsApprove,

    /// <summary>Compliance cases, sanctions and the region's compliance page within the caller's scope (a prosecutor: the SKKs handed to their office).</summary>
    ComplianceRead,

    /// <summary>Run detection, import business registries and minimum wages, send warning letters, hand an SKK to a prosecutors' office, close cases.</summary>
    ComplianceWrite,

    /// <summary>Prosecutors: record actions (summons, agreement, lawsuit) and recoveries on the SKKs handed to their office.</summary>
    ComplianceProsecute,

    /// <summary>Licensing services (PTSP/OSS): the signed compliance status of a business (scope <c>compliance:check</c>).</summary>
    ComplianceCheck,

    /// <summary>Browse and export the audit log.</summary>
    AuditRead,

    /// <summary>Create and disable users, create and revoke API keys.</summary>
    IdentityManage,
}

public static class Permissions
{
    public static IReadOnlyList<Permission> All { get; } = Enum.GetValues<Permission>();

    /// <summary>The policy and scope name, e.g. <c>registry.read</c>.</summary>
    public static string Name(this Permission p) => p switch
    {
        Permission.RegistryRead => "registry.read",
        Permission.RegistryWrite => "registry.write",
        Permission.RegistryImport => "registry.import",
        Permission.PersonalData => "personal_data",
        Permission.StatsRead => "stats.read",
        Permission.LicensingCheck => "licensing.check",
        Permission.MonevWrite => "monev.write",
        Permission.MonevRead => "monev.read",
        Permission.MonevCommit => "monev.commit",
        Permission.ContributionsRead => "contributions.read",
        Permission.ContributionsWrite => "contributions.write",
        Permission.ClaimsRead => "claims.read",
        Permission.ClaimsWrite => "claims.write",
        Permission.ClaimsApprove => "claims.approve",
        Permission.ComplianceRead => "compliance.read",
        Permission.ComplianceWrite => "compliance.write",
        Permission.ComplianceProsecute => "compliance.prosecute",
        Permission.ComplianceCheck => "compliance:check",
        Permission.AuditRead => "audit.read",
        Permission.IdentityManage => "identity.manage",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>What the permission lets one do, in Indonesian, to finish "tidak berwenang …" (<c>menyetujui dan membayar klaim</c>).</summary>
    public static string LabelId(this Permission p) => p switch
    {
        Permission.RegistryRead => "melihat data pemberi kerja dan peserta",
        Permission.RegistryWrite => "mendaftarkan dan mengubah data pemberi kerja dan peserta",
        Permission.RegistryImport => "mengimpor berkas pemberi kerja dan peserta",
        Permission.PersonalData => "melihat data pribadi (NIK dan nomor telepon lengkap)",
        Permission.StatsRead => "melihat angka cakupan kepesertaan",
        Permission.LicensingCheck => "memeriksa kepesertaan badan usaha untuk perizinan",
        Permission.MonevWrite => "mencatat kunjungan monev serta menerima atau mengembalikan komitmen",
        Permission.MonevRead => "melihat komitmen, kunjungan dan rekomendasi monev",
        Permission.MonevCommit => "mengisi, memberi bukti dan mengajukan komitmen daerah",
        Permission.ContributionsRead => "melihat tagihan, pembayaran dan tunggakan iuran",
        Permission.ContributionsWrite => "menjalankan penagihan dan mencatat pembayaran iuran",
        Permission.ClaimsRead => "melihat klaim dan saldo JHT",
        Permission.ClaimsWrite => "menerima, memverifikasi dan menolak klaim",
        Permission.ClaimsApprove => "menyetujui dan membayar klaim",
        Permission.ComplianceRead => "melihat kasus kepatuhan",
        Permission.ComplianceWrite => "menjalankan deteksi, mengirim teguran dan menyerahkan SKK",
        Permission.ComplianceProsecute => "mencatat tindakan kejaksaan dan pemulihan tunggakan",
        Permission.ComplianceCheck => "memeriksa status kepatuhan badan usaha",
        Permission.AuditRead => "melihat log audit",
        Permission.IdentityManage => "mengelola pengguna dan kunci API",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static Permission Parse(string text) =>
        All.Where(p => p.Name() == text.Trim()).Select(p => (Permission?)p).FirstOrDefault()
        ?? throw new UsageException($"unknown scope '{text}'; scopes are {string.Join(", ", All.Select(x => x.Name()))}", "scopes") { Indonesian = $"Cakupan '{text}' tidak dikenal. Cakupan yang ada: {string.Join(", ", All.Select(x => x.Name()))}." };

    /// <summary>The role × permission matrix (docs/security.md is generated from and tested against it).</summary>
    public static IReadOnlySet<Permission> Of(Role role) => Matrix[role];

    private static readonly Dictionary<Role, IReadOnlySet<Permission>> Matrix = new()
    {
        [Role.Admin] = All.ToHashSet(),
        [Role.NationalMonitor] = new HashSet<Permission> { Permission.RegistryRead, Permission.StatsRead, Permission.LicensingCheck, Permission.MonevWrite, Permission.MonevRead, Permission.ContributionsRead, Permission.ClaimsRead, Permission.ComplianceRead, Permission.ComplianceCheck },
        [Role.ProvinceOfficer] = new HashSet<Permission>(Officer()) { Permission.MonevCommit },
        [Role.RegencyOfficer] = new HashSet<Permission>(Officer()) { Permission.MonevCommit },
        [Role.BpjsOfficer] = new HashSet<Permission>(Officer()) { Permission.ContributionsWrite, Permission.ClaimsRead, Permission.ClaimsWrite, Permission.ClaimsApprove, Permission.ComplianceWrite },
        [Role.Prosecutor] = new HashSet<Permission> { Permission.StatsRead, Permission.ContributionsRead, Permission.ComplianceRead, Permission.ComplianceProsecute },
        [Role.Employer] = new HashSet<Permission> { Permission.RegistryRead, Permission.PersonalData, Permission.ContributionsRead },
        [Role.Public] = new HashSet<Permission> { Permission.StatsRead },
    };

    private static HashSet<Permission> Officer() =>
    [
        Permission.RegistryRead, Permission.RegistryWrite, Permission.RegistryImport, Permission.PersonalData, Permission.StatsRead, Permission.LicensingCheck,
        Permission.ContributionsRead, Permission.MonevRead, Permission.ComplianceRead, Permission.ComplianceCheck,
    ];
}
