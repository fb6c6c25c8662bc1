using Kawal.Rules.Benefits;

namespace Kawal.Rules.Tests;

public class CatalogueTests
{
    private static readonly ParameterCatalogue C = ParameterCatalogue.Default;
    private static readonly string[] Units = ["percent", "rupiah", "months", "years", "days", "count", "multiplier", "day_of_month"];

    /// <summary>Parameters that no calculator reads yet (claims, enforcement, registration): checked by value here.</summary>
    public static readonly TheoryData<string, string, double> DirectValues = new()
    {
        { "fine.rate.bpu", "2026-01-01", 0 },
        { "arrears.inactive.months", "2026-01-01", 3 },
        { "jkp.rate.total", "2025-02-06", 0.46 },
        { "jkp.rate.total", "2025-02-07", 0.36 },
        { "jkp.training", "2025-02-06", 1_000_000 },
        { "jkp.training", "2025-02-07", 2_400_000 },
        { "jkp.claim_deadline_months", "2025-02-06", 3 },
        { "jkp.claim_deadline_months", "2025-02-07", 6 },
        { "jkp.eligibility.max_age_at_registration", "2026-01-01", 54 },
        { "jkp.eligibility.min_contribution_months", "2026-01-01", 12 },
        { "jkp.eligibility.window_months", "2026-01-01", 24 },
        { "jkp.eligibility.consecutive_months", "2025-02-06", 6 },
        { "jkp.eligibility.consecutive_months", "2025-02-07", 0 },
        { "jkk.claim_deadline_years", "2026-01-01", 2 },
        { "jkk.home_care.max", "2026-01-01", 20_000_000 },
        { "jkk.transport.land", "2026-01-01", 5_000_000 },
        { "jkk.transport.sea", "2026-01-01", 2_000_000 },
        { "jkk.transport.air", "2026-01-01", 10_000_000 },
        { "jkk.disability.table.both_eyes", "2026-01-01", 70 },
        { "jkk.disability.table.one_eye", "2026-01-01", 35 },
        { "jkk.disability.table.hearing_both_ears", "2026-01-01", 40 },
        { "jht.waiting_months", "2026-01-01", 1 },
        { "jht.retirement_age", "2026-01-01", 56 },
        { "sanction.warning_letter.working_days", "2026-01-01", 10 },
        { "sanction.warning_letters", "2026-01-01", 2 },
        { "sanction.admin_fine.rate", "2026-01-01", 0.1 },
        { "registration.deadline_days", "2026-01-01", 30 },
        { "jp.indexation", "2023-06-01", 5.51 },
        { "jp.indexation", "2026-01-01", 2.92 },
        { "scholarship.age.tk_sd", "2026-01-01", 4 },
        { "scholarship.age.smp", "2026-01-01", 12 },
        { "scholarship.age.sma", "2026-01-01", 15 },
        { "scholarship.age.higher", "2026-01-01", 18 },
    };

    [Theory]
    [MemberData(nameof(DirectValues))]
    public void Values_not_yet_used_by_a_calculator(string id, string date, double expected) =>
        Assert.Equal((decimal)expected, C.Value(id, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Every_parameter_is_used_by_at_least_one_test()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in GoldenCase.All)
        {
            used.UnionWith(c.Run().Trace.Where(s => s.ParameterId is not null).Select(s => s.ParameterId!));
            if (c.Run().Error is NoRuleException e)
            {
                used.Add(e.ParameterId);
            }
        }

        used.UnionWith(DirectValues.Select(row => (string)row[0]));
        var unused = C.All.Select(p => p.Id).Where(id => !used.Contains(id)).ToList();
        Assert.True(unused.Count == 0, "parameters no test uses: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_value_has_a_citation_and_dates_in_order()
    {
        Assert.True(C.All.Count >= 100, $"{C.All.Count} parameters");
        foreach (var p in C.All)
        {
            Assert.All(p.Values, v => Assert.False(string.IsNullOrWhiteSpace(v.Citation)));
            Assert.Equal(p.Values.OrderBy(v => v.From).ToList(), p.Values);
            Assert.Contains(p.Unit, Units);
        }
    }

    [Fact]
    public void A_date_no_rule_covers_is_an_error_never_zero()
    {
        var e = Assert.Throws<NoRuleException>(() => C.Value("pu.jkm.rate", new DateOnly(2015, 6, 30)));
        Assert.Equal("pu.jkm.rate", e.ParameterId);
        Assert.Equal("date", e.Field);
        Assert.Throws<NoRuleException>(() => C.Value("jp.benefit.minimum", new DateOnly(2019, 1, 1)));
        Assert.Throws<KeyNotFoundException>(() => C["no.such.parameter"]);
    }

    [Fact]
    public void Parts_add_up_to_the_totals_the_regulations_state()
    {
        foreach (var date in new[] { new DateOnly(2024, 1, 1), new DateOnly(2026, 1, 1) })
        {
            var jkp = C.Value("jkp.rate.government", date) + C.Value("jkp.rate.recomposed_jkk", date) + C.Value("jkp.rate.recomposed_jkm", date);
            Assert.Equal(C.Value("jkp.rate.total", date), jkp);
        }

        Assert.Equal(87_000_000, DeathAndDisability.Jkm(new DateOnly(2026, 1, 1), 40, 1).ScholarshipMaximum);
        Assert.Equal(35m, DeathAndDisability.TablePercentage("one_eye", new DateOnly(2026, 1, 1)));
    }

    [Theory]
    [InlineData("""[{"group":"g","kelompok":"k","parameters":[{"id":"a","unit":"percent","description":"d","keterangan":"k","values":[{"from":"2020-01-01","to":"2021-01-01","value":1,"citation":"x"},{"from":"2020-06-01","value":2,"citation":"y"}]}]}]""", "overlaps")]
    [InlineData("""[{"group":"g","kelompok":"k","parameters":[{"id":"a","unit":"percent","description":"d","keterangan":"k","values":[{"from":"2020-01-01","value":1,"citation":" "}]}]}]""", "no citation")]
    [InlineData("""[{"group":"g","kelompok":"k","parameters":[{"id":"a","unit":"percent","description":"d","keterangan":"k","values":[{"from":"2020-01-01","value":1,"citation":"x"}]},{"id":"a","unit":"percent","description":"d","keterangan":"k","values":[{"from":"2020-01-01","value":1,"citation":"x"}]}]}]""", "defined twice")]
    [InlineData("""[{"group":"g","kelompok":"k","parameters":[{"id":"a","unit":"percent","description":"d","keterangan":"k","values":[{"from":"2020-01-01","to":"2019-01-01","value":1,"citation":"x"}]}]}]""", "ends before it starts")]
    [InlineData("""[{"group":"g","kelompok":"k","parameters":[{"id":"a","unit":"percent","description":"d","values":[{"from":"2020-01-01","value":1,"citation":"x"}]}]}]""", "Indonesian keterangan")]
    public void A_broken_catalogue_is_refused(string json, string message)
    {
        var docs = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetRawText());
        var e = Assert.Throws<InvalidDataException>(() => ParameterCatalogue.FromJson(docs));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
