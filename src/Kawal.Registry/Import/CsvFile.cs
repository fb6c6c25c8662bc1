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
        Header = ReadRecord(again, _separator, out _) ?? [];
    }

    public override string Format => _separator == ';' ? "csv;" : "csv,";

    public override IReadOnlyList<string> Header { get; }

    public override IEnumerable<TabularRow> Rows()
    {
        using var reader = new StreamReader(_path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        ReadRecord(reader, _separator, out var lines);
        var number = 1;
        while (ReadRecord(reader, _separator, out var used) is { } cells)
        {
            number++;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return new TabularRow(number, cells, NoNumbers);
        }
    }

    private static List<string>? ReadRecord(TextReader reader, char separator, out int lines)
    {
        lines = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            any = true;
            var c = (char)ch;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    lines += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r')
            {
                continue;
            }
            else if (c == '\n')
            {
                lines++;
                fields.Add(field.ToString());
                return fields;
            }
            else
            {
                field.Append(c);
            }
        }

        if (!any)
        {
            return null;
        }

        fields.Add(field.ToString());
        return fields;
    }
}
