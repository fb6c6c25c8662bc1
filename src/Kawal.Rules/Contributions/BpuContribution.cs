namespace Kawal.Rules.Contributions;

/// <summary>BPU (informal workers): JKK % of declared income, JKM flat, optional JHT; paid by the participant (or a sponsor).</summary>
internal static class BpuContribution
{
    public static ContributionResult Calculate(ContributionInput input, Trace t)
    {
        var income = input.DeclaredIncome;
        var minimum = (long)t.Use("bpu.income.minimum", "Penghasilan minimum BPU", "BPU minimum declared income");
        if (income < minimum)
        {
            throw new UsageException($"declared income {Trace.Rp(income)} is below the BPU minimum {Trace.Rp(minimum)}", "declaredIncome") { Indonesian = $"Penghasilan yang dilaporkan {Trace.Rp(income)} di bawah penghasilan minimum BPU {Trace.Rp(minimum)}." };
        }

        t.Amount("Penghasilan yang dilaporkan", "Declared income", income);
        var payable = t.Use("relax.pp49.jkk_jkm.payable", "Bagian JKK/JKM yang dibayar (PP 49/2020 bila berlaku)", "Share of JKK/JKM payable (PP 49/2020 where in force)");
        var payablePpm = Ppm.FromPercent(payable, "relax.pp49.jkk_jkm.payable");
        var lines = new List<ContributionLine>();
        if (input.Programmes.HasFlag(Programmes.JKK))
        {
            var rate = t.Use("bpu.jkk.rate", "Tarif JKK BPU", "BPU JKK rate");
            var normal = Ppm.Apply(income, Ppm.FromPercent(rate, "bpu.jkk.rate"));
            var jkk = t.Amount($"JKK = {Trace.Pct(rate)} × {Trace.Rp(income)} × {Trace.Pct(payable)}", $"JKK = {Trace.Pct(rate)} × {Trace.Rp(income)} × {Trace.Pct(payable)}", Ppm.Apply(normal, payablePpm));
            lines.Add(new ContributionLine("JKK", income, 0, jkk, 0, jkk));
        }

        if (input.Programmes.HasFlag(Programmes.JKM))
        {
            var flat = (long)t.Use("bpu.jkm.flat", "Iuran JKM BPU (tetap)", "BPU JKM (flat)");
            var jkm = t.Amount($"JKM = {Trace.Rp(flat)} × {Trace.Pct(payable)}", $"JKM = {Trace.Rp(flat)} × {Trace.Pct(payable)}", Ppm.Apply(flat, payablePpm));
            lines.Add(new ContributionLine("JKM", income, 0, jkm, 0, jkm));
        }

        if (input.Programmes.HasFlag(Programmes.JHT))
        {
            var rate = t.Use("bpu.jht.rate", "Tarif JHT BPU (pilihan)", "BPU JHT rate (optional)");
            var jht = t.Amount($"JHT = {Trace.Pct(rate)} × {Trace.Rp(income)}", $"JHT = {Trace.Pct(rate)} × {Trace.Rp(income)}", Ppm.Apply(income, Ppm.FromPercent(rate, "bpu.jht.rate")));
            lines.Add(new ContributionLine("JHT", income, 0, jht, 0, jht));
        }

        return ContributionCalculator.Result(input, lines, DueDates.Bpu(input.Period, t), t);
    }
}
