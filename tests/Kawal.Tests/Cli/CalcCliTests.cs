using System.Text.Json;
using static Kawal.Tests.Cli.CliHarness;

namespace Kawal.Tests.Cli;

public class CalcCliTests
{
    [Fact]
    public async Task Contribution_as_json_has_the_documented_fields()
    {
        var (exit, output, _) = await Run("calc", "contribution", "--segment", "PU", "--period", "2026-03", "--wage", "12000000", "--risk-class", "3", "--json");

        Assert.Equal(0, exit);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal("PU", r.GetProperty("segment").GetString());
        Assert.Equal("2026-03", r.GetProperty("period").GetString());
        Assert.Equal(808_526, r.GetProperty("employerTotal").GetInt64());
        Assert.Equal(350_863, r.GetProperty("workerTotal").GetInt64());
        Assert.Equal(11_000, r.GetProperty("governmentTotal").GetInt64());
        Assert.Equal(1_159_389, r.GetProperty("total").GetInt64());
        var jp = r.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("programme").GetString() == "JP");
        foreach (var field in new[] { "base", "employer", "worker", "government", "total" })
        {
            Assert.True(jp.TryGetProperty(field, out _), field);
        }

        Assert.True(r.GetProperty("trace").GetArrayLength() > 10);
    }

    [Theory]
    [InlineData(new[] { "--segment", "BPU", "--period", "2026-03", "--declared-income", "Rp 1.000.000" }, 16_800)]
    [InlineData(new[] { "--segment", "JAKON", "--period", "2026-03", "--contract-value", "850.000.000" }, 1_525_000)]
    [InlineData(new[] { "--segment", "PMI", "--period", "2024-05", "--package", "full", "--contract-months", "18" }, 307_500)]
    [InlineData(new[] { "--segment", "PU", "--period", "2025-03", "--wage", "5000000", "--risk-class", "3", "--programmes", "JKK", "--labour-intensive" }, 22_250)]
    public async Task Each_segment_from_the_shell(string[] options, long total)
    {
        var (exit, output, _) = await Run(["calc", "contribution", .. options, "--json"]);

        Assert.Equal(0, exit);
        Assert.Equal(total, JsonDocument.Parse(output).RootElement.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "jkm", "--death-date", "2026-01-10", "--contribution-months", "48" }, 42_000_000, "scholarshipEligible")]
    [InlineData(new[] { "jkk-death", "--wage", "6000000", "--event-date", "2026-01-10" }, 310_000_000, "scholarshipMaximum")]
    [InlineData(new[] { "jkk-disability", "--wage", "5000000", "--percentage", "35" }, 140_000_000, "percentage")]
    [InlineData(new[] { "stmb", "--wage", "4000000", "--months", "15" }, 54_000_000, "payments")]
    [InlineData(new[] { "jp", "--start-date", "2025-06-01", "--contribution-months", "240", "--average-wage", "8000000" }, 1_600_000, "monthlyPension")]
    [InlineData(new[] { "jkp", "--termination-date", "2025-06-01", "--wage", "8000000" }, 18_000_000, "payments")]
    [InlineData(new[] { "jht-partial", "--balance", "100000000", "--membership-years", "12", "--purpose", "housing" }, 30_000_000, "eligible")]
    [InlineData(new[] { "retirement-age", "--year", "2026" }, 59, "age")]
    [InlineData(new[] { "fine", "--amount", "1000000", "--due", "2026-03-16", "--paid", "2026-04-20" }, 40_000, "monthsLate")]
    public async Task Each_benefit_from_the_shell(string[] args, long total, string field)
    {
        var (exit, output, err) = await Run(["calc", "benefit", .. args, "--json"]);

        Assert.True(exit == 0, err);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal(total, r.GetProperty("total").GetInt64());
        Assert.True(r.TryGetProperty(field, out _));
        Assert.True(r.GetProperty("trace").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData(new[] { "calc", "contribution", "--segment", "XYZ", "--period", "2026-03" }, "kawal: segment must be PU, BPU, JAKON or PMI")]
    [InlineData(new[] { "calc", "contribution", "--segment", "PU", "--period", "2026-03", "--wage", "-5" }, "kawal: wage must not be negative")]
    [InlineData(new[] { "calc", "contribution", "--segment", "PU", "--period", "2026-03", "--wage", "lima juta" }, "kawal: --wage: 'lima juta' is not an amount")]
    [InlineData(new[] { "calc", "contribution", "--segment", "PU", "--period", "2014-01", "--wage", "5000000" }, "kawal: no rule gives")]
    [InlineData(new[] { "calc", "benefit", "jp", "--start-date", "2020-06-01", "--contribution-months", "180", "--average-wage", "5000000" }, "kawal: no rule gives jp.benefit.minimum on 2020-06-01")]
    [InlineData(new[] { "calc", "benefit", "pension" }, "kawal: Argument 'pension' not recognized")]
    public async Task Invalid_input_exits_2_with_a_clear_message(string[] args, string message)
    {
        var (exit, _, err) = await Run(args);

        Assert.Equal(2, exit);
        Assert.StartsWith(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_output_explains_with_citations()
    {
        var (exit, output, _) = await Run("calc", "contribution", "--segment", "PU", "--period", "2026-03", "--wage", "12.000.000", "--risk-class", "3");

        Assert.Equal(0, exit);
        Assert.Contains("Rp1.159.389", output, StringComparison.Ordinal);
        Assert.Contains("[pu.jp.wage_cap; PP 45/2015 Art. 29(3)-(4); BPJS TK letter B/1226/022026", output, StringComparison.Ordinal);
    }
}
