using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Kawal.Registry.Import;

/// <summary>
/// The first sheet of an XLSX workbook, read row by row straight from its ZIP archive with a forward-only XML reader, with
/// shared strings and numeric cells marked. Every bound of <see cref="ImportLimits"/> is checked while streaming: the
/// archive's list of entries before it is read; each part's declared size and compression ratio before it is opened, and
/// the bytes it actually inflates to while it is read; no DTD; no run of text without markup past a megabyte; column and
/// row references within the sheet's bounds (XFD, 1,048,576); cells per row, rows, shared strings and the length of a
/// value. A gap of empty rows or cells costs nothing: only cells with a value are kept, up to the last one of a row.
/// </summary>
internal sealed class XlsxFile : TabularFile
{
    private static readonly IReadOnlySet<int> NoNumbers = new HashSet<int>();

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly ZipArchiveEntry _sheet;
    private readonly List<string> _shared;
    private readonly ImportLimits _limits;

    private XlsxFile(ZipArchive zip, ZipArchiveEntry sheet, List<string> shared, ImportLimits limits)
    {
        _zip = zip;
        _sheet = sheet;
        _shared = shared;
        _limits = limits;
        Header = Rows(includeHeader: true).FirstOrDefault()?.Cells ?? [];
    }

    public override string Format => "xlsx";

    public override IReadOnlyList<string> Header { get; }

