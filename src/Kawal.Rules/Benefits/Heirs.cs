namespace Kawal.Rules.Benefits;

/// <summary>An heir as declared on a death claim (from the family card and the heirship statement).</summary>
public sealed record Heir(int Seq, string Name, string Relation, DateOnly? BirthDate, bool Married = false, bool Working = false);

/// <summary>An heir's place in the order and what it receives of a benefit.</summary>
public sealed record HeirShare(int Seq, string Relation, int Rank, bool Entitled, long Amount);

/// <summary>
/// The order of heirs (ahli waris) for JKM, JKK death and JHT on death: PP 44/2015 Art. 1(18)-style definition as
/// amended by PP 82/2019 and applied by Permenaker 5/2021 — (1) widow, widower or children; if none, (2) blood relatives
/// in the straight line up and down to the second degree (parents, grandparents, grandchildren); (3) siblings;
/// (4) parents-in-law; (5) the person named in the participant's will; if none of these, the funeral benefit goes to
/// whoever arranged the funeral and the rest stays in the social security fund. Within the entitled rank the benefit is
/// shared equally (Kawal's reading: the regulation names who, not in what shares; the remainder rupiah goes to the first).
/// </summary>
public static class Heirs
{
    public const string Citation = "PP 44/2015 jo PP 82/2019 (definition of ahli waris); Permenaker 5/2021 — order as recalled, verify against the text (docs/claims.md)";

    public static IReadOnlyList<string> Relations { get; } = ["spouse", "child", "parent", "grandparent", "grandchild", "sibling", "parent_in_law", "appointed", "funeral_organiser"];

    public static int Rank(string relation) => relation switch
    {
        "spouse" or "child" => 1,
        "parent" or "grandparent" or "grandchild" => 2,
        "sibling" => 3,
        "parent_in_law" => 4,
        "appointed" => 5,
        "funeral_organiser" => 6,
        _ => throw new UsageException($"relation must be one of {string.Join(", ", Relations)}, not '{relation}'", "heirs.relation") { Indonesian = $"Hubungan ahli waris '{relation}' tidak dikenal; pilih dari daftar." },
    };

    /// <summary>
    /// Shares a death benefit: the lowest rank present takes it all, equally. Without heirs of ranks 1-5 only the funeral
    /// benefit is paid (to the funeral organiser); the payable total is then the funeral amount.
    /// </summary>
    public static (IReadOnlyList<HeirShare> Shares, long Payable) Share(IReadOnlyList<Heir> heirs, long total, long funeral)
    {
        var ranked = heirs.Select(h => (h, Rank: Rank(h.Relation))).ToList();
        var heirRanks = ranked.Where(x => x.Rank <= 5).Select(x => x.Rank).ToList();
        var top = heirRanks.Count > 0 ? heirRanks.Min() : 6;
        var payable = top <= 5 ? total : ranked.Any(x => x.Rank == 6) ? funeral : 0;
        var entitled = ranked.Where(x => x.Rank == top).ToList();
        var each = entitled.Count == 0 ? 0 : payable / entitled.Count;
        var rest = payable - (each * entitled.Count);
        var shares = new List<HeirShare>();
        var first = true;
        foreach (var (h, rank) in ranked)
        {
            var isEntitled = rank == top && payable > 0;
            var amount = isEntitled ? each + (first ? rest : 0) : 0;
            first &= !isEntitled;
            shares.Add(new HeirShare(h.Seq, h.Relation, rank, isEntitled, amount));
        }

        return (shares, payable);
    }
}

/// <summary>One scheduled scholarship payment: a child, a school year (0 = the event's), its level and amount.</summary>
public sealed record ScholarshipPayment(int HeirSeq, int YearIndex, Period Due, string Level, long Amount);

/// <summary>
/// Schedules the scholarship of PP 82/2019 Art. 25: up to <c>scholarship.max_children</c> children (the oldest eligible
/// first), one payment a year from the event's month, at the level of the child's age on the due day, each level at most
/// its number of years, while the child is under <c>scholarship.max_age</c>, unmarried and not working; a child not yet of
/// school age starts when it is.
/// </summary>
public static class ScholarshipPlan
{
    private static readonly string[] Levels = ["tk_sd", "smp", "sma", "higher"];

