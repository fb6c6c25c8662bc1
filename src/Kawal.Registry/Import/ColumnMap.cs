namespace Kawal.Registry.Import;

/// <summary>A documented column: its name in English, the Indonesian aliases accepted, and whether it is required.</summary>
public sealed record ColumnSpec(string Name, bool Required, string[] Aliases, string Description);

/// <summary>Which file column holds which field. Header names match case-insensitively, spaces and hyphens as underscores.</summary>
public sealed class ColumnMap
{
    private readonly Dictionary<string, int> _index;
    private readonly IReadOnlyList<string> _header;

    private ColumnMap(Dictionary<string, int> index, IReadOnlyList<string> header) => (_index, _header) = (index, header);

    public static ColumnMap For(IReadOnlyList<string> header, IReadOnlyList<ColumnSpec> specs)
    {
        var normalised = header.Select(Normalise).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var at = normalised.FindIndex(h => h == spec.Name || spec.Aliases.Contains(h));
            if (at >= 0)
            {
                index[spec.Name] = at;
            }
        }

        var missing = specs.Where(s => s.Required && !index.ContainsKey(s.Name)).ToList();
        if (missing.Count > 0)
        {
            // The header is quoted back as the file has it, each name cut to a quotable length, the list to its first 50.
            var has = string.Join(", ", header.Where(h => h.Length > 0).Take(50).Select(h => Values.Quote(h, 40)));
            throw new ImportFileException("file.columns",
                "missing required column(s): " + string.Join("; ", missing.Select(s => $"{s.Name} (or {string.Join(", ", s.Aliases)})")) + $"; the header has: {has}")
            {
                Indonesian = "kolom wajib tidak ada: " + string.Join("; ", missing.Select(s => $"{s.Name} (atau {string.Join(", ", s.Aliases)})")) + $"; kepala berkas berisi: {has}",
                Row = 1,
            };
        }

        return new ColumnMap(index, header);
    }

    public bool Has(string name) => _index.ContainsKey(name);

    /// <summary>
    /// A field's column as the file names it (<c>employer_npp</c> read from a column headed <c>NPP</c> → <c>NPP</c>), so that a
    /// rejected row points at the column the user sees in the file; a field the file has no column for keeps its template name.
    /// </summary>
    public string? Heading(string? name) =>
        name is not null && _index.TryGetValue(name, out var i) && i < _header.Count && _header[i].Trim().Trim('\uFEFF') is { Length: > 0 } heading ? heading : name;

    /// <summary>The trimmed cell text of a field, or "" when the column is absent or the row is short.</summary>
    public string Get(TabularRow row, string name) =>
        _index.TryGetValue(name, out var i) && i < row.Cells.Count ? row.Cells[i].Trim() : "";

    public bool IsNumeric(TabularRow row, string name) => _index.TryGetValue(name, out var i) && row.NumericCells.Contains(i);

    private static string Normalise(string header) =>
        header.Trim().Trim('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
}

public static class Columns
{
    public static readonly IReadOnlyList<ColumnSpec> Participants =
    [
        new("nik", true, ["no_ktp", "nomor_induk_kependudukan", "nik_ktp"], "16-digit NIK; sex and birth date are read from it"),
        new("name", true, ["nama", "nama_lengkap", "nama_peserta"], "full name"),
        new("birth_date", false, ["tanggal_lahir", "tgl_lahir"], "optional; must agree with the NIK (YYYY-MM-DD or DD/MM/YYYY)"),
        new("sex", false, ["jenis_kelamin", "jk"], "optional: L/P or M/F; must agree with the NIK"),
        new("phone", false, ["telepon", "no_hp", "hp", "nomor_hp"], "optional phone number"),
        new("domicile_region_code", false, ["kode_wilayah", "wilayah_domisili", "domisili", "region_code"], "optional regency/city code; default the NIK's regency"),
        new("segment", true, ["segmen"], "PU, BPU, JAKON or PMI"),
        new("employer_npp", false, ["npp", "npp_pemberi_kerja"], "the employer's NPP: required for PU, empty for BPU and PMI"),
        new("category", false, ["kategori"], "regular (default), non_asn, village_apparatus, rt_rw, election_organiser, vulnerable"),
        new("occupation", false, ["pekerjaan"], "required for vulnerable: farmer, fisher, trader, driver, labourer, porter, parking_attendant, artisan, other"),
        new("payer", false, ["pembayar", "pembayar_iuran"], "employer, self, apbd:CODE, apbdes:CODE, csr:NAME, baznas; default employer (PU, JAKON) or self (BPU, PMI)"),
        new("wage", false, ["upah", "gaji", "penghasilan"], "monthly wage (PU) or declared income (BPU): 5000000, 5.000.000, Rp 5.000.000, 5.000.000,00"),
        new("programmes", false, ["program"], "e.g. \"JKK,JKM,JHT\"; empty: the segment's default"),
        new("start_date", true, ["tanggal_mulai", "tmt", "mulai"], "first day of membership (YYYY-MM-DD or DD/MM/YYYY)"),
        new("end_date", false, ["tanggal_berakhir", "tanggal_keluar", "berakhir"], "optional: the first day no longer a member (resignation, end of contract); empty: open"),
    ];

    public static readonly IReadOnlyList<ColumnSpec> Employers =
    [
        new("npp", true, ["nomor_pendaftaran_perusahaan"], "registration number (8 to 12 digits)"),
        new("nib", false, ["nomor_induk_berusaha"], "optional 13-digit business number (OSS)"),
        new("name", true, ["nama", "nama_perusahaan", "nama_pemberi_kerja"], "name"),
        new("kind", true, ["jenis", "jenis_pemberi_kerja"], "private, bumn, bumd, central_gov, regional_gov, village, other"),
        new("region_code", true, ["kode_wilayah", "wilayah"], "regency/city (or province) code"),
        new("risk_class", true, ["kelas_risiko", "kelompok_risiko"], "JKK risk group 1-5"),
        new("size", true, ["skala", "skala_usaha", "ukuran"], "micro, small, medium, large"),
        new("address", false, ["alamat"], "optional address"),
        new("status", false, [], "active (default), inactive, closed"),
    ];
}
