namespace Kawal.Registry.Import;

/// <summary>
/// What an uploaded or imported file may hold (docs/import.md, "Upload limits"). The format's own bounds are constants; the
/// product's are settings (<c>Kawal:Uploads:*</c>, docs/operations.md) with these defaults. A file past any of them is refused
/// whole, with an <see cref="ImportFileException"/> naming the limit, as soon as the reader meets it: nothing past a limit is
/// ever held in memory.
/// </summary>
public sealed record ImportLimits
{
    /// <summary>The last column an XLSX sheet can have: XFD.</summary>
    public const int SheetColumns = 16_384;

    /// <summary>The last row an XLSX sheet can have.</summary>
    public const int SheetRows = 1_048_576;

    /// <summary>Entries an XLSX archive may have (a workbook has a few dozen).</summary>
    public const int ZipEntries = 10_000;

    /// <summary>Bytes of an XLSX archive's central directory (its list of entries).</summary>
    public const int ZipDirectoryBytes = 16 << 20;

    /// <summary>Bytes an XML part of a workbook may run without a <c>&lt;</c> or <c>&gt;</c>: more than any cell or attribute needs.</summary>
    public const int MarkupRunBytes = 1 << 20;

    /// <summary>A compressed part smaller than this is not held to <see cref="MaxCompressionRatio"/>.</summary>
    public const long RatioFloorBytes = 1 << 20;

    public static ImportLimits Default { get; } = new();

    /// <summary>Bytes of one HTTP request carrying an upload (a page's form or the API's multipart body). Over it: 413.</summary>
    public long MaxUploadBytes { get; init; } = 128L << 20;

    /// <summary>Rows after the header (empty ones included): as many as an XLSX sheet can hold.</summary>
    public int MaxRows { get; init; } = SheetRows - 1;

    /// <summary>Columns of a row: cells of an XLSX row, fields of a CSV record; a value beyond the last one is refused.</summary>
    public int MaxColumns { get; init; } = 1_024;

    /// <summary>Characters of one value: a CSV field, an XLSX cell or shared text (Excel's own limit for a cell).</summary>
    public int MaxFieldChars { get; init; } = 32_767;

    /// <summary>Characters of one CSV record (its line, and the lines a quoted field spans).</summary>
    public int MaxLineChars { get; init; } = 1 << 20;

    /// <summary>Texts in an XLSX workbook's shared-strings table (each distinct text typed in the workbook).</summary>
    public int MaxSharedStrings { get; init; } = 4_000_000;

    /// <summary>Characters of all the shared texts together.</summary>
    public long MaxSharedStringChars { get; init; } = 100_000_000;

    /// <summary>Bytes the parts of an XLSX workbook that are read (sheet, shared strings, workbook) expand to, declared and counted.</summary>
    public long MaxUncompressedBytes { get; init; } = 1L << 30;

    /// <summary>How many times its compressed size a part may expand to (spreadsheets compress 5 to 30 times; a zip bomb a thousand).</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    internal CsvLimits Csv => new(MaxLineChars, MaxFieldChars, MaxColumns);
}
