using Dapper;

namespace Kawal.Identity;

/// <summary>The rules tying a role to a region and an employer, and the caller a role and region make.</summary>
public static class Principals
{
    /// <summary>Checks that the region (and employer NPP) suit the role; throws <see cref="UsageException"/> naming the field.</summary>
    public static RegionCode? CheckAssignment(Role role, string? regionText, string? employerNpp)
    {
        RegionCode? region = null;
        if (!string.IsNullOrWhiteSpace(regionText))
        {
            region = RegionCode.TryParse(regionText.Trim(), out var r) ? r
                : throw new UsageException($"'{regionText}' is not a Kemendagri region code (e.g. 35 or 35.07)", "region") { Indonesian = $"'{regionText}' bukan kode wilayah Kemendagri (misalnya 35 atau 35.07)." };
        }

        switch (role)
        {
            case Role.ProvinceOfficer when region is not { Level: RegionLevel.Province }:
                throw new UsageException("a province officer needs a province code (e.g. 35)", "region") { Indonesian = "Petugas provinsi memerlukan kode provinsi sebagai wilayah (misalnya 35)." };
            case Role.RegencyOfficer when region is not { Level: RegionLevel.Regency }:
                throw new UsageException("a regency officer needs a regency/city code (e.g. 35.07)", "region") { Indonesian = "Petugas kabupaten/kota memerlukan kode kabupaten/kota sebagai wilayah (misalnya 35.07)." };
            case Role.BpjsOfficer when region is not { Level: RegionLevel.Province or RegionLevel.Regency }:
                throw new UsageException("a BPJS officer needs the province or regency/city code of the branch's area", "region") { Indonesian = "Petugas BPJS Ketenagakerjaan memerlukan kode provinsi atau kabupaten/kota wilayah kerja kantor cabangnya." };
            case Role.Admin or Role.NationalMonitor or Role.Public when region is not null:
                throw new UsageException($"the role {role.Name()} is national and takes no region", "region") { Indonesian = $"Peran {role.LabelId()} berlaku nasional; kosongkan wilayah." };
            case Role.Employer when string.IsNullOrWhiteSpace(employerNpp):
                throw new UsageException("an employer account needs the employer's NPP", "employer") { Indonesian = "Akun pemberi kerja memerlukan NPP pemberi kerjanya." };
            case not Role.Employer when !string.IsNullOrWhiteSpace(employerNpp):
                throw new UsageException("only an employer account takes an NPP", "employer") { Indonesian = "NPP hanya diisi untuk akun pemberi kerja; kosongkan NPP." };
        }

        return region;
    }

    /// <summary>The region must exist in the reference, and the employer (when the registry is composed in) too.</summary>
    internal static async Task CheckReferencesAsync(System.Data.Common.DbConnection c, RegionCode? region, string? npp, IEmployerDirectory? employers, CancellationToken ct)
    {
        if (region is { } r && await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM regions WHERE code = @Value", new { r.Value }, cancellationToken: ct)) == 0)
        {
            throw new UsageException($"no region has the code '{r.Value}'", "region") { Indonesian = $"Tidak ada wilayah dengan kode '{r.Value}'." };
        }

        if (!string.IsNullOrWhiteSpace(npp) && employers is not null && !await employers.ExistsAsync(npp.Trim(), ct))
        {
            throw new UsageException($"no employer has the NPP '{npp}'", "employer") { Indonesian = $"Tidak ada pemberi kerja dengan NPP '{npp}'." };
        }
    }

    /// <summary>The caller a person or key with this role, region, employer and permissions is.</summary>
    public static Caller Caller(string actor, Role role, string? region, string? employerNpp, IReadOnlySet<Permission>? permissions = null)
    {
        var scope = role is Role.ProvinceOfficer or Role.RegencyOfficer or Role.BpjsOfficer or Role.Prosecutor && region is not null
            ? RegionScope.Of(RegionCode.Parse(region))
            : RegionScope.National;
        return new Caller(actor, role, scope, permissions ?? Permissions.Of(role), employerNpp);
    }
}
