using Dapper;
using Kawal.Data;
using Kawal.Regions.Data;

namespace Kawal.Regions.Features.GetRegion;

/// <summary>
/// One region with its parent and children. Children are those valid on <paramref name="Date"/>; without a date,
/// today's, or — for a region that no longer exists — those of its last valid day.
/// </summary>
public sealed record GetRegion(string Code, DateOnly? Date);

public sealed class GetRegionHandler(Database db, TimeProvider time)
{
    public async Task<RegionDetail?> HandleAsync(GetRegion query, CancellationToken ct = default)
    {
        if (!RegionCode.TryParse(query.Code, out _))
        {
            return null;
        }

        await using var c = await db.OpenAsync(ct);
        var region = await FindAsync(c, query.Code, ct);
        if (region is null)
        {
            return null;
        }

        var today = time.Today();
        var asOf = query.Date ?? (region.IsValidOn(today) ? today : region.LastValidDay ?? today);
        var parent = region.ParentCode is null ? null : await FindAsync(c, region.ParentCode, ct);
        var successor = region.SuccessorCode is null ? null : await FindAsync(c, region.SuccessorCode, ct);
        var children = await c.QueryAsync<RegionRow>(new CommandDefinition(
            $"""
            SELECT {RegionRow.Columns} FROM regions
            WHERE parent_code = @Code
              AND (valid_from IS NULL OR valid_from <= @AsOf)
              AND (valid_to IS NULL OR valid_to > @AsOf)
            ORDER BY code
            """, new { query.Code, AsOf = asOf }, cancellationToken: ct));
        return new RegionDetail(region, parent, children.Select(r => r.ToRegion()).ToList(), asOf, successor);
    }

    private static async Task<Region?> FindAsync(System.Data.Common.DbConnection c, string code, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<RegionRow>(new CommandDefinition(
            $"SELECT {RegionRow.Columns} FROM regions WHERE code = @code", new { code }, cancellationToken: ct)))?.ToRegion();
}
