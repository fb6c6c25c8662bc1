namespace Kawal.Rules.Benefits;

/// <summary>JKM (non-work death) and JKK death, total and partial disability.</summary>
public static class DeathAndDisability
{
    public static DeathBenefit Jkm(DateOnly deathDate, int contributionMonths, int children, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, deathDate);
        var lump = t.Amount("Santunan sekaligus", "Lump sum", (long)t.Use("jkm.lump_sum", "Santunan sekaligus JKM", "JKM lump sum"), "jkm.lump_sum");
        var monthly = (long)t.Use("jkm.periodic.monthly", "Santunan berkala per bulan", "Periodic benefit per month");
        var months = (long)t.Use("jkm.periodic.months", "Bulan santunan berkala (dibayar sekaligus)", "Periodic months (paid at once)");
        var periodic = t.Amount($"Santunan berkala = {months} × {Trace.Rp(monthly)}", $"Periodic = {months} × {Trace.Rp(monthly)}", monthly * months);
        var funeral = (long)t.Use("jkm.funeral", "Biaya pemakaman", "Funeral benefit");
        var total = t.Amount("Jumlah manfaat JKM", "JKM total", lump + periodic + funeral);
        var check = (long)t.Use("jkm.total", "Jumlah JKM menurut peraturan (pemeriksaan)", "JKM total per the regulation (check)");
        if (check != total)
        {
            throw new InvalidDataException($"JKM parts {total} differ from jkm.total {check} on {deathDate.ToIso()}");
        }

        var (eligible, max) = (false, 0L);
        if (ParameterDefined(t, "scholarship.jkm_min_months", deathDate, catalogue))
        {
            var min = (int)t.Use("scholarship.jkm_min_months", "Masa iuran minimum untuk beasiswa (JKM)", "Minimum contribution months for the scholarship (JKM)");
            eligible = contributionMonths >= min;
            t.Note(eligible ? $"{contributionMonths} bulan iuran ≥ {min}: berhak beasiswa" : $"{contributionMonths} bulan iuran < {min}: tidak berhak beasiswa",
                eligible ? $"{contributionMonths} contribution months ≥ {min}: scholarship due" : $"{contributionMonths} contribution months < {min}: no scholarship");
            max = eligible ? Scholarship.Maximum(t, children) : 0;
        }

        return new DeathBenefit("jkm", total, lump, periodic, funeral, eligible, max, t.Steps);
    }

    public static DeathBenefit JkkDeath(long wage, DateOnly eventDate, int children, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, eventDate);
        var m = (long)t.Use("jkk.death.multiplier", "Pengali upah untuk kematian akibat kecelakaan kerja", "Wage multiplier for death from a work accident");
        var lump = t.Amount($"Santunan = {m} × {Trace.Rp(wage)}", $"Lump sum = {m} × {Trace.Rp(wage)}", m * wage);
        var funeral = (long)t.Use("jkk.death.funeral", "Biaya pemakaman", "Funeral benefit");
        var periodic = (long)t.Use("jkk.death.periodic", "Santunan berkala (dibayar sekaligus)", "Periodic benefit (paid at once)");
        var total = t.Amount("Jumlah manfaat JKK kematian", "JKK death total", lump + funeral + periodic);
        var max = ParameterDefined(t, "scholarship.max_children", eventDate, catalogue) ? Scholarship.Maximum(t, children) : 0;
        t.Note("Beasiswa JKK tanpa masa iuran minimum", "JKK scholarship has no minimum contribution period");
        return new DeathBenefit("jkk-death", total, lump, periodic, funeral, max > 0, max, t.Steps);
    }

    /// <summary>Total permanent disability (percentage null) or partial: table % × 80 × wage, × % of function lost.</summary>
    public static DisabilityBenefit JkkDisability(long wage, decimal? percentage, decimal? functionLoss, DateOnly eventDate, int children, ParameterCatalogue? catalogue = null)
    {
        var t = new Trace(catalogue ?? ParameterCatalogue.Default, eventDate);
        if (percentage is null or >= 100)
        {
            var m = (long)t.Use("jkk.total_disability.multiplier", "Pengali upah untuk cacat total tetap", "Wage multiplier for total permanent disability");
            var total = t.Amount($"Cacat total tetap = {m} × {Trace.Rp(wage)}", $"Total permanent disability = {m} × {Trace.Rp(wage)}", m * wage);
            var max = ParameterDefined(t, "scholarship.max_children", eventDate, catalogue) ? Scholarship.Maximum(t, children) : 0;
            return new DisabilityBenefit("jkk-disability", total, 100, max > 0, max, t.Steps);
        }

        if (percentage <= 0 || functionLoss is < 0 or > 100)
        {
            throw new UsageException("percentage must be above 0 (and function loss from 0 to 100)", "percentage") { Indonesian = "Persentase cacat harus lebih dari 0, dan persentase fungsi hilang antara 0 dan 100." };
        }

        var mult = t.Use("jkk.partial_disability.multiplier", "Pengali upah untuk cacat sebagian", "Wage multiplier for partial disability");
        var factor = percentage.Value / 100m * (functionLoss ?? 100m) / 100m;
        var amount = Rupiah.Round(factor * mult * wage).Value;
        t.Amount($"Cacat sebagian = {Trace.Pct(percentage.Value)}{(functionLoss is { } f ? $" × {Trace.Pct(f)} fungsi hilang" : "")} × {mult} × {Trace.Rp(wage)}",
            $"Partial disability = {Trace.Pct(percentage.Value)}{(functionLoss is { } g ? $" × {Trace.Pct(g)} function lost" : "")} × {mult} × {Trace.Rp(wage)}", amount);
        return new DisabilityBenefit("jkk-disability", amount, percentage.Value, false, 0, t.Steps);
    }

    /// <summary>The disability table's percentage for a listed loss (e.g. one_eye → 35).</summary>
    public static decimal TablePercentage(string loss, DateOnly date, ParameterCatalogue? catalogue = null) =>
        (catalogue ?? ParameterCatalogue.Default).Value($"jkk.disability.table.{loss}", date);

    private static bool ParameterDefined(Trace t, string id, DateOnly date, ParameterCatalogue? catalogue)
    {
        var defined = (catalogue ?? ParameterCatalogue.Default)[id].TryAt(date) is not null;
        if (!defined)
        {
            t.Note("Beasiswa dua anak belum berlaku pada tanggal ini (PP 82/2019)", "The two-child scholarship was not yet in force on this date (PP 82/2019)");
        }

        return defined;
    }
}