    public static XlsxFile OpenWorkbook(string path, ImportLimits limits)
    {
        CheckDirectory(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw FileRefusals.Unreadable("ZIP", e.Message);
        }

        try
        {
            var entries = Parse("ZIP", () => Index(zip));
            var budget = new Budget(limits);
            var workbookName = Relationships(entries, "_rels/.rels", "", budget).FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
                ?? throw FileRefusals.Unreadable("_rels/.rels", "no workbook");
            var workbook = entries.GetValueOrDefault(workbookName) ?? throw FileRefusals.Unreadable(workbookName, "missing");
            var sheetId = FirstSheetId(workbook, budget) ?? throw new ImportFileException("file.empty", "the workbook has no sheet") { Indonesian = "buku kerja tidak memiliki lembar" };
            var folder = workbookName[..(workbookName.LastIndexOf('/') + 1)];
            var related = Relationships(entries, $"{folder}_rels/{workbookName[folder.Length..]}.rels", folder, budget);
            var sheetName = related.FirstOrDefault(r => r.Id == sheetId).Target ?? throw FileRefusals.Unreadable(workbookName, $"no part for sheet {sheetId}");
            var sheet = entries.GetValueOrDefault(sheetName) ?? throw FileRefusals.Unreadable(sheetName, "missing");
            var sharedName = related.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
            var sharedPart = sharedName is null ? null : entries.GetValueOrDefault(sharedName);
            // Both admitted before either is read: a bomb in the sheet is refused before the shared strings are inflated.
            budget.Admit(sheet);
            if (sharedPart is not null)
            {
                budget.Admit(sharedPart);
            }

            var shared = sharedPart is null ? [] : ReadShared(sharedPart, limits);
            return new XlsxFile(zip, sheet, shared, limits);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public override IEnumerable<TabularRow> Rows() => Rows(includeHeader: false);

    public override void Dispose()
    {
        _zip.Dispose();
        base.Dispose();
    }

    private IEnumerable<TabularRow> Rows(bool includeHeader)
    {
        using var reader = Parse(_sheet.FullName, () => Open(_sheet, _limits));
        var sheet = new SheetPosition();
        var seenHeader = false;
        var dataRows = 0;
        while (Parse(_sheet.FullName, () => NextRow(reader, sheet)) is { } row)
        {
            if (!seenHeader)
            {
                seenHeader = true;
                if (includeHeader)
                {
                    yield return row;
                    yield break;
                }

                continue;
            }

            if (++dataRows > _limits.MaxRows)
            {
                throw FileRefusals.TooManyRows(_limits.MaxRows);
            }

            if (row.Cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return row;
        }
    }

    /// <summary>Where the reader is in the sheet: the last row's number and how many rows it has met.</summary>
    private sealed class SheetPosition
    {
        public int Number { get; set; }
        public int Count { get; set; }
    }

    /// <summary>The next row, its cells up to its last one with a value; null at the end of the sheet.</summary>
    private TabularRow? NextRow(XmlReader r, SheetPosition sheet)
    {
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "row")
            {
                continue;
            }

            if (++sheet.Count > ImportLimits.SheetRows)
            {
                throw FileRefusals.RowBeyondSheet(sheet.Count.ToString(CultureInfo.InvariantCulture));
            }

            var number = RowNumber(r.GetAttribute("r"), sheet.Number + 1);
            sheet.Number = number;
            var cells = new List<string>();
            HashSet<int>? numeric = null;
            if (r.IsEmptyElement)
            {
                return new TabularRow(number, cells, NoNumbers);
            }

            var depth = r.Depth;
            var position = -1;
            var count = 0;
            r.Read();
            while (NextChild(r, depth))
            {
                if (r.LocalName != "c")
                {
                    r.Skip();
                    continue;
                }

                if (++count > _limits.MaxColumns)
                {
                    throw FileRefusals.TooManyColumns(number, _limits.MaxColumns);
                }

                position = r.GetAttribute("r") is { } reference ? ColumnIndex(reference, number) ?? position + 1 : position + 1;
                if (position >= ImportLimits.SheetColumns)
                {
                    throw FileRefusals.ColumnBeyondSheet(number, ColumnName(position));
                }

                var (text, isNumber) = ReadCell(r, r.GetAttribute("t"), number, position);
                if (text.Length == 0)
                {
                    continue; // an empty cell, wherever it is, costs nothing
                }

                if (position >= _limits.MaxColumns)
                {
                    throw FileRefusals.TooManyColumns(number, _limits.MaxColumns);
                }

                while (cells.Count < position)
                {
                    cells.Add("");
                }

                if (cells.Count == position)
                {
                    cells.Add(text);
                }
                else
                {
                    cells[position] = text;
                }

                if (isNumber)
                {
                    (numeric ??= []).Add(position);
                }
            }

            return new TabularRow(number, cells, numeric ?? NoNumbers);
        }

        return null;
    }

    /// <summary>A cell's text and whether it is a number; leaves the reader after the cell.</summary>
    private (string Text, bool Number) ReadCell(XmlReader r, string? type, int row, int position)
    {
        var raw = "";
        string? inline = null;
        if (r.IsEmptyElement)
        {
            r.Read();
            return ("", false);
        }

        var depth = r.Depth;
        r.Read();
        while (NextChild(r, depth))
        {
            if (r.LocalName == "v")
            {
                raw = r.ReadElementContentAsString();
                if (raw.Length > _limits.MaxFieldChars)
                {
                    throw FileRefusals.FieldTooLong(row, ColumnName(position), _limits.MaxFieldChars);
                }
            }
            else if (r.LocalName == "is")
            {
                inline = ReadInline(r, row, position);
            }
            else
            {
                r.Skip(); // a formula, an extension
            }
        }

        r.Read();
        return type switch
        {
            "s" => (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _shared.Count ? _shared[i] : "", false),
            "inlineStr" => (inline ?? "", false),
            "str" or "b" => (raw, false),
            _ => (raw, raw.Length > 0),
        };
    }

    private string ReadInline(XmlReader r, int row, int position) =>
        ReadText(r, _limits.MaxFieldChars, () => FileRefusals.FieldTooLong(row, ColumnName(position), _limits.MaxFieldChars));

    /// <summary>The text of a shared or inline string (its runs joined, phonetic hints left out), at most <paramref name="max"/> characters; leaves the reader after it.</summary>
    private static string ReadText(XmlReader r, int max, Func<ImportFileException> tooLong)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return "";
        }

        var depth = r.Depth;
        string? first = null;
        StringBuilder? more = null;
        r.Read();
        while (NextChild(r, depth))
        {
            if (r.LocalName == "t")
            {
                var t = r.ReadElementContentAsString();
                if (first is null)
                {
                    first = t;
                }
                else
                {
                    (more ??= new StringBuilder(first)).Append(t);
                }

                if ((more?.Length ?? first.Length) > max)
                {
                    throw tooLong();
                }
            }
            else if (r.LocalName is "rPh" or "phoneticPr")
            {
                r.Skip();
            }
            else
            {
                r.Read();
            }
        }

