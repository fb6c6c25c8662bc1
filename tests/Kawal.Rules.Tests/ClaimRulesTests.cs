using Kawal.Rules.Benefits;

namespace Kawal.Rules.Tests;

/// <summary>The claims rules on both sides of each boundary, without a database: the facts are given.</summary>
public class ClaimRulesTests
{
    private static readonly DateOnly Born1980 = new(1980, 1, 1);

    private static List<Period> Months(Period from, int count) => Enumerable.Range(0, count).Select(from.AddMonths).ToList();

    private static ClaimFacts Facts(string programme, string kind, string eventDate, string claimDate, IReadOnlyList<Period>? paid = null, DateOnly? born = null, string? reason = null,
        DateOnly? joined = null, DateOnly? ended = null, string status = "active") =>
        new(programme, kind, DateOnly.Parse(eventDate, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(claimDate, System.Globalization.CultureInfo.InvariantCulture),
            born ?? Born1980, true, status, ended, joined ?? new DateOnly(2020, 1, 1), paid ?? [], reason, AccidentReported: true, JhtBalance: 1_000_000);

    private static string? Failed(ClaimFacts f) => ClaimRules.Check(f).FirstOrDefault(c => !c.Passed)?.Rule;

    [Theory]
    [InlineData("2025-06-30", 58, "jp.retirement_age")] // 58 < 59, the pension age for 2025 (PP 45/2015 Art. 15)
    [InlineData("2025-06-30", 59, null)]
    [InlineData("2024-06-30", 58, null)] // 58 for 2022-2024
    public void Jp_pension_age_by_the_event_year(string eventDate, int age, string? expected)
    {
        var date = DateOnly.Parse(eventDate, System.Globalization.CultureInfo.InvariantCulture);
        var f = Facts("JP", "old_age", eventDate, eventDate, Months(new Period(2016, 1), 100), born: date.AddYears(-age));
        Assert.Equal(expected, Failed(f));
    }

    [Fact]
    public void Jp_monthly_pension_needs_180_months_otherwise_a_lump_sum()
    {
        Assert.False(PensionAndSavings.Jp(new DateOnly(2030, 7, 1), 179, 5_000_000).Eligible);
        var p = PensionAndSavings.Jp(new DateOnly(2026, 7, 1), 180, 5_000_000);
        Assert.True(p.Eligible);
        Assert.Equal(750_000, p.MonthlyPension); // 1 % × 15 × Rp5,000,000
        var lump = Savings.JpLumpSum(179, 12_345_678, 0, new DateOnly(2026, 7, 1));
        Assert.Equal(12_345_678, lump.Total);
    }

    [Fact]
    public void Jkp_needs_12_paid_months_in_the_24_up_to_termination()
    {
        var end = new Period(2026, 1);
        Assert.Null(Failed(Facts("JKP", "job_loss", "2026-01-05", "2026-01-20", Months(end.AddMonths(-23), 1).Concat(Months(end.AddMonths(-10), 11)).ToList(), reason: "termination")));
        // 11 months inside the window; the 12th falls just outside it (25 months before).
        Assert.Equal("jkp.min_contributions", Failed(Facts("JKP", "job_loss", "2026-01-05", "2026-01-20", Months(end.AddMonths(-24), 1).Concat(Months(end.AddMonths(-10), 11)).ToList(), reason: "termination")));
    }

    [Fact]
    public void Jkp_before_7_February_2025_also_needs_6_consecutive_months_before_termination()
    {
        var end = new Period(2025, 1);
        var gap = Months(end.AddMonths(-20), 12).Concat(Months(end.AddMonths(-4), 5)).ToList(); // 17 months, but only 5 in a row at the end
        Assert.Equal("jkp.consecutive_months", Failed(Facts("JKP", "job_loss", "2025-01-10", "2025-01-20", gap, reason: "termination")));
        Assert.Null(Failed(Facts("JKP", "job_loss", "2025-01-10", "2025-01-20", Months(end.AddMonths(-5), 6).Concat(Months(end.AddMonths(-20), 6)).ToList(), reason: "termination")));
        // After PP 6/2025 the same gap is enough.
        var after = new Period(2025, 3);
        Assert.Null(Failed(Facts("JKP", "job_loss", "2025-03-10", "2025-03-20", Months(after.AddMonths(-20), 12).Concat(Months(after.AddMonths(-4), 5)).ToList(), reason: "termination")));
    }

    [Theory]
    [InlineData("2021-01-01", null)] // age 41 at enrolment
    [InlineData("2034-01-01", "jkp.age_at_registration")] // 54: not under 54
    public void Jkp_age_at_enrolment(string joined, string? expected)
    {
        var f = Facts("JKP", "job_loss", "2026-01-05", "2026-01-20", Months(new Period(2025, 1), 12), reason: "termination",
            joined: DateOnly.Parse(joined, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, Failed(f));
    }

    [Theory]
    [InlineData(55, "jht.retirement_age")]
    [InlineData(56, null)]
    public void Jht_at_retirement_age_56(int age, string? expected) =>
        Assert.Equal(expected, Failed(Facts("JHT", "full", "2026-01-05", "2026-01-20", born: new DateOnly(2026, 1, 5).AddYears(-age), reason: "retirement")));

    [Fact]
    public void Heirs_take_by_rank_and_share_equally()
    {
        Heir H(int seq, string relation) => new(seq, $"H{seq}", relation, new DateOnly(2000, 1, 1));
        var (shares, payable) = Heirs.Share([H(1, "parent"), H(2, "spouse"), H(3, "child"), H(4, "child")], 42_000_000, 10_000_000);
        Assert.Equal(42_000_000, payable);
        Assert.Equal([0L, 14_000_000L, 14_000_000L, 14_000_000L], shares.Select(s => s.Amount));
        (shares, _) = Heirs.Share([H(1, "sibling"), H(2, "parent_in_law")], 42_000_000, 10_000_000);
        Assert.Equal([true, false], shares.Select(s => s.Entitled));
        (shares, _) = Heirs.Share([H(1, "parent"), H(2, "grandchild"), H(3, "sibling")], 10_000_001, 0);
        Assert.Equal([5_000_001L, 5_000_000L, 0L], shares.Select(s => s.Amount)); // the remainder rupiah to the first
        // No heir of ranks 1-5: only the funeral benefit, to whoever arranged the funeral.
        (shares, payable) = Heirs.Share([H(1, "funeral_organiser")], 42_000_000, 10_000_000);
        Assert.Equal((10_000_000L, 10_000_000L), (payable, shares[0].Amount));
    }

    [Fact]
    public void Scholarship_is_scheduled_by_age_level_and_stops_at_23()
    {
        var plan = ScholarshipPlan.Schedule([new Heir(1, "A", "child", new DateOnly(2023, 3, 1)), new Heir(2, "B", "child", new DateOnly(2010, 1, 1)), new Heir(3, "C", "child", new DateOnly(2000, 1, 1))],
            new DateOnly(2026, 1, 10));
        // Two children at most (the oldest eligible first: C is 26 and no longer eligible).
        Assert.Equal([1, 2], plan.Select(p => p.HeirSeq).Distinct().Order());
        var young = plan.Where(p => p.HeirSeq == 1).ToList();
        Assert.Equal(new Period(2028, 1), young[0].Due); // starts at school age (4, TK)
        Assert.Equal(87_000_000, young.Sum(p => p.Amount)); // the full ceiling per child (PP 82/2019 Art. 25)
        var older = plan.Where(p => p.HeirSeq == 2).ToList(); // 16 in January 2026: SMA at 16 and 17, then higher education 18 to 22
        Assert.Equal(["sma", "sma", "higher", "higher", "higher", "higher", "higher"], older.Select(p => p.Level));
    }

    [Fact]
    public void Pension_is_indexed_at_each_anniversary_by_the_previous_years_inflation()
    {
        var start = new Period(2024, 7);
        Assert.Equal(1_000_000, Savings.IndexedPension(1_000_000, start, new Period(2025, 6)));
        Assert.Equal(1_015_700, Savings.IndexedPension(1_000_000, start, new Period(2025, 7))); // +1.57 % (2024)
        Assert.Equal(1_045_358, Savings.IndexedPension(1_000_000, start, new Period(2026, 7))); // then +2.92 % (2025)
        Assert.Throws<NoRuleException>(() => Savings.IndexedPension(1_000_000, start, new Period(2027, 7)));
        Assert.Equal(1.0551m * 1.0261m, Savings.IndexFactor(2022, 2024));
    }
}
