namespace Kawal.Rules.Benefits;

/// <summary>
/// Late fine: rate (by due date) × amount × months of lateness, where each started month after the due date counts as
/// one (paid one day late = 1 month). JP has its own rate. Rounded once.
/// </summary>
public static class LateFine
{
    public static FineResult Calculate(long amount, DateOnly due, DateOnly paid, bool jp = false, ParameterCatalogue? catalogue = null)
    {
        if (amount < 0)
        {
            throw new UsageException("amount must not be negative", "amount") { Indonesian = "Jumlah iuran terlambat tidak boleh negatif." };
        }

        var t = new Trace(catalogue ?? ParameterCatalogue.Default, due);
        var months = MonthsLate(due, paid);
        var id = jp ? "fine.rate.jp" : "fine.rate";
        var rate = t.Use(id, jp ? "Denda keterlambatan JP per bulan" : "Denda keterlambatan per bulan", jp ? "JP late fine per month" : "Late fine per month");
        t.Amount($"Terlambat {months} bulan (jatuh tempo {due.ToIso()}, dibayar {paid.ToIso()})", $"{months} month(s) late (due {due.ToIso()}, paid {paid.ToIso()})", months);
        var fine = t.Amount($"Denda = {Trace.Pct(rate)} × {months} × {Trace.Rp(amount)}", $"Fine = {Trace.Pct(rate)} × {months} × {Trace.Rp(amount)}",
            Rupiah.Round(amount * rate / 100m * months).Value);
        return new FineResult("fine", fine, months, rate, t.Steps);
    }

    public static int MonthsLate(DateOnly due, DateOnly paid)
    {
        if (paid <= due)
        {
            return 0;
        }

        var months = ((paid.Year - due.Year) * 12) + paid.Month - due.Month;
        if (paid.Day > due.Day || months == 0)
        {
            months++;
        }

        return months;
    }
}
