namespace Kawal.Tests.Kernel;

public class RupiahTests
{
    [Theory]
    [InlineData(0, "Rp0")]
    [InlineData(999, "Rp999")]
    [InlineData(1234567, "Rp1.234.567")]
    [InlineData(-16800, "-Rp16.800")]
    [InlineData(174000000000, "Rp174.000.000.000")]
    public void Formats_as_Indonesian_rupiah(long value, string expected) => Assert.Equal(expected, new Rupiah(value).ToString());

    [Theory]
    [InlineData("5000000", 5000000)]
    [InlineData("5.000.000", 5000000)]
    [InlineData("Rp 5.000.000", 5000000)]
    [InlineData("Rp5.000.000", 5000000)]
    [InlineData("5.000.000,00", 5000000)]
    [InlineData("5.000.000,0", 5000000)]
    [InlineData(" 16800 ", 16800)]
    public void Parses_what_people_type(string text, long expected)
    {
        Assert.True(Rupiah.TryParse(text, out var r));
        Assert.Equal(expected, r.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5.000.000,50")]
    [InlineData("5.00.000")]
    [InlineData("5,000,000")]
    [InlineData("1e6")]
    public void Rejects_what_is_not_whole_rupiah(string text) => Assert.False(Rupiah.TryParse(text, out _));

    [Theory]
    [InlineData("106800.5", 106801)]
    [InlineData("106800.49", 106800)]
    [InlineData("-0.5", -1)]
    public void Rounds_half_away_from_zero_once(string amount, long expected) =>
        Assert.Equal(expected, Rupiah.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).Value);

    [Fact]
    public void Arithmetic_overflow_is_an_error_not_a_wrap() =>
        Assert.Throws<OverflowException>(() => new Rupiah(long.MaxValue) + new Rupiah(1));
}
