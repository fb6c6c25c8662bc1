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

    public static byte[] Xlsx(ReportDocument doc)
    {
        using var stream = new MemoryStream();
        using (var book = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = book.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var sheets = wb.Workbook.AppendChild(new Sheets());
            uint id = 1;
            void Sheet(string name, IEnumerable<IReadOnlyList<string>> rows, IReadOnlySet<int> numeric, int headerRows)
            {
                var part = wb.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                uint r = 1;
                foreach (var row in rows)
                {
                    var xr = new Row { RowIndex = r };
                    for (var i = 0; i < row.Count; i++)
                    {
                        var number = r > headerRows && numeric.Contains(i) ? ParseNumber(row[i]) : null;
                        xr.Append(number is { } n
                            ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)) }
                            : new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(row[i])) });
                    }

                    data.Append(xr);
                    r++;
                }

                part.Worksheet = new Worksheet(data);
                sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = name.Length > 31 ? name[..31] : name });
            }

            Sheet("Ringkasan", new[] { (IReadOnlyList<string>)[doc.Title] }.Concat(doc.Lines.Select(l => (IReadOnlyList<string>)[l])), new HashSet<int>(), 1);
            foreach (var t in doc.Tables)
            {
                Sheet(t.Title.Replace('/', '-').Replace(':', ' '), new[] { t.Columns }.Concat(t.Rows), t.NumericColumns, 1);
            }

            wb.Workbook.Save();
        }

        return stream.ToArray();
    }

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
        const double Width = PdfWriter.PageWidth - (2 * PdfWriter.Margin);
        pdf.Text(L, pdf.Y, 15, doc.Title, bold: true);
        pdf.Y += 24;
        foreach (var line in doc.Lines)
        {
            foreach (var part in PdfWriter.Wrap(line, 9.5, Width))
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
                pdf.Rect(L + 145, pdf.Y, Math.Max(0.5, (Width - 240) * value / max), 10, "#2b7a78");
                pdf.Text(L + Width, pdf.Y, 8.5, display, right: true);
                pdf.Y += 15;
            }

            pdf.Y += 10;
        }

        foreach (var t in doc.Tables)
        {
            var widths = t.Widths ?? t.Columns.Select(_ => 1.0).ToList();
            var scale = Width / widths.Sum();
            var xs = new List<double>();
            var x = L;
            foreach (var w in widths)
            {
                xs.Add(x);
                x += w * scale;
            }

            void Header()
            {
                for (var i = 0; i < t.Columns.Count; i++)
                {
                    var right = t.NumericColumns.Contains(i);
                    pdf.Text(right ? xs[i] + (widths[i] * scale) - 3 : xs[i], pdf.Y, 8, Clip(t.Columns[i], 8, (widths[i] * scale) - 4), bold: true, right: right);
                }

                pdf.Y += 11;
                pdf.Line(L, pdf.Y, L + Width, pdf.Y);
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
                if (pdf.Y + (lines * 11) > PdfWriter.PageHeight - PdfWriter.Margin)
                {
                    pdf.NewPage();
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

        return pdf.ToBytes(doc.Title);
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
