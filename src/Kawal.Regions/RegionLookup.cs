using Dapper;
using Kawal.Data;
using Kawal.Regions.Data;

namespace Kawal.Regions;

/// <summary>
/// All region codes in memory (578 rows), for validating codes in bulk (imports, NIK checks) without a query per row.
/// Loaded once per instance; the reference data changes only with a new build.
/// </summary>
public sealed class RegionLookup(Database db)
{
    private Dictionary<string, Region>? _all;

    public async Task<RegionSet> LoadAsync(CancellationToken ct = default)
    {
        if (_all is null)
        {
            await using var c = await db.OpenAsync(ct);
            var rows = await c.QueryAsync<RegionRow>(new CommandDefinition($"SELECT {RegionRow.Columns} FROM regions", cancellationToken: ct));
            _all = rows.Select(r => r.ToRegion()).ToDictionary(r => r.Code, StringComparer.Ordinal);
        }

        return new RegionSet(_all);
    }
}

/// <summary>A snapshot of the regions reference.</summary>
public sealed class RegionSet(IReadOnlyDictionary<string, Region> all)
{
    public Region? Find(string code) => all.TryGetValue(code, out var r) ? r : null;

    /// <summary>The code exists at any time (a NIK issued under a code later retired is still valid).</summary>
    public bool Exists(string code) => all.ContainsKey(code);

    /// <summary>The region of a code at any level, found through its regency or province (districts and villages are not in the reference).</summary>
    public Region? Enclosing(string code)
    {
        if (!RegionCode.TryParse(code, out var c))
        {
            return null;
        }

        RegionCode? current = c;
        while (current is { } k)
        {
            if (Find(k.Value) is { } r)
            {
                return r;
            }

            current = k.Parent;
        }

        return null;
    }
}
