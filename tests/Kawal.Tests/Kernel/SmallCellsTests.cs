namespace Kawal.Tests.Kernel;

public class SmallCellsTests
{
    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, null)]
    [InlineData(9L, null)]
    [InlineData(10L, 10L)]
    [InlineData(75000L, 75000L)]
    public void Counts_from_one_to_nine_are_suppressed(long count, long? published)
    {
        Assert.Equal(published, SmallCells.Publishable(count));
        Assert.Equal(published is null ? "<10" : published.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), SmallCells.Show(count, n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