    public static IReadOnlyList<ScholarshipPayment> Schedule(IReadOnlyList<Heir> heirs, DateOnly eventDate, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        var maxChildren = (int)c.Value("scholarship.max_children", eventDate);
        var maxAge = (int)c.Value("scholarship.max_age", eventDate);
        var from = Levels.ToDictionary(l => l, l => (int)c.Value($"scholarship.age.{l}", eventDate));
        var years = Levels.ToDictionary(l => l, l => (int)c.Value($"scholarship.{l}.years", eventDate));
        var amounts = Levels.ToDictionary(l => l, l => (long)c.Value($"scholarship.{l}.amount", eventDate));
        var children = heirs.Where(h => h.Relation == "child" && h.BirthDate is { } b && !h.Married && !h.Working && ClaimRules.Age(b, eventDate) < maxAge)
            .OrderBy(h => h.BirthDate).ThenBy(h => h.Seq).Take(maxChildren).ToList();
        var list = new List<ScholarshipPayment>();
        foreach (var child in children)
        {
            var used = Levels.ToDictionary(l => l, _ => 0);
            for (var y = 0; ; y++)
            {
                var due = eventDate.AddYears(y);
                var age = ClaimRules.Age(child.BirthDate!.Value, due);
                if (age >= maxAge)
                {
                    break;
                }

                var level = Levels.LastOrDefault(l => age >= from[l]);
                if (level is null || used[level] >= years[level])
                {
                    continue;
                }

                used[level]++;
                list.Add(new ScholarshipPayment(child.Seq, y, Period.Of(due), level, amounts[level]));
            }
        }

        return list;
    }
}

/// <summary>JHT full payout, the JP lump sum, and JP indexation.</summary>
public static class Savings
{
    public static JhtFullBenefit JhtFull(long balance, long credits, long returns, long payouts, string reason, DateOnly date, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, date);
        t.Amount("Iuran JHT yang dibayar", "JHT contributions paid", credits);
        t.Amount("Hasil pengembangan yang dibukukan", "Development returns credited", returns);
        t.Amount("Pembayaran sebelumnya", "Earlier payouts", -payouts);
        t.Note($"Alasan: {reason} (PP 46/2015 Art. 26 jo PP 60/2015; Permenaker 4/2022)", $"Reason: {reason} (PP 46/2015 Art. 26 jo PP 60/2015; Permenaker 4/2022)");
        var total = t.Amount("JHT dibayar penuh = saldo", "JHT paid in full = balance", balance);
        return new JhtFullBenefit("jht-full", total, reason, t.Steps);
    }

    /// <summary>Fewer than the minimum months: the JP contributions paid and their development returns, at once (PP 45/2015 Art. 16).</summary>
    public static PensionBenefit JpLumpSum(int months, long contributions, long returns, DateOnly date, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, date);
        var min = (int)t.Use("jp.min_contribution_months", "Masa iuran minimum untuk pensiun bulanan", "Minimum contribution months for a monthly pension");
        t.Note($"{months} bulan < {min}: iuran JP dan hasil pengembangannya dibayar sekaligus (PP 45/2015 Art. 16)",
            $"{months} months < {min}: JP contributions and their returns are paid at once (PP 45/2015 Art. 16)");
        t.Amount("Iuran JP yang dibayar", "JP contributions paid", contributions);
        t.Amount("Hasil pengembangan (tingkat yang ditetapkan per tahun)", "Development returns (the declared yearly rates)", returns);
        var total = t.Amount("Jumlah dibayar sekaligus", "Lump sum", contributions + returns);
        return new PensionBenefit("jp-lump-sum", total, false, 0, 0, 0, 0, t.Steps);
    }

    /// <summary>
    /// The indexation factor from one year's values to a later year's: the product of (1 + CPI inflation) of each year in
    /// between (PP 45/2015 Art. 17). A year with no inflation value in the catalogue counts as 1 and is named in the trace.
    /// </summary>
    public static decimal IndexFactor(int fromYear, int toYear, Trace? trace = null, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        var factor = 1m;
        for (var y = fromYear; y < toYear; y++)
        {
            var at = new DateOnly(y + 1, 1, 1);
            if (c["jp.indexation"].TryAt(at) is { } v)
            {
                factor *= 1 + (v.Value / 100m);
                trace?.Use("jp.indexation", at, $"Indeksasi inflasi {y}", $"Indexation, inflation {y}");
            }
            else
            {
                trace?.Note($"Inflasi {y} tidak ada di katalog: faktor 1", $"No inflation value for {y} in the catalogue: factor 1");
            }
        }

        return factor;
    }

    /// <summary>
    /// The JP monthly pension of a month: the first year's amount raised at each anniversary of the start by the previous
    /// year's inflation. Throws when an anniversary's inflation is not yet in the catalogue (the run must not guess).
    /// </summary>
    public static long IndexedPension(long firstYear, Period start, Period month, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        var anniversaries = start.MonthsUntil(month) / 12;
        decimal amount = firstYear;
        for (var i = 1; i <= anniversaries; i++)
        {
            var year = start.Year + i;
            var v = c["jp.indexation"].TryAt(new DateOnly(year, 1, 1))
                ?? throw new NoRuleException($"jp.indexation has no value for {year} (inflation of {year - 1}): add it to the catalogue before paying {month}") { Indonesian = $"Indeksasi JP tahun {year} (inflasi {year - 1}) belum ada di katalog peraturan; tambahkan dulu sebelum membayar {month}." };
            amount = Math.Round(amount * (1 + (v.Value / 100m)), 0, MidpointRounding.AwayFromZero);
        }

        return (long)amount;
    }
}
