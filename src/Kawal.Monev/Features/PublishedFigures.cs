using Kawal.Claims.Features;

namespace Kawal.Monev.Features;

/// <summary>
/// A month's indicators as published to callers without exact figures (<see cref="Kawal.Identity.Caller.ExactFigures"/>):
/// every area's figures (the nation, each province, each regency/city) are protected together in one
/// <see cref="DisclosureTable"/>, so that what one page withholds no other page, report, table or API answer of the same
/// month gives away (docs/security.md § Public figures).
/// <list type="bullet">
/// <item>Counts of people, claims and SKKs are cells whose contributors are the count itself; amounts are cells whose
/// contributors are the claims, bills or cases behind them (APBD amounts: the workers the budget pays for).</item>
/// <item>Sums: within an area (the total by segment, by category, by sex, by age band; vulnerable workers by payer;
/// claims by programme; billed = collected + arrears + not yet due) and across areas (the nation = its provinces, a
/// province = its regencies/cities; what is registered at a province itself is the residual).</item>
/// <item>Ratios are withheld with any figure they are computed from; figures from published sources (census,
/// estimates, BPS, budgets in accepted commitments) are not people and stay.</item>
/// </list>
/// </summary>
internal static class PublishedFigures
{
    /// <summary>Figures computed from others: withheld when any of them is.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Derived = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["non_asn.registered"] = ["participants.category.non_asn"],
        ["vulnerable.covered"] = ["participants.category.vulnerable"],
        ["non_asn.coverage_pct"] = ["participants.category.non_asn"],
        ["vulnerable.coverage_pct"] = ["participants.category.vulnerable"],
        ["employed.coverage_pct"] = ["participants.total"],
        ["contributions.collection_pct"] = ["contributions.collected", "contributions.billed"],
        ["apbd.realisation_pct"] = ["apbd.paid_ytd"],
        ["compliance.recovery_pct"] = ["compliance.recovered", "compliance.skk_amount"],
        ["growth.yoy_pct"] = ["participants.total"],
    };

    /// <summary>Figures that count no person (published sources, budgets): never withheld.</summary>
    internal static readonly IReadOnlySet<string> Open = new HashSet<string>(StringComparer.Ordinal)
    {
        "non_asn.census", "vulnerable.estimate", "employed.population", "employed.year", "apbd.allocation", "apbd.workers_targeted",
    };

    private static string Id(string? area, string key) => $"{area}|{key}";

    /// <summary>Protects every area's figures of the month; growth is decided per read (it also needs the year-ago month).</summary>
    internal static DisclosureResult Protect(IndicatorQueries.Inputs inputs, DisclosureRule rule)
    {
        var s = inputs.Now;
        if (s.AsOf is null && inputs.Claims.Count == 0 && inputs.Recovery.Count == 0)
        {
            return DisclosureResult.None;
        }

        // The areas that hold anything: provinces and their regencies/cities (a province's own rows are its residual).
        var places = s.Members.Select(m => m.RegionCode).Concat(s.Ledger.Select(l => l.RegionCode)).Concat(inputs.Ytd.Select(l => l.RegionCode))
            .Concat(inputs.Claims.Select(k => k.RegionCode)).Concat(inputs.Recovery.Select(k => k.RegionCode))
            .Distinct(StringComparer.Ordinal).Select(s.Place).Distinct().ToList();
        var provinces = places.GroupBy(p => p.Province, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Code).Where(c => c != g.Key).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var areas = new List<string?> { null };
        areas.AddRange(provinces.Keys);
        areas.AddRange(provinces.Values.SelectMany(v => v));

        var table = new DisclosureTable(rule);
        var additive = new List<string>();
        foreach (var area in areas)
        {
            var values = inputs.Of(area).Values;
            long V(string key) => (long)(values[key] ?? 0);
            void Count(string key) => table.Add(Id(area, key), V(key), V(key));
            void Amount(string key, long contributors) => table.Add(Id(area, key), V(key), contributors);
            var keys = new List<string>();

            if (s.AsOf is not null)
            {
                keys.Add("participants.total");
                keys.AddRange(IndicatorQueries.Segments.Select(x => $"participants.{x}"));
                keys.AddRange(IndicatorQueries.Categories.Select(x => $"participants.category.{x}"));
                keys.Add("participants.new");
                keys.AddRange(["participants.sex.M", "participants.sex.F"]);
                keys.AddRange(SummaryRefresher.AgeBands.Select(b => $"participants.age.{b}"));
                keys.AddRange(IndicatorQueries.PayerKinds.Select(k => $"vulnerable.payer.{k}"));
                keys.Add("apbd.workers_paid");
                foreach (var key in keys)
                {
                    Count(key);
                }

                var bills = s.LedgerIn(area).Sum(l => l.Bills);
                foreach (var key in (string[])["contributions.billed", "contributions.collected", "contributions.arrears", "contributions.not_due"])
                {
                    Amount(key, bills);
                    keys.Add(key);
                }
            }

            var claims = inputs.ClaimsIn(area);
            Count("claims.count");
            Amount("claims.amount", claims.Sum(k => k.Paid));
            keys.AddRange(["claims.count", "claims.amount"]);
            foreach (var programme in ClaimStatistics.Programmes)
            {
                Count($"claims.{programme}.count");
                Amount($"claims.{programme}.amount", claims.Where(k => k.Programme == programme).Sum(k => k.Paid));
                keys.AddRange([$"claims.{programme}.count", $"claims.{programme}.amount"]);
            }

            var recovery = inputs.RecoveryIn(area);
            Count("compliance.skk_count");
            Amount("compliance.skk_amount", recovery.Sum(k => k.SkkCount));
            Amount("compliance.recovered", recovery.Sum(k => k.Recoveries));
            keys.AddRange(["compliance.skk_count", "compliance.skk_amount", "compliance.recovered"]);

            // APBD bills are a government's, one a month: the people behind them are the workers it pays for.
            Amount("apbd.billed_ytd", V("apbd.workers_paid"));
            Amount("apbd.paid_ytd", V("apbd.workers_paid"));
            keys.AddRange(["apbd.billed_ytd", "apbd.paid_ytd"]);

            void Sum(string total, IEnumerable<string> parts) => table.Sum(Id(area, total), parts.Select(p => Id(area, p)).ToList());
            if (s.AsOf is not null)
            {
                Sum("participants.total", IndicatorQueries.Segments.Select(x => $"participants.{x}"));
                Sum("participants.total", IndicatorQueries.Categories.Select(x => $"participants.category.{x}"));
                Sum("participants.total", ["participants.sex.M", "participants.sex.F"]);
                Sum("participants.total", SummaryRefresher.AgeBands.Select(b => $"participants.age.{b}"));
                Sum("participants.category.vulnerable", IndicatorQueries.PayerKinds.Select(k => $"vulnerable.payer.{k}"));
                Sum("contributions.billed", ["contributions.collected", "contributions.arrears", "contributions.not_due"]);
            }

            Sum("claims.count", ClaimStatistics.Programmes.Select(p => $"claims.{p}.count"));
            Sum("claims.amount", ClaimStatistics.Programmes.Select(p => $"claims.{p}.amount"));
            if (area is null)
            {
                additive = keys;
            }
        }

        var unclassified = s.AsOf is null ? [] : IndicatorQueries.Definitions.Select(d => d.Key).Where(k => !Open.Contains(k) && !Derived.ContainsKey(k) && !table.Has(Id(null, k))).ToList();
        if (unclassified.Count > 0)
        {
            throw new InvalidOperationException($"indicators neither protected, derived nor open: {string.Join(", ", unclassified)}");
        }

        foreach (var key in additive)
        {
            table.Sum(Id(null, key), provinces.Keys.Select(p => Id(p, key)).ToList());
            foreach (var (province, children) in provinces)
            {
                table.Sum(Id(province, key), children.Select(c => Id(c, key)).ToList());
            }
        }

        return table.Protect();
    }

    /// <summary>The area's figures with what is withheld set to null, and the keys withheld.</summary>
    internal static (Dictionary<string, decimal?> Values, List<string> Withheld) Controlled(IReadOnlyDictionary<string, decimal?> values, string? area, DisclosureResult now,
        DisclosureResult yearAgo)
    {
        var shown = new Dictionary<string, decimal?>(values, StringComparer.Ordinal);
        var withheld = new List<string>();
        foreach (var key in values.Keys)
        {
            var hidden = !Open.Contains(key) && (Derived.TryGetValue(key, out var sources)
                ? sources.Any(k => now.IsWithheld(Id(area, k))) || (key == "growth.yoy_pct" && yearAgo.IsWithheld(Id(area, "participants.total")))
                : now.IsWithheld(Id(area, key)));
            if (hidden)
            {
                shown[key] = null;
                withheld.Add(key);
            }
        }

        return (shown, withheld);
    }
}

/// <summary><c>Kawal:Disclosure:Threshold</c> (default 10): the fewest contributors a published figure may have.</summary>
public static class DisclosureSettings
{
    public static DisclosureRule From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var text = configuration["Kawal:Disclosure:Threshold"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DisclosureRule.Default;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 2 and <= 1000
            ? new DisclosureRule(n)
            : throw new UsageException($"Kawal:Disclosure:Threshold must be a whole number from 2 to 1000, not '{text}'", "Kawal:Disclosure:Threshold")
            {
                Indonesian = $"Kawal:Disclosure:Threshold harus bilangan bulat 2 sampai 1000, bukan '{text}'.",
            };
    }
}

/// <summary>The months' controlled figures for other modules (<see cref="IPublishedFigures"/>), read as the public reads them.</summary>
internal sealed class PublishedMonths(IndicatorQueries indicators) : IPublishedFigures
{
    public async Task<IReadOnlyDictionary<string, decimal?>> MonthAsync(string? area, Period period, CancellationToken ct = default) =>
        (await indicators.ForAsync(area ?? "", period, Kawal.Identity.Caller.Anonymous, ct)).Values;
}
