using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;

namespace Kawal.Monev.Features;

/// <summary>An indicator: its key in the API, its label, unit and formula (docs/indicators.md lists the same).</summary>
public sealed record IndicatorDef(string Key, string LabelId, string LabelEn, string Unit, string Formula);

/// <summary>
/// An area's indicators of a month. <see cref="Withheld"/> names the figures withheld by disclosure control (their value
/// is null) for a caller without exact figures: small counts and what would let one derive them.
/// </summary>
public sealed record IndicatorSetDto(string? RegionCode, string RegionName, string Level, string Period, int Layout, string? AsOf, string? RefreshedAt,
    IReadOnlyDictionary<string, decimal?> Values, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<string> Withheld);

/// <summary>Participants total and per segment for the public, disclosure-controlled: a withheld figure is null and named in <see cref="Withheld"/>.</summary>
public sealed record PublicIndicatorsDto(string? RegionCode, string RegionName, string Period, string? RefreshedAt, IReadOnlyDictionary<string, long?> Values, IReadOnlyList<string> Withheld);

/// <summary>An area's figures for a table row: values (withheld ones null) and which are withheld.</summary>
public sealed record AreaFigures(IReadOnlyDictionary<string, decimal?> Values, IReadOnlySet<string> Withheld)
{
    public bool IsWithheld(string key) => Withheld.Contains(key);
}

/// <summary>The indicators of handbook §6 / issue #7 for a region and month, from the summary tables, the denominators and accepted commitments.</summary>
public sealed class IndicatorQueries(Database db, SnapshotCache snapshots, RegionLookup regions, DisclosureRule rule)
{
    public static IReadOnlyList<string> Segments { get; } = ["PU", "BPU", "JAKON", "PMI"];
    public static IReadOnlyList<string> Categories { get; } = ["regular", "non_asn", "village_apparatus", "rt_rw", "election_organiser", "vulnerable"];
    public static IReadOnlyList<string> PayerKinds { get; } = ["employer", "self", "apbd", "apbdes", "csr", "baznas"];

    /// <summary>The categories and payer kinds in words, for the indicators' names (the registry's own labels are per page).</summary>
    private static readonly Dictionary<string, (string Id, string En)> CategoryWords = new(StringComparer.Ordinal)
    {
        ["regular"] = ("pekerja biasa", "regular workers"), ["non_asn"] = ("non-ASN", "non-civil-servant staff"), ["village_apparatus"] = ("perangkat desa", "village officials"),
        ["rt_rw"] = ("pengurus RT/RW", "RT/RW heads"), ["election_organiser"] = ("penyelenggara pemilu", "election organisers"), ["vulnerable"] = ("pekerja rentan", "vulnerable workers"),
    };

    private static readonly Dictionary<string, (string Id, string En)> PayerWords = new(StringComparer.Ordinal)
    {
        ["employer"] = ("pemberi kerja", "employers"), ["self"] = ("diri sendiri", "themselves"), ["apbd"] = ("APBD", "APBD"), ["apbdes"] = ("APBDes", "APBDes"),
        ["csr"] = ("CSR", "CSR"), ["baznas"] = ("BAZNAS", "BAZNAS"),
    };

    public static IReadOnlyList<IndicatorDef> Definitions { get; } = BuildDefinitions();

    private static readonly string[] PublicKeys = ["participants.total", "participants.PU", "participants.BPU", "participants.JAKON", "participants.PMI"];