        r.Read();
        return more?.ToString() ?? (first is { Length: > 0 } ? first : "");
    }

    /// <summary>
    /// Moves to the next element inside the element at <paramref name="depth"/> (at any depth below it); false on that
    /// element's end. The caller consumes each element it is given: reads it, skips it, or steps into it.
    /// </summary>
    private static bool NextChild(XmlReader r, int depth)
    {
        while (r.NodeType != XmlNodeType.Element)
        {
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
            {
                return false;
            }

            if (!r.Read())
            {
                throw FileRefusals.Unreadable("XML", "unexpected end");
            }
        }

        return true;
    }

    private static List<string> ReadShared(ZipArchiveEntry part, ImportLimits limits) => Parse(part.FullName, () =>
    {
        var shared = new List<string>();
        long chars = 0;
        using var r = Open(part, limits);
        r.Read();
        while (!r.EOF)
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "si")
            {
                r.Read();
                continue;
            }

            if (shared.Count == limits.MaxSharedStrings)
            {
                throw FileRefusals.SharedStrings(limits.MaxSharedStrings, "texts", "buah");
            }

            var text = ReadText(r, limits.MaxFieldChars, () => FileRefusals.FieldTooLong(null, null, limits.MaxFieldChars));
            chars += text.Length;
            if (chars > limits.MaxSharedStringChars)
            {
                throw FileRefusals.SharedStrings(limits.MaxSharedStringChars, "characters", "karakter");
            }

            shared.Add(text);
        }

        return shared;
    });

    /// <summary>The relationship id of the workbook's first sheet.</summary>
    private static string? FirstSheetId(ZipArchiveEntry workbook, Budget budget)
    {
        budget.Admit(workbook);
        return Parse(workbook.FullName, () =>
        {
            using var r = Open(workbook, budget.Limits);
            while (r.Read())
            {
                if (r.NodeType == XmlNodeType.Element && r.LocalName == "sheet")
                {
                    while (r.MoveToNextAttribute())
                    {
                        if (r.LocalName == "id" && r.NamespaceURI.Length > 0)
                        {
                            return r.Value;
                        }
                    }

                    return null;
                }
            }

            return null;
        });
    }

    private readonly record struct Relationship(string Id, string Type, string? Target);

    /// <summary>The internal relationships of a part (its <c>.rels</c>), targets resolved to entry names.</summary>
    private static List<Relationship> Relationships(Dictionary<string, ZipArchiveEntry> entries, string name, string folder, Budget budget)
    {
        if (!entries.TryGetValue(name, out var rels))
        {
            return [];
        }

        budget.Admit(rels);
        return Parse(name, () =>
        {
            var found = new List<Relationship>();
            using var r = Open(rels, budget.Limits);
            while (r.Read())
            {
                if (r.NodeType == XmlNodeType.Element && r.LocalName == "Relationship" && r.GetAttribute("TargetMode") != "External" && r.GetAttribute("Target") is { } target)
                {
                    found.Add(new Relationship(r.GetAttribute("Id") ?? "", r.GetAttribute("Type") ?? "", Resolve(folder, Uri.UnescapeDataString(target))));
                }
            }

            return found;
        });
    }

    /// <summary>A relationship's target as an entry name: absolute from the package root, or relative to the source part's folder.</summary>
    private static string Resolve(string folder, string target)
    {
        var path = new List<string>();
        foreach (var segment in (target.StartsWith('/') ? target : folder + target).Split('/'))
        {
            if (segment == "..")
            {
                if (path.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }
            }
            else if (segment is not ("" or "."))
            {
                path.Add(segment);
            }
        }

        return string.Join('/', path);
    }

    private static Dictionary<string, ZipArchiveEntry> Index(ZipArchive zip)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in zip.Entries)
        {
            entries.TryAdd(e.FullName.Replace('\\', '/').TrimStart('/'), e);
        }

        return entries;
    }

    /// <summary>
    /// Reads the end of the archive before the archive itself: its count of entries and the size of their list, each of
    /// which the ZIP reader would otherwise take in whole.
    /// </summary>
    private static void CheckDirectory(string path)
    {
        using var file = File.OpenRead(path);
        var tail = (int)Math.Min(file.Length, 22 + ushort.MaxValue);
        var end = new byte[tail];
        file.Seek(-tail, SeekOrigin.End);
        file.ReadExactly(end);
        for (var i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i)) == 0x06054b50)
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(i + 10)) > ImportLimits.ZipEntries
                    || BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i + 12)) > ImportLimits.ZipDirectoryBytes)
                {
                    throw FileRefusals.ZipEntries();
                }

                return;
            }
        }
    }

    private static XmlReader Open(ZipArchiveEntry part, ImportLimits limits) =>
        XmlReader.Create(new PartStream(part.Open(), part.FullName, part.Length, limits), XmlSettings);

    /// <summary>Runs a step of reading a part, turning the XML reader's and the ZIP reader's failures into the file's refusal.</summary>
    private static T Parse<T>(string part, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw FileRefusals.Dtd(part);
        }
        catch (XmlException e)
        {
            throw FileRefusals.Unreadable(part, e.Message);
        }
        catch (InvalidDataException e)
        {
            throw FileRefusals.Unreadable(part, e.Message);
        }
    }

    /// <summary>A column reference's index (A = 0), or null when it has no letters; beyond XFD or row 1,048,576 it is refused.</summary>
    private static int? ColumnIndex(string reference, int row)
    {
        var letters = 0;
        var index = 0;
        while (letters < reference.Length && char.IsAsciiLetter(reference[letters]))
        {
            if (letters == 3)
            {
                throw FileRefusals.ColumnBeyondSheet(row, reference);
            }

            index = (index * 26) + (char.ToUpperInvariant(reference[letters]) - 'A' + 1);
            letters++;
        }

        if (index > ImportLimits.SheetColumns)
        {
            throw FileRefusals.ColumnBeyondSheet(row, reference);
        }

        var digits = reference.AsSpan(letters);
        if (digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9')
            && (digits.Length > 7 || int.Parse(digits, CultureInfo.InvariantCulture) is 0 or > ImportLimits.SheetRows))
        {
            throw FileRefusals.RowBeyondSheet(reference);
        }

        return letters == 0 ? null : index - 1;
    }

    private static int RowNumber(string? reference, int next)
    {
        if (reference is null)
        {
            return next <= ImportLimits.SheetRows ? next : throw FileRefusals.RowBeyondSheet(next.ToString(CultureInfo.InvariantCulture));
        }

        return reference.Length <= 7 && int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= ImportLimits.SheetRows
            ? n
            : throw FileRefusals.RowBeyondSheet(reference);
    }

    /// <summary>A column's letters (0 = A, 16383 = XFD).</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>The uncompressed bytes the parts read may declare, together; and each part's compression ratio.</summary>
    private sealed class Budget(ImportLimits limits)
    {
        private long _declared;

        public ImportLimits Limits => limits;

        public void Admit(ZipArchiveEntry part)
        {
            if (part.Length > ImportLimits.RatioFloorBytes && part.Length > (long)limits.MaxCompressionRatio * Math.Max(1, part.CompressedLength))
            {
                throw FileRefusals.CompressionRatio(part.FullName, part.Length / Math.Max(1, part.CompressedLength), limits.MaxCompressionRatio);
            }

            _declared += part.Length;
            if (_declared > limits.MaxUncompressedBytes)
            {
                throw FileRefusals.TooLarge(part.FullName, limits.MaxUncompressedBytes);
            }
        }
    }

    /// <summary>
    /// A part as it inflates, counted: past its declared size or the limit of the workbook, or a run of a megabyte
    /// without <c>&lt;</c> or <c>&gt;</c> (a cell, an attribute or padding no spreadsheet has), reading stops.
    /// </summary>
    private sealed class PartStream(Stream inner, string part, long declared, ImportLimits limits) : CountedReadStream(inner, ownsInner: true)
    {
        private long _run;

        protected override void Counted(ReadOnlySpan<byte> data)
        {
            if (BytesRead > declared || BytesRead > limits.MaxUncompressedBytes)
            {
                throw FileRefusals.TooLarge(part, Math.Min(declared, limits.MaxUncompressedBytes));
            }

            // Runs inside a chunk no longer than the limit are shorter than it: only the ends need looking at.
            for (var rest = data; ;)
            {
                var first = rest.IndexOfAny((byte)'<', (byte)'>');
                if (first < 0)
                {
                    _run += rest.Length;
                    break;
                }

                if (_run + first > ImportLimits.MarkupRunBytes)
                {
                    _run += first;
                    break;
                }

                if (rest.Length <= ImportLimits.MarkupRunBytes)
                {
                    _run = rest.Length - 1 - rest.LastIndexOfAny((byte)'<', (byte)'>');
                    break;
                }

                _run = 0;
                rest = rest[(first + 1)..];
            }

            if (_run > ImportLimits.MarkupRunBytes)
            {
                throw FileRefusals.Markup(part);
            }
        }
    }
}
