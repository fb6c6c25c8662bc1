using System.Text;

namespace Kawal.Registry.Import;

/// <summary>
/// RFC 4180 CSV in UTF-8 (with or without BOM), separated by commas or semicolons (detected from the header line);
/// quoted fields may contain separators, doubled quotes and line breaks. Streams records one at a time.
/// </summary>
internal sealed class CsvFile : TabularFile
{
    private static readonly IReadOnlySet<int> NoNumbers = new HashSet<int>();
    private readonly string _path;
    private readonly char _separator;

    public CsvFile(string path)
    {
        _path = path;
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var first = reader.ReadLine() ?? "";
        _separator = first.Count(c => c == ';') > first.Count(c => c == ',') ? ';' : ',';
        using var again = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        Header = Csv.ReadRecord(again, _separator) ?? [];
    }

    public override string Format => _separator == ';' ? "csv;" : "csv,";

    public override IReadOnlyList<string> Header { get; }

    public override IEnumerable<TabularRow> Rows()
    {
        using var reader = new StreamReader(_path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        Csv.ReadRecord(reader, _separator);
        var number = 1;
        while (Csv.ReadRecord(reader, _separator) is { } cells)
        {
            number++;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return new TabularRow(number, cells, NoNumbers);
        }
    }
}