    private static List<IndicatorDef> BuildDefinitions()
    {
        const string Active = "memberships active on the month's as-of day (dates cover it, not non-aktif)";
        var list = new List<IndicatorDef>
        {
            new("participants.total", "Peserta aktif", "Active participants", "count", $"{Active}, all segments"),
        };
        list.AddRange(Segments.Select(s => new IndicatorDef($"participants.{s}", $"Peserta aktif {s}", $"Active participants {s}", "count", $"{Active}, segment {s}")));
        list.AddRange(Categories.Select(c => new IndicatorDef($"participants.category.{c}", $"Peserta aktif: {CategoryWords[c].Id}", $"Active participants: {CategoryWords[c].En}", "count", $"{Active}, category {c}")));
        list.Add(new("participants.new", "Pendaftaran baru", "New registrations", "count", "memberships whose start date falls in the month"));
        list.Add(new("participants.sex.M", "Peserta aktif laki-laki", "Active participants, men", "count", $"{Active}, sex M (from the NIK)"));
        list.Add(new("participants.sex.F", "Peserta aktif perempuan", "Active participants, women", "count", $"{Active}, sex F (from the NIK)"));
        list.AddRange(SummaryRefresher.AgeBands.Select(b => new IndicatorDef($"participants.age.{b}", $"Peserta aktif usia {b}", $"Active participants aged {b}", "count", $"{Active}, age on the as-of day {b}")));
        list.AddRange(
        [
            new("non_asn.registered", "Non-ASN terdaftar", "Non-ASN registered", "count", $"{Active}, category non_asn"),
            new("non_asn.census", "Non-ASN hasil pendataan", "Non-ASN census", "count", "non-ASN census count (BKN) of the latest year up to the month's, for the area or the sum of its parts"),
            new("non_asn.coverage_pct", "Cakupan non-ASN", "Non-ASN coverage", "pct", "100 × non_asn.registered ÷ non_asn.census"),
            new("vulnerable.covered", "Pekerja rentan terlindungi", "Vulnerable workers covered", "count", $"{Active}, category vulnerable"),
        ]);
        list.AddRange(PayerKinds.Select(k => new IndicatorDef($"vulnerable.payer.{k}", $"Pekerja rentan dibayar oleh {PayerWords[k].Id}", $"Vulnerable workers paid by {PayerWords[k].En}", "count", $"{Active}, category vulnerable, payer {k}")));
        list.AddRange(
        [
            new("vulnerable.estimate", "Perkiraan pekerja rentan", "Vulnerable workers (estimate)", "count", "imported estimate of vulnerable workers, latest year up to the month's"),
            new("vulnerable.coverage_pct", "Cakupan pekerja rentan", "Vulnerable coverage", "pct", "100 × vulnerable.covered ÷ vulnerable.estimate"),
            new("employed.population", "Penduduk bekerja (BPS)", "Employed population (BPS)", "count", "BPS Sakernas August employed, latest year up to the month's, same province layout"),
            new("employed.year", "Tahun data BPS", "BPS data year", "year", "the year of employed.population"),
            new("employed.coverage_pct", "Cakupan penduduk bekerja", "Coverage of the employed", "pct", "100 × participants.total ÷ employed.population"),
            new("apbd.allocation", "Alokasi APBD", "APBD allocation", "rupiah", "sum of accepted APBD commitments of the fiscal year (the month's year) in the area"),
            new("apbd.workers_targeted", "Pekerja sasaran APBD", "Workers targeted by APBD", "count", "sum of workers targeted in those commitments"),
            new("apbd.workers_paid", "Pekerja dibayar APBD", "Workers paid by APBD", "count", $"{Active}, payer apbd"),
            new("apbd.billed_ytd", "Tagihan APBD s.d. bulan ini", "APBD billed, year to date", "rupiah", "bills of payers kind apbd in the area, January to the month"),
            new("apbd.paid_ytd", "Dibayar APBD s.d. bulan ini", "APBD paid, year to date", "rupiah", "what was paid of those bills"),
            new("apbd.realisation_pct", "Realisasi APBD", "APBD realisation", "pct", "100 × apbd.paid_ytd ÷ apbd.allocation"),
            new("contributions.billed", "Iuran ditagih", "Contributions billed", "rupiah", "bills of the contribution month in the area (payer's region)"),
            new("contributions.collected", "Iuran terkumpul", "Contributions collected", "rupiah", "what has been paid of them (as of the refresh)"),
            new("contributions.arrears", "Tunggakan", "Arrears", "rupiah", "unpaid amount of those bills past their due date (as of the refresh)"),
            new("contributions.not_due", "Belum jatuh tempo", "Not yet due", "rupiah", "unpaid amount of those bills not yet due (as of the refresh); not arrears"),
            new("contributions.collection_pct", "Tingkat kolektibilitas", "Collection rate", "pct", "100 × contributions.collected ÷ contributions.billed"),
            new("growth.yoy_pct", "Pertumbuhan kepesertaan (yoy)", "Membership growth (year on year)", "pct", "100 × (participants.total ÷ participants.total twelve months earlier − 1)"),
            new("claims.count", "Klaim dibayar (kasus)", "Claims paid (cases)", "count", "claims whose first payment fell in the month (Kawal's claims, by the claim's region) plus published aggregates imported for the month (claims_history)"),
            new("claims.amount", "Klaim dibayar (rupiah)", "Claims paid (rupiah)", "rupiah", "every benefit payment of the month (lump sums, pensions, JKP instalments, scholarships) plus published aggregates"),
            new("compliance.skk_count", "SKK diserahkan ke kejaksaan", "SKKs handed to prosecutors", "count", "cases whose SKK is dated in the month (by the case's region) plus published figures (compliance_history)"),
            new("compliance.skk_amount", "Nilai SKK diserahkan", "Amount handed over with SKKs", "rupiah", "the amounts of those SKKs"),
            new("compliance.recovered", "Piutang dipulihkan melalui kejaksaan", "Recovered through prosecutors", "rupiah", "recoveries recorded in the month on SKKs (payments in the ledger) plus published figures"),
            new("compliance.recovery_pct", "Tingkat pemulihan", "Recovery rate", "pct", "100 × compliance.recovered ÷ compliance.skk_amount"),
        ]);
        foreach (var programme in Kawal.Claims.Features.ClaimStatistics.Programmes)
        {
            list.Add(new($"claims.{programme}.count", $"Klaim {programme} dibayar (kasus)", $"{programme} claims paid (cases)", "count", $"claims.count of programme {programme} (aggregates not split by programme count only in the totals)"));
            list.Add(new($"claims.{programme}.amount", $"Klaim {programme} dibayar (rupiah)", $"{programme} claims paid (rupiah)", "rupiah", $"claims.amount of programme {programme}"));
        }

        return list;
    }

