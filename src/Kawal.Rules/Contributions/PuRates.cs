using System.Collections.Concurrent;

namespace Kawal.Rules.Contributions;

/// <summary>
/// Every PU rate and cap in force for one contribution month, resolved once from the catalogue (the values in force on
/// the month's first day) so that computing a membership's contribution reads no catalogue and allocates nothing.
/// </summary>
public sealed class PuRates
{
    private static readonly ConcurrentDictionary<(ParameterCatalogue, Period), PuRates> Cache = new();

    private PuRates(Period period)
    {
        Period = period;
    }

    public Period Period { get; }
    public DateOnly Date => Period.FirstDay;
    internal long[] JkkPpm { get; } = new long[6];
    internal long[] JkkLabourIntensivePpm { get; } = new long[6];
    internal long JkmPpm { get; private set; }
    internal long JhtEmployerPpm { get; private set; }
    internal long JhtWorkerPpm { get; private set; }
    internal long JpEmployerPpm { get; private set; }
    internal long JpWorkerPpm { get; private set; }
    internal long JpCap { get; private set; }
    internal bool JkpExists { get; private set; }
    internal long JkpGovernmentPpm { get; private set; }
    internal long JkpCap { get; private set; }
    internal long JkkJkmPayablePpm { get; private set; }
    internal long JpPayablePpm { get; private set; }
    internal bool LabourIntensiveDiscount { get; private set; }

    public static PuRates For(Period period, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        return Cache.GetOrAdd((c, period), key => Build(key.Item1, key.Item2));
    }

    private static PuRates Build(ParameterCatalogue c, Period period)
    {
        var d = period.FirstDay;
        long P(string id) => Ppm.FromPercent(c.Value(id, d), id);
        var r = new PuRates(period)
        {
            JkmPpm = P("pu.jkm.rate"),
            JhtEmployerPpm = P("pu.jht.rate.employer"),
            JhtWorkerPpm = P("pu.jht.rate.worker"),
            JpEmployerPpm = P("pu.jp.rate.employer"),
            JpWorkerPpm = P("pu.jp.rate.worker"),
            JpCap = (long)c.Value("pu.jp.wage_cap", d),
            JkkJkmPayablePpm = P("relax.pp49.jkk_jkm.payable"),
            JpPayablePpm = P("relax.pp49.jp.payable"),
        };
        var discount = c.Value("relax.labour_intensive.jkk.discount", d);
        r.LabourIntensiveDiscount = discount > 0;
        for (var k = 1; k <= 5; k++)
        {
            var rate = c.Value($"pu.jkk.rate.class{k}", d);
            r.JkkPpm[k] = Ppm.FromPercent(rate, $"pu.jkk.rate.class{k}");
            r.JkkLabourIntensivePpm[k] = Ppm.FromPercent(rate * (100 - discount) / 100, $"pu.jkk.rate.class{k} discounted");
        }

        if (c["jkp.rate.government"].TryAt(d) is { } gov)
        {
            r.JkpExists = true;
            r.JkpGovernmentPpm = Ppm.FromPercent(gov.Value, "jkp.rate.government");
            r.JkpCap = (long)c.Value("jkp.wage_cap", d);
        }

        return r;
    }
}

/// <summary>The amounts of one PU membership for one month (whole rupiah).</summary>
public readonly record struct PuAmounts(
    long Jkk,
    long JkkNormal,
    long Jkm,
    long JkmNormal,
    long JhtEmployer,
    long JhtWorker,
    long JpBase,
    long JpEmployer,
    long JpWorker,
    long JpDeferredEmployer,
    long JpDeferredWorker,
    long JkpBase,
    long JkpGovernment)
{
    public long EmployerTotal => Jkk + Jkm + JhtEmployer + JpEmployer;
    public long WorkerTotal => JhtWorker + JpWorker;
    public long Total => EmployerTotal + WorkerTotal;
}

/// <summary>The hot path of monthly billing: one PU membership, no allocation, no catalogue look-up.</summary>
public static class PuKernel
{
    public static PuAmounts Compute(long wage, int riskClass, Programmes programmes, bool labourIntensive, bool jpDeferral, PuRates r)
    {
        long jkk = 0, jkkNormal = 0, jkm = 0, jkmNormal = 0, jhtE = 0, jhtW = 0, jpBase = 0, jpE = 0, jpW = 0, jpDefE = 0, jpDefW = 0, jkpBase = 0, jkpGov = 0;
        if ((programmes & Programmes.JKK) != 0)
        {
            var rate = labourIntensive && r.LabourIntensiveDiscount ? r.JkkLabourIntensivePpm[riskClass] : r.JkkPpm[riskClass];
            jkkNormal = Ppm.Apply(wage, rate);
            jkk = Ppm.Apply(jkkNormal, r.JkkJkmPayablePpm);
        }

        if ((programmes & Programmes.JKM) != 0)
        {
            jkmNormal = Ppm.Apply(wage, r.JkmPpm);
            jkm = Ppm.Apply(jkmNormal, r.JkkJkmPayablePpm);
        }

        if ((programmes & Programmes.JHT) != 0)
        {
            jhtE = Ppm.Apply(wage, r.JhtEmployerPpm);
            jhtW = Ppm.Apply(wage, r.JhtWorkerPpm);
        }

        if ((programmes & Programmes.JP) != 0)
        {
            jpBase = wage < r.JpCap ? wage : r.JpCap;
            var normalE = Ppm.Apply(jpBase, r.JpEmployerPpm);
            var normalW = Ppm.Apply(jpBase, r.JpWorkerPpm);
            jpE = jpDeferral ? Ppm.Apply(normalE, r.JpPayablePpm) : normalE;
            jpW = jpDeferral ? Ppm.Apply(normalW, r.JpPayablePpm) : normalW;
            jpDefE = normalE - jpE;
            jpDefW = normalW - jpW;
        }

        if ((programmes & Programmes.JKP) != 0 && r.JkpExists)
        {
            jkpBase = wage < r.JkpCap ? wage : r.JkpCap;
            jkpGov = Ppm.Apply(jkpBase, r.JkpGovernmentPpm);
        }

        return new PuAmounts(jkk, jkkNormal, jkm, jkmNormal, jhtE, jhtW, jpBase, jpE, jpW, jpDefE, jpDefW, jkpBase, jkpGov);
    }
}
