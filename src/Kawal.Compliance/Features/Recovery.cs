using System.Data.Common;
using Dapper;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Compliance.Features;

/// <summary>
/// A month's recovery figures of a region and office: SKKs handed over (count, amount), what was recovered, and from how
/// many cases (<see cref="Recoveries"/>, the contributors behind the recovered amount; a published figure counts its SKKs).
/// </summary>
public sealed record RecoveryCell(string RegionCode, string? OfficeCode, long SkkCount, long SkkAmount, long Recovered, long Recoveries);

/// <summary>Recovery indicators per office, region and period (docs/compliance.md § Recovery): Kawal's SKKs and recoveries plus published aggregates.</summary>
public sealed class RecoveryStatistics(Database db, TimeProvider time, IPublishedFigures? published = null)
{
    public static async Task<List<RecoveryCell>> CellsAsync(DbConnection c, Period from, Period to, CancellationToken ct)
    {
        var args = new { first = from.FirstDay, last = to.LastDay, from = from.ToString(), to = to.ToString() };
        var cells = new Dictionary<(string, string?), (long Count, long Amount, long Recovered, long Recoveries)>();
        void Add(string region, string? office, long count, long amount, long recovered, long recoveries)
        {
            var v = cells.GetValueOrDefault((region, office));
            cells[(region, office)] = (v.Count + count, v.Amount + amount, v.Recovered + recovered, v.Recoveries + recoveries);
        }

        foreach (var s in await c.QueryAsync<(string Region, string Office, long Count, long Amount)>(new CommandDefinition(
            "SELECT region_code, office_code, COUNT(*), SUM(COALESCE(skk_amount, 0)) FROM compliance_cases WHERE skk_date >= @first AND skk_date <= @last GROUP BY region_code, office_code",
            args, cancellationToken: ct)))
        {
            Add(s.Region, s.Office, s.Count, s.Amount, 0, 0);
        }

        foreach (var r in await c.QueryAsync<(string Region, string Office, long Amount, long Cases)>(new CommandDefinition(
            """
            SELECT k.region_code, r.office_code, SUM(r.amount), COUNT(DISTINCT r.case_id) FROM case_recoveries r JOIN compliance_cases k ON k.id = r.case_id
            WHERE r.paid_on >= @first AND r.paid_on <= @last GROUP BY k.region_code, r.office_code
            """, args, cancellationToken: ct)))
        {
            Add(r.Region, r.Office, 0, 0, r.Amount, r.Cases);
        }

        foreach (var h in await c.QueryAsync<(string Region, long Count, long Amount, long Recovered)>(new CommandDefinition(
            "SELECT region_code, SUM(skk_count), SUM(skk_amount), SUM(recovered) FROM compliance_history WHERE period >= @from AND period <= @to GROUP BY region_code", args, cancellationToken: ct)))
        {
            Add(h.Region, null, h.Count, h.Amount, h.Recovered, h.Count);
        }

        return cells.Select(x => new RecoveryCell(x.Key.Item1, x.Key.Item2, x.Value.Count, x.Value.Amount, x.Value.Recovered, x.Value.Recoveries)).ToList();
    }

    public static decimal? Pct(long part, long whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);

    public async Task<RecoveryStatsDto> StatsAsync(string? region, string? office, string? from, string? to, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.StatsRead);
        var (f, t) = Period.Range(from, to, time.Today());
        var area = string.IsNullOrWhiteSpace(region) ? caller.Scope.Code : region.Trim();
        if (area is not null && !caller.Scope.Covers(area))
        {
            throw new NotFoundException($"no region {area} in your scope") { Indonesian = $"Wilayah {area} tidak ditemukan atau di luar wilayah Anda." };
        }

        // A caller that may read the cases (ComplianceRead) learns nothing from their sums; anyone else reads what the months publish.
        if (!caller.ExactFigures && !caller.Has(Permission.ComplianceRead) && published is not null)
        {
            return await ControlledAsync(area, f, t, ct);
        }

        await using var c = await db.OpenReadAsync(ct);
        var names = (await c.QueryAsync<(string Code, string Name)>(new CommandDefinition("SELECT code, name FROM prosecutor_offices", cancellationToken: ct))).ToDictionary(x => x.Code, x => x.Name);
        var within = Cases.Within(area);
        var cells = (await CellsAsync(c, f, t, ct)).Where(x => within.Covers(x.RegionCode))
            .Where(x => string.IsNullOrWhiteSpace(office) || x.OfficeCode == office.Trim()).ToList();
        var rows = cells.GroupBy(x => x.OfficeCode ?? "published").Select(g => new RecoveryRowDto(g.Key, g.Key == "published" ? "Angka terbitan (di luar Kawal)" : names.GetValueOrDefault(g.Key, g.Key),
            g.Sum(x => x.SkkCount), g.Sum(x => x.SkkAmount), g.Sum(x => x.Recovered), Pct(g.Sum(x => x.Recovered), g.Sum(x => x.SkkAmount)))).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var sources = (await c.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT source FROM compliance_history WHERE period >= @from AND period <= @to AND {within.Sql("region_code", "@area")}",
            new { from = f.ToString(), to = t.ToString(), area }, cancellationToken: ct))).ToList();
        return new RecoveryStatsDto(area, string.IsNullOrWhiteSpace(office) ? null : office.Trim(), f.ToString(), t.ToString(), cells.Sum(x => x.SkkCount), cells.Sum(x => x.SkkAmount),
            cells.Sum(x => x.Recovered), Pct(cells.Sum(x => x.Recovered), cells.Sum(x => x.SkkAmount)), rows, sources);
    }

    private async Task<RecoveryStatsDto> ControlledAsync(string? area, Period from, Period to, CancellationToken ct)
    {
        var sums = await published!.SumAsync(area, from, to, ["compliance.skk_count", "compliance.skk_amount", "compliance.recovered"], ct);
        var (count, amount, recovered) = (sums["compliance.skk_count"], sums["compliance.skk_amount"], sums["compliance.recovered"]);
        return new RecoveryStatsDto(area, null, from.ToString(), to.ToString(), count, amount, recovered,
            recovered is { } rec && amount is { } amt ? Pct(rec, amt) : null, [], [], Controlled: true);
    }

    /// <summary>Adds published recovery figures (the demo's seeds scenario; an operator's import), keyed by region, month and source.</summary>
    public static async Task<bool> UpsertHistoryAsync(DbConnection c, DbTransaction tx, string region, Period period, long skkCount, long skkAmount, long recovered, string source, bool demo,
        DateTimeOffset now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO compliance_history (region_code, period, skk_count, skk_amount, recovered, source, is_demo, created_at) VALUES (@region, @p, @skkCount, @skkAmount, @recovered, @source, @demo, @now)
            ON CONFLICT (region_code, period, source) DO UPDATE SET skk_count = excluded.skk_count, skk_amount = excluded.skk_amount, recovered = excluded.recovered
            """, new { region, p = period.ToString(), skkCount, skkAmount, recovered, source, demo, now }, tx, cancellationToken: ct)) > 0;
}
