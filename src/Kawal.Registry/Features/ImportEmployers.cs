using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Regions;

namespace Kawal.Registry.Features;

/// <summary>Imports employers keyed by NPP: new ones are created, changed ones updated, the same file again changes nothing.</summary>
public sealed class ImportEmployersHandler(Database db, RegionLookup regionLookup, TimeProvider time)
{
    public async Task<ImportSummary> HandleAsync(ImportRequest request, CancellationToken ct = default)
    {
        var regions = await regionLookup.LoadAsync(ct);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return await new ImportRunner(db, time).RunAsync<EmployerRow>(request, "employers", Columns.Employers,
            (row, map) =>
            {
                var (employer, errors) = Validate(row, map, regions);
                if (employer is null)
                {
                    return (null, errors);
                }

                if (seen.TryGetValue(employer.Npp, out var first))
                {
                    return (null, [new RowError(row.Number, "npp", "duplicate_in_file", $"Baris ganda: NPP sama dengan baris {first}", $"Duplicate row: same NPP as row {first}", employer.Npp)]);
                }

                seen[employer.Npp] = row.Number;
                return (new EmployerRow(row.Number, employer, Optional.Where(c => !map.Has(c)).ToHashSet(StringComparer.Ordinal)), []);
            },
            (ctx, rows, token) => WriteAsync(ctx, rows, token), ct);
    }

    /// <summary>A valid row; <paramref name="Unstated"/>: optional columns the file does not have, which leave an existing employer's values as they are.</summary>
    internal sealed record EmployerRow(int RowNumber, Employer Employer, IReadOnlySet<string>? Unstated = null) : IImportRow;

    private static readonly string[] Optional = ["nib", "address", "status"];

    private static readonly string[] InsertColumns = ["npp", "nib", "name", "kind", "region_code", "risk_class", "size", "address", "status", "created_at", "updated_at", "is_demo"];

