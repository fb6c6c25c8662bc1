using System.Data.Common;
using Dapper;

namespace Kawal.Monev.Features;

/// <summary>A denominator: BPS labour force or employed, a non-ASN census count, a vulnerable-worker estimate.</summary>
public sealed class DenominatorRow
{
    public string RegionCode { get; set; } = "";
    public long Year { get; set; }
    public string Kind { get; set; } = "";
    public long Value { get; set; }
    public string Source { get; set; } = "";
}

/// <summary>The fields of a commitment the indicators and the scorecard read.</summary>
public sealed class CommitmentFact
{
    public long Id { get; set; }
    public string RegionCode { get; set; } = "";
    public long FiscalYear { get; set; }
    public string Kind { get; set; } = "";
    public string Status { get; set; } = "";
    public string? RegType { get; set; }
    public string? RegStatus { get; set; }
    public long? Amount { get; set; }
    public long? WorkersTargeted { get; set; }
    public bool? PtspRequired { get; set; }
    public long? BumdTotal { get; set; }
    public long? BumdRegistered { get; set; }
}

/// <summary>Denominators and accepted commitments, read together (both tables are small: one row per region, year and kind).</summary>
public sealed class Facts
{
    private Facts(List<DenominatorRow> denominators, List<CommitmentFact> commitments)
    {
        Denominators = denominators;
        Commitments = commitments;
    }

    public IReadOnlyList<DenominatorRow> Denominators { get; }

    /// <summary>Accepted commitments only: a figure counts once the national team has accepted its evidence.</summary>
    public IReadOnlyList<CommitmentFact> Commitments { get; }

    public static async Task<Facts> LoadAsync(DbConnection c, CancellationToken ct)
    {
        var d = (await c.QueryAsync<DenominatorRow>(new CommandDefinition(
            "SELECT region_code AS RegionCode, year AS Year, kind AS Kind, value AS Value, source AS Source FROM monev_denominators", cancellationToken: ct))).ToList();
        var k = (await c.QueryAsync<CommitmentFact>(new CommandDefinition(
            """
            SELECT id AS Id, region_code AS RegionCode, fiscal_year AS FiscalYear, kind AS Kind, status AS Status, reg_type AS RegType, reg_status AS RegStatus,
                   amount AS Amount, workers_targeted AS WorkersTargeted, ptsp_required AS PtspRequired, bumd_total AS BumdTotal, bumd_registered AS BumdRegistered
            FROM commitments WHERE status = 'accepted'
            """, cancellationToken: ct))).ToList();
        return new Facts(d, k);
    }

    /// <summary>Years whose province figures describe the 34-province layout (BPS published 34 rows for August 2021–2023).</summary>
    public static int LayoutOfYear(int year) => year <= 2023 ? 34 : 38;

    /// <summary>Provinces whose area differs between the 34- and 38-province layouts.</summary>
    public static bool Split(string province) => province is "91" or "92" or "93" or "94" or "95" or "96";

    /// <summary>
    /// The denominator of a kind for an area in the latest year up to <paramref name="year"/>: the area's own figure,
    /// else (for the nation or a province) the sum of its parts' figures of that year. A province whose area changed in
    /// 2022 only takes a figure from a year of the same layout as the month reported.
    /// </summary>
    public (long Value, int Year, string Source)? Denominator(string kind, string? area, int year, int layout, Snapshot s)
    {
        var rows = Denominators.Where(r => r.Kind == kind && r.Year <= year).ToList();
        foreach (var y in rows.Select(r => (int)r.Year).Distinct().OrderByDescending(y => y))
        {
            var ofYear = rows.Where(r => r.Year == y).ToList();
            if (area is not null && ofYear.FirstOrDefault(r => r.RegionCode == area) is { } own)
            {
                if (area.Length == 2 && Split(area) && LayoutOfYear(y) != layout)
                {
                    continue;
                }

                return (own.Value, y, own.Source);
            }

            var parts = area is null
                ? ofYear.Where(r => r.RegionCode.Length == 2).ToList() is { Count: > 0 } provinces ? provinces : ofYear.Where(r => r.RegionCode.Length > 2).ToList()
                : area.Length == 2 ? ofYear.Where(r => r.RegionCode.Length > 2 && s.InArea(r.RegionCode, area)).ToList() : [];
            if (parts.Count > 0)
            {
                return (parts.Sum(r => r.Value), y, string.Join("; ", parts.Select(r => r.Source).Distinct()));
            }
        }

        return null;
    }
}
