using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;

namespace Kawal.Claims.Features;

/// <summary>
/// Claims paid in a region and months: cases (claims whose first payment falls in the range), amounts (every payment in
/// it) and the claims those payments went to (<see cref="Paid"/>, the contributors behind the amount; a published
/// aggregate counts its cases).
/// </summary>
public sealed record ClaimCell(string RegionCode, string Programme, long Cases, long Amount, long Paid);

/// <summary>A programme's claims of the range; null: withheld by disclosure control.</summary>
public sealed record ProgrammeStatsDto(string Programme, long? Cases, long? Amount);

/// <remarks>
/// <paramref name="Controlled"/>: the figures are those published to a caller without exact figures — the months' own
/// disclosure-controlled figures summed, a sum withheld (null) when any month's is; the split of published aggregates
/// (<paramref name="HistoryCases"/>, <paramref name="HistoryAmount"/>) is not given, since with the totals it would give
/// away Kawal's own claims.
/// </remarks>
public sealed record ClaimStatsDto(string? Region, string From, string To, long? Cases, long? Amount, IReadOnlyList<ProgrammeStatsDto> Programmes, long? HistoryCases, long? HistoryAmount,
    IReadOnlyList<string> Sources, bool Controlled = false);

/// <summary>
/// Claims statistics per region and month, from Kawal's own claim payments and from published aggregates of claims
/// paid outside Kawal (<c>claims_history</c>: BPJS's reports per province, imported with their source).
/// </summary>
public sealed class ClaimStatistics(Database db, RegionLookup regions, TimeProvider time, IPublishedFigures? published = null)
{
    public const string HistoryKind = "claims_history";

    public static IReadOnlyList<string> Programmes { get; } = ["JKM", "JKK", "JHT", "JP", "JKP"];

    public static readonly IReadOnlyList<ColumnSpec> HistoryColumns =
    [
        new("region_code", true, ["kode_wilayah", "wilayah", "kode_provinsi"], "province or regency/city code (Kemendagri)"),
        new("period", true, ["bulan", "periode"], "month YYYY-MM the claims were paid in"),
        new("programme", true, ["program"], "JKM, JKK, JHT, JP, JKP, or ALL when the source does not split by programme"),
        new("cases", true, ["kasus", "jumlah_kasus"], "number of claims paid"),
        new("amount", true, ["nominal", "jumlah", "nilai"], "whole rupiah paid"),
        new("source", true, ["sumber"], "where the figure was published, e.g. \"BPJS Ketenagakerjaan Kanwil Sumbagsel, 2022-09\""),
    ];

    internal sealed record HistoryRow(int RowNumber, string Region, string Period, string Programme, long Cases, long Amount, string Source) : IImportRow;

    /// <summary>Each month's cells (region, programme) of Kawal's payments and the imported aggregates; 'ALL' marks an aggregate not split by programme.</summary>
    public static async Task<List<ClaimCell>> CellsAsync(DbConnection c, Period from, Period to, CancellationToken ct)
    {
        var args = new { from = from.ToString(), to = to.ToString() };
        var amounts = await c.QueryAsync<(string Region, string Programme, long Amount, long Paid)>(new CommandDefinition(
            "SELECT region_code, programme, SUM(amount), COUNT(DISTINCT claim_id) FROM claim_payments WHERE period >= @from AND period <= @to GROUP BY region_code, programme", args,
            cancellationToken: ct));
        var cases = await c.QueryAsync<(string Region, string Programme, long Cases)>(new CommandDefinition(
            """
            SELECT k.region_code, k.programme, COUNT(*) FROM claims k JOIN (SELECT claim_id, MIN(period) AS first FROM claim_payments GROUP BY claim_id) f ON f.claim_id = k.id
            WHERE f.first >= @from AND f.first <= @to GROUP BY k.region_code, k.programme
            """, args, cancellationToken: ct));
        var history = await c.QueryAsync<(string Region, string Programme, long Cases, long Amount)>(new CommandDefinition(
            "SELECT region_code, programme, SUM(cases), SUM(amount) FROM claims_history WHERE period >= @from AND period <= @to GROUP BY region_code, programme", args, cancellationToken: ct));
        var cells = new Dictionary<(string, string), (long Cases, long Amount, long Paid)>();
        foreach (var a in amounts)
        {
            cells[(a.Region, a.Programme)] = (0, a.Amount, a.Paid);
        }

        foreach (var k in cases)
        {
            var v = cells.GetValueOrDefault((k.Region, k.Programme));
            cells[(k.Region, k.Programme)] = (v.Cases + k.Cases, v.Amount, v.Paid);
        }

        foreach (var h in history)
        {
            var v = cells.GetValueOrDefault((h.Region, h.Programme));
            cells[(h.Region, h.Programme)] = (v.Cases + h.Cases, v.Amount + h.Amount, v.Paid + h.Cases);
        }

        return cells.Select(x => new ClaimCell(x.Key.Item1, x.Key.Item2, x.Value.Cases, x.Value.Amount, x.Value.Paid)).ToList();
    }

