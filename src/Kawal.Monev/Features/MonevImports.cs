using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;

namespace Kawal.Monev.Features;

/// <summary>
/// Bulk imports of monev data through the registry's import runner (same per-row error report, import ledger, batches,
/// dry run and all-or-nothing): denominators per region and year (BPS labour force and employed, non-ASN census counts,
/// vulnerable-worker estimates), and regional commitments. Both are idempotent: a row is keyed by (region, year, kind)
/// and the same values again are counted unchanged and write nothing.
/// </summary>
public sealed class MonevImportsHandler(Database db, RegionLookup regions, CommitmentsHandler commitments, TimeProvider time)
{
    public const string DenominatorsKind = "monev_denominators";
    public const string CommitmentsKind = "monev_commitments";

    public static IReadOnlyList<string> DenominatorKinds { get; } = ["labour_force", "employed", "non_asn", "vulnerable"];

    private static readonly Dictionary<string, string> KindAliases = new(StringComparer.Ordinal)
    {
        ["angkatan_kerja"] = "labour_force",
        ["bekerja"] = "employed",
        ["penduduk_bekerja"] = "employed",
        ["sensus_non_asn"] = "non_asn",
        ["rentan"] = "vulnerable",
        ["pekerja_rentan"] = "vulnerable",
    };

    public static readonly IReadOnlyList<ColumnSpec> DenominatorColumns =
    [
        new("region_code", true, ["kode_wilayah", "wilayah", "kode_provinsi"], "province or regency/city code (Kemendagri) that existed in that year"),
        new("year", true, ["tahun"], "the year the figure describes, 2000 to next year"),
        new("kind", true, ["jenis", "jenis_penyebut"], "labour_force (angkatan_kerja), employed (bekerja), non_asn, vulnerable (rentan)"),
        new("value", true, ["nilai", "jumlah"], "whole number of people, e.g. 2.345.678"),
        new("source", true, ["sumber"], "where the figure comes from, e.g. \"BPS, Sakernas Agustus 2024\" or \"BKN, pendataan non-ASN 2022\""),
    ];

    public static readonly IReadOnlyList<ColumnSpec> CommitmentColumns =
    [
        new("region_code", true, ["kode_wilayah", "wilayah"], "the province or regency/city that commits (within your region)"),
        new("fiscal_year", true, ["tahun_anggaran", "tahun"], "fiscal year, 2021 to next year"),
        new("kind", true, ["jenis", "jenis_komitmen"], "regulation, apbd, ptsp, bumd, census"),
        new("reg_type", false, ["jenis_regulasi"], "regulation: perda, perkada, keputusan, surat_edaran, instruksi"),
        new("reg_number", false, ["nomor_regulasi", "nomor"], "regulation: its number"),
        new("reg_date", false, ["tanggal_regulasi", "tanggal_ditetapkan"], "regulation: date enacted (required when enacted)"),
        new("reg_title", false, ["judul_regulasi", "judul", "tentang"], "regulation: its title"),
        new("reg_status", false, ["status_regulasi"], "regulation: draft, enacted, revoked"),
        new("amount", false, ["anggaran", "nilai_anggaran", "alokasi"], "apbd: allocation in whole rupiah"),
        new("workers_targeted", false, ["sasaran_pekerja", "jumlah_sasaran"], "apbd: workers whose contributions it pays"),
        new("target_groups", false, ["kelompok_sasaran"], "apbd: non_asn, village_apparatus, rt_rw, election_organiser, vulnerable, bumd (comma-separated)"),
        new("ptsp_required", false, ["ptsp_wajib", "syarat_ptsp"], "ptsp: yes/no (ya/tidak) — does licensing require membership"),
        new("legal_basis", false, ["dasar_hukum"], "ptsp: legal basis (required when yes)"),
        new("effective_date", false, ["tanggal_berlaku"], "ptsp: date it applies from (required when yes)"),
        new("bumd_total", false, ["jumlah_bumd"], "bumd: regional enterprises in the region"),
        new("bumd_registered", false, ["bumd_terdaftar"], "bumd: of them, registered with BPJS Ketenagakerjaan"),
        new("census_count", false, ["jumlah_non_asn", "hasil_pendataan"], "census: non-ASN staff counted"),
        new("census_source", false, ["sumber_pendataan", "sumber"], "census: who counted, e.g. BKN 2022"),
        new("note", false, ["catatan", "keterangan"], "optional note"),
    ];

