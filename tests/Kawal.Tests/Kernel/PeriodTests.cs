namespace Kawal.Tests.Kernel;

public class PeriodTests
{
    [Fact]
    public void Parses_and_prints_YYYY_MM()
    {
        var p = Period.Parse("2026-03");
        Assert.Equal(2026, p.Year);
        Assert.Equal(3, p.Month);
        Assert.Equal("2026-03", p.ToString());
        Assert.Equal(new DateOnly(2026, 3, 31), p.LastDay);
    }

    [Theory]
    [InlineData("2026-3")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("26-03")]
    [InlineData("2026/03")]
    public void Rejects_malformed(string text) => Assert.False(Period.TryParse(text, out _));

    [Fact]
    public void Moves_across_years()
    {
        Assert.Equal(Period.Parse("2021-01"), Period.Parse("2020-12").Next);
        Assert.Equal(Period.Parse("2020-12"), Period.Parse("2021-01").Previous);
        Assert.Equal(6, Period.Parse("2020-08").MonthsUntil(Period.Parse("2021-02")));
        Assert.True(Period.Parse("2020-12") < Period.Parse("2021-01"));
    }
}