    public async Task<ClaimStatsDto> StatsAsync(string? region, string? from, string? to, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.StatsRead);
        var (f, t) = Period.Range(from, to, time.Today());
        var area = string.IsNullOrWhiteSpace(region) ? caller.Scope.Code : region.Trim();
        if (area is not null && ((await regions.LoadAsync(ct)).Find(area) is null || !caller.Scope.Covers(area)))
        {
            throw new NotFoundException($"no region {area} in your scope") { Indonesian = $"Wilayah {area} tidak ditemukan atau di luar wilayah Anda." };
        }

        await using var c = await db.OpenReadAsync(ct);
        var within = area is null ? RegionScope.National : RegionScope.Of(RegionCode.Parse(area));
        var cells = (await CellsAsync(c, f, t, ct)).Where(x => within.Covers(x.RegionCode)).ToList();
        var history = (await c.QueryAsync<(string Region, long Cases, long Amount, string Source)>(new CommandDefinition(
            "SELECT region_code, SUM(cases), SUM(amount), source FROM claims_history WHERE period >= @from AND period <= @to GROUP BY region_code, source ORDER BY source",
            new { from = f.ToString(), to = t.ToString() }, cancellationToken: ct)))
            .Where(x => within.Covers(x.Region)).ToList();
        if (!caller.ExactFigures && published is not null)
        {
            return await ControlledAsync(area, f, t, history.Select(x => x.Source).Distinct().ToList(), ct);
        }

