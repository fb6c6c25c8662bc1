using System.Collections.Concurrent;

namespace Kawal.Rules.Contributions;

/// <summary>
/// Everything the monthly billing run needs for one contribution month, resolved once from the catalogue: the PU rates
/// (<see cref="PuRates"/>), the BPU and Jakon rates, due dates, fine rates, and the parameter values each segment uses
/// (recorded with every bill line so that any amount can be explained later).
/// </summary>
public sealed class BillingRates
{
    private static readonly ConcurrentDictionary<(ParameterCatalogue, Period), BillingRates> Cache = new();

    private readonly Dictionary<Segment, IReadOnlyList<UsedParameter>> _used = [];
    private readonly Dictionary<Segment, (string En, string Id)> _missing = [];

    private BillingRates(Period period, PuRates pu)
    {
        Period = period;
        Pu = pu;
    }

    public Period Period { get; }
    internal PuRates Pu { get; }
    internal long BpuMinimum { get; private set; }
    internal long BpuJkkPpm { get; private set; }
    internal long BpuJkmFlat { get; private set; }
    internal long BpuJhtPpm { get; private set; }
    internal long PayablePpm { get; private set; }
    internal decimal JakonJkkRate { get; private set; }
    internal decimal JakonJkmRate { get; private set; }
    internal decimal Payable { get; private set; }

    /// <summary>Due date of employer-paid (PU, Jakon) bills of the month.</summary>
    public DateOnly PuDue { get; private set; }

    /// <summary>Due date of BPU bills of the month (the 15th of the month itself).</summary>
    public DateOnly BpuDue { get; private set; }

    public static BillingRates For(Period period, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        return Cache.GetOrAdd((c, period), key => Build(key.Item1, key.Item2));
    }

    /// <summary>The parameter values a segment's lines are computed from (id, value, citation).</summary>
    public IReadOnlyList<UsedParameter> Used(Segment segment) =>
        _missing.TryGetValue(segment, out var why) ? throw new UsageException(why.En, "period") { Indonesian = why.Id } : _used[segment];

    /// <summary>Null when the segment can be billed in this month; otherwise why not (no rule in force).</summary>
    public string? Unavailable(Segment segment) => _missing.TryGetValue(segment, out var why) ? why.En : null;

    private static BillingRates Build(ParameterCatalogue c, Period period)
    {
        var d = period.FirstDay;
        var r = new BillingRates(period, PuRates.For(period, c));
        var trace = new Trace(c, d);
        r.PuDue = DueDates.Pu(period, trace);
        r.BpuDue = DueDates.Bpu(period, trace);
        r.Payable = c.Value("relax.pp49.jkk_jkm.payable", d);
        r.PayablePpm = Ppm.FromPercent(r.Payable, "relax.pp49.jkk_jkm.payable");
        r.Record(c, Segment.PU, d,
        [
            "pu.jkk.rate.class1", "pu.jkk.rate.class2", "pu.jkk.rate.class3", "pu.jkk.rate.class4", "pu.jkk.rate.class5", "pu.jkm.rate",
            "pu.jht.rate.employer", "pu.jht.rate.worker", "pu.jp.rate.employer", "pu.jp.rate.worker", "pu.jp.wage_cap", "jkp.rate.government", "jkp.wage_cap",
            "relax.pp49.jkk_jkm.payable", "due.pu.day", "fine.rate", "fine.rate.jp",
        ], optional: ["jkp.rate.government", "jkp.wage_cap"]);
        r.Record(c, Segment.BPU, d, ["bpu.income.minimum", "bpu.jkk.rate", "bpu.jkm.flat", "bpu.jht.rate", "relax.pp49.jkk_jkm.payable", "due.bpu.day", "fine.rate.bpu"], optional: []);
        r.Record(c, Segment.JAKON, d, ["jakon.wage.jkk.rate", "jakon.wage.jkm.rate", "relax.pp49.jkk_jkm.payable", "due.pu.day", "fine.rate"], optional: []);
        r._missing[Segment.PMI] = ("PMI contributions are packages paid once per placement, not billed monthly", "Iuran PMI dibayar sebagai paket sekali per penempatan, tidak ditagih bulanan.");
        if (!r._missing.ContainsKey(Segment.BPU))
        {
            r.BpuMinimum = (long)c.Value("bpu.income.minimum", d);
            r.BpuJkkPpm = Ppm.FromPercent(c.Value("bpu.jkk.rate", d), "bpu.jkk.rate");
            r.BpuJkmFlat = (long)c.Value("bpu.jkm.flat", d);
            r.BpuJhtPpm = Ppm.FromPercent(c.Value("bpu.jht.rate", d), "bpu.jht.rate");
        }

        if (!r._missing.ContainsKey(Segment.JAKON))
        {
            r.JakonJkkRate = c.Value("jakon.wage.jkk.rate", d);
            r.JakonJkmRate = c.Value("jakon.wage.jkm.rate", d);
        }

        return r;
    }

