using Dapper;
using Kawal.Data;
using Kawal.Regions.Data;

namespace Kawal.Regions.Features.ListRegions;

/// <summary>Regions valid on a date, optionally of one level and under one parent.</summary>
public sealed record ListRegions(string? Level, string? Parent, DateOnly? Date)
{
    /// <summary>Builds the query from raw text (CLI options, query string); a bad value names its field.</summary>
    public static ListRegions FromText(string? level, string? parent, string? date)
    {
        if (level is not (null or "" or Region.Province or Region.Regency))
        {
            throw new UsageException($"level must be '{Region.Province}' or '{Region.Regency}', not '{level}'", "level") { Indonesian = "Tingkat wilayah harus provinsi atau kabupaten/kota." };
        }

        if (!string.IsNullOrEmpty(parent) && !RegionCode.TryParse(parent, out _))
        {
            throw new UsageException($"parent '{parent}' is not a region code such as 63 or 63.71", "parent") { Indonesian = $"Wilayah induk '{parent}' bukan kode wilayah Kemendagri seperti 63 atau 63.71." };
        }

        DateOnly? day = null;
        if (!string.IsNullOrEmpty(date))
        {
            day = Dates.TryParseIso(date, out var d) ? d : throw new UsageException($"date '{date}' is not a date in the form YYYY-MM-DD", "date") { Indonesian = $"Tanggal '{date}' harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31)." };
        }

        return new ListRegions(string.IsNullOrEmpty(level) ? null : level, string.IsNullOrEmpty(parent) ? null : parent, day);
    }
}

public sealed class ListRegionsHandler(Database db, TimeProvider time)
{
    public async Task<(DateOnly AsOf, IReadOnlyList<Region> Regions)> HandleAsync(ListRegions query, CancellationToken ct = default)
    {
        var asOf = query.Date ?? time.Today();
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<RegionRow>(new CommandDefinition(
            $"""
            SELECT {RegionRow.Columns} FROM regions
            WHERE (@Level IS NULL OR level = @Level)
              AND (@Parent IS NULL OR parent_code = @Parent)
              AND (valid_from IS NULL OR valid_from <= @AsOf)
              AND (valid_to IS NULL OR valid_to > @AsOf)
            ORDER BY code
            """, new { query.Level, query.Parent, AsOf = asOf }, cancellationToken: ct));
        return (asOf, rows.Select(r => r.ToRegion()).ToList());
    }
}