        var programmes = Programmes.Select(p => new ProgrammeStatsDto(p, cells.Where(x => x.Programme == p).Sum(x => x.Cases), cells.Where(x => x.Programme == p).Sum(x => x.Amount)))
            .ToList();
        return new ClaimStatsDto(area, f.ToString(), t.ToString(), cells.Sum(x => x.Cases), cells.Sum(x => x.Amount), programmes, history.Sum(x => x.Cases), history.Sum(x => x.Amount),
            history.Select(x => x.Source).Distinct().ToList());
    }

    /// <summary>The range's figures as the months publish them: a sum is withheld when any month's is.</summary>
    private async Task<ClaimStatsDto> ControlledAsync(string? area, Period from, Period to, IReadOnlyList<string> sources, CancellationToken ct)
    {
        var keys = new List<string> { "claims.count", "claims.amount" };
        keys.AddRange(Programmes.SelectMany(p => (string[])[$"claims.{p}.count", $"claims.{p}.amount"]));
        var sums = await published!.SumAsync(area, from, to, keys, ct);
        return new ClaimStatsDto(area, from.ToString(), to.ToString(), sums["claims.count"], sums["claims.amount"],
            Programmes.Select(p => new ProgrammeStatsDto(p, sums[$"claims.{p}.count"], sums[$"claims.{p}.amount"])).ToList(), null, null, sources, Controlled: true);
    }

    /// <summary><c>kawal claims history import FILE</c>: published aggregates, keyed by (region, month, programme, source); the same row again writes nothing.</summary>
    public async Task<ImportSummary> ImportHistoryAsync(ImportRequest request, CancellationToken ct = default)
    {
        var set = await regions.LoadAsync(ct);
        var maxPeriod = Period.Of(time.Today());
        return await new ImportRunner(db, time).RunAsync<HistoryRow>(request, HistoryKind, HistoryColumns,
            (row, map) =>
            {
                var errors = new List<RowError>();
                void Fail(string column, string code, string id, string en, string? value) => errors.Add(new RowError(row.Number, column, code, id, en, value));
                var regionText = map.Get(row, "region_code");
                var r = set.Find(regionText);
                if (r is null || r.Level is not (Region.Province or Region.Regency))
                {
                    Fail("region_code", "region.unknown", $"Kode wilayah {regionText} tidak dikenal", $"Region code {regionText} is unknown", regionText);
                }

                var periodText = map.Get(row, "period");
                if (!Period.TryParse(periodText, out var period) || period > maxPeriod || period.Year < 2000)
                {
                    Fail("period", "period.format", "Bulan harus TTTT-BB, tidak di masa depan", "The month must be YYYY-MM, not in the future", periodText);
                }

                var programme = map.Get(row, "programme").Trim().ToUpperInvariant();
                if (programme is not ("ALL" or "JKM" or "JKK" or "JHT" or "JP" or "JKP"))
                {
                    Fail("programme", "programme.unknown", "Program harus JKM, JKK, JHT, JP, JKP atau ALL", "The programme must be JKM, JKK, JHT, JP, JKP or ALL", programme);
                }

                if (!Values.TryMoney(map.Get(row, "cases"), map.IsNumeric(row, "cases"), out var cases))
                {
                    Fail("cases", "cases.format", "Jumlah kasus harus bilangan bulat tidak negatif", "Cases must be a whole number, not negative", map.Get(row, "cases"));
                }

                if (!Values.TryMoney(map.Get(row, "amount"), map.IsNumeric(row, "amount"), out var amount))
                {
                    Fail("amount", "amount.format", "Nominal harus rupiah utuh tidak negatif", "The amount must be whole rupiah, not negative", map.Get(row, "amount"));
                }

                var source = map.Get(row, "source").Trim();
                if (source.Length is < 5 or > 300)
                {
                    Fail("source", "source.required", "Sumber wajib diisi (5–300 karakter)", "The source is required (5 to 300 characters)", source);
                }

                return errors.Count > 0 ? (null, errors) : (new HistoryRow(row.Number, r!.Code, period.ToString(), programme, cases, amount, source), errors);
            },
            async (ctx, rows, token) =>
            {
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    if (ctx.OutOfScope(r.RowNumber, "region_code", r.Region) is { } outside)
                    {
                        results.Add((RowResult.Rejected, [outside]));
                        continue;
                    }

                    var old = await ctx.Connection.QuerySingleOrDefaultAsync<(long Cases, long Amount)?>(new CommandDefinition(
                        "SELECT cases, amount FROM claims_history WHERE region_code = @Region AND period = @Period AND programme = @Programme AND source = @Source", r, ctx.Transaction,
                        cancellationToken: token));
                    if (old is { } o && o.Cases == r.Cases && o.Amount == r.Amount)
                    {
                        results.Add((RowResult.Unchanged, []));
                        continue;
                    }

                    await ctx.Connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO claims_history (region_code, period, programme, cases, amount, source, is_demo, created_at) VALUES (@Region, @Period, @Programme, @Cases, @Amount, @Source, @Demo, @Now)
                        ON CONFLICT (region_code, period, programme, source) DO UPDATE SET cases = excluded.cases, amount = excluded.amount
                        """, new { r.Region, r.Period, r.Programme, r.Cases, r.Amount, r.Source, ctx.Demo, ctx.Now }, ctx.Transaction, cancellationToken: token));
                    results.Add((old is null ? RowResult.Created : RowResult.Updated, []));
                }

                return results;
            }, ct, Permission.ClaimsWrite);
    }
}
