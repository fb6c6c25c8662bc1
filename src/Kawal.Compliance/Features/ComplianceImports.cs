using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;

namespace Kawal.Compliance.Features;

/// <summary>
/// Imports through the registry's import runner (same per-row error report, ledger, batches, dry run): the business
/// registry (OSS or a labour report: NIB, name, region, sector, workers) that PWBD and PDS TK are detected against, and
/// minimum wages (UMP per province, UMK per regency) for later years. Both are upserts by key: a re-run changes nothing.
/// </summary>
public sealed class ComplianceImports(Database db, RegionLookup regions, TimeProvider time)
{
    public const string BusinessKind = "business_registry";
    public const string WagesKind = "minimum_wages";

    public static readonly IReadOnlyList<ColumnSpec> BusinessColumns =
    [
        new("nib", true, ["nomor_induk_berusaha"], "NIB, 13 digits"),
        new("name", true, ["nama", "nama_usaha", "nama_perusahaan"], "business name"),
        new("region_code", true, ["kode_wilayah", "wilayah"], "regency/city (or province) code, Kemendagri"),
        new("sector", false, ["sektor", "kbli"], "sector or KBLI code"),
        new("workers", true, ["tenaga_kerja", "jumlah_pekerja", "pekerja"], "number of workers reported"),
        new("source", true, ["sumber"], "where the row comes from, e.g. \"OSS RBA, ekspor 2026-10\" or \"Wajib Lapor Ketenagakerjaan 2026\""),
    ];

    public static readonly IReadOnlyList<ColumnSpec> WageColumns =
    [
        new("region_code", true, ["kode_wilayah", "province_code", "kode_provinsi"], "province (UMP) or regency/city (UMK) code"),
        new("year", true, ["tahun"], "the year the wage is in force"),
        new("kind", false, ["jenis"], "UMP or UMK (default: UMP for a province, UMK for a regency/city)"),
        new("amount", true, ["ump", "umk", "upah_minimum", "nilai"], "monthly minimum wage, whole rupiah"),
        new("legal_basis", false, ["dasar_hukum"], "the governor's decree"),
        new("source", true, ["sumber", "source_note"], "where the figure was published"),
    ];

    internal sealed record BusinessRow(int RowNumber, string Nib, string Name, string Region, string? Sector, int Workers, string Source) : IImportRow;

    internal sealed record WageRow(int RowNumber, string Region, int Year, string Kind, long Amount, string? Basis, string Source) : IImportRow;

