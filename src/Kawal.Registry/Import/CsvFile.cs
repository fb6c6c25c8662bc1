using System.Text;

namespace Kawal.Registry.Import;

/// <summary>
/// RFC 4180 CSV in UTF-8 (with or without BOM), separated by commas or semicolons (detected from the header line);
/// quoted fields may contain separators, doubled quotes and line breaks. Streams records one at a time, each held to
/// the <see cref="ImportLimits"/> of a line, a field and the columns, and the file to its rows.
/// </summary>
internal sealed class CsvFile : TabularFile
{
    private static readonly IReadOnlySet<int> NoNumbers = new HashSet<int>();
    private readonly string _path;
    private readonly char _separator;
    private readonly ImportLimits _limits;

    public CsvFile(string path, ImportLimits limits)
    {
        _path = path;
        _limits = limits;
        using var reader = Open();
        var first = FirstLine(reader, limits.MaxLineChars);
        _separator = first.Count(c => c == ';') > first.Count(c => c == ',') ? ';' : ',';
        using var again = Open();
        Header = Read(again, 1) ?? [];
    }

    public override string Format => _separator == ';' ? "csv;" : "csv,";

    public override IReadOnlyList<string> Header { get; }

    public override IEnumerable<TabularRow> Rows()
    {
        using var reader = Open();
        Read(reader, 1);
        var number = 1;
        while (Read(reader, number + 1) is { } cells)
        {
            number++;
            if (number - 1 > _limits.MaxRows)
            {
                throw FileRefusals.TooManyRows(_limits.MaxRows);
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return new TabularRow(number, cells, NoNumbers);
        }
    }

    private StreamReader Open() => new(_path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);

    private List<string>? Read(StreamReader reader, int row)
    {
        try
        {
            return Csv.ReadRecord(reader, _separator, _limits.Csv);
        }
        catch (CsvLimitException e)
        {
            throw e.Limit switch
            {
                CsvLimit.Field => FileRefusals.FieldTooLong(row, null, _limits.MaxFieldChars),
                CsvLimit.Fields => FileRefusals.TooManyColumns(row, _limits.MaxColumns),
                _ => FileRefusals.LineTooLong(row, _limits.MaxLineChars),
            };
        }
    }

    /// <summary>The first line, to choose the separator: read up to the limit of a line, never further.</summary>
    private static string FirstLine(StreamReader reader, int max)
    {
        var line = new StringBuilder();
        int ch;
        while ((ch = reader.Read()) is not (-1 or '\n'))
        {
            if (line.Length == max)
            {
                throw FileRefusals.LineTooLong(1, max);
            }

            line.Append((char)ch);
        }

        return line.ToString();
    }
}