    /// <summary>The area asked for, within the caller's scope (none: the caller's region, national for national roles).</summary>
    internal static async Task<(string? Code, Region? Region)> AreaAsync(RegionLookup regions, string? code, Caller caller, CancellationToken ct)
    {
        caller.Demand(Permission.StatsRead);
        var area = string.IsNullOrWhiteSpace(code) ? caller.Scope.Code : code.Trim();
        if (area is null)
        {
            return (null, null);
        }

        if (!RegionCode.TryParse(area, out _) || area.Count(ch => ch == '.') > 1)
        {
            throw new UsageException($"region must be a province (35) or regency/city (35.07) code, not '{area}'", "region") { Indonesian = $"Wilayah '{area}' bukan kode provinsi (misalnya 35) atau kabupaten/kota (misalnya 35.07)." };
        }

        var region = (await regions.LoadAsync(ct)).Find(area);
        if (region is null || !caller.Scope.Covers(area))
        {
            throw new NotFoundException($"no region {area} in your scope") { Indonesian = $"Wilayah {area} tidak ditemukan atau di luar wilayah Anda." };
        }

        return (area, region);
    }

    public async Task<IndicatorSetDto> ForAsync(string? regionCode, Period period, Caller caller, CancellationToken ct = default)
    {
        var (area, region) = await AreaAsync(regions, regionCode, caller, ct);
        var inputs = await LoadAsync(db, snapshots, period, ct);
        var (values, sources) = inputs.Of(area);
        var figures = await FiguresAsync(inputs, area, values, caller, ct);
        var s = inputs.Now;
        return new IndicatorSetDto(area, region?.Name ?? "Indonesia", region?.Level ?? "national", period.ToString(), s.Layout, s.AsOf?.ToIso(),
            s.RefreshedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture), figures.Values, sources, [.. figures.Withheld.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The figures as this caller may read them: exact, or disclosure-controlled (<see cref="PublishedFigures"/>).</summary>
    private async Task<AreaFigures> FiguresAsync(Inputs inputs, string? area, Dictionary<string, decimal?> values, Caller caller, CancellationToken ct)
    {
        if (caller.ExactFigures)
        {
            return new AreaFigures(values, new HashSet<string>());
        }

        var yearAgo = values["growth.yoy_pct"] is null ? DisclosureResult.None : (await LoadAsync(db, snapshots, inputs.Now.Period.AddMonths(-12), ct)).Protected(rule);
        var (shown, withheld) = PublishedFigures.Controlled(values, area, inputs.Protected(rule), yearAgo);
        return new AreaFigures(shown, withheld.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The indicators of several regions of one month (a dashboard's or report's table), read once.</summary>
    public async Task<IReadOnlyDictionary<string, AreaFigures>> ForManyAsync(IReadOnlyList<string> codes, Period period, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.StatsRead);
        foreach (var code in codes.Where(c => !caller.Scope.Covers(c)))
        {
            throw new NotFoundException($"no region {code} in your scope") { Indonesian = $"Wilayah {code} tidak ditemukan atau di luar wilayah Anda." };
        }

        var inputs = await LoadAsync(db, snapshots, period, ct);
        var result = new Dictionary<string, AreaFigures>(StringComparer.Ordinal);
        foreach (var code in codes.Distinct())
        {
            result[code] = await FiguresAsync(inputs, code, inputs.Of(code).Values, caller, ct);
        }

        return result;
    }

    /// <summary>
    /// What a month's indicators are computed from, shared by every request until a refresh, an accepted commitment or
    /// a denominator changes it (<see cref="SnapshotCache.InputsAsync"/>); each area's figures are computed once.
    /// </summary>
    internal sealed record Inputs(Snapshot Now, Snapshot YearAgo, Facts Facts, List<LedgerCell> Ytd, List<Kawal.Claims.Features.ClaimCell> Claims, List<Kawal.Compliance.Features.RecoveryCell> Recovery)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Dictionary<string, decimal?>, Dictionary<string, string>)> _computed = new(StringComparer.Ordinal);

        private DisclosureResult? _protected;

        // The year-to-date ledger, claims and recovery rows by province and by regency/city, grouped once (areas read them hundreds of times).
        private readonly Lazy<Dictionary<string, List<LedgerCell>>> _ytd = new(() => ByArea(Ytd, l => l.RegionCode, Now));
        private readonly Lazy<Dictionary<string, List<Kawal.Claims.Features.ClaimCell>>> _claims = new(() => ByArea(Claims, k => k.RegionCode, Now));
        private readonly Lazy<Dictionary<string, List<Kawal.Compliance.Features.RecoveryCell>>> _recovery = new(() => ByArea(Recovery, k => k.RegionCode, Now));

        /// <summary>The year-to-date ledger rows of an area (null: the nation).</summary>
        public IReadOnlyList<LedgerCell> YtdIn(string? area) => area is null ? Ytd : _ytd.Value.GetValueOrDefault(area) ?? [];

        public IReadOnlyList<Kawal.Claims.Features.ClaimCell> ClaimsIn(string? area) => area is null ? Claims : _claims.Value.GetValueOrDefault(area) ?? [];

        public IReadOnlyList<Kawal.Compliance.Features.RecoveryCell> RecoveryIn(string? area) => area is null ? Recovery : _recovery.Value.GetValueOrDefault(area) ?? [];

        private static Dictionary<string, List<T>> ByArea<T>(List<T> rows, Func<T, string> region, Snapshot s)
        {
            var by = new Dictionary<string, List<T>>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var (province, code) = s.Place(region(row));
                (by.TryGetValue(province, out var p) ? p : by[province] = []).Add(row);
                if (code != province)
                {
                    (by.TryGetValue(code, out var c) ? c : by[code] = []).Add(row);
                }
            }

            return by;
        }

        /// <summary>The area's figures (null: the nation), computed on first use. Callers must not change the dictionaries.</summary>
        public (Dictionary<string, decimal?> Values, Dictionary<string, string> Sources) Of(string? area) => _computed.GetOrAdd(area ?? "", (_, i) => Compute(i, area), this);

        /// <summary>What disclosure control withholds of the month's figures, decided once for every area together.</summary>
        public DisclosureResult Protected(DisclosureRule rule) => _protected ??= PublishedFigures.Protect(this, rule);
    }

