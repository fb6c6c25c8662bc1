using System.Text;
using Kawal.Data;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Registry;

/// <summary>
/// Issue 23, item 5: each file made to exhaust the reader is refused with the limit it passed, in both languages, after
/// reading little and holding less. Memory is measured as the bytes this thread allocated while the file was read (the
/// reading is synchronous), which does not depend on the machine's speed or the other tests.
/// </summary>
public class UploadLimitTests
{
    private const long Megabyte = 1 << 20;

    /// <summary>
    /// Opens the file and reads every row: the refusal, asserted to be <paramref name="code"/>, to carry its Indonesian
    /// message, and to have cost this thread less than <paramref name="withinMegabytes"/> of allocations.
    /// </summary>
    private static ImportFileException Refused(string path, string code, ImportLimits? limits = null, int withinMegabytes = 4)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refusal = Assert.Throws<ImportFileException>(() =>
        {
            using var file = TabularFile.Open(path, limits);
            foreach (var _ in file.Rows())
            {
            }
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(code, refusal.Code);
        Assert.True(allocated < withinMegabytes * Megabyte, $"{allocated:N0} bytes allocated");
        Assert.False(string.IsNullOrWhiteSpace(refusal.Indonesian));
        Assert.NotEqual(refusal.Indonesian, refusal.Message);
        return refusal;
    }

    private static (List<TabularRow> Rows, long Allocated) ReadAll(string path, ImportLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var file = TabularFile.Open(path, limits);
        var rows = file.Rows().ToList();
        return (rows, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("ZZZZZZ2")]
    [InlineData("XFE2")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2")]
    public void A_cell_reference_beyond_column_XFD_is_refused_without_padding_the_row(string reference)
    {
        var file = AttackFiles.Sheet("column", $"""<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="{reference}"><v>1</v></c></row>""");

        var refusal = Refused(file, "xlsx.column");

        Assert.Equal(2, refusal.Row);
        Assert.Contains("XFD", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("XFD", refusal.Indonesian, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_cell_far_out_costs_nothing_and_a_value_beyond_the_columns_limit_is_refused()
    {
        var empty = AttackFiles.Sheet("far-empty", """<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2" s="1"/></row>""");
        var valued = AttackFiles.Sheet("far-value", """<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2"><v>1</v></c></row>""");

        var (rows, allocated) = ReadAll(empty);
        var refusal = Refused(valued, "file.too_many_columns");

        Assert.Equal(["x"], Assert.Single(rows).Cells);
        Assert.True(allocated < 4 * Megabyte, $"{allocated:N0} bytes");
        Assert.Equal(2, refusal.Row);
    }

    [Theory]
    [InlineData("""<row r="9999999"><c r="A9999999"><v>1</v></c></row>""")]
    [InlineData("""<row r="2"><c r="A9999999"><v>1</v></c></row>""")]
    [InlineData("""<row r="1048577"><c><v>1</v></c></row>""")]
    public void A_row_number_beyond_the_sheet_is_refused(string row)
    {
        var refusal = Refused(AttackFiles.Sheet("row", row), "xlsx.row");

        Assert.Contains("1,048,576", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("1.048.576", refusal.Indonesian, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_of_a_million_empty_rows_is_not_materialised()
    {
        var file = AttackFiles.Sheet("gap", """<row r="2"><c r="A2"><v>1</v></c></row><row r="1048576"><c r="B1048576"><v>2</v></c></row>""");

        var (rows, allocated) = ReadAll(file);

        Assert.Equal([2, 1_048_576], rows.Select(r => r.Number));
        Assert.Equal(["", "2"], rows[1].Cells);
        Assert.True(allocated < 4 * Megabyte, $"{allocated:N0} bytes");
    }

    [Fact]
    public void A_zip_bomb_is_refused_by_its_ratio_before_it_is_inflated()
    {
        Assert.True(new FileInfo(AttackFiles.Bomb).Length < 2 * Megabyte);

        var refusal = Refused(AttackFiles.Bomb, "xlsx.compression_ratio");

        Assert.Contains("xl/worksheets/sheet1.xml", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("bom kompresi", refusal.Indonesian, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_whose_headers_lie_inflates_no_further_than_they_declare()
    {
        // Declared: 64 KiB, a ratio of nothing. The sheet stops there, mid-padding: an unreadable sheet, read in a moment.
        var refusal = Refused(AttackFiles.LyingBomb(64 * 1024), "file.format");

        Assert.Contains("sheet1.xml", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Padding_without_markup_is_stopped_at_a_megabyte_even_where_the_ratio_is_allowed()
    {
        Refused(AttackFiles.Bomb, "xlsx.markup", new ImportLimits { MaxCompressionRatio = int.MaxValue, MaxUncompressedBytes = 2L << 30 }, withinMegabytes: 8);
    }

    [Fact]
    public void A_workbook_that_expands_past_the_limit_is_refused_before_it_is_read()
    {
        var random = new Random(23);
        var file = AttackFiles.Xlsx("large", sheet =>
        {
            AttackFiles.Write(sheet, $"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{AttackFiles.Header}""");
            for (var row = 2; row < 60_000; row++)
            {
                AttackFiles.Write(sheet, $"""<row r="{row}"><c><v>{random.NextInt64()}</v></c><c><v>{random.NextInt64()}</v></c></row>""");
            }

            AttackFiles.Write(sheet, "</sheetData></worksheet>");
        }, level: System.IO.Compression.CompressionLevel.Fastest);

        var refusal = Refused(file, "xlsx.too_large", new ImportLimits { MaxUncompressedBytes = 2 * Megabyte });

        Assert.Contains("2 MB", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sheet")]
    [InlineData("sharedStrings")]
    public void A_DTD_is_refused_so_the_billion_laughs_never_expand(string part)
    {
        var body = """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""" + AttackFiles.Header +
            """<row r="2"><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>""";
        var shared = """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>""";
        var file = part == "sheet"
            ? AttackFiles.Xlsx("laughs", s => AttackFiles.Write(s, AttackFiles.BillionLaughs("worksheet") + body))
            : AttackFiles.Xlsx("laughs", s => AttackFiles.Write(s, body.Replace("&lol9;", "x", StringComparison.Ordinal)), s => AttackFiles.Write(s, AttackFiles.BillionLaughs("sst") + shared));

        var refusal = Refused(file, "xlsx.dtd");

        Assert.Contains(part, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_shared_strings_than_the_limit_are_refused()
    {
        var count = ImportLimits.Default.MaxSharedStrings + 1;
        var file = AttackFiles.Xlsx("shared", s => AttackFiles.Write(s, $"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{AttackFiles.Header}</sheetData></worksheet>"""), s =>
        {
            AttackFiles.Write(s, $"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">""");
            var items = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<si/>", 100_000)));
            for (var i = 0; i < (count / 100_000) + 1; i++)
            {
                s.Write(items);
            }

            AttackFiles.Write(s, "</sst>");
        });

        // Twenty megabytes of "<si/>" compress a thousand times: the ratio would refuse them first; here it is let through.
        // The table itself is allocated up to its limit (4 million references), and nothing per item beyond it.
        var refusal = Refused(file, "xlsx.shared_strings", new ImportLimits { MaxCompressionRatio = int.MaxValue }, withinMegabytes: 160);

        Assert.Contains("4,000,000", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_strings_past_their_characters_are_refused()
    {
        var text = new string('x', 30_000);
        var file = AttackFiles.Sheet("shared-chars", "", $"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{string.Concat(Enumerable.Repeat($"<si><t>{text}</t></si>", 10))}</sst>""");

        var refusal = Refused(file, "xlsx.shared_strings", new ImportLimits { MaxSharedStringChars = 100_000 });

        Assert.Contains("characters", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_longer_than_Excel_allows_is_refused_and_a_megabyte_of_text_is_never_held()
    {
        var cell = AttackFiles.Sheet("cell", $"""<row r="2"><c r="B2" t="inlineStr"><is><t>{new string('x', 40_000)}</t></is></c></row>""");
        var text = AttackFiles.Xlsx("text", s =>
        {
            AttackFiles.Write(s, $"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{AttackFiles.Header}<row r="2"><c><v>""");
            for (var i = 0; i < 10; i++)
            {
                AttackFiles.Write(s, new string('9', 1 << 20));
            }

            AttackFiles.Write(s, "</v></c></row></sheetData></worksheet>");
        });

        var tooLong = Refused(cell, "file.field_too_long");
        Refused(text, "xlsx.markup", new ImportLimits { MaxCompressionRatio = int.MaxValue }, withinMegabytes: 8);

        Assert.Equal(2, tooLong.Row);
        Assert.Contains("column B", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_past_the_limit_are_refused_in_XLSX_and_CSV()
    {
        var limits = new ImportLimits { MaxRows = 10 };
        var xlsx = AttackFiles.Sheet("rows", string.Concat(Enumerable.Range(2, 11).Select(r => $"""<row r="{r}"><c><v>{r}</v></c></row>""")));
        var csv = AttackFiles.Text("rows", w => w.Write("nik,name\n" + string.Concat(Enumerable.Range(2, 11).Select(r => $"{r},x\n"))));
        var atLimit = AttackFiles.Text("rows-ok", w => w.Write("nik,name\n" + string.Concat(Enumerable.Range(2, 10).Select(r => $"{r},x\n"))));

        Refused(xlsx, "file.too_many_rows", limits);
        Refused(csv, "file.too_many_rows", limits);
        Assert.Equal(10, ReadAll(atLimit, limits).Rows.Count);
    }

    [Fact]
    public void A_CSV_line_of_10_MB_is_refused_at_the_line_limit()
    {
        var field = new string('x', 10_000);
        var file = AttackFiles.Text("long-line", w =>
        {
            w.Write("nik,name\n1,");
            for (var i = 0; i < 1_000; i++)
            {
                w.Write(field);
                w.Write(',');
            }

            w.Write('\n');
        });

        var refusal = Refused(file, "file.line_too_long", withinMegabytes: 16);

        Assert.True(new FileInfo(file).Length > 10_000_000);
        Assert.Equal(2, refusal.Row);
    }

    [Theory]
    [InlineData('x', "file.field_too_long")]
    [InlineData(',', "file.too_many_columns")]
    public void A_CSV_line_of_one_10_MB_field_or_of_10_million_fields_is_refused(char fill, string code)
    {
        var file = AttackFiles.Text("long-field", w =>
        {
            w.Write("nik,name\n");
            w.Write(new string(fill, 10_000_000));
            w.Write('\n');
        });

        Assert.Equal(2, Refused(file, code, withinMegabytes: 8).Row);
    }

    [Fact]
    public void A_CSV_header_line_of_10_MB_is_refused_before_the_separator_is_chosen()
    {
        var file = AttackFiles.Text("long-header", w => w.Write(new string('x', 10_000_000)));

        Assert.Equal(1, Refused(file, "file.line_too_long", withinMegabytes: 16).Row);
    }

    [EngineTheory]
    public async Task A_file_refused_half_way_is_recorded_failed_with_its_reason_never_left_running(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var header = """<row r="1"><c r="A1" t="inlineStr"><is><t>nik</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>segment</t></is></c><c r="D1" t="inlineStr"><is><t>start_date</t></is></c></row>""";
        var halfWay = AttackFiles.Xlsx("half-way", s => AttackFiles.Write(s,
            $"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{header}<row r="2"><c t="inlineStr"><is><t>6371021708850001</t></is></c><c r="ZZZZZZ2"><v>1</v></c></row></sheetData></worksheet>"""));

        var failed = await Assert.ThrowsAsync<ImportFileException>(() => Import(t, "participants", halfWay));
        var refused = await Assert.ThrowsAsync<ImportFileException>(() => Import(t, "participants", AttackFiles.Bomb));

        Assert.Equal(("xlsx.column", "xlsx.compression_ratio"), (failed.Code, refused.Code));
        var recorded = await Query<(long Id, string Status, string? Finished, int Row, string Code, string MessageId, string MessageEn)>(t,
            """
            SELECT i.id, i.status, CAST(i.finished_at AS text), e.row_number, e.code, e.message_id, e.message_en
            FROM imports i JOIN import_errors e ON e.import_id = i.id WHERE i.kind = 'participants' ORDER BY i.id
            """);
        Assert.Equal([(failed.ImportId, "failed", 2, "xlsx.column"), (refused.ImportId, "failed", 0, "xlsx.compression_ratio")],
            recorded.Select(r => ((long?)r.Id, r.Status, r.Row, r.Code)));
        Assert.All(recorded, r => Assert.True(r.Finished is not null && r.MessageId != r.MessageEn));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM imports WHERE status = 'running'"));
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM audit_log WHERE action = 'import.failed'"));
    }

    [Fact]
    public async Task A_rejected_value_is_quoted_to_100_characters_in_the_report_and_the_ledger()
    {
        await using var t = await TestDatabase.MigratedAsync(Engine.Sqlite);
        await Import(t, "employers", "employers.csv");
        var name = new string('N', 5_000);
        var file = AttackFiles.Text("long-name", w => w.Write($"nik,name,segment,start_date\n6371021708850001,{name},BPU,2024-01-01\n"));

        var summary = await Import(t, "participants", file);

        var value = Assert.Single(await Query<string>(t, "SELECT value FROM import_errors WHERE import_id = @id AND code = 'name.too_long'", new { id = summary.ImportId }));
        Assert.Equal(new string('N', 99) + "…", value);
        Assert.Contains(new string('N', 99) + "…", await System.IO.File.ReadAllTextAsync(summary.ErrorReport!), StringComparison.Ordinal);
        Assert.DoesNotContain(new string('N', 101), await System.IO.File.ReadAllTextAsync(summary.ErrorReport!), StringComparison.Ordinal);
    }
}
