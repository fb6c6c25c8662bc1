using System.Globalization;

namespace Kawal.Registry.Import;

/// <summary>The refusals of a file past one of its <see cref="ImportLimits"/>, each with its code and its message in Indonesian and English.</summary>
internal static class FileRefusals
{
    public static ImportFileException TooManyRows(int max) => Refuse("file.too_many_rows", null,
        $"berkas memuat lebih dari {Id(max)} baris data (batas impor); pecah menjadi beberapa berkas",
        $"the file has more than {En(max)} data rows (the import limit); split it into several files");

    public static ImportFileException TooManyColumns(int row, int max) => Refuse("file.too_many_columns", row,
        $"baris {Id(row)} memiliki lebih dari {Id(max)} kolom (batas impor)",
        $"row {En(row)} has more than {En(max)} columns (the import limit)");

    public static ImportFileException FieldTooLong(int? row, string? column, int max) => Refuse("file.field_too_long", row,
        $"{Where(row, column, true)}isian lebih panjang dari {Id(max)} karakter (batas satu sel)",
        $"{Where(row, column, false)}a value is longer than {En(max)} characters (the limit of one cell)");

    public static ImportFileException LineTooLong(int row, long max) => Refuse("file.line_too_long", row,
        $"baris {Id(row)} lebih panjang dari {Id(max)} karakter (batas satu baris CSV)",
        $"row {En(row)} is longer than {En(max)} characters (the limit of one CSV line)");

    public static ImportFileException ColumnBeyondSheet(int row, string reference) => Refuse("xlsx.column", row,
        $"baris {Id(row)}: rujukan sel {Values.Quote(reference, 20)} melewati kolom XFD, kolom terakhir lembar XLSX",
        $"row {En(row)}: the cell reference {Values.Quote(reference, 20)} lies beyond column XFD, the last column an XLSX sheet can have");

    public static ImportFileException RowBeyondSheet(string reference) => Refuse("xlsx.row", null,
        $"nomor baris {Values.Quote(reference, 20)} melewati {Id(ImportLimits.SheetRows)}, baris terakhir lembar XLSX",
        $"the row number {Values.Quote(reference, 20)} lies beyond {En(ImportLimits.SheetRows)}, the last row an XLSX sheet can have");

    public static ImportFileException SharedStrings(long max, string what, string apa) => Refuse("xlsx.shared_strings", null,
        $"buku kerja memuat lebih dari {Id(max)} {apa} teks bersama (shared strings; batas impor)",
        $"the workbook holds more than {En(max)} {what} of shared strings (the import limit)");

    public static ImportFileException TooLarge(string part, long max) => Refuse("xlsx.too_large", null,
        $"buku kerja mengembang melebihi {Id(max >> 20)} MB saat dibuka ({Values.Quote(part, 60)}; batas impor)",
        $"the workbook expands to more than {En(max >> 20)} MB when opened ({Values.Quote(part, 60)}; the import limit)");

    public static ImportFileException CompressionRatio(string part, long ratio, int max) => Refuse("xlsx.compression_ratio", null,
        $"{Values.Quote(part, 60)} mengembang {Id(ratio)} kali ukuran terkompresinya (paling banyak {Id(max)} kali): bom kompresi ditolak",
        $"{Values.Quote(part, 60)} expands to {En(ratio)} times its compressed size (at most {En(max)}): a compression bomb is refused");

    public static ImportFileException ZipEntries() => Refuse("xlsx.zip_entries", null,
        $"arsip XLSX memuat lebih dari {Id(ImportLimits.ZipEntries)} entri atau daftar entri lebih dari {Id(ImportLimits.ZipDirectoryBytes >> 20)} MB",
        $"the XLSX archive has more than {En(ImportLimits.ZipEntries)} entries or a list of entries over {En(ImportLimits.ZipDirectoryBytes >> 20)} MB");

    public static ImportFileException Dtd(string part) => Refuse("xlsx.dtd", null,
        $"{Values.Quote(part, 60)} memuat DTD (deklarasi tipe dokumen): berkas XLSX tidak memerlukannya, dan DTD ditolak",
        $"{Values.Quote(part, 60)} holds a DTD (document type declaration): XLSX files never need one, and it is refused");

    public static ImportFileException Markup(string part) => Refuse("xlsx.markup", null,
        $"{Values.Quote(part, 60)} memuat lebih dari {Id(ImportLimits.MarkupRunBytes >> 20)} MB tanpa markah XML (sel, atribut atau isian yang terlalu besar)",
        $"{Values.Quote(part, 60)} runs for more than {En(ImportLimits.MarkupRunBytes >> 20)} MB without XML markup (an oversized cell, attribute or padding)");

    public static ImportFileException Unreadable(string part, string reason) => Refuse("file.format", null,
        $"buku kerja XLSX tidak dapat dibaca ({Values.Quote(part, 60)}: {Values.Quote(reason, 200)})",
        $"not a readable XLSX workbook ({Values.Quote(part, 60)}: {Values.Quote(reason, 200)})");

    private static string Where(int? row, string? column, bool indonesian) => (row, column, indonesian) switch
    {
        (null, _, true) => "teks bersama: ",
        (null, _, false) => "a shared string: ",
        (_, null, true) => $"baris {Id(row.Value)}: ",
        (_, null, false) => $"row {En(row.Value)}: ",
        (_, _, true) => $"baris {Id(row.Value)}, kolom {column}: ",
        _ => $"row {En(row.Value)}, column {column}: ",
    };

    private static ImportFileException Refuse(string code, int? row, string indonesian, string english) =>
        new(code, english) { Indonesian = indonesian, Row = row };

    /// <summary>A count as Indonesian writes it: 1.048.576.</summary>
    internal static string Id(long n) => n.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');

    internal static string En(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
