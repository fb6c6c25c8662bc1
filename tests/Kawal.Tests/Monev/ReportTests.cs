using Kawal.Data;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Kawal.Testing;

namespace Kawal.Tests.Monev;

/// <summary>Report files open: the XLSX parses with its sheets and numbers, the PDF is well-formed and holds the expected text, the CSV has the sections.</summary>
public class ReportTests
{
    [EngineTheory]
    public async Task Region_and_national_reports_open_in_every_format(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var doc = await f.Reports.RegionAsync("63.71", MonevFixture.October, MonevFixture.Admin);
        var pdf = ReportRenderer.Render(doc, "pdf");
        var text = PdfText(pdf);
        Assert.Contains("Laporan Monev Inpres 2/2021", text, StringComparison.Ordinal);
        Assert.Contains("Kota Banjarmasin", text, StringComparison.Ordinal);
        Assert.Contains("Peserta aktif per segmen", text, StringComparison.Ordinal);
        Assert.Contains("Oktober 2026", text, StringComparison.Ordinal);

        using (var xlsx = SpreadsheetDocument.Open(new MemoryStream(ReportRenderer.Render(doc, "xlsx")), false))
        {
            var names = xlsx.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value).ToList();
            Assert.Equal(["Ringkasan", "Indikator", "Komitmen daerah", "Komponen skor", "Rekomendasi terbuka"], names);
            var indicatorSheet = (WorksheetPart)xlsx.WorkbookPart.GetPartById(xlsx.WorkbookPart.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ElementAt(1).Id!);
            var rows = indicatorSheet.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
            Assert.DoesNotContain(rows, r => r.InnerText.Contains("participants.", StringComparison.Ordinal)); // names, not keys
            var row = rows.First(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().First().InnerText == "Peserta aktif");
            var value = row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(1);
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.Number, value.DataType!.Value);
            Assert.Equal("4", value.CellValue!.Text); // A B C F in Banjarmasin

            // the heading row stays in view, and rupiah cells are numbers formatted "Rp"#,##0, not text
            var pane = indicatorSheet.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Pane>().Single();
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PaneStateValues.Frozen, pane.State!.Value);
            Assert.Equal("A2", pane.TopLeftCell!.Value);
            var formats = xlsx.WorkbookPart.WorkbookStylesPart!.Stylesheet;
            var rupiahFormat = formats.NumberingFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.NumberingFormat>().Single(n => n.FormatCode!.Value!.Contains("Rp", StringComparison.Ordinal));
            var cellFormats = formats.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ToList();
            var arrears = rows.First(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().First().InnerText == "Iuran ditagih")
                .Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(1);
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.Number, arrears.DataType!.Value);
            Assert.Equal(rupiahFormat.NumberFormatId!.Value, cellFormats[(int)arrears.StyleIndex!.Value].NumberFormatId!.Value);
        }

        var csv = Encoding.UTF8.GetString(ReportRenderer.Render(doc, "csv"));
        Assert.Contains("indikator,Peserta aktif,4\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("sumber,\"Sumber: registri kepesertaan", csv, StringComparison.Ordinal);
        Assert.Contains("halaman 1 dari", text, StringComparison.Ordinal);
        Assert.Matches(@"Data per \d{1,2} (Oktober|November) 2026\. Dibuat \d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB", text);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", text);

        var national = await f.Reports.NationalAsync(MonevFixture.October, MonevFixture.Admin);
        var nationalText = PdfText(ReportRenderer.Render(national, "pdf"));
        Assert.Contains("Laporan Nasional Pelaksanaan Inpres 2/2021", nationalText, StringComparison.Ordinal);
        Assert.Contains("Jaksa Agung", nationalText, StringComparison.Ordinal);
        Assert.Contains("24 menteri/kepala lembaga pusat, 38 gubernur, 416 bupati, 98 wali kota", nationalText, StringComparison.Ordinal);
        Assert.Contains("Cakupan non-ASN", nationalText, StringComparison.Ordinal); // nine columns: a landscape page, headings whole, not clipped
        Assert.DoesNotContain("…", nationalText, StringComparison.Ordinal);
        Assert.Contains("/MediaBox [0 0 842 595]", Encoding.Latin1.GetString(ReportRenderer.Render(national, "pdf")), StringComparison.Ordinal);
        await Assert.ThrowsAsync<Kawal.Identity.ForbiddenException>(() => f.Reports.NationalAsync(MonevFixture.October, MonevFixture.Officer(Kawal.Identity.Role.ProvinceOfficer, "63")));
    }

    /// <summary>
    /// A regency officer downloads its own region's report (it answered 404: the ranking asked for the province's board), and
    /// the report ranks the regency among its province's regencies and all 514 — not "1 of 1"; a province among 38.
    /// </summary>
    [EngineTheory]
    public async Task A_regency_officer_s_own_report_ranks_it_among_its_real_peers(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine);
        var officer = MonevFixture.Officer(Kawal.Identity.Role.RegencyOfficer, "63.71");
        var doc = await f.Reports.RegionAsync("63.71", MonevFixture.October, officer);
        var score = Assert.Single(doc.Lines, l => l.StartsWith("Skor indeks", StringComparison.Ordinal));
        Assert.Matches(@"peringkat \d+ dari 13 kabupaten/kota di Kalimantan Selatan dan peringkat \d+ dari 514 kabupaten/kota se-Indonesia", score);

        var board = await f.Scorecards.ForAsync("regency", "63", MonevFixture.October, officer);
        var own = Assert.Single(board.Rows); // it sees its own row only, ranked among all
        Assert.Equal(("63.71", 514, 13), (own.Code, board.Ranked, own.ProvincePeers));
        await Assert.ThrowsAsync<Kawal.NotFoundException>(() => f.Scorecards.ForAsync("regency", "64", MonevFixture.October, officer));

        var province = await f.Reports.RegionAsync("63", MonevFixture.October, MonevFixture.Officer(Kawal.Identity.Role.ProvinceOfficer, "63"));
        Assert.Matches(@"peringkat \d+ dari 38 provinsi", Assert.Single(province.Lines, l => l.StartsWith("Skor indeks", StringComparison.Ordinal)));
    }

    /// <summary>Checks the PDF's cross-reference offsets and returns the text of its Tj operators.</summary>
    internal static string PdfText(byte[] pdf)
    {
        var s = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-1.4", s, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", s, StringComparison.Ordinal);
        var startxref = int.Parse(s[(s.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("xref", s[startxref..], StringComparison.Ordinal);
        var entries = s[startxref..].Split('\n').Skip(3).TakeWhile(l => l.EndsWith(" n ", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var offset = int.Parse(entries[i][..10], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"{i + 1} 0 obj", s[offset..], StringComparison.Ordinal);
        }

        var text = new StringBuilder();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(s, @"\(((?:\\.|[^\\)])*)\) Tj"))
        {
            text.Append(m.Groups[1].Value.Replace("\\(", "(", StringComparison.Ordinal).Replace("\\)", ")", StringComparison.Ordinal).Replace("\u0096", "–", StringComparison.Ordinal)).Append('\n');
        }

        return text.ToString();
    }
}
