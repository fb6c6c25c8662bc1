using Kawal.Rules.Contributions;

namespace Kawal.Rules.Tests;

/// <summary>Properties over many generated inputs (fixed seed, so a failure reproduces).</summary>
public class PropertyTests
{
    private static readonly Period[] Periods = Enumerable.Range(0, 137).Select(i => new Period(2015, 7).AddMonths(i)).ToArray(); // Jul 2015 – Nov 2026

    private static IEnumerable<(long Wage, int Risk, Period Period, Programmes Programmes, bool Labour, bool Deferral)> Inputs(int n)
    {
        var random = new Random(20210325);
        for (var i = 0; i < n; i++)
        {
            var wage = random.Next(4) switch
            {
                0 => random.NextInt64(0, 2_000_000),
                1 => random.NextInt64(2_000_000, 15_000_000),
                2 => random.NextInt64(15_000_000, 500_000_000),
                _ => random.NextInt64(0, 5) * 500_000 + random.Next(0, 2),
            };
            var period = Periods[random.Next(Periods.Length)];
            yield return (wage, random.Next(1, 6), period, (Programmes)random.Next(1, 32), random.Next(2) == 0, random.Next(2) == 0);
        }
    }

    [Fact]
    public void Amounts_are_never_negative_and_JP_base_never_exceeds_the_cap()
    {
        foreach (var (wage, risk, period, programmes, labour, deferral) in Inputs(20_000))
        {
            var rates = PuRates.For(period);
            var a = PuKernel.Compute(wage, risk, programmes, labour, deferral, rates);
            Assert.True(a.Jkk >= 0 && a.Jkm >= 0 && a.JhtEmployer >= 0 && a.JhtWorker >= 0 && a.JpEmployer >= 0 && a.JpWorker >= 0 && a.JpDeferredEmployer >= 0 && a.JkpGovernment >= 0);
            var cap = (long)ParameterCatalogue.Default.Value("pu.jp.wage_cap", period.FirstDay);
            Assert.True(a.JpBase <= cap, $"JP base {a.JpBase} above cap {cap} in {period}");
            Assert.True(a.JpBase <= wage);
            Assert.Equal(a.EmployerTotal + a.WorkerTotal, a.Total);
        }
    }

    [Fact]
    public void Contributions_never_fall_when_the_wage_rises()
    {
        foreach (var (wage, risk, period, programmes, labour, deferral) in Inputs(20_000))
        {
            var rates = PuRates.For(period);
            var lower = PuKernel.Compute(wage, risk, programmes, labour, deferral, rates);
            var higher = PuKernel.Compute(wage + 1 + (wage % 7919), risk, programmes, labour, deferral, rates);
            Assert.True(higher.Jkk >= lower.Jkk && higher.Jkm >= lower.Jkm && higher.JhtEmployer >= lower.JhtEmployer && higher.JhtWorker >= lower.JhtWorker);
            Assert.True(higher.JpEmployer >= lower.JpEmployer && higher.JpWorker >= lower.JpWorker && higher.JkpGovernment >= lower.JkpGovernment);
            Assert.True(higher.Total >= lower.Total);
        }
    }

    [Fact]
    public void The_fast_kernel_and_the_explained_calculation_agree()
    {
        foreach (var (wage, risk, period, programmes, labour, deferral) in Inputs(2_000).Where(x => x.Wage > 0))
        {
            var explained = ContributionCalculator.Calculate(new ContributionInput(Segment.PU, period, programmes, Wage: wage, RiskClass: risk, LabourIntensive: labour, JpDeferral: deferral));
            var fast = PuKernel.Compute(wage, risk, programmes, labour, deferral, PuRates.For(period));
            Assert.Equal(fast.EmployerTotal, explained.EmployerTotal);
            Assert.Equal(fast.WorkerTotal, explained.WorkerTotal);
            Assert.Equal(fast.JkpGovernment, explained.GovernmentTotal);
        }
    }

    [Fact]
    public void Integer_rounding_equals_decimal_half_away_from_zero()
    {
        var random = new Random(7);
        long[] ppms = [2400, 5400, 8900, 12700, 17400, 3000, 37000, 20000, 10000, 2200, 4450, 6350];
        for (var i = 0; i < 50_000; i++)
        {
            var amount = random.NextInt64(0, 1_000_000_000);
            var ppm = ppms[random.Next(ppms.Length)];
            Assert.Equal(Rupiah.Round(amount * (ppm / 1_000_000m)).Value, Ppm.Apply(amount, ppm));
        }

        Assert.Equal(1, Ppm.Apply(50, 10_000)); // 0.5 rounds up
        Assert.Equal(0, Ppm.Apply(49, 10_000));
    }

    [Fact]
    public void Labour_intensive_discount_halves_every_risk_group_exactly()
    {
        var rates = PuRates.For(new Period(2025, 4));
        decimal[] expected = [0.12m, 0.27m, 0.445m, 0.635m, 0.87m];
        for (var k = 1; k <= 5; k++)
        {
            var a = PuKernel.Compute(100_000_000, k, Programmes.JKK, labourIntensive: true, jpDeferral: false, rates);
            Assert.Equal((long)(expected[k - 1] * 1_000_000m), a.Jkk);
        }
    }
}
