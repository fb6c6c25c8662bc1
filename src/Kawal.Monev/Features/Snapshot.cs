using System.Collections.Concurrent;
using Dapper;
using Kawal.Data;
using Kawal.Regions;

namespace Kawal.Monev.Features;

/// <summary>A row of <c>monev_members</c> (settable: SQLite reports integers as Int64).</summary>
public sealed class MemberCell
{
    public string RegionCode { get; set; } = "";
    public string Segment { get; set; } = "";
    public string Category { get; set; } = "";
    public string PayerKind { get; set; } = "";
    public string Sex { get; set; } = "";
    public string AgeBand { get; set; } = "";
    public long Active { get; set; }
    public long Started { get; set; }
}

/// <summary>A row of <c>monev_ledger</c>.</summary>
public sealed class LedgerCell
{
    public string RegionCode { get; set; } = "";
    public string PayerKind { get; set; } = "";
    public long Bills { get; set; }
    public long Billed { get; set; }
    public long Government { get; set; }
    public long Collected { get; set; }
    public long Overdue { get; set; }
}

/// <summary>
/// One month of the summary tables, with each row's region resolved on the month's map: up to 2022 the 34 provinces
/// of 2021 (Papua's and Papua Barat's pre-split areas), from 2023 the 38 (docs/indicators.md).
/// </summary>
public sealed class Snapshot
{
    private readonly RegionSet _regions;
    private readonly ConcurrentDictionary<string, (string Province, string Code)> _where = new(StringComparer.Ordinal);

    internal Snapshot(Period period, DateOnly? asOf, DateTimeOffset? refreshedAt, IReadOnlyList<MemberCell> members, IReadOnlyList<LedgerCell> ledger, RegionSet regions)
    {
        Period = period;
        AsOf = asOf;
        RefreshedAt = refreshedAt;
        Members = members;
        Ledger = ledger;
        _regions = regions;
        _members = new(() => (Members.ToLookup(m => Place(m.RegionCode).Province, StringComparer.Ordinal), Members.ToLookup(m => Place(m.RegionCode).Code, StringComparer.Ordinal)));
        _ledger = new(() => (Ledger.ToLookup(m => Place(m.RegionCode).Province, StringComparer.Ordinal), Ledger.ToLookup(m => Place(m.RegionCode).Code, StringComparer.Ordinal)));
    }

    private readonly Lazy<(ILookup<string, MemberCell> ByProvince, ILookup<string, MemberCell> ByCode)> _members;
    private readonly Lazy<(ILookup<string, LedgerCell> ByProvince, ILookup<string, LedgerCell> ByCode)> _ledger;

    /// <summary>The membership rows of an area (null: the nation).</summary>
    public IEnumerable<MemberCell> MembersIn(string? area) => area is null ? Members : area.Length == 2 ? _members.Value.ByProvince[area] : _members.Value.ByCode[area];

    /// <summary>The ledger rows of an area (null: the nation).</summary>
    public IEnumerable<LedgerCell> LedgerIn(string? area) => area is null ? Ledger : area.Length == 2 ? _ledger.Value.ByProvince[area] : _ledger.Value.ByCode[area];

    public Period Period { get; }

    /// <summary>The day the month's figures describe (its last day, or the refresh day for the current month); null: never refreshed.</summary>
    public DateOnly? AsOf { get; }

    public DateTimeOffset? RefreshedAt { get; }

    public IReadOnlyList<MemberCell> Members { get; }

    public IReadOnlyList<LedgerCell> Ledger { get; }

    /// <summary>The date whose province layout this month is reported on.</summary>
    public DateOnly MapDate => MapDateOf(Period);

    /// <summary>34 provinces for 2021–2022, 38 from 2023.</summary>
    public int Layout => Period.Year <= 2022 ? 34 : 38;

    public static DateOnly MapDateOf(Period p) => p.Year <= 2022 ? (p.LastDay < new DateOnly(2022, 7, 25) ? p.LastDay : new DateOnly(2022, 7, 24)) : p.LastDay;

    /// <summary>The province and the regency/city (or the province itself for province-level rows) of a row's region on the map date.</summary>
    public (string Province, string Code) Place(string regionCode) =>
        _where.GetOrAdd(regionCode, c => (_regions.ProvinceOn(c, MapDate), _regions.CodeOn(c, MapDate)));

    /// <summary>The row lies in the area: the nation (null), a province, or a regency/city.</summary>
    public bool InArea(string regionCode, string? area)
    {
        if (area is null)
        {
            return true;
        }

        var (province, code) = Place(regionCode);
        return area.Length == 2 ? province == area : code == area;
    }
}

/// <summary>
/// Reads a month's summary rows once per refresh (the cache key is the month and its refresh time), and keeps the
/// indicator inputs of a month (with the figures computed from them) until something they depend on changes: a refresh
/// of any month (the year-to-date ledger spans months), an accepted commitment, a denominator. One small query per
/// request tells; the dashboards then render from memory.
/// </summary>
public sealed class SnapshotCache(Database db, RegionLookup regions)
{
    private const int MaxInputs = 48;

    private readonly ConcurrentDictionary<string, Snapshot> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IndicatorQueries.Inputs> _inputs = new(StringComparer.Ordinal);

