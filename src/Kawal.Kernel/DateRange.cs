namespace Kawal;

/// <summary>A half-open range of days [From, To). A null <see cref="To"/> means open-ended.</summary>
public readonly record struct DateRange
{
    public DateRange(DateOnly from, DateOnly? to)
    {
        if (to is { } t && t < from)
        {
            throw new ArgumentException($"range end {t:yyyy-MM-dd} is before its start {from:yyyy-MM-dd}", nameof(to));
        }

        From = from;
        To = to;
    }

    public DateOnly From { get; }
    public DateOnly? To { get; }

    public bool Contains(DateOnly day) => day >= From && (To is null || day < To);

    public bool Overlaps(DateRange other) =>
        (other.To is null || From < other.To) && (To is null || other.From < To);

    /// <summary>True when the range covers at least one day of the period.</summary>
    public bool Overlaps(Period period) => Overlaps(new DateRange(period.FirstDay, period.Next.FirstDay));
}
