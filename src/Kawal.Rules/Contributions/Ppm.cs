namespace Kawal.Rules.Contributions;

/// <summary>
/// Rates as integer parts per million (0.89% = 8,900 ppm), so that contributions are computed in integer arithmetic:
/// amount = (base × ppm + 500,000) / 1,000,000, which is "round half away from zero, once" for non-negative bases.
/// </summary>
public static class Ppm
{
    public const long Whole = 1_000_000;

    public static long FromPercent(decimal percent, string id)
    {
        var ppm = percent * 10_000m;
        return ppm == decimal.Truncate(ppm) ? (long)ppm : throw new InvalidDataException($"rate {id} = {percent}% is finer than one part per million");
    }

    public static long Apply(long amount, long ppm) => ((amount * ppm) + 500_000) / Whole;
}