    internal static Task<Inputs> LoadAsync(Database db, SnapshotCache snapshots, Period period, CancellationToken ct) => snapshots.InputsAsync(period, ct);

    /// <summary>Bills of the month's year up to the month, by the bill's region and payer kind.</summary>
    internal static async Task<List<LedgerCell>> LedgerYearAsync(System.Data.Common.DbConnection c, Period period, CancellationToken ct) =>
        (await c.QueryAsync<LedgerCell>(new CommandDefinition(
            """
            SELECT region_code AS RegionCode, payer_kind AS PayerKind, SUM(bills) AS Bills, SUM(billed) AS Billed, SUM(government) AS Government, SUM(collected) AS Collected, SUM(overdue) AS Overdue
            FROM monev_ledger WHERE period >= @from AND period <= @to GROUP BY region_code, payer_kind
            """, new { from = new Period(period.Year, 1).ToString(), to = period.ToString() }, cancellationToken: ct))).ToList();

    public async Task<PublicIndicatorsDto> PublicAsync(string? regionCode, Period period, CancellationToken ct = default)
    {
        var set = await ForAsync(regionCode, period, Caller.Anonymous, ct);
        return new PublicIndicatorsDto(set.RegionCode, set.RegionName, set.Period, set.RefreshedAt,
            PublicKeys.ToDictionary(k => k, k => set.Values[k] is { } v ? (long?)v : null), [.. PublicKeys.Where(set.Withheld.Contains)]);
    }

