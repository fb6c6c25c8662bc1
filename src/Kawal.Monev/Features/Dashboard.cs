using Kawal.Identity;
using Kawal.Regions;

namespace Kawal.Monev.Features;

/// <summary>A child region's row: its score and figures (<see cref="Withheld"/>: withheld by disclosure control, value null).</summary>
public sealed record ChildRow(string Code, string Name, decimal? Score, string Band, int Rank, IReadOnlyDictionary<string, decimal?> Values, IReadOnlySet<string> Withheld);

public sealed record ChildrenView(string? Area, string AreaName, string Period, int Layout, string? AsOf, string? RefreshedAt, IndicatorSetDto Totals, IReadOnlyList<ChildRow> Rows);

/// <summary>An indicator month by month; <see cref="Withheld"/> lists the months whose figure disclosure control withholds.</summary>
public sealed record TrendView(string? Area, string Indicator, IReadOnlyList<(string Period, decimal? Value)> Points, IReadOnlySet<string> Withheld);

/// <summary>What the dashboards show: an area's totals with each child region's indicators and score, and an indicator's trend.</summary>
public sealed class MonevDashboard(IndicatorQueries indicators, ScorecardQueries scorecards, RegionLookup regions)
{
    public async Task<ChildrenView> ChildrenAsync(string? area, Period period, Caller caller, CancellationToken ct = default)
    {
        var totals = await indicators.ForAsync(area, period, caller, ct);
        var code = totals.RegionCode;
        var rows = new List<ChildRow>();
        if (code is null || code.Length == 2)
        {
            var board = await scorecards.ForAsync(code is null ? Region.Province : Region.Regency, code, period, caller, ct);
            var values = await indicators.ForManyAsync(board.Rows.Select(r => r.Code).ToList(), period, caller, ct);
            rows.AddRange(board.Rows.Select(r => new ChildRow(r.Code, r.Name, r.Score, r.Band, r.RankInProvince ?? r.Rank, values[r.Code].Values, values[r.Code].Withheld)));
        }

        return new ChildrenView(code, totals.RegionName, period.ToString(), totals.Layout, totals.AsOf, totals.RefreshedAt, totals, rows);
    }

    public async Task<TrendView> TrendAsync(string? area, string indicator, Period to, int months, Caller caller, CancellationToken ct = default)
    {
        if (IndicatorQueries.Definitions.All(d => d.Key != indicator))
        {
            throw new UsageException($"indicator '{indicator}' is not one of the indicators (see /api/v1/monev/definitions)", "indicator") { Indonesian = $"Indikator '{indicator}' tidak dikenal; pilih salah satu indikator yang tersedia." };
        }

        if (months is < 1 or > 120)
        {
            throw new UsageException("months must be from 1 to 120", "months") { Indonesian = "Jumlah bulan harus antara 1 dan 120." };
        }

        var (code, _) = await IndicatorQueries.AreaAsync(regions, area, caller, ct);
        var points = new List<(string, decimal?)>();
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        for (var p = to.AddMonths(1 - months); p <= to; p = p.Next)
        {
            var set = await indicators.ForAsync(code, p, caller, ct);
            points.Add((p.ToString(), set.AsOf is null ? null : set.Values[indicator]));
            if (set.AsOf is not null && set.Withheld.Contains(indicator))
            {
                withheld.Add(p.ToString());
            }
        }

        return new TrendView(code, indicator, points, withheld);
    }
}
