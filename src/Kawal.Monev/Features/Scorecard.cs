using System.Globalization;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;
using Microsoft.Extensions.Configuration;

namespace Kawal.Monev.Features;

/// <summary>
/// Weights of the composite index (settings <c>Kawal:Monev:Weights:Regulation</c> etc.; docs/indicators.md gives the
/// defaults and why). Only their ratios matter: the index is the weighted mean of the components.
/// </summary>
public sealed record ScoreWeights(decimal Regulation, decimal Budget, decimal NonAsn, decimal Vulnerable, decimal Ptsp, decimal Growth)
{
    public static ScoreWeights Default { get; } = new(20, 20, 20, 15, 10, 15);

    public static ScoreWeights From(IConfiguration configuration)
    {
        var s = configuration.GetSection("Kawal:Monev:Weights");
        decimal W(string name, decimal fallback)
        {
            var text = s[name];
            if (text is null)
            {
                return fallback;
            }

            return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w : throw new KawalException($"Kawal:Monev:Weights:{name} must be a number ≥ 0, not '{text}'");
        }

        var weights = new ScoreWeights(W("Regulation", Default.Regulation), W("Budget", Default.Budget), W("NonAsn", Default.NonAsn),
            W("Vulnerable", Default.Vulnerable), W("Ptsp", Default.Ptsp), W("Growth", Default.Growth));
        return weights.Total > 0 ? weights : throw new KawalException("Kawal:Monev:Weights must not all be zero");
    }

    public decimal Total => Regulation + Budget + NonAsn + Vulnerable + Ptsp + Growth;
}

/// <summary>The components (0–100); for a caller without exact figures, one computed from a withheld figure is null.</summary>
public sealed record ScoreComponents(decimal? Regulation, decimal? Budget, decimal? NonAsn, decimal? Vulnerable, decimal? Ptsp, decimal? Growth);

/// <remarks>
/// <paramref name="Score"/>, <paramref name="Previous"/> and <paramref name="Change"/> are null for a caller without exact
/// figures when a component of the month is withheld (with the others and the weights, the score would give it away);
/// the rank and band stay.
/// <paramref name="Rank"/>: among every region of the level in the country (38 provinces, 514 regencies/cities);
/// <paramref name="RankInProvince"/> among the <paramref name="ProvincePeers"/> regencies/cities of its province (regencies only).
/// </remarks>
public sealed record ScoreRowDto(int Rank, int? RankInProvince, string Code, string Name, string? ProvinceCode, decimal? Score, string Band, decimal? Previous, decimal? Change,
    ScoreComponents Components, int? ProvincePeers = null);

/// <remarks><paramref name="Ranked"/>: how many regions of the level the ranks count (the rows are those the caller may see).</remarks>
public sealed record ScorecardDto(string Level, string? Parent, string Period, int Layout, string? RefreshedAt, ScoreWeights Weights, IReadOnlyList<ScoreRowDto> Rows, int Ranked = 0);

/// <summary>Composite index 0–100 per region and rankings (docs/indicators.md § Scorecard).</summary>
public sealed class ScorecardQueries(Database db, SnapshotCache snapshots, RegionLookup regions, ScoreWeights weights, DisclosureRule rule)
{
    /// <summary>Colour band of a score: hijau ≥ 80, kuning ≥ 60, oranye ≥ 40, merah below.</summary>
    public static string Band(decimal score) => score >= 80 ? "hijau" : score >= 60 ? "kuning" : score >= 40 ? "oranye" : "merah";

    public static string BandColour(string band) => band switch
    {
        "hijau" => "#1a9850",
        "kuning" => "#fee08b",
        "oranye" => "#fc8d59",
        _ => "#d73027",
    };

    public async Task<ScorecardDto> ForAsync(string level, string? parent, Period period, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.StatsRead);
        if (level is not ("province" or "regency"))
        {
            throw new UsageException($"level must be province or regency, not '{level}'", "level") { Indonesian = "Tingkat papan skor harus provinsi atau kabupaten/kota." };
        }

        var set = await regions.LoadAsync(ct);
        if (parent is not null)
        {
            if (level == "province" || set.Find(parent) is not { Level: Region.Province })
            {
                throw new UsageException($"parent must be a province code (level regency), not '{parent}'", "parent") { Indonesian = $"Wilayah induk '{parent}' harus berupa kode provinsi, dan hanya dipakai untuk papan skor kabupaten/kota." };
            }

            // A regency's officer may ask for its province's board: it sees its own row, ranked among all the province's regencies.
            if (!caller.Scope.Covers(parent) && !(caller.Scope.Code is { } own && RegionScope.Of(RegionCode.Parse(parent)).Covers(own)))
            {
                throw new NotFoundException($"no region {parent} in your scope") { Indonesian = $"Wilayah {parent} tidak ditemukan atau di luar wilayah Anda." };
            }
        }

        var now = await ScoresAsync(period, ct);
        var before = await ScoresAsync(period.Previous, ct);
        var controlled = !caller.ExactFigures;
        var (nowAgo, beforeAgo) = controlled
            ? ((await IndicatorQueries.LoadAsync(db, snapshots, period.AddMonths(-12), ct)).Protected(rule), (await IndicatorQueries.LoadAsync(db, snapshots, period.AddMonths(-13), ct)).Protected(rule))
            : (DisclosureResult.None, DisclosureResult.None);
        var s = now.Snapshot;
        // Ranks are among all real peers — every region of the level in the country, and every regency of the province — whatever
        // the caller may see; the rows returned are those in the caller's scope (and the parent's).
        var units = set.ValidOn(s.MapDate).Where(r => r.Level == level).ToList();

