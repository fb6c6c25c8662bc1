using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Kawal.Data;

namespace Kawal.Monev.Data;

/// <summary>
/// Loads data/reference/labour_force.csv (BPS Sakernas, August, per province; see its PROVENANCE.md) into
/// <c>monev_denominators</c> as <c>labour_force</c> and <c>employed</c>. Upsert by (region, year, kind): re-running
/// changes nothing; a figure an operator imported for the same key is replaced only when the shipped file changes.
/// </summary>
internal sealed class LabourForceLoader : IReferenceDataLoader
{
    internal const string Source = "BPS, Sakernas Agustus (data/reference/labour_force.csv)";

    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedFiles.Read(typeof(LabourForceLoader).Assembly, "kawal.reference.labour_force.csv"));

    public string Name => "labour_force";

    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value));

    public async Task<int> LoadAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken ct)
    {
        var rows = Parse(Bytes.Value);
        var now = TimeProvider.System.GetUtcNow();
        foreach (var (code, year, labourForce, employed) in rows)
        {
            foreach (var (kind, value) in new[] { ("labour_force", labourForce), ("employed", employed) })
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO monev_denominators (region_code, year, kind, value, source, import_id, updated_at)
                    VALUES (@code, @year, @kind, @value, @Source, NULL, @now)
                    ON CONFLICT (region_code, year, kind) DO UPDATE SET value = excluded.value, source = excluded.source, import_id = NULL, updated_at = excluded.updated_at
                    """, new { code, year, kind, value, Source, now }, transaction, cancellationToken: ct));
            }
        }

        return rows.Count * 2;
    }

    internal static List<(string Code, int Year, long LabourForce, long Employed)> Parse(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes));
        var header = Csv.SplitLine(reader.ReadLine() ?? throw new KawalException("labour_force.csv is empty")).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new KawalException($"labour_force.csv has no column {name}");
        int code = Col("province_code"), year = Col("year"), lf = Col("labour_force"), emp = Col("employed");
        var rows = new List<(string, int, long, long)>();
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = Csv.SplitLine(line);
            if (!int.TryParse(f[year], NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !long.TryParse(f[lf], NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                || !long.TryParse(f[emp], NumberStyles.None, CultureInfo.InvariantCulture, out var e))
            {
                throw new KawalException($"labour_force.csv line {lineNo}: year, labour_force and employed must be whole numbers");
            }

            rows.Add((f[code], y, l, e));
        }

        return rows;
    }
}