    internal sealed record DenominatorRow(int RowNumber, string Region, int Year, string Kind, long Value, string Source) : IImportRow;

    internal sealed record CommitmentRow(int RowNumber, CommitmentsHandler.Prepared Commitment) : IImportRow;

    /// <summary><c>kawal monev import denominators FILE</c>; national team (monev.write).</summary>
    public async Task<ImportSummary> DenominatorsAsync(ImportRequest request, CancellationToken ct = default)
    {
        request.Caller.Demand(Permission.MonevWrite);
        var set = await regions.LoadAsync(ct);
        var maxYear = time.Today().Year + 1;
        var seen = new Dictionary<(string, int, string), int>();
        return await new ImportRunner(db, time).RunAsync<DenominatorRow>(request, DenominatorsKind, DenominatorColumns,
            (row, map) =>
            {
                var (valid, errors) = ValidateDenominator(row.Number, map.Get(row, "region_code"), map.Get(row, "year"), map.Get(row, "kind"), map.Get(row, "value"),
                    map.IsNumeric(row, "value"), map.Get(row, "source"), set, maxYear);
                if (valid is null)
                {
                    return (null, errors);
                }

                if (seen.TryGetValue((valid.Region, valid.Year, valid.Kind), out var first))
                {
                    return (null, [new RowError(row.Number, "region_code", "duplicate_in_file", $"Wilayah, tahun dan jenis sama dengan baris {first}",
                        $"Same region, year and kind as row {first}", valid.Region)]);
                }

                seen[(valid.Region, valid.Year, valid.Kind)] = row.Number;
                return (valid, []);
            },
            async (ctx, rows, token) =>
            {
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    var old = await ctx.Connection.QuerySingleOrDefaultAsync<(long Value, string Source)?>(new CommandDefinition(
                        "SELECT value, source FROM monev_denominators WHERE region_code = @Region AND year = @Year AND kind = @Kind", r, ctx.Transaction, cancellationToken: token));
                    if (old is { } o && o.Value == r.Value && o.Source == r.Source)
                    {
                        results.Add((RowResult.Unchanged, []));
                        continue;
                    }

                    await ctx.Connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO monev_denominators (region_code, year, kind, value, source, import_id, updated_at) VALUES (@Region, @Year, @Kind, @Value, @Source, @ImportId, @Now)
                        ON CONFLICT (region_code, year, kind) DO UPDATE SET value = excluded.value, source = excluded.source, import_id = excluded.import_id, updated_at = excluded.updated_at
                        """, new { r.Region, r.Year, r.Kind, r.Value, r.Source, ctx.ImportId, ctx.Now }, ctx.Transaction, cancellationToken: token));
                    results.Add((old is null ? RowResult.Created : RowResult.Updated, []));
                }

                return results;
            }, ct, Permission.MonevWrite);
    }

    internal static (DenominatorRow? Row, List<RowError> Errors) ValidateDenominator(int number, string regionText, string yearText, string kindText, string valueText, bool valueNumeric,
        string source, RegionSet set, int maxYear)
    {
        var errors = new List<RowError>();
        void Fail(string column, string code, string id, string en, string? value) => errors.Add(new RowError(number, column, code, id, en, value));
        var year = 0;
        if (yearText.Length == 0)
        {
            Fail("year", "required", "Tahun wajib diisi", "The year is required", yearText);
        }
        else if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 2000 || year > maxYear)
        {
            Fail("year", "year.range", $"Tahun harus 2000 sampai {maxYear}", $"The year must be from 2000 to {maxYear}", yearText);
        }

        var region = set.Find(regionText);
        if (regionText.Length == 0)
        {
            Fail("region_code", "required", "Kode wilayah wajib diisi", "The region code is required", regionText);
        }
        else if (region is null || region.Level is not (Region.Province or Region.Regency))
        {
            Fail("region_code", "region.unknown", $"Kode wilayah {regionText} tidak ada dalam referensi wilayah Kemendagri", $"Region code {regionText} is not in the Kemendagri regions reference", regionText);
        }
        else if (year > 0 && errors.Count == 0 && !region.IsValidOn(new DateOnly(year, 12, 31)) && !region.IsValidOn(new DateOnly(year, 1, 1)))
        {
            Fail("region_code", "region.not_valid", $"Wilayah {region.Code} ({region.Name}) tidak berlaku pada tahun {year}",
                $"Region {region.Code} ({region.Name}) did not exist in {year}", regionText);
        }

        var kind = kindText.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        kind = KindAliases.GetValueOrDefault(kind, kind);
        if (!DenominatorKinds.Contains(kind))
        {
            Fail("kind", "kind.unknown", "Jenis harus labour_force (angkatan_kerja), employed (bekerja), non_asn atau vulnerable (rentan)",
                "The kind must be labour_force, employed, non_asn or vulnerable", kindText);
        }

        long value = 0;
        if (valueText.Length == 0)
        {
            Fail("value", "required", "Nilai wajib diisi", "The value is required", valueText);
        }
        else if (!Values.TryMoney(valueText, valueNumeric, out value))
        {
            Fail("value", "value.format", "Nilai harus bilangan bulat tidak negatif, mis. 2345678 atau 2.345.678", "The value must be a whole number of people, not negative", valueText);
        }
        else if (value > 400_000_000)
        {
            Fail("value", "value.too_large", "Nilai melebihi jumlah penduduk Indonesia", "The value exceeds Indonesia's population", valueText);
        }

        if (source.Length == 0)
        {
            Fail("source", "required", "Sumber data wajib diisi (mis. BPS, Sakernas Agustus 2024)", "The source is required (e.g. BPS, Sakernas August 2024)", source);
        }
        else if (source.Length > 300)
        {
            Fail("source", "source.too_long", "Sumber lebih dari 300 karakter", "The source is longer than 300 characters", source);
        }

        return errors.Count > 0 ? (null, errors) : (new DenominatorRow(number, region!.Code, year, kind, value, source), errors);
    }

    /// <summary><c>kawal monev import commitments FILE</c>; the region's officers (monev.commit), as drafts to evidence and submit.</summary>
    public async Task<ImportSummary> CommitmentsAsync(ImportRequest request, CancellationToken ct = default)
    {
        request.Caller.Demand(Permission.MonevCommit);
        var set = await regions.LoadAsync(ct);
        var seen = new Dictionary<(string, int, string), int>();
        return await new ImportRunner(db, time).RunAsync<CommitmentRow>(request, CommitmentsKind, CommitmentColumns,
            (row, map) =>
            {
                var (input, errors) = ReadCommitment(row, map);
                if (input is null)
                {
                    return (null, errors);
                }

                CommitmentsHandler.Prepared prepared;
                try
                {
                    prepared = commitments.Prepare(input, request.Caller, set);
                }
                catch (UsageException e)
                {
                    var column = Column(e.Field);
                    return (null, [new RowError(row.Number, column, "commitment.invalid", $"Isian {column} tidak memenuhi aturan komitmen: {e.Message}", e.Message, map.Get(row, column))]);
                }

                var key = (prepared.Region.Code, prepared.Year, prepared.Kind);
                if (seen.TryGetValue(key, out var first))
                {
                    return (null, [new RowError(row.Number, "kind", "duplicate_in_file", $"Wilayah, tahun anggaran dan jenis sama dengan baris {first}",
                        $"Same region, fiscal year and kind as row {first}", prepared.Kind)]);
                }

                seen[key] = row.Number;
                return (new CommitmentRow(row.Number, prepared), []);
            },
            async (ctx, rows, token) =>
            {
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    try
                    {
                        var (_, outcome) = await commitments.WriteAsync(ctx.Connection, ctx.Transaction!, r.Commitment, ctx.Caller, ctx.Now, token);
                        results.Add((outcome switch { "created" => RowResult.Created, "updated" => RowResult.Updated, _ => RowResult.Unchanged }, []));
                    }
                    catch (ConflictException e)
                    {
                        var column = e.Field == "fiscalYear" ? "fiscal_year" : "kind";
                        var id = e.Field == "fiscalYear" ? $"Tahun anggaran {r.Commitment.Year} sudah dikunci setelah tenggatnya" : "Komitmen ini sudah diajukan atau diproses dan tidak dapat diubah lewat impor";
                        results.Add((RowResult.Rejected, [new RowError(r.RowNumber, column, e.Field == "fiscalYear" ? "year.locked" : "commitment.status", id, e.Message,
                            column == "kind" ? r.Commitment.Kind : r.Commitment.Year.ToString(CultureInfo.InvariantCulture))]));
                    }
                }

                return results;
            }, ct, Permission.MonevCommit);
    }

    /// <summary>A file row as an input: numbers, dates and yes/no parsed as spreadsheets type them.</summary>
    internal static (CommitmentInput? Input, List<RowError> Errors) ReadCommitment(TabularRow row, ColumnMap map)
    {
        var errors = new List<RowError>();
        void Fail(string column, string code, string id, string en) => errors.Add(new RowError(row.Number, column, code, id, en, map.Get(row, column)));
        long? Number(string column)
        {
            var text = map.Get(row, column);
            if (text.Length == 0)
            {
                return null;
            }

            if (Values.TryMoney(text, map.IsNumeric(row, column), out var n))
            {
                return n;
            }

            Fail(column, "number.format", $"{column} harus bilangan bulat tidak negatif, mis. 1500000 atau 1.500.000", $"{column} must be a whole number, e.g. 1500000 or 1.500.000");
            return null;
        }

        string? Date(string column)
        {
            var text = map.Get(row, column);
            if (text.Length == 0)
            {
                return null;
            }

            if (Values.TryDate(text, map.IsNumeric(row, column), out var d))
            {
                return d.ToIso();
            }

            Fail(column, "date.format", $"{column} harus tanggal TTTT-BB-HH atau HH/BB/TTTT", $"{column} must be a date YYYY-MM-DD or DD/MM/YYYY");
            return null;
        }

        int? year = null;
        var yearText = map.Get(row, "fiscal_year");
        if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            year = y;
        }
        else
        {
            Fail("fiscal_year", yearText.Length == 0 ? "required" : "year.format", "Tahun anggaran harus tahun empat angka, mis. 2024", "The fiscal year must be a four-digit year, e.g. 2024");
        }

        bool? ptsp = map.Get(row, "ptsp_required").ToLowerInvariant() switch
        {
            "" => null,
            "ya" or "y" or "yes" or "true" or "1" or "wajib" => true,
            "tidak" or "t" or "no" or "n" or "false" or "0" => false,
            _ => Invalid(),
        };
        bool? Invalid()
        {
            Fail("ptsp_required", "bool.format", "ptsp_required harus ya atau tidak", "ptsp_required must be yes or no");
            return null;
        }

        long? bumdTotal = Number("bumd_total"), bumdRegistered = Number("bumd_registered");
        var input = new CommitmentInput(map.Get(row, "region_code"), year, map.Get(row, "kind").ToLowerInvariant(),
            Blank(map.Get(row, "reg_type").ToLowerInvariant()), Blank(map.Get(row, "reg_number")), Date("reg_date"), Blank(map.Get(row, "reg_title")), Blank(map.Get(row, "reg_status").ToLowerInvariant()),
            Number("amount"), Number("workers_targeted"), Blank(map.Get(row, "target_groups").ToLowerInvariant()),
            ptsp, Blank(map.Get(row, "legal_basis")), Date("effective_date"),
            bumdTotal is > int.MaxValue ? int.MaxValue : (int?)bumdTotal, bumdRegistered is > int.MaxValue ? int.MaxValue : (int?)bumdRegistered,
            Number("census_count"), Blank(map.Get(row, "census_source")), Blank(map.Get(row, "note")));
        return errors.Count > 0 ? (null, errors) : (input, errors);
    }

    private static string? Blank(string s) => s.Length == 0 ? null : s;

    /// <summary>The file column of a handler field name (regType → reg_type).</summary>
    internal static string Column(string? field) => field switch
    {
        null => "kind",
        "region" => "region_code",
        "fiscalYear" => "fiscal_year",
        _ => string.Concat(field.Select(ch => char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : ch.ToString())),
    };
}
