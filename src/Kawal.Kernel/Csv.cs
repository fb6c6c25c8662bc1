using System.Text;

namespace Kawal;

/// <summary>RFC 4180 records: quoted fields with separators, doubled quotes and line breaks; CRLF or LF.</summary>
public static class Csv
{
    /// <summary>One field for writing: quoted when it holds a separator (comma or semicolon), a quote, a line break, or starts with <c>'</c>.</summary>
    public static string Field(string? value)
    {
        var s = value ?? "";
        return s.IndexOfAny([',', '"', '\n', '\r', ';']) >= 0 || s.StartsWith('\'')
            ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : s;
    }

    /// <summary>Text that a spreadsheet would run as a formula is prefixed with a quote in exports (never in storage).</summary>
    public static string Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value ?? "";

    /// <summary>Splits one line (no line breaks inside fields).</summary>
    public static IReadOnlyList<string> SplitLine(string line, char separator = ',') =>
        ReadRecord(new StringReader(line), separator) ?? [""];

    /// <summary>Reads the next record from a reader, or null at the end.</summary>
    public static List<string>? ReadRecord(TextReader reader, char separator)
    {
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
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (reader.Peek() == '"')
                {
                    reader.Read();
                    field.Append('"');
                }
                else
                {
                    quoted = false;
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
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                return fields;
            }
            else if (c != '\r')
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