    internal static (Dictionary<string, decimal?> Values, Dictionary<string, string> Sources) Compute(Inputs inputs, string? area)
    {
        var (s, yearAgo, facts, _, _, _) = inputs;
        var v = Definitions.ToDictionary(d => d.Key, _ => (decimal?)null);
        var sources = new Dictionary<string, string>();
        // One pass over the area's summary rows; every count is a sum of `active` (new registrations: of `started`).
        long total = 0, started = 0, apbdPaid = 0;
        var by = new Dictionary<(char Cut, string Value), long>();
        void Add(char cut, string value, long n) => by[(cut, value)] = by.GetValueOrDefault((cut, value)) + n;
        long Of(char cut, string value) => by.GetValueOrDefault((cut, value));
        foreach (var m in s.MembersIn(area))
        {
            total += m.Active;
            started += m.Started;
            Add('s', m.Segment, m.Active);
            Add('c', m.Category, m.Active);
            Add('x', m.Sex, m.Active);
            Add('a', m.AgeBand, m.Active);
            if (m.Category == "vulnerable")
            {
                Add('v', m.PayerKind, m.Active);
            }

            if (m.PayerKind == "apbd")
            {
                apbdPaid += m.Active;
            }
        }

        if (s.AsOf is not null)
        {
            v["participants.total"] = total;
            foreach (var seg in Segments)
            {
                v[$"participants.{seg}"] = Of('s', seg);
            }

            foreach (var cat in Categories)
            {
                v[$"participants.category.{cat}"] = Of('c', cat);
            }

            v["participants.new"] = started;
            v["participants.sex.M"] = Of('x', "M");
            v["participants.sex.F"] = Of('x', "F");
            foreach (var band in SummaryRefresher.AgeBands)
            {
                v[$"participants.age.{band}"] = Of('a', band);
            }

            v["non_asn.registered"] = Of('c', "non_asn");
            v["vulnerable.covered"] = Of('c', "vulnerable");
            foreach (var k in PayerKinds)
            {
                v[$"vulnerable.payer.{k}"] = Of('v', k);
            }

            v["apbd.workers_paid"] = apbdPaid;
            var ledger = s.LedgerIn(area).ToList();
            v["contributions.billed"] = ledger.Sum(l => l.Billed);
            v["contributions.collected"] = ledger.Sum(l => l.Collected);
            v["contributions.arrears"] = ledger.Sum(l => l.Overdue);
            v["contributions.not_due"] = ledger.Sum(l => l.Billed - l.Collected - l.Overdue);
            v["contributions.collection_pct"] = Pct(ledger.Sum(l => l.Collected), ledger.Sum(l => l.Billed));
            if (yearAgo.AsOf is not null)
            {
                var before = yearAgo.MembersIn(area).Sum(m => m.Active);
                v["growth.yoy_pct"] = before == 0 ? null : Math.Round((100m * total / before) - 100m, 1, MidpointRounding.AwayFromZero);
            }
        }

        var year = s.Period.Year;
        if (facts.Denominator("non_asn", area, year, s.Layout, s) is { } census)
        {
            v["non_asn.census"] = census.Value;
            v["non_asn.coverage_pct"] = s.AsOf is null ? null : Pct((long)v["non_asn.registered"]!, census.Value);
            sources["non_asn.census"] = $"{census.Source} ({census.Year})";
        }

        if (facts.Denominator("vulnerable", area, year, s.Layout, s) is { } vulnerable)
        {
            v["vulnerable.estimate"] = vulnerable.Value;
            v["vulnerable.coverage_pct"] = s.AsOf is null ? null : Pct((long)v["vulnerable.covered"]!, vulnerable.Value);
            sources["vulnerable.estimate"] = $"{vulnerable.Source} ({vulnerable.Year})";
        }

        if (facts.Denominator("employed", area, year, s.Layout, s) is { } employed)
        {
            v["employed.population"] = employed.Value;
            v["employed.year"] = employed.Year;
            v["employed.coverage_pct"] = s.AsOf is null ? null : Pct(total, employed.Value);
            sources["employed.population"] = $"{employed.Source} ({employed.Year})";
        }

        var claimsHere = inputs.ClaimsIn(area);
        v["claims.count"] = claimsHere.Sum(k => k.Cases);
        v["claims.amount"] = claimsHere.Sum(k => k.Amount);
        foreach (var programme in Kawal.Claims.Features.ClaimStatistics.Programmes)
        {
            v[$"claims.{programme}.count"] = claimsHere.Where(k => k.Programme == programme).Sum(k => k.Cases);
            v[$"claims.{programme}.amount"] = claimsHere.Where(k => k.Programme == programme).Sum(k => k.Amount);
        }

        var recoveryHere = inputs.RecoveryIn(area);
        v["compliance.skk_count"] = recoveryHere.Sum(k => k.SkkCount);
        v["compliance.skk_amount"] = recoveryHere.Sum(k => k.SkkAmount);
        v["compliance.recovered"] = recoveryHere.Sum(k => k.Recovered);
        v["compliance.recovery_pct"] = Pct(recoveryHere.Sum(k => k.Recovered), recoveryHere.Sum(k => k.SkkAmount));

        var budgets = facts.Commitments.Where(k => k.Kind == "apbd" && k.FiscalYear == year && s.InArea(k.RegionCode, area)).ToList();
        var apbd = inputs.YtdIn(area).Where(l => l.PayerKind == "apbd").ToList();
        v["apbd.billed_ytd"] = apbd.Sum(l => l.Billed);
        v["apbd.paid_ytd"] = apbd.Sum(l => l.Collected);
        if (budgets.Count > 0)
        {
            var allocation = budgets.Sum(k => k.Amount ?? 0);
            v["apbd.allocation"] = allocation;
            v["apbd.workers_targeted"] = budgets.Sum(k => k.WorkersTargeted ?? 0);
            v["apbd.realisation_pct"] = Pct(apbd.Sum(l => l.Collected), allocation);
            sources["apbd.allocation"] = "commitments " + string.Join(", ", budgets.Select(b => "#" + b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (v, sources);
    }

    internal static decimal? Pct(long part, long whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);
}
