namespace Kawal.Rules.Contributions;

/// <summary>
/// Due dates. PU: the configured day of the month after the contribution month; BPU: the 15th of the contribution month.
/// A day past the month's end is its last day. A Saturday or Sunday moves to the next working day, except under
/// PP 49/2020 (contribution months Aug 2020 – Jan 2021), where it moves to the previous one. Public holidays are not
/// known to Kawal yet (docs/rules.md, open questions).
/// </summary>
public static class DueDates
{
    public static DateOnly Pu(Period period, Trace trace)
    {
        var day = (int)trace.Use("due.pu.day", period.FirstDay, "Iuran PU jatuh tempo tanggal ini bulan berikutnya", "PU contributions are due on this day of the following month");
        var backwards = day == 30; // PP 49/2020: "if a holiday, the previous working day"
        return Adjust(On(period.Next, day), backwards);
    }

    public static DateOnly Bpu(Period period, Trace trace)
    {
        var day = (int)trace.Use("due.bpu.day", period.FirstDay, "Iuran BPU jatuh tempo tanggal ini pada bulan iuran", "BPU contributions are due on this day of the contribution month");
        return Adjust(On(period, day), backwards: false);
    }

    private static DateOnly On(Period month, int day) => new(month.Year, month.Month, Math.Min(day, month.LastDay.Day));

    private static DateOnly Adjust(DateOnly d, bool backwards)
    {
        while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            d = d.AddDays(backwards ? -1 : 1);
        }

        return d;
    }
}