    /// <summary>
    /// Writes a batch: the batch's employers and the holders of its NIBs are read in one query each, new employers are
    /// inserted in one statement, changed ones updated one by one. Rows are decided in file order against the NIBs as
    /// the earlier rows leave them, so a NIB released by one row can be taken by a later one, as row by row.
    /// </summary>
    internal static async Task<IReadOnlyList<(RowResult, IReadOnlyList<RowError>)>> WriteAsync(BatchContext ctx, IReadOnlyList<EmployerRow> rows, CancellationToken ct)
    {
        var npps = rows.Select(r => r.Employer.Npp).Distinct().ToList();
        var current = (await ctx.Connection.QueryAsync<EmployerState>(new CommandDefinition(
            $"SELECT {EmployerState.Columns} FROM {ctx.Dialect.FromKeys("employers", "npp", "@npps")}",
            new { npps = ctx.Dialect.ListValue(npps) }, ctx.Transaction, cancellationToken: ct))).ToDictionary(e => e.Npp, e => e.ToEmployer(), StringComparer.Ordinal);
        var nibs = rows.Select(r => r.Employer.Nib).OfType<string>().Distinct().ToList();
        var holders = nibs.Count == 0 ? new Dictionary<string, string>(StringComparer.Ordinal) : (await ctx.Connection.QueryAsync<(string Nib, string Npp)>(new CommandDefinition(
            $"SELECT nib, npp FROM {ctx.Dialect.FromKeys("employers", "nib", "@nibs")}", new { nibs = ctx.Dialect.ListValue(nibs) }, ctx.Transaction, cancellationToken: ct)))
            .ToDictionary(x => x.Nib, x => x.Npp, StringComparer.Ordinal);
        var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
        var inserts = new List<Employer>();
        foreach (var row in rows)
        {
            var before = current.GetValueOrDefault(row.Employer.Npp);
            var employer = before is null || row.Unstated is not { Count: > 0 } unstated ? row.Employer : row.Employer with
            {
                Nib = unstated.Contains("nib") ? before.Nib : row.Employer.Nib,
                Address = unstated.Contains("address") ? before.Address : row.Employer.Address,
                Status = unstated.Contains("status") ? before.Status : row.Employer.Status,
            };
            var outside = (before is null ? null : ctx.OutOfScope(row.RowNumber, "npp", before.RegionCode)) ?? ctx.OutOfScope(row.RowNumber, "region_code", employer.RegionCode);
            if (outside is not null)
            {
                results.Add((RowResult.Rejected, [outside]));
                continue;
            }

            if (employer.Nib is { } nib && holders.TryGetValue(nib, out var holder) && holder != employer.Npp)
            {
                results.Add((RowResult.Rejected, [new RowError(row.RowNumber, "nib", "nib.taken", $"NIB sudah dipakai pemberi kerja NPP {holder}", $"The NIB belongs to the employer with NPP {holder}", nib)]));
                continue;
            }

            if (before?.Nib is { } released && released != employer.Nib)
            {
                holders.Remove(released);
            }

            if (employer.Nib is { } taken)
            {
                holders[taken] = employer.Npp;
            }

            current[employer.Npp] = employer;
            if (before is null)
            {
                inserts.Add(employer);
                results.Add((RowResult.Created, []));
            }
            else if (before == employer)
            {
                results.Add((RowResult.Unchanged, []));
            }
            else
            {
                await ctx.Connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE employers SET nib = @Nib, name = @Name, kind = @Kind, region_code = @RegionCode, risk_class = @RiskClass,
                        size = @Size, address = @Address, status = @Status, updated_at = @Now WHERE npp = @Npp
                    """, new { employer.Npp, employer.Nib, employer.Name, employer.Kind, employer.RegionCode, employer.RiskClass, employer.Size, employer.Address, employer.Status, ctx.Now },
                    ctx.Transaction, cancellationToken: ct));
                results.Add((RowResult.Updated, []));
            }
        }

        // After the updates, so that a NIB an update released is free for a new employer.
        await MultiRow.InsertAsync(ctx.Connection, ctx.Transaction, "employers", InsertColumns,
            inserts.Select(e => new object?[] { e.Npp, e.Nib, e.Name, e.Kind, e.RegionCode, (short)e.RiskClass, e.Size, e.Address, e.Status, ctx.Now, ctx.Now, ctx.Demo }).ToList(), ct);
        return results;
    }

    internal static (Employer? Employer, List<RowError> Errors) Validate(TabularRow row, ColumnMap map, RegionSet regions)
    {
        var errors = new List<RowError>();
        void Fail(string column, string code, string id, string en) => errors.Add(new RowError(row.Number, column, code, id, en, map.Get(row, column)));
        var npp = map.Get(row, "npp");
        if (npp.Length is < 8 or > 12 || !npp.All(char.IsAsciiDigit))
        {
            Fail("npp", "npp.format", "NPP harus 8 sampai 12 digit angka", "The NPP must be 8 to 12 digits");
        }

        var nib = map.Get(row, "nib");
        if (nib.Length > 0 && (nib.Length != 13 || !nib.All(char.IsAsciiDigit)))
        {
            Fail("nib", "nib.format", "NIB harus 13 digit angka", "The NIB must be 13 digits");
        }

        var name = map.Get(row, "name");
        if (name.Length == 0)
        {
            Fail("name", "required", "Nama wajib diisi", "Name is required");
        }

        var kind = map.Get(row, "kind").ToLowerInvariant();
        if (!Codes.EmployerKinds.Contains(kind))
        {
            Fail("kind", "kind.unknown", "Jenis pemberi kerja tidak dikenal", "Unknown employer kind (private, bumn, bumd, central_gov, regional_gov, village, other)");
        }

        var region = map.Get(row, "region_code");
        if (regions.Find(region) is null)
        {
            Fail("region_code", "region.unknown", "Kode wilayah tidak dikenal", "Unknown region code");
        }

        if (!int.TryParse(map.Get(row, "risk_class"), NumberStyles.None, CultureInfo.InvariantCulture, out var risk) || risk is < 1 or > 5)
        {
            Fail("risk_class", "risk_class.invalid", "Kelompok risiko harus 1 sampai 5", "The risk group must be 1 to 5");
        }

        var size = map.Get(row, "size").ToLowerInvariant();
        if (!Codes.Sizes.Contains(size))
        {
            Fail("size", "size.unknown", "Skala usaha harus micro, small, medium atau large", "Size must be micro, small, medium or large");
        }

        var status = map.Get(row, "status").ToLowerInvariant() is { Length: > 0 } s ? s : "active";
        if (status is not ("active" or "inactive" or "closed"))
        {
            Fail("status", "status.unknown", "Status harus active, inactive atau closed", "Status must be active, inactive or closed");
        }

        var address = map.Get(row, "address");
        return errors.Count > 0
            ? (null, errors)
            : (new Employer(npp, nib.Length == 0 ? null : nib, name, kind, region, risk, size, address.Length == 0 ? null : address, status), errors);
    }

    /// <summary>The employer as stored now, or null.</summary>
    internal static async Task<Employer?> CurrentAsync(BatchContext ctx, string npp, CancellationToken ct) =>
        (await ctx.Connection.QuerySingleOrDefaultAsync<EmployerState>(new CommandDefinition(
            $"SELECT {EmployerState.Columns} FROM employers WHERE npp = @npp", new { npp }, ctx.Transaction, cancellationToken: ct)))?.ToEmployer();

    private sealed class EmployerState
    {
        public const string Columns = "npp AS Npp, nib AS Nib, name AS Name, kind AS Kind, region_code AS RegionCode, risk_class AS RiskClass, size AS Size, address AS Address, status AS Status";

        public string Npp { get; set; } = "";
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public int RiskClass { get; set; }
        public string Size { get; set; } = "";
        public string? Address { get; set; }
        public string Status { get; set; } = "";

        public Employer ToEmployer() => new(Npp, Nib, Name, Kind, RegionCode, RiskClass, Size, Address, Status);
    }
}
