using Kawal.Registry.Domain;
using Kawal.Registry.Import;

namespace Kawal.Tests.Registry;

public class ValuesTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(42L)]
    [InlineData(8_999_999_999L)]
    public void Kpj_is_11_digits_with_a_check_digit(long id)
    {
        var kpj = Kpj.For(id);
        Assert.Equal(11, kpj.Length);
        Assert.True(Kpj.IsValid(kpj));
        var typo = kpj[..9] + (char)('0' + ((kpj[9] - '0' + 1) % 10)) + kpj[10];
        Assert.False(Kpj.IsValid(typo));
    }

    [Fact]
    public void Kpj_numbers_differ_for_different_participants() =>
        Assert.Equal(10_000, Enumerable.Range(1, 10_000).Select(i => Kpj.For(i)).Distinct().Count());

    [Theory]
    [InlineData("2024-03-01", false, "2024-03-01")]
    [InlineData("01/03/2024", false, "2024-03-01")]
    [InlineData("1/3/2024", false, "2024-03-01")]
    [InlineData("45352", true, "2024-03-01")]
    public void Dates_as_typed_or_as_Excel_serials(string text, bool numeric, string expected)
    {
        Assert.True(Values.TryDate(text, numeric, out var d));
        Assert.Equal(expected, d.ToIso());
    }

    [Theory]
    [InlineData("2024-02-30", false)]
    [InlineData("03/01/24", false)]
    [InlineData("45352.5", true)]
    [InlineData("kemarin", false)]
    public void Bad_dates_are_refused(string text, bool numeric) => Assert.False(Values.TryDate(text, numeric, out _));

    [Theory]
    [InlineData("5000000", false, 5_000_000)]
    [InlineData("5.000.000", false, 5_000_000)]
    [InlineData("Rp 5.000.000", false, 5_000_000)]
    [InlineData("5.000.000,00", false, 5_000_000)]
    [InlineData("5000000", true, 5_000_000)]
    public void Money_as_typed(string text, bool numeric, long expected)
    {
        Assert.True(Values.TryMoney(text, numeric, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("5000000.5", true)]
    [InlineData("-100", false)]
    [InlineData("lima juta", false)]
    public void Bad_money_is_refused(string text, bool numeric) => Assert.False(Values.TryMoney(text, numeric, out _));

    [Theory]
    [InlineData("employer", "employer", null)]
    [InlineData("apbd:63.71", "apbd", "63.71")]
    [InlineData("APBDES: 63.71.02.2001", "apbdes", "63.71.02.2001")]
    [InlineData("csr:PT Sawit Lestari", "csr", "PT Sawit Lestari")]
    [InlineData("baznas", "baznas", null)]
    public void Payers(string text, string kind, string? reference) => Assert.Equal(new Payer(kind, reference), Payer.Parse(text));

    [Theory]
    [InlineData("apbn")]
    [InlineData("apbd")]
    [InlineData("csr:")]
    [InlineData("self:me")]
    public void Bad_payers(string text) => Assert.Null(Payer.Parse(text));

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+62812", "'+62812")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("Budi", "Budi")]
    public void Report_values_cannot_run_as_formulas(string value, string expected) => Assert.Equal(expected, Values.NeutraliseForExport(value));
}
