namespace Kawal.Rules.Benefits;

/// <summary>STMB (temporary incapacity wage) and JKP cash benefit: monthly payments by tier.</summary>
public static class Periodic
{
    public static PaymentsBenefit Stmb(long wage, int months, DateOnly eventDate, ParameterCatalogue? catalogue = null)
    {
        if (months <= 0)
        {
            throw new UsageException("months must be at least 1", "months") { Indonesian = "Lama tidak mampu bekerja paling sedikit 1 bulan." };
        }

        var t = new Trace(catalogue ?? ParameterCatalogue.Default, eventDate);
        var tier1Months = (int)t.Use("stmb.tier1.months", "STMB tahap 1: jumlah bulan", "STMB tier 1: months");
        var tier1 = t.Use("stmb.tier1.percent", "STMB tahap 1: % upah", "STMB tier 1: % of wage");
        var tier2Months = (int)t.Use("stmb.tier2.months", "STMB tahap 2: jumlah bulan", "STMB tier 2: months");
        var tier2 = t.Use("stmb.tier2.percent", "STMB tahap 2: % upah", "STMB tier 2: % of wage");
        var rest = t.Use("stmb.rest.percent", "STMB selanjutnya: % upah sampai sembuh", "STMB thereafter: % of wage until recovery");
        var payments = Schedule(wage, months, [(tier1Months, tier1), (tier2Months, tier2)], rest);
        var total = t.Amount($"STMB {months} bulan atas upah {Trace.Rp(wage)}", $"STMB for {months} months on wage {Trace.Rp(wage)}", payments.Sum(p => p.Amount));
        return new PaymentsBenefit("stmb", total, wage, payments, t.Steps);
    }

    public static PaymentsBenefit Jkp(DateOnly terminationDate, long wage, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, terminationDate);
        var cap = (long)t.Use("jkp.wage_cap", "Batas upah JKP", "JKP wage cap");
        var basis = t.Amount($"Dasar = min(upah terakhir, {Trace.Rp(cap)})", $"Basis = min(last wage, {Trace.Rp(cap)})", Math.Min(wage, cap));
        var m1 = (int)t.Use("jkp.benefit.tier1.months", "JKP tahap 1: jumlah bulan", "JKP tier 1: months");
        var p1 = t.Use("jkp.benefit.tier1.percent", "JKP tahap 1: % dasar", "JKP tier 1: % of basis");
        var m2 = (int)t.Use("jkp.benefit.tier2.months", "JKP tahap 2: jumlah bulan", "JKP tier 2: months");
        var p2 = t.Use("jkp.benefit.tier2.percent", "JKP tahap 2: % dasar", "JKP tier 2: % of basis");
        t.Use("jkp.claim_deadline_months", "Batas waktu klaim setelah PHK (bulan)", "Claim deadline after termination (months)");
        var payments = Schedule(basis, m1 + m2, [(m1, p1), (m2, p2)], 0);
        var total = t.Amount("Jumlah manfaat uang tunai JKP", "JKP cash benefit total", payments.Sum(p => p.Amount));
        return new PaymentsBenefit("jkp", total, basis, payments, t.Steps);
    }

    private static List<MonthlyPayment> Schedule(long basis, int months, (int Months, decimal Percent)[] tiers, decimal rest)
    {
        var list = new List<MonthlyPayment>();
        for (var m = 1; m <= months; m++)
        {
            var percent = rest;
            var start = 0;
            foreach (var (n, p) in tiers)
            {
                if (m <= start + n)
                {
                    percent = p;
                    break;
                }

                start += n;
            }

            list.Add(new MonthlyPayment(m, percent, Rupiah.Round(basis * percent / 100m).Value));
        }

        return list;
    }
}