    public async Task<ImportSummary> BusinessesAsync(ImportRequest request, CancellationToken ct = default)
    {
        var set = await regions.LoadAsync(ct);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return await new ImportRunner(db, time).RunAsync<BusinessRow>(request, BusinessKind, BusinessColumns,
            (row, map) =>
            {
                var errors = new List<RowError>();
                void Fail(string column, string code, string id, string en, string? value) => errors.Add(new RowError(row.Number, column, code, id, en, value));
                var nib = map.Get(row, "nib").Trim();
                if (nib.Length != 13 || !nib.All(char.IsAsciiDigit))
                {
                    Fail("nib", "nib.format", "NIB harus 13 angka", "The NIB must be 13 digits", nib);
                }
                else if (seen.TryGetValue(nib, out var first))
                {
                    Fail("nib", "duplicate_in_file", $"NIB sama dengan baris {first}", $"Same NIB as row {first}", nib);
                }
                else
                {
                    seen[nib] = row.Number;
                }

                var name = map.Get(row, "name").Trim();
                if (name.Length is 0 or > 200)
                {
                    Fail("name", "required", "Nama usaha wajib diisi (paling banyak 200 karakter)", "The business name is required (at most 200 characters)", name);
                }

                var regionText = map.Get(row, "region_code").Trim();
                if (set.Find(regionText) is not { } region)
                {
                    Fail("region_code", "region.unknown", $"Kode wilayah {regionText} tidak dikenal", $"Region code {regionText} is unknown", regionText);
                }

                var workersText = map.Get(row, "workers");
                if (!Values.TryMoney(workersText, map.IsNumeric(row, "workers"), out var workers) || workers > 1_000_000)
                {
                    Fail("workers", "workers.format", "Jumlah pekerja harus bilangan bulat 0 sampai 1.000.000", "Workers must be a whole number from 0 to 1,000,000", workersText);
                }

                var source = map.Get(row, "source").Trim();
                if (source.Length is < 3 or > 300)
                {
                    Fail("source", "required", "Sumber wajib diisi", "The source is required", source);
                }

                var sector = map.Get(row, "sector").Trim();
                return errors.Count > 0 ? (null, errors) : (new BusinessRow(row.Number, nib, name, set.Find(regionText)!.Code, sector.Length == 0 ? null : sector, (int)workers, source), errors);
            },
            async (ctx, rows, token) =>
            {
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    if (ctx.OutOfScope(r.RowNumber, "region_code", r.Region) is { } outside)
                    {
                        results.Add((RowResult.Rejected, [outside]));
                        continue;
                    }

                    var old = await ctx.Connection.QuerySingleOrDefaultAsync<(string Name, string Region, string? Sector, long Workers, string Source)?>(new CommandDefinition(
                        "SELECT name, region_code, sector, workers, source FROM business_registry WHERE nib = @Nib", r, ctx.Transaction, cancellationToken: token));
                    if (old is { } o && o.Name == r.Name && o.Region == r.Region && o.Sector == r.Sector && o.Workers == r.Workers && o.Source == r.Source)
                    {
                        results.Add((RowResult.Unchanged, []));
                        continue;
                    }

                    await ctx.Connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO business_registry (nib, name, region_code, sector, workers, source, import_id, updated_at) VALUES (@Nib, @Name, @Region, @Sector, @Workers, @Source, @ImportId, @Now)
                        ON CONFLICT (nib) DO UPDATE SET name = excluded.name, region_code = excluded.region_code, sector = excluded.sector, workers = excluded.workers, source = excluded.source,
                            import_id = excluded.import_id, updated_at = excluded.updated_at
                        """, new { r.Nib, r.Name, r.Region, r.Sector, r.Workers, r.Source, ctx.ImportId, ctx.Now }, ctx.Transaction, cancellationToken: token));
                    results.Add((old is null ? RowResult.Created : RowResult.Updated, []));
                }

                return results;
            }, ct, Permission.ComplianceWrite);
    }

    public async Task<ImportSummary> WagesAsync(ImportRequest request, CancellationToken ct = default)
    {
        var set = await regions.LoadAsync(ct);
        var maxYear = time.Today().Year + 1;
        return await new ImportRunner(db, time).RunAsync<WageRow>(request, WagesKind, WageColumns,
            (row, map) =>
            {
                var errors = new List<RowError>();
                void Fail(string column, string code, string id, string en, string? value) => errors.Add(new RowError(row.Number, column, code, id, en, value));
                var regionText = map.Get(row, "region_code").Trim();
                var region = set.Find(regionText);
                if (region is null)
                {
                    Fail("region_code", "region.unknown", $"Kode wilayah {regionText} tidak dikenal", $"Region code {regionText} is unknown", regionText);
                }

                var yearText = map.Get(row, "year").Trim();
                if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000 || year > maxYear)
                {
                    Fail("year", "year.range", $"Tahun harus 2000 sampai {maxYear}", $"The year must be from 2000 to {maxYear}", yearText);
                }

                var kind = map.Get(row, "kind").Trim().ToUpperInvariant();
                if (kind.Length == 0 && region is not null)
                {
                    kind = region.Level == Region.Province ? "UMP" : "UMK";
                }

                if (region is not null && !((kind == "UMP" && region.Level == Region.Province) || (kind == "UMK" && region.Level != Region.Province)))
                {
                    Fail("kind", "kind.level", "UMP untuk provinsi, UMK untuk kabupaten/kota", "UMP is a province's, UMK a regency's or city's", kind);
                }

                var amountText = map.Get(row, "amount");
                if (!Values.TryMoney(amountText, map.IsNumeric(row, "amount"), out var amount) || amount is < 100_000 or > 100_000_000)
                {
                    Fail("amount", "amount.format", "Upah minimum harus rupiah utuh antara 100.000 dan 100.000.000", "The minimum wage must be whole rupiah from 100,000 to 100,000,000", amountText);
                }

                var source = map.Get(row, "source").Trim();
                if (source.Length is < 3 or > 500)
                {
                    Fail("source", "required", "Sumber wajib diisi", "The source is required", source);
                }

                var basis = map.Get(row, "legal_basis").Trim();
                return errors.Count > 0 ? (null, errors) : (new WageRow(row.Number, region!.Code, year, kind, amount, basis.Length == 0 ? null : basis, source), errors);
            },
            async (ctx, rows, token) =>
            {
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    results.Add(await MinimumWageLoader.UpsertAsync(ctx.Connection, ctx.Transaction, r.Region, r.Year, r.Kind, r.Amount, r.Basis, r.Source, ctx.ImportId, ctx.Now, token) switch
                    {
                        null => (RowResult.Created, []),
                        true => (RowResult.Updated, []),
                        false => (RowResult.Unchanged, []),
                    });
                }

                return results;
            }, ct, Permission.ComplianceWrite);
    }
}
