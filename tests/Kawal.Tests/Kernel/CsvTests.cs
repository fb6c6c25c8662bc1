namespace Kawal.Tests.Kernel;

public class CsvTests
{
    [Fact]
    public void Reads_quoted_fields_with_separators_quotes_and_line_breaks()
    {
        using var reader = new StringReader("nik;name;address\r\n6371021708850001;\"Budi \"\"Bud\"\" Santoso\";\"Jl. A; No. 1\r\nBanjarmasin\"\r\n\r\nlast;row;\n");

        var header = Csv.ReadRecord(reader, ';');
        var first = Csv.ReadRecord(reader, ';');
        var blank = Csv.ReadRecord(reader, ';');
        var last = Csv.ReadRecord(reader, ';');

        Assert.Equal(["nik", "name", "address"], header);
        Assert.Equal(["6371021708850001", "Budi \"Bud\" Santoso", "Jl. A; No. 1\r\nBanjarmasin"], first);
        Assert.Equal([""], blank);
        Assert.Equal(["last", "row", ""], last);
        Assert.Null(Csv.ReadRecord(reader, ';'));
    }

    [Fact]
    public void Splits_a_line() => Assert.Equal(["63.71", "Kota Banjarmasin", ""], Csv.SplitLine("63.71,\"Kota Banjarmasin\","));
}
