namespace Kawal.Tests.Kernel;

public class RegionCodeTests
{
    [Theory]
    [InlineData("63", RegionLevel.Province)]
    [InlineData("63.71", RegionLevel.Regency)]
    [InlineData("63.71.02", RegionLevel.District)]
    [InlineData("63.71.02.1001", RegionLevel.Village)]
    public void Knows_its_level(string text, RegionLevel level) => Assert.Equal(level, RegionCode.Parse(text).Level);

    [Theory]
    [InlineData("6")]
    [InlineData("637")]
    [InlineData("63.7")]
    [InlineData("63-71")]
    [InlineData("00")]
    [InlineData("63.71.02.1001.1")]
    [InlineData("")]
    public void Rejects_malformed(string text) => Assert.False(RegionCode.TryParse(text, out _));

    [Fact]
    public void Knows_its_parent()
    {
        Assert.Equal("63.71", RegionCode.Parse("63.71.02").Parent!.Value.Value);
        Assert.Null(RegionCode.Parse("63").Parent);
    }
}
