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

    /// <summary>Provinces and regencies/cities valid on the date.</summary>
    public IEnumerable<Region> ValidOn(DateOnly date) => all.Values.Where(r => r.IsValidOn(date));

    /// <summary>
    /// The province that held a province or regency code's area on the date, following the 2022 Papua splits both ways:
    /// <c>93.01</c> (Merauke) lies in <c>91</c> (Papua) on 1 January 2022, and the retired <c>91.01</c> in <c>93</c> today.
    /// </summary>
    public string ProvinceOn(string code, DateOnly date)
    {
        var at = CodeOn(code, date);
        var r = Find(at);
        return r is null ? (at.Length >= 2 ? at[..2] : at) : r.Level == Region.Province ? ProvinceOfProvince(r, date) : r.ParentCode ?? r.Code;
    }

    private string ProvinceOfProvince(Region province, DateOnly date)
    {
        if (province.IsValidOn(date))
        {
            return province.Code;
        }

        var child = all.Values.FirstOrDefault(r => r.ParentCode == province.Code);
        return child is null ? province.Code : ProvinceOn(child.Code, date);
    }

    /// <summary>
    /// The regency/city code that held a code's area on the date (the retired or the new code of a Papua regency);
    /// a province code, or a code with no counterpart on the date, is returned as it is.
    /// </summary>
    public string CodeOn(string code, DateOnly date)
    {
        var region = Find(code) ?? Enclosing(code);
        if (region is null || region.Level == Region.Province)
        {
            return region?.Code ?? code;
        }

        var seen = 0;
        while (!region.IsValidOn(date) && seen++ < 4)
        {
            var next = region.ValidTo is { } to && date >= to && region.SuccessorCode is { } s ? Find(s)
                : all.Values.FirstOrDefault(r => r.SuccessorCode == region.Code);
            if (next is null)
            {
                break;
            }

            region = next;
        }

        return region.Code;
    }

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