    private void Record(ParameterCatalogue c, Segment segment, DateOnly d, string[] ids, string[] optional)
    {
        var used = new List<UsedParameter>();
        foreach (var id in ids)
        {
            if (c[id].TryAt(d) is { } v)
            {
                used.Add(new UsedParameter(id, v.Value, v.Citation));
            }
            else if (!optional.Contains(id))
            {
                _missing[segment] = ($"no rule gives {id} for contribution month {Period}", $"Tidak ada peraturan yang menetapkan {id} untuk bulan iuran {Period}.");
                return;
            }
        }

        _used[segment] = used;
    }
}

/// <summary>One parameter value a bill line was computed from.</summary>
public sealed record UsedParameter(string Id, decimal Value, string Citation);

/// <summary>One membership's contribution for one month as billed: what the payer owes (employer + worker shares) and
/// what the central government pays apart (JKP).</summary>
public readonly record struct BilledAmounts(long Base, long Employer, long Worker, long Government, long Jp)
{
    public long Total => Employer + Worker;

    public static BilledAmounts operator -(BilledAmounts a, BilledAmounts b) =>
        new(a.Base, a.Employer - b.Employer, a.Worker - b.Worker, a.Government - b.Government, a.Jp - b.Jp);

    public bool IsZero => Employer == 0 && Worker == 0 && Government == 0 && Jp == 0;
}

/// <summary>
/// The billing hot path: one membership's month, no allocation. The amounts equal <see cref="ContributionCalculator"/>'s
/// for the same input (a test compares them): PU through <see cref="PuKernel"/>, BPU in the same integer arithmetic,
/// Jakon on known wages with the calculator's single rounding.
/// </summary>
public static class BillingKernel
{
    /// <summary>Null when the membership is not billed monthly (PMI; Jakon without a wage).</summary>
    public static BilledAmounts? Compute(Segment segment, long wage, int riskClass, Programmes programmes, BillingRates r)
    {
        switch (segment)
        {
            case Segment.PU:
                var a = PuKernel.Compute(wage, riskClass, programmes, labourIntensive: false, jpDeferral: false, r.Pu);
                return new BilledAmounts(wage, a.EmployerTotal, a.WorkerTotal, a.JkpGovernment, a.JpEmployer + a.JpWorker);
            case Segment.BPU:
                long worker = 0;
                if ((programmes & Programmes.JKK) != 0)
                {
                    worker += Ppm.Apply(Ppm.Apply(wage, r.BpuJkkPpm), r.PayablePpm);
                }

                if ((programmes & Programmes.JKM) != 0)
                {
                    worker += Ppm.Apply(r.BpuJkmFlat, r.PayablePpm);
                }

                if ((programmes & Programmes.JHT) != 0)
                {
                    worker += Ppm.Apply(wage, r.BpuJhtPpm);
                }

                return new BilledAmounts(wage, 0, worker, 0, 0);
            case Segment.JAKON when wage > 0:
                long employer = 0;
                if ((programmes & Programmes.JKK) != 0)
                {
                    employer += Rupiah.Round(wage * r.JakonJkkRate / 100m * r.Payable / 100m).Value;
                }

                if ((programmes & Programmes.JKM) != 0)
                {
                    employer += Rupiah.Round(wage * r.JakonJkmRate / 100m * r.Payable / 100m).Value;
                }

                return new BilledAmounts(wage, employer, 0, 0, 0);
            default:
                return null;
        }
    }

    /// <summary>Why a BPU membership cannot be billed this month (income below the minimum in force), or null.</summary>
    public static string? Problem(Segment segment, long wage, BillingRates r) =>
        segment == Segment.BPU && wage < r.BpuMinimum ? $"declared income {new Rupiah(wage)} is below the BPU minimum {new Rupiah(r.BpuMinimum)} of {r.Period}" : null;
}
