using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Kawal.Ui;

namespace Kawal.Monev.Reports;

/// <summary>Renders a <see cref="ReportDocument"/> as PDF (charts drawn), XLSX (a sheet per table) or CSV (one table per section).</summary>
public static class ReportRenderer
{
    private static readonly string[] Section = ["bagian"];

    /// <summary>A table with this many columns or more is printed on a landscape page rather than squeezed.</summary>
    private const int LandscapeColumns = 7;

    public static IReadOnlyList<string> Formats { get; } = ["pdf", "xlsx", "csv"];

    public static string ContentType(string format) => format switch
    {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    };

    public static byte[] Render(ReportDocument doc, string format) => format switch
    {
        "pdf" => Pdf(doc),
        "xlsx" => Xlsx(doc),
        "csv" => Csv(doc),
        _ => throw new UsageException($"format must be pdf, xlsx or csv, not '{format}'", "format") { Indonesian = $"Format laporan harus PDF, XLSX atau CSV, bukan '{format}'." },
    };

    /// <summary>CSV: columns bagian (section), then each table's own columns under a heading row; UTF-8 with BOM for Excel.</summary>
    public static byte[] Csv(ReportDocument doc)
    {
        var sb = new StringBuilder();
        void Row(IEnumerable<string> cells) => sb.Append(string.Join(",", cells.Select(c => Kawal.Csv.Field(Kawal.Csv.Neutralise(c))))).Append("\r\n");
        Row(["bagian", doc.Title]);
        foreach (var line in doc.Lines)
        {
            Row(["keterangan", line]);
        }

        if (doc.Footnote is not null)
        {
            Row(["sumber", doc.Footnote]);
        }

        foreach (var t in doc.Tables)
        {
            Row(Section.Concat(t.Columns));
            foreach (var r in t.Rows)
            {
                Row(r.Prepend(t.Key));
            }
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
    }

    /// <summary>
    /// XLSX: a summary sheet, then a sheet per table with its heading row frozen, columns sized to their text, and numbers
    /// typed — rupiah in an <c>Rp#.##0</c> format, percentages in <c>0,0 %</c>, counts with thousands separators — so
    /// that the sheet sums and sorts.
    /// </summary>
    public static byte[] Xlsx(ReportDocument doc)
    {
        using var stream = new MemoryStream();
        using (var book = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = book.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var styles = wb.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Styles();
            var sheets = wb.Workbook.AppendChild(new Sheets());
            uint id = 1;
            void Sheet(string name, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlySet<int> numeric, bool header)
            {
                var part = wb.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                uint r = 1;
                foreach (var row in rows)
                {
                    var xr = new Row { RowIndex = r };
                    for (var i = 0; i < row.Count; i++)
                    {
                        var head = header && r == 1;
                        var number = !head && numeric.Contains(i) ? ParseNumber(row[i]) : null;
                        xr.Append(number is { } n
                            ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)), StyleIndex = NumberStyle(row[i]) }
                            : new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(row[i])), StyleIndex = head ? HeaderStyle : WrapStyle });
                    }

