using BenchmarkDotNet.Attributes;
using Kawal.Rules;
using Kawal.Rules.Contributions;

namespace Kawal.Bench;

/// <summary>
/// PU contribution of one membership for one month — the inner loop of monthly billing (45 million memberships).
/// <see cref="Kernel"/> is what billing uses: rates resolved once per period, integer arithmetic, no allocation.
/// <see cref="Explained"/> is the baseline in the same run: the full calculation with its trace, as the API returns it.
/// Each invocation computes 1,024 memberships with varied wages, risk groups and programmes.
/// </summary>
[MemoryDiagnoser]
public class RulesBenchmarks
{
    private const int Batch = 1024;
    private readonly long[] _wages = new long[Batch];
    private readonly int[] _risk = new int[Batch];
    private readonly Programmes[] _programmes = new Programmes[Batch];
    private PuRates _rates = default!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Batch; i++)
        {
            _wages[i] = random.NextInt64(1_000_000, 25_000_000);
            _risk[i] = random.Next(1, 6);
            _programmes[i] = random.Next(10) == 0 ? Programmes.JKK | Programmes.JKM : Programmes.JKK | Programmes.JKM | Programmes.JHT | Programmes.JP | Programmes.JKP;
        }

        _rates = PuRates.For(new Period(2026, 3));
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Kernel()
    {
        long sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += PuKernel.Compute(_wages[i], _risk[i], _programmes[i], labourIntensive: false, jpDeferral: false, _rates).Total;
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long Explained()
    {
        long sum = 0;
        var period = new Period(2026, 3);
        for (var i = 0; i < Batch; i++)
        {
            sum += ContributionCalculator.Calculate(new ContributionInput(Segment.PU, period, _programmes[i], Wage: _wages[i], RiskClass: _risk[i])).Total;
        }

        return sum;
    }
}
