using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Kawal.Data;

namespace Kawal.Compliance;

/// <summary>
/// Loads data/reference/minimum_wages.csv (UMP per province and year, 2021–2026, sources in PROVENANCE.md) into
/// <c>minimum_wages</c>. Upsert by (region, year, kind); later years and UMKs come by import (docs/compliance.md).
/// </summary>
internal sealed class MinimumWageLoader : IReferenceDataLoader
{
    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedFiles.Read(typeof(MinimumWageLoader).Assembly, "kawal.reference.minimum_wages.csv"));

    public string Name => "minimum_wages";

    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value));

    public async Task<int> LoadAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken ct)
    {
        using var reader = new StreamReader(new MemoryStream(Bytes.Value));
        var header = Csv.SplitLine(reader.ReadLine() ?? throw new KawalException("minimum_wages.csv is empty")).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new KawalException($"minimum_wages.csv has no column {name}");
        int code = Col("province_code"), year = Col("year"), ump = Col("ump"), basis = Col("legal_basis"), note = Col("source_note");
        var now = TimeProvider.System.GetUtcNow();
        var n = 0;
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = Csv.SplitLine(line);
            if (!int.TryParse(f[year], NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !long.TryParse(f[ump], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                throw new KawalException($"minimum_wages.csv line {lineNo}: year and ump must be whole numbers");
            }

            await UpsertAsync(connection, transaction, f[code], y, "UMP", amount, f[basis].Length == 0 ? null : f[basis], "data/reference/minimum_wages.csv: " + f[note], null, now, ct);
            n++;
        }

        return n;
    }

    /// <summary>Null: created; true: updated; false: unchanged.</summary>
    internal static async Task<bool?> UpsertAsync(DbConnection c, DbTransaction? tx, string region, int year, string kind, long amount, string? basis, string source, long? importId,
        DateTimeOffset now, CancellationToken ct)
    {
        var old = await c.QuerySingleOrDefaultAsync<(long Amount, string? Basis, string Source)?>(new CommandDefinition(
            "SELECT amount, legal_basis, source FROM minimum_wages WHERE region_code = @region AND year = @year AND kind = @kind", new { region, year, kind }, tx, cancellationToken: ct));
        if (old is { } o && o.Amount == amount && o.Basis == basis && o.Source == source)
        {
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO minimum_wages (region_code, year, kind, amount, legal_basis, source, import_id, updated_at) VALUES (@region, @year, @kind, @amount, @basis, @source, @importId, @now)
            ON CONFLICT (region_code, year, kind) DO UPDATE SET amount = excluded.amount, legal_basis = excluded.legal_basis, source = excluded.source, import_id = excluded.import_id,
                updated_at = excluded.updated_at
            """, new { region, year, kind, amount, basis, source, importId, now }, tx, cancellationToken: ct));
        return old is null ? null : true;
    }
}
