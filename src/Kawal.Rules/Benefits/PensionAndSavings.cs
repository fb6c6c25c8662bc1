namespace Kawal.Rules.Benefits;

/// <summary>JP monthly pension, retirement age, and the JHT partial-claim limit.</summary>
public static class PensionAndSavings
{
    public static PensionBenefit Jp(DateOnly startDate, int contributionMonths, long averageWage, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, startDate);
        var minMonths = (int)t.Use("jp.min_contribution_months", "Masa iuran minimum untuk pensiun bulanan", "Minimum contribution months for a monthly pension");
        if (contributionMonths < minMonths)
        {
            t.Note($"{contributionMonths} bulan < {minMonths}: tidak ada pensiun bulanan; iuran dan hasil pengembangannya dibayar sekaligus",
                $"{contributionMonths} months < {minMonths}: no monthly pension; contributions and returns are paid as a lump sum");
            return new PensionBenefit("jp", 0, false, 0, 0, 0, 0, t.Steps);
        }

        var accrual = t.Use("jp.accrual", "Faktor manfaat per tahun iuran", "Accrual per year of contributions");
        var formula = Rupiah.Round(accrual / 100m * contributionMonths / 12m * averageWage).Value;
        t.Amount($"Rumus = {Trace.Pct(accrual)} × {contributionMonths}/12 × {Trace.Rp(averageWage)}", $"Formula = {Trace.Pct(accrual)} × {contributionMonths}/12 × {Trace.Rp(averageWage)}", formula);
        var min = (long)t.Use("jp.benefit.minimum", "Manfaat pensiun minimum", "Minimum monthly pension");
        var max = (long)t.Use("jp.benefit.maximum", "Manfaat pensiun maksimum", "Maximum monthly pension");
        var monthly = t.Amount($"Pensiun bulanan = batas({Trace.Rp(formula)}, {Trace.Rp(min)}, {Trace.Rp(max)})",
            $"Monthly pension = clamp({Trace.Rp(formula)}, {Trace.Rp(min)}, {Trace.Rp(max)})", Math.Clamp(formula, min, max));
        return new PensionBenefit("jp", monthly, true, monthly, formula, min, max, t.Steps);
    }

    public static RetirementAgeResult RetirementAge(int year, ParameterCatalogue? catalogue = null)
    {
        if (year is < 2015 or > 9999)
        {
            throw new UsageException("year must be 2015 or later", "year") { Indonesian = "Tahun mulai pensiun paling awal 2015." };
        }

        var date = new DateOnly(year, 12, 31);
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, date);
        var age = (int)t.Use("jp.retirement_age", $"Usia pensiun untuk pensiun yang mulai tahun {year}", $"Retirement age for a pension starting in {year}");
        return new RetirementAgeResult("retirement-age", age, year, age, t.Steps);
    }

    public static JhtPartialBenefit JhtPartial(long balance, int membershipYears, string purpose, bool previousPartialClaim, DateOnly date, ParameterCatalogue? catalogue = null)
    {
        if (purpose is not ("housing" or "other"))
        {
            throw new UsageException($"purpose must be housing or other, not '{purpose}'", "purpose") { Indonesian = "Keperluan JHT harus perumahan atau lainnya." };
        }

        var t = new Trace(catalogue ?? ParameterCatalogue.Default, date);
        var minYears = (int)t.Use("jht.partial.min_years", "Masa kepesertaan minimum untuk klaim sebagian", "Minimum membership years for a partial claim");
        var percent = t.Use($"jht.partial.{purpose}", purpose == "housing" ? "Batas klaim sebagian untuk perumahan" : "Batas klaim sebagian untuk keperluan lain",
            purpose == "housing" ? "Partial claim limit for housing" : "Partial claim limit for other purposes");
        string? reason = previousPartialClaim ? "jht.partial.once" : membershipYears < minYears ? "jht.partial.min_years" : null;
        if (reason is not null)
        {
            t.Note(previousPartialClaim ? "Klaim sebagian hanya sekali; sudah pernah diambil" : $"Kepesertaan {membershipYears} tahun < {minYears} tahun",
                previousPartialClaim ? "A partial claim is allowed once; it was already taken" : $"Membership {membershipYears} years < {minYears} years");
            return new JhtPartialBenefit("jht-partial", 0, false, reason, percent, t.Steps);
        }

        var limit = t.Amount($"Batas = {Trace.Pct(percent)} × saldo {Trace.Rp(balance)}", $"Limit = {Trace.Pct(percent)} × balance {Trace.Rp(balance)}", Rupiah.Round(balance * percent / 100m).Value);
        return new JhtPartialBenefit("jht-partial", limit, true, null, percent, t.Steps);
    }
}
