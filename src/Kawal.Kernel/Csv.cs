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
    public static List<string>? ReadRecord(TextReader reader, char separator) => ReadRecord(reader, separator, null);

    /// <summary>
    /// Reads the next record, or null at the end; with <paramref name="limits"/>, stops with a <see cref="CsvLimitException"/>
    /// as soon as the record, a field or the number of fields passes its limit (never holding more than that).
    /// </summary>
    public static List<string>? ReadRecord(TextReader reader, char separator, CsvLimits? limits)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        var (maxRecord, maxField, maxFields) = limits is null ? (long.MaxValue, int.MaxValue, int.MaxValue) : (limits.MaxRecordChars, limits.MaxFieldChars, limits.MaxFields);
        long read = 0;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            any = true;
            if (++read > maxRecord)
            {
                throw new CsvLimitException(CsvLimit.Record, maxRecord);
            }

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
                if (fields.Count + 2 > maxFields) // the fields before, and the one this separator starts
                {
                    throw new CsvLimitException(CsvLimit.Fields, maxFields);
                }

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

            if (field.Length > maxField)
            {
                throw new CsvLimitException(CsvLimit.Field, maxField);
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

/// <summary>Limits on one CSV record: its characters (line breaks in quoted fields included), one field's characters, its fields.</summary>
public sealed record CsvLimits(long MaxRecordChars, int MaxFieldChars, int MaxFields);

/// <summary>Which limit of <see cref="CsvLimits"/> a record passed.</summary>
public enum CsvLimit
{
    Record,
    Field,
    Fields,
}

/// <summary>A CSV record passed one of its <see cref="CsvLimits"/>; reading stopped there.</summary>
public sealed class CsvLimitException : KawalException
{
    public CsvLimitException(CsvLimit limit, long max)
        : base($"a CSV record passed its limit of {max} ({limit})") => (Limit, Max) = (limit, max);

    public CsvLimitException()
    {
    }

    public CsvLimitException(string message)
        : base(message)
    {
    }

    public CsvLimitException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CsvLimit Limit { get; }

    public long Max { get; }
}
