namespace Kawal.Rules.Contributions;

internal static class PuContribution
{
    public static ContributionResult Calculate(ContributionInput input, ParameterCatalogue c, Trace t)
    {
        if (input.RiskClass is < 1 or > 5)
        {
            throw new UsageException($"risk class must be 1 to 5, not {input.RiskClass}", "riskClass") { Indonesian = $"Kelompok risiko JKK harus 1 sampai 5, bukan {input.RiskClass}." };
        }

        var rates = PuRates.For(input.Period, c);
        var a = PuKernel.Compute(input.Wage, input.RiskClass, input.Programmes, input.LabourIntensive, input.JpDeferral, rates);
        var w = input.Wage;
        var lines = new List<ContributionLine>();
        t.Amount("Upah sebulan yang dilaporkan", "Reported monthly wage", w);
        if (input.Programmes.HasFlag(Programmes.JKK))
        {
            var id = $"pu.jkk.rate.class{input.RiskClass}";
            var rate = t.Use(id, $"Tarif JKK kelompok risiko {input.RiskClass}", $"JKK rate, risk group {input.RiskClass}");
            if (input.LabourIntensive)
            {
                var discount = t.Use("relax.labour_intensive.jkk.discount", "Potongan JKK industri padat karya", "JKK discount, labour-intensive industry");
                if (discount > 0)
                {
                    t.Use("relax.labour_intensive.min_workers", "Syarat jumlah pekerja aktif minimum", "Minimum active workers required");
                    rate = rate * (100 - discount) / 100;
                }
            }

            t.Amount($"JKK = {Trace.Pct(rate)} × {Trace.Rp(w)}", $"JKK = {Trace.Pct(rate)} × {Trace.Rp(w)}", a.JkkNormal);
            Relaxed(t, "JKK", a.JkkNormal, a.Jkk);
            lines.Add(new ContributionLine("JKK", w, a.Jkk, 0, 0, a.Jkk));
        }

        if (input.Programmes.HasFlag(Programmes.JKM))
        {
            var rate = t.Use("pu.jkm.rate", "Tarif JKM", "JKM rate");
            t.Amount($"JKM = {Trace.Pct(rate)} × {Trace.Rp(w)}", $"JKM = {Trace.Pct(rate)} × {Trace.Rp(w)}", a.JkmNormal);
            Relaxed(t, "JKM", a.JkmNormal, a.Jkm);
            lines.Add(new ContributionLine("JKM", w, a.Jkm, 0, 0, a.Jkm));
        }

        if (input.Programmes.HasFlag(Programmes.JHT))
        {
            var e = t.Use("pu.jht.rate.employer", "Tarif JHT pemberi kerja", "JHT employer rate");
            t.Amount($"JHT pemberi kerja = {Trace.Pct(e)} × {Trace.Rp(w)}", $"JHT employer = {Trace.Pct(e)} × {Trace.Rp(w)}", a.JhtEmployer);
            var k = t.Use("pu.jht.rate.worker", "Tarif JHT pekerja", "JHT worker rate");
            t.Amount($"JHT pekerja = {Trace.Pct(k)} × {Trace.Rp(w)}", $"JHT worker = {Trace.Pct(k)} × {Trace.Rp(w)}", a.JhtWorker);
            lines.Add(new ContributionLine("JHT", w, a.JhtEmployer, a.JhtWorker, 0, a.JhtEmployer + a.JhtWorker));
        }

        if (input.Programmes.HasFlag(Programmes.JP))
        {
            var cap = (long)t.Use("pu.jp.wage_cap", "Batas upah tertinggi JP", "JP wage cap");
            t.Amount($"Dasar JP = min(upah, {Trace.Rp(cap)})", $"JP base = min(wage, {Trace.Rp(cap)})", a.JpBase);
            var e = t.Use("pu.jp.rate.employer", "Tarif JP pemberi kerja", "JP employer rate");
            var k = t.Use("pu.jp.rate.worker", "Tarif JP pekerja", "JP worker rate");
            t.Amount($"JP pemberi kerja = {Trace.Pct(e)} × {Trace.Rp(a.JpBase)}", $"JP employer = {Trace.Pct(e)} × {Trace.Rp(a.JpBase)}", a.JpEmployer + a.JpDeferredEmployer);
            t.Amount($"JP pekerja = {Trace.Pct(k)} × {Trace.Rp(a.JpBase)}", $"JP worker = {Trace.Pct(k)} × {Trace.Rp(a.JpBase)}", a.JpWorker + a.JpDeferredWorker);
            if (input.JpDeferral)
            {
                var payable = t.Use("relax.pp49.jp.payable", "Bagian JP yang dibayar bila penundaan dipilih", "Share of JP payable when deferral is chosen");
                t.Amount($"JP dibayar sekarang ({Trace.Pct(payable)}), sisanya ditunda", $"JP paid now ({Trace.Pct(payable)}), the rest deferred", a.JpEmployer + a.JpWorker);
            }

            lines.Add(new ContributionLine("JP", a.JpBase, a.JpEmployer, a.JpWorker, 0, a.JpEmployer + a.JpWorker, a.JpDeferredEmployer + a.JpDeferredWorker));
        }

        if (input.Programmes.HasFlag(Programmes.JKP) && rates.JkpExists)
        {
            var cap = (long)t.Use("jkp.wage_cap", "Batas upah JKP", "JKP wage cap");
            t.Amount($"Dasar JKP = min(upah, {Trace.Rp(cap)})", $"JKP base = min(wage, {Trace.Rp(cap)})", a.JkpBase);
            var gov = t.Use("jkp.rate.government", "Iuran JKP dibayar Pemerintah Pusat", "JKP contribution paid by the central government");
            t.Amount($"JKP pemerintah = {Trace.Pct(gov)} × {Trace.Rp(a.JkpBase)}", $"JKP government = {Trace.Pct(gov)} × {Trace.Rp(a.JkpBase)}", a.JkpGovernment);
            Recomposition(t, "jkp.rate.recomposed_jkk", "JKK", a.JkpBase);
            Recomposition(t, "jkp.rate.recomposed_jkm", "JKM", a.JkpBase);
            lines.Add(new ContributionLine("JKP", a.JkpBase, 0, 0, a.JkpGovernment, 0));
        }
        else if (input.Programmes.HasFlag(Programmes.JKP))
        {
            t.Note("JKP belum ada pada bulan ini (PP 37/2021 berlaku 2 Februari 2021)", "JKP did not exist yet in this month (PP 37/2021 in force 2 February 2021)");
        }

        var due = DueDates.Pu(input.Period, t);
        return ContributionCalculator.Result(input, lines, due, t);
    }

    private static void Relaxed(Trace t, string programme, long normal, long payable)
    {
        if (normal == payable)
        {
            return;
        }

        var share = t.Use("relax.pp49.jkk_jkm.payable", $"Relaksasi PP 49/2020: bagian {programme} yang dibayar", $"PP 49/2020 relaxation: share of {programme} payable");
        t.Amount($"{programme} dibayar = {Trace.Pct(share)} × {Trace.Rp(normal)}", $"{programme} payable = {Trace.Pct(share)} × {Trace.Rp(normal)}", payable);
    }

    private static void Recomposition(Trace t, string id, string from, long jkpBase)
    {
        var rate = t.Use(id, $"Bagian iuran {from} yang direkomposisi untuk JKP (bukan biaya tambahan)", $"Part of the {from} premium recomposed into JKP (no extra cost)");
        if (rate > 0)
        {
            t.Amount($"Rekomposisi dari {from} = {Trace.Pct(rate)} × {Trace.Rp(jkpBase)}", $"Recomposed from {from} = {Trace.Pct(rate)} × {Trace.Rp(jkpBase)}",
                Ppm.Apply(jkpBase, Ppm.FromPercent(rate, id)));
        }
    }
}
