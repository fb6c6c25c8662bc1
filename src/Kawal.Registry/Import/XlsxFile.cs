using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kawal.Registry.Import;

/// <summary>The first sheet of an XLSX workbook, read row by row (SAX), with shared strings and numeric cells marked.</summary>
internal sealed class XlsxFile : TabularFile
{
    private readonly SpreadsheetDocument _doc;
    private readonly WorksheetPart _sheet;
    private readonly List<string> _shared;

    private XlsxFile(SpreadsheetDocument doc, WorksheetPart sheet, List<string> shared)
    {
        _doc = doc;
        _sheet = sheet;
        _shared = shared;
        Header = Rows(includeHeader: true).FirstOrDefault()?.Cells ?? [];
    }

    public override string Format => "xlsx";

    public override IReadOnlyList<string> Header { get; }

    public static XlsxFile OpenWorkbook(string path)
    {
        SpreadsheetDocument doc;
        try
        {
            doc = SpreadsheetDocument.Open(path, false);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or FileFormatException)
        {
            throw new ImportFileException("file.format", $"{Path.GetFileName(path)} is not a readable XLSX workbook: {e.Message}") { Indonesian = $"{Path.GetFileName(path)} bukan buku kerja XLSX yang dapat dibaca; simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8." };
        }

        var workbook = doc.WorkbookPart ?? throw new ImportFileException("file.format", $"{Path.GetFileName(path)} has no workbook") { Indonesian = $"{Path.GetFileName(path)} tidak berisi buku kerja." };
        var first = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
            ?? throw new ImportFileException("file.empty", $"{Path.GetFileName(path)} has no sheet") { Indonesian = $"{Path.GetFileName(path)} tidak berisi lembar kerja." };
        var sheet = (WorksheetPart)workbook.GetPartById(first.Id!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        return new XlsxFile(doc, sheet, shared);
    }

    public override IEnumerable<TabularRow> Rows() => Rows(includeHeader: false);

    private IEnumerable<TabularRow> Rows(bool includeHeader)
    {
        using var reader = OpenXmlReader.Create(_sheet);
        var seenHeader = false;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
            {
                continue;
            }

            var row = (Row)reader.LoadCurrentElement()!;
            var number = (int)(row.RowIndex?.Value ?? 0);
            var cells = new List<string>();
            var numeric = new HashSet<int>();
            foreach (var cell in row.Elements<Cell>())
            {
                var index = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                while (cells.Count < index)
                {
                    cells.Add("");
                }

                var (text, isNumber) = Value(cell);
                if (isNumber)
                {
                    numeric.Add(index);
                }

                cells.Add(text);
            }

            if (!seenHeader)
            {
                seenHeader = true;
                if (includeHeader)
                {
                    yield return new TabularRow(number, cells, numeric);
                    yield break;
                }

                continue;
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return new TabularRow(number, cells, numeric);
        }
    }

    private (string Text, bool Number) Value(Cell cell)
    {
        var raw = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _shared.Count ? _shared[i] : "", false);
        }

        if (type == CellValues.InlineString)
        {
            return (cell.InlineString?.InnerText ?? "", false);
        }

        if (type == CellValues.String || type == CellValues.Boolean)
        {
            return (raw, false);
        }

        return (raw, raw.Length > 0);
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }

    public override void Dispose()
    {
        _doc.Dispose();
        base.Dispose();
    }
}