                    data.Append(xr);
                    r++;
                }

                var columns = new Columns();
                var count = rows.Count == 0 ? 0 : rows.Max(x => x.Count);
                for (var i = 0; i < count; i++)
                {
                    var longest = rows.Where(x => x.Count > i).Select(x => x[i].Length).DefaultIfEmpty(8).Max();
                    columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = Math.Clamp(longest + 2, 8, 60), CustomWidth = true });
                }

                var worksheet = new Worksheet();
                if (header && rows.Count > 1)
                {
                    worksheet.Append(new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                    {
                        WorkbookViewId = 0,
                    }));
                }

                if (count > 0)
                {
                    worksheet.Append(columns);
                }

                worksheet.Append(data);
                part.Worksheet = worksheet;
                sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = name.Length > 31 ? name[..31] : name });
            }

            var summary = new List<IReadOnlyList<string>>();
            summary.Add([doc.Title]);
            summary.AddRange(doc.Lines.Select(l => (IReadOnlyList<string>)[l]));
            if (doc.Footnote is not null)
            {
                summary.Add([doc.Footnote]);
            }

            Sheet("Ringkasan", summary, new HashSet<int>(), false);
            foreach (var t in doc.Tables)
            {
                Sheet(t.Title.Replace('/', '-').Replace(':', ' '), [t.Columns, .. t.Rows], t.NumericColumns, true);
            }

            wb.Workbook.Save();
        }

        return stream.ToArray();
    }

    private const uint HeaderStyle = 1, WrapStyle = 2, RupiahStyle = 3, PercentStyle = 4, CountStyle = 5, DecimalStyle = 6;

    /// <summary>The number format a display text asks for: <c>Rp1.234</c> rupiah, <c>45,6 %</c> a percentage, <c>12,5</c> a decimal, else a count.</summary>
    private static uint NumberStyle(string display) =>
        display.StartsWith("Rp", StringComparison.Ordinal) ? RupiahStyle
        : display.EndsWith('%') ? PercentStyle
        : display.Contains(',', StringComparison.Ordinal) ? DecimalStyle
        : CountStyle;

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "\"Rp\"#,##0" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0\" %\"" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "0.0" }) { Count = 3 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 1, ApplyFont = true, ApplyAlignment = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 166, ApplyNumberFormat = true }) { Count = 7 });

    /// <summary>A display number back to its value: "Rp1.234.567" → 1234567, "45,6 %" → 45.6, "1.234" → 1234.</summary>
    internal static decimal? ParseNumber(string text)
    {
        var t = text.Replace("Rp", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    public static byte[] Pdf(ReportDocument doc)
    {
        var pdf = new PdfWriter();
        const double L = PdfWriter.Margin;
        var width = pdf.CurrentWidth - (2 * PdfWriter.Margin);
        pdf.Text(L, pdf.Y, 15, doc.Title, bold: true);
        pdf.Y += 24;
        foreach (var line in doc.Lines)
        {
            foreach (var part in PdfWriter.Wrap(line, 9.5, width))
            {
                pdf.Need(13);
                pdf.Text(L, pdf.Y, 9.5, part);
                pdf.Y += 13;
            }
        }

        pdf.Y += 8;
        foreach (var chart in doc.Charts.Where(c => c.Bars.Count > 0))
        {
            pdf.Need(24 + (chart.Bars.Count * 16));
            pdf.Text(L, pdf.Y, 11, chart.Title, bold: true);
            pdf.Y += 18;
            var max = Math.Max(1, chart.Bars.Max(b => b.Value));
            foreach (var (label, value, display) in chart.Bars)
            {
                pdf.Need(16);
                pdf.Text(L, pdf.Y, 8.5, Clip(label, 8.5, 140));
                pdf.Rect(L + 145, pdf.Y, Math.Max(0.5, (width - 240) * value / max), 10, "#2b7a78");
                pdf.Text(L + width, pdf.Y, 8.5, display, right: true);
                pdf.Y += 15;
            }

            pdf.Y += 10;
        }

        foreach (var t in doc.Tables)
        {
            var landscape = t.Columns.Count >= LandscapeColumns;
            if (landscape != pdf.Landscape)
            {
                pdf.NewPage(landscape);
                width = pdf.CurrentWidth - (2 * PdfWriter.Margin);
            }

            var widths = t.Widths ?? t.Columns.Select(_ => 1.0).ToList();
            var scale = width / widths.Sum();
            var xs = new List<double>();
            var x = L;
            foreach (var w in widths)
            {
                xs.Add(x);
                x += w * scale;
            }

            var headings = t.Columns.Select((c, i) => PdfWriter.Wrap(c, 8, (widths[i] * scale) - 4).ToList()).ToList();
            var headingLines = Math.Max(1, headings.Max(h => h.Count));
            void Header()
            {
                for (var i = 0; i < t.Columns.Count; i++)
                {
                    var right = t.NumericColumns.Contains(i);
                    for (var k = 0; k < headings[i].Count; k++)
                    {
                        pdf.Text(right ? xs[i] + (widths[i] * scale) - 3 : xs[i], pdf.Y + (k * 10), 8, headings[i][k], bold: true, right: right);
                    }
                }

                pdf.Y += (headingLines * 10) + 1;
                pdf.Line(L, pdf.Y, L + width, pdf.Y);
                pdf.Y += 3;
            }

            pdf.Need(40);
            pdf.Text(L, pdf.Y, 11, t.Title, bold: true);
            pdf.Y += 17;
            Header();
            if (t.Rows.Count == 0)
            {
                pdf.Text(L, pdf.Y, 8.5, "(tidak ada data)");
                pdf.Y += 12;
            }

            foreach (var row in t.Rows)
            {
                var wrapped = row.Select((cell, i) => t.NumericColumns.Contains(i) ? [cell] : PdfWriter.Wrap(cell, 8.5, (widths[i] * scale) - 4).ToList()).ToList();
                var lines = Math.Max(1, wrapped.Max(w => w.Count));
                if (pdf.Y + (lines * 11) > pdf.CurrentHeight - PdfWriter.Margin)
                {
                    pdf.NewPage(landscape);
                    Header();
                }

                for (var i = 0; i < row.Count; i++)
                {
                    var right = t.NumericColumns.Contains(i);
                    for (var k = 0; k < wrapped[i].Count; k++)
                    {
                        pdf.Text(right ? xs[i] + (widths[i] * scale) - 3 : xs[i], pdf.Y + (k * 11), 8.5, wrapped[i][k], right: right);
                    }
                }

                pdf.Y += lines * 11;
            }

            pdf.Y += 12;
        }

        return pdf.ToBytes(doc.Title, doc.Footnote);
    }

    private static string Clip(string text, double size, double width)
    {
        if (PdfWriter.Width(text, size) <= width)
        {
            return text;
        }

        var t = text;
        while (t.Length > 1 && PdfWriter.Width(t + "…", size) > width)
        {
            t = t[..^1];
        }

        return t + "…";
    }
}
