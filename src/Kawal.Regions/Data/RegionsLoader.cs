using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Kawal.Data;

namespace Kawal.Regions.Data;

/// <summary>Loads data/reference/regions.csv (embedded) into <c>regions</c>; an upsert, so re-running changes nothing.</summary>
internal sealed class RegionsLoader : IReferenceDataLoader
{
    private static readonly Lazy<byte[]> Bytes = new(() => ReferenceFiles.Read("regions.csv"));

    public string Name => "regions";

    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value));

    public async Task<int> LoadAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken ct)
    {
        var rows = Parse(Bytes.Value);
        // Provinces first so that parent_code references exist.
        foreach (var row in rows.OrderBy(r => r.Level == Region.Province ? 0 : 1).ThenBy(r => r.Code, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO regions (code, parent_code, level, name, type, valid_from, valid_to, successor_code, bps_code)
                VALUES (@Code, @ParentCode, @Level, @Name, @Type, @ValidFrom, @ValidTo, @SuccessorCode, @BpsCode)
                ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, level = excluded.level,
                    name = excluded.name, type = excluded.type, valid_from = excluded.valid_from,
                    valid_to = excluded.valid_to, successor_code = excluded.successor_code, bps_code = excluded.bps_code
                """, row, transaction, cancellationToken: ct));
        }

        return rows.Count;
    }

    internal static List<RegionRow> Parse(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes));
        var header = Csv.SplitLine(reader.ReadLine() ?? throw new KawalException("regions.csv is empty"));
        int Col(string name) => header.ToList().IndexOf(name) is var i and >= 0 ? i : throw new KawalException($"regions.csv has no column {name}");
        int code = Col("code"), parent = Col("parent_code"), level = Col("level"), name = Col("name"), type = Col("type"),
            from = Col("valid_from"), to = Col("valid_to"), successor = Col("successor_code"), bps = Col("bps_code");
        var rows = new List<RegionRow>();
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = Csv.SplitLine(line);
            rows.Add(new RegionRow
            {
                Code = f[code],
                ParentCode = Null(f[parent]),
                Level = f[level],
                Name = f[name],
                Type = f[type],
                ValidFrom = Date(f[from], lineNo),
                ValidTo = Date(f[to], lineNo),
                SuccessorCode = Null(f[successor]),
                BpsCode = Null(f[bps]),
            });
        }

        return rows;
    }

    private static string? Null(string s) => s.Length == 0 ? null : s;

    private static DateOnly? Date(string s, int line) =>
        s.Length == 0 ? null : Dates.TryParseIso(s, out var d) ? d : throw new KawalException($"regions.csv line {line}: '{s}' is not a date");
}

internal static class ReferenceFiles
{
    public static byte[] Read(string name) => EmbeddedFiles.Read(typeof(ReferenceFiles).Assembly, "kawal.reference." + name);
}