        var rows = units.Select(r =>
        {
            var comp = now.Components(r.Code);
            var score = now.Score(comp);
            decimal? previous = before.Snapshot.AsOf is null ? null : before.Score(before.Components(r.Code));
            return (Region: r, Comp: comp, Score: score, Previous: previous);
        }).OrderByDescending(x => x.Score).ThenBy(x => x.Region.Code, StringComparer.Ordinal).ToList();
        var ranked = new List<ScoreRowDto>();
        for (var i = 0; i < rows.Count; i++)
        {
            var x = rows[i];
            var rank = rows.FindIndex(y => y.Score == x.Score) + 1;
            if ((parent is not null && x.Region.ParentCode != parent) || !caller.Scope.Covers(x.Region.Code))
            {
                continue;
            }

            var province = level == "regency" ? rows.Where(y => y.Region.ParentCode == x.Region.ParentCode).ToList() : null;
            int? inProvince = province is null ? null : province.FindIndex(y => y.Score == x.Score) + 1;
            var (comp, score, previous) = (x.Comp, (decimal?)x.Score, x.Previous);
            if (controlled)
            {
                comp = now.Published(x.Comp, x.Region.Code, rule, nowAgo);
                score = comp == x.Comp ? score : null;
                previous = before.Snapshot.AsOf is not null && before.Published(before.Components(x.Region.Code), x.Region.Code, rule, beforeAgo) == before.Components(x.Region.Code) ? previous : null;
            }

            ranked.Add(new ScoreRowDto(rank, inProvince, x.Region.Code, x.Region.Name, x.Region.ParentCode, score, Band(x.Score), previous,
                score is { } sc && previous is { } p ? sc - p : null, comp, province?.Count));
        }

        return new ScorecardDto(level, parent, period.ToString(), s.Layout, s.RefreshedAt?.ToString("O", CultureInfo.InvariantCulture), weights, ranked, rows.Count);
    }

    /// <summary>The score of one region (its own commitments, its area's figures), exact: for the regions' own reports and alerts.</summary>
    public async Task<(decimal Score, ScoreComponents Components)> OfAsync(string code, Period period, CancellationToken ct = default)
    {
        var scores = await ScoresAsync(period, ct);
        var comp = scores.Components(code);
        return (scores.Score(comp), comp);
    }

    private async Task<Scores> ScoresAsync(Period period, CancellationToken ct) => new(await IndicatorQueries.LoadAsync(db, snapshots, period, ct), weights);

    private sealed class Scores(IndicatorQueries.Inputs inputs, ScoreWeights w)
    {
        public Snapshot Snapshot => inputs.Now;

        public ScoreComponents Components(string code)
        {
            var (s, yearAgo, facts, ytd, _, _) = inputs;
            var year = s.Period.Year;
            var own = facts.Commitments.Where(k => k.RegionCode == code).ToList();
            var regulation = own.Where(k => k.Kind == "regulation" && k.FiscalYear <= year && k.RegStatus == "enacted")
                .Select(k => k.RegType is "perda" or "perkada" ? 100m : 50m).DefaultIfEmpty(0m).Max();
            var ptsp = own.Any(k => k.Kind == "ptsp" && k.FiscalYear <= year && k.PtspRequired == true) ? 100m : 0m;
            var budget = 0m;
            if (own.Where(k => k.Kind == "apbd" && k.FiscalYear == year && k.Amount > 0).Sum(k => k.Amount ?? 0) is var allocation and > 0)
            {
                var paid = ytd.Where(l => l.PayerKind == "apbd" && l.RegionCode == code).Sum(l => l.Collected);
                var due = allocation * s.Period.Month / 12m;
                budget = 50m + (50m * Math.Min(1m, paid / due));
            }

            var (values, _) = inputs.Of(code);
            var nonAsn = Math.Min(100m, values["non_asn.coverage_pct"] ?? 0m);
            var vulnerable = Math.Min(100m, values["vulnerable.coverage_pct"] ?? 0m);
            var growth = values["growth.yoy_pct"] is { } g ? Math.Clamp(g * 5m, 0m, 100m)
                : values["participants.total"] is > 0 && yearAgo.AsOf is not null ? 100m : 0m;
            return new ScoreComponents(Math.Round(regulation, 1), Math.Round(budget, 1), Math.Round(nonAsn, 1), Math.Round(vulnerable, 1), ptsp, Math.Round(growth, 1));
        }

        public decimal Score(ScoreComponents c) => Math.Round(
            ((w.Regulation * c.Regulation ?? 0) + (w.Budget * c.Budget ?? 0) + (w.NonAsn * c.NonAsn ?? 0) + (w.Vulnerable * c.Vulnerable ?? 0) + (w.Ptsp * c.Ptsp ?? 0) + (w.Growth * c.Growth ?? 0)) / w.Total,
            1, MidpointRounding.AwayFromZero);

        /// <summary>The components as published without exact figures: each computed from a withheld figure is null.</summary>
        public ScoreComponents Published(ScoreComponents c, string code, DisclosureRule rule, DisclosureResult yearAgo)
        {
            var (_, withheld) = PublishedFigures.Controlled(inputs.Of(code).Values, code, inputs.Protected(rule), yearAgo);
            bool W(string key) => withheld.Contains(key);
            return c with
            {
                Budget = W("apbd.paid_ytd") ? null : c.Budget,
                NonAsn = W("non_asn.coverage_pct") ? null : c.NonAsn,
                Vulnerable = W("vulnerable.coverage_pct") ? null : c.Vulnerable,
                Growth = W("growth.yoy_pct") || W("participants.total") ? null : c.Growth,
            };
        }
    }
}