    private sealed class Version
    {
        public string? Refreshed { get; set; }
        public long Months { get; set; }
        public long Accepted { get; set; }
        public string? AcceptedAt { get; set; }
        public long Denominators { get; set; }
        public string? DenominatorsAt { get; set; }
        public string? Sums { get; set; }

        public override string ToString() => $"{Refreshed}|{Months}|{Accepted}|{AcceptedAt}|{Denominators}|{DenominatorsAt}|{Sums}";
    }

    /// <summary>The indicator inputs of a month, shared until the data behind them changes.</summary>
    internal async Task<IndicatorQueries.Inputs> InputsAsync(Period period, CancellationToken ct = default)
    {
        string version;
        await using (var c = await db.OpenReadAsync(ct))
        {
            version = (await c.QuerySingleAsync<Version>(new CommandDefinition(
                """
                SELECT (SELECT CAST(MAX(refreshed_at) AS TEXT) FROM monev_refresh) AS Refreshed, (SELECT COUNT(*) FROM monev_refresh) AS Months,
                       (SELECT COUNT(*) FROM commitments WHERE status = 'accepted') AS Accepted,
                       (SELECT CAST(MAX(updated_at) AS TEXT) FROM commitments WHERE status = 'accepted') AS AcceptedAt,
                       (SELECT COUNT(*) FROM monev_denominators) AS Denominators, (SELECT CAST(MAX(updated_at) AS TEXT) FROM monev_denominators) AS DenominatorsAt,
                       (SELECT CAST(SUM(value) AS TEXT) FROM monev_denominators) || ':' ||
                       COALESCE((SELECT CAST(SUM(COALESCE(amount, 0) + COALESCE(census_count, 0) + id) AS TEXT) FROM commitments WHERE status = 'accepted'), '') || ':' ||
                       COALESCE((SELECT CAST(SUM(member_rows + ledger_rows) AS TEXT) FROM monev_refresh), '') || ':' ||
                       COALESCE((SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(amount) AS TEXT) || '/' || CAST(MAX(id) AS TEXT) FROM claim_payments), '') || ':' ||
                       COALESCE((SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(amount + cases) AS TEXT) || '/' || CAST(MAX(id) AS TEXT) FROM claims_history), '') || ':' ||
                       COALESCE((SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(amount) AS TEXT) || '/' || CAST(MAX(id) AS TEXT) FROM case_recoveries), '') || ':' ||
                       COALESCE((SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(MAX(updated_at) AS TEXT) FROM compliance_cases WHERE skk_date IS NOT NULL), '') || ':' ||
                       COALESCE((SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(recovered + skk_amount + skk_count) AS TEXT) || '/' || CAST(MAX(id) AS TEXT) FROM compliance_history), '') AS Sums
                """, cancellationToken: ct))).ToString();
        }

        var key = $"{period}|{version}";
        if (_inputs.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var now = await GetAsync(period, ct);
        var yearAgo = await GetAsync(period.AddMonths(-12), ct);
        IndicatorQueries.Inputs inputs;
        await using (var c = await db.OpenReadAsync(ct))
        {
            inputs = new IndicatorQueries.Inputs(now, yearAgo, await Facts.LoadAsync(c, ct), await IndicatorQueries.LedgerYearAsync(c, period, ct),
                await Kawal.Claims.Features.ClaimStatistics.CellsAsync(c, period, period, ct), await Kawal.Compliance.Features.RecoveryStatistics.CellsAsync(c, period, period, ct));
        }

        if (_inputs.Count >= MaxInputs)
        {
            _inputs.Clear();
        }

        return _inputs.GetOrAdd(key, inputs);
    }

    public async Task<Snapshot> GetAsync(Period period, CancellationToken ct = default)
    {
        var set = await regions.LoadAsync(ct);
        await using var c = await db.OpenReadAsync(ct);
        var key = period.ToString();
        var stamp = await c.QuerySingleOrDefaultAsync<(DateOnly AsOf, DateTimeOffset At)?>(new CommandDefinition(
            "SELECT as_of, refreshed_at FROM monev_refresh WHERE period = @key", new { key }, cancellationToken: ct));
        if (stamp is null)
        {
            return new Snapshot(period, null, null, [], [], set);
        }

        if (_cache.TryGetValue(key, out var cached) && cached.RefreshedAt == stamp.Value.At)
        {
            return cached;
        }

        var members = (await c.QueryAsync<MemberCell>(new CommandDefinition(
            """
            SELECT region_code AS RegionCode, segment AS Segment, category AS Category, payer_kind AS PayerKind, sex AS Sex, age_band AS AgeBand, active AS Active, started AS Started
            FROM monev_members WHERE period = @key
            """, new { key }, cancellationToken: ct))).ToList();
        var ledger = (await c.QueryAsync<LedgerCell>(new CommandDefinition(
            """
            SELECT region_code AS RegionCode, payer_kind AS PayerKind, bills AS Bills, billed AS Billed, government AS Government, collected AS Collected, overdue AS Overdue
            FROM monev_ledger WHERE period = @key
            """, new { key }, cancellationToken: ct))).ToList();
        var snapshot = new Snapshot(period, stamp.Value.AsOf, stamp.Value.At, members, ledger, set);
        _cache[key] = snapshot;
        return snapshot;
    }
}
