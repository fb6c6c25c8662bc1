namespace Kawal.Tests.Kernel;

public class DateRangeTests
{
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Feb1 = new(2025, 2, 1);

    [Fact]
    public void Is_half_open()
    {
        var january = new DateRange(Jan1, Feb1);
        Assert.True(january.Contains(Jan1));
        Assert.True(january.Contains(new DateOnly(2025, 1, 31)));
        Assert.False(january.Contains(Feb1));
    }

    [Fact]
    public void Adjacent_ranges_do_not_overlap_and_open_ranges_do()
    {
        Assert.False(new DateRange(Jan1, Feb1).Overlaps(new DateRange(Feb1, null)));
        Assert.True(new DateRange(Jan1, null).Overlaps(new DateRange(Feb1, null)));
        Assert.True(new DateRange(Jan1, Feb1).Overlaps(Period.Parse("2025-01")));
        Assert.False(new DateRange(Jan1, Feb1).Overlaps(Period.Parse("2025-02")));
    }

    [Fact]
    public void End_before_start_is_rejected() => Assert.Throws<ArgumentException>(() => new DateRange(Feb1, Jan1));
}
