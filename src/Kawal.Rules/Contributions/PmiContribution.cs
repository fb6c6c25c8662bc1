namespace Kawal.Rules.Contributions;

/// <summary>
/// PMI (migrant workers), Permenaker 4/2023 Art. 18: JKK+JKM packages paid once for the placement, and optional JHT
/// per month. Packages: <c>pre-departure</c>; <c>during</c> (during and after placement, for a contract of N months:
/// the largest package not longer than N plus each further month); <c>full</c> (both, placed through an agency).
/// </summary>
internal static class PmiContribution
{
    public static ContributionResult Calculate(ContributionInput input, Trace t)
    {
        var package = (input.Package ?? "full").ToLowerInvariant();
        if (package is not ("pre-departure" or "during" or "full"))
        {
            throw new UsageException($"package must be pre-departure, during or full, not '{input.Package}'", "package") { Indonesian = "Paket PMI harus salah satu dari: sebelum bekerja, selama dan setelah bekerja, atau lengkap." };
        }

        var lines = new List<ContributionLine>();
        long jkkJkm = 0;
        if (package is "pre-departure" or "full")
        {
            jkkJkm += t.Amount("Perlindungan sebelum bekerja (JKK+JKM)", "Protection before departure (JKK+JKM)",
                (long)t.Use("pmi.pre_departure", "Paket sebelum bekerja", "Pre-departure package"), "pmi.pre_departure");
        }

        if (package is "during" or "full")
        {
            jkkJkm += During(input.ContractMonths, t);
        }

        if (input.Programmes.HasFlag(Programmes.JKK) || input.Programmes.HasFlag(Programmes.JKM))
        {
            lines.Add(new ContributionLine("JKK+JKM", input.ContractMonths, 0, jkkJkm, 0, jkkJkm));
        }

        if (input.Programmes.HasFlag(Programmes.JHT))
        {
            var min = (long)t.Use("pmi.jht.minimum", "JHT PMI: pilihan terendah", "PMI JHT: lowest choice");
            var max = (long)t.Use("pmi.jht.maximum", "JHT PMI: pilihan tertinggi", "PMI JHT: highest choice");
            var a = input.JhtAmount;
            if (!(a == min || (a >= 100_000 && a <= max && a % 100_000 == 0)))
            {
                throw new UsageException($"PMI JHT amount must be {Trace.Rp(min)} or a multiple of Rp100.000 up to {Trace.Rp(max)}, not {Trace.Rp(a)}", "jhtAmount") { Indonesian = $"JHT PMI per bulan harus {Trace.Rp(min)} atau kelipatan Rp100.000 sampai {Trace.Rp(max)}, bukan {Trace.Rp(a)}." };
            }

            t.Amount("JHT PMI sebulan (pilihan peserta)", "PMI JHT per month (participant's choice)", a);
            lines.Add(new ContributionLine("JHT", a, 0, a, 0, a));
        }

        return ContributionCalculator.Result(input, lines, null, t);
    }

    private static long During(int months, Trace t)
    {
        if (months <= 0)
        {
            throw new UsageException("the during-placement package needs the contract length in months", "contractMonths") { Indonesian = "Paket selama dan setelah bekerja memerlukan lama kontrak PMI dalam bulan." };
        }

        var (term, id) = months >= 24 ? (24, "pmi.during.24") : months >= 12 ? (12, "pmi.during.12") : (6, "pmi.during.6");
        var package = (long)t.Use(id, $"Paket selama dan setelah bekerja, {term} bulan", $"During and after placement package, {term} months");
        var extraMonths = Math.Max(0, months - term);
        long extra = 0;
        if (extraMonths > 0)
        {
            var perMonth = (long)t.Use("pmi.extra_month", "Setiap bulan di atas masa paket", "Each month beyond the package term");
            extra = t.Amount($"{extraMonths} bulan tambahan × {Trace.Rp(perMonth)}", $"{extraMonths} extra months × {Trace.Rp(perMonth)}", extraMonths * perMonth);
        }

        return package + extra;
    }
}
