namespace Kawal.Tests.Kernel;

public class NikTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Fact]
    public void Derives_birth_date_and_sex_for_a_man()
    {
        var nik = Nik.Parse("6371021708850001", Today).Value;
        Assert.Equal(new DateOnly(1985, 8, 17), nik.BirthDate);
        Assert.Equal(Sex.Male, nik.Sex);
        Assert.Equal("63.71", nik.RegencyCode);
        Assert.Equal("63.71.02", nik.DistrictCode);
    }

    [Fact]
    public void Day_plus_40_means_a_woman()
    {
        var nik = Nik.Parse("1271015703020003", Today).Value;
        Assert.Equal(new DateOnly(2002, 3, 17), nik.BirthDate);
        Assert.Equal(Sex.Female, nik.Sex);
    }

    [Fact]
    public void Two_digit_year_takes_the_latest_century_not_in_the_future()
    {
        Assert.Equal(2026, Nik.Parse("3171010101260001", Today).Value.BirthDate.Year);
        Assert.Equal(1927, Nik.Parse("3171010101270001", Today).Value.BirthDate.Year);
    }

    [Theory]
    [InlineData("637102170885000", "nik.format")]
    [InlineData("63710217088500011", "nik.format")]
    [InlineData("63710217O8850001", "nik.format")]
    [InlineData("0071021708850001", "nik.region")]
    [InlineData("6371023208850001", "nik.birth_date")]
    [InlineData("6371027208850001", "nik.birth_date")]
    [InlineData("6371023002850001", "nik.birth_date")]
    [InlineData("6371021713850001", "nik.birth_date")]
    [InlineData("6371021708850000", "nik.serial")]
    public void Rejects_with_a_reason(string text, string code) => Assert.Equal(code, Nik.Parse(text, Today).Error!.Code);

    [Fact]
    public void February_29_is_valid_only_in_leap_years()
    {
        Assert.True(Nik.Parse("3171012902000001", Today).IsOk);
        Assert.Equal("nik.birth_date", Nik.Parse("3171012902010001", Today).Error!.Code);
    }

    [Fact]
    public void Masks_all_but_first_six_and_last_four() =>
        Assert.Equal("6371************", Nik.Parse("6371021708850001", Today).Value.Masked);
}
