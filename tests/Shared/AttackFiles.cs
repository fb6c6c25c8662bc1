using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Kawal.Testing;

/// <summary>
/// Spreadsheets made to hurt a reader (issue 23): real XLSX archives written with System.IO.Compression, their sheets
/// streamed into the archive so that a gigabyte of padding costs the test a buffer, not a gigabyte.
/// </summary>
internal static class AttackFiles
{
    public const string Header = """<row r="1"><c r="A1" t="inlineStr"><is><t>nik</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>""";

    private static readonly Lazy<string> OneGigabyteBomb = new(() => Xlsx("bomb-1gb", sheet =>
    {
        Write(sheet, $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{Header}""");
        var spaces = new byte[1 << 20];
        Array.Fill(spaces, (byte)' ');
        for (var i = 0; i < 1024; i++)
        {
            sheet.Write(spaces);
        }

        Write(sheet, "</sheetData></worksheet>");
    }));

    public static string Folder { get; } = Directory.CreateTempSubdirectory("kawal-attack-").FullName;

    /// <summary>A workbook whose first sheet's rows (inside sheetData, after the header row) are <paramref name="rows"/>.</summary>
    public static string Sheet(string name, string rows, string? sharedStrings = null) => Xlsx(name,
        sheet => Write(sheet, $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{Header}{rows}</sheetData></worksheet>"""),
        sharedStrings is null ? null : s => Write(s, sharedStrings));

    /// <summary>A 1 MB workbook whose sheet inflates to a gigabyte of spaces (headers honest: 1 GiB in 1 MB), made once.</summary>
    public static string Bomb => OneGigabyteBomb.Value;

    /// <summary>The same bomb whose ZIP headers say the sheet inflates to <paramref name="declared"/> bytes only.</summary>
    public static string LyingBomb(uint declared)
    {
        var bytes = File.ReadAllBytes(Bomb);
        var patched = 0;
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameAt, sizeAt) = signature switch { 0x04034b50 => (30, 22), 0x02014b50 => (46, 24), _ => (0, 0) };
            if (nameAt == 0)
            {
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + nameAt - (signature == 0x04034b50 ? 4 : 18)));
            if (i + nameAt + nameLength <= bytes.Length && Encoding.ASCII.GetString(bytes, i + nameAt, nameLength) == "xl/worksheets/sheet1.xml")
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeAt), declared);
                patched++;
            }
        }

        if (patched != 2)
        {
            throw new InvalidOperationException($"patched {patched} headers, expected the local and the central one");
        }

        var path = Path.Combine(Folder, $"bomb-lying-{Guid.NewGuid():N}.xlsx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A minimal workbook (content types, relationships, workbook, one sheet, optional shared strings), its parts streamed.</summary>
    public static string Xlsx(string name, Action<Stream> sheet, Action<Stream>? sharedStrings = null, CompressionLevel level = CompressionLevel.SmallestSize)
    {
        var path = Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.xlsx");
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Part(string entry, Action<Stream> write)
        {
            using var s = zip.CreateEntry(entry, level).Open();
            write(s);
        }

        Part("[Content_Types].xml", s => Write(s, """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""));
        Part("_rels/.rels", s => Write(s, """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""));
        Part("xl/workbook.xml", s => Write(s, """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Peserta" sheetId="1" r:id="rId1"/></sheets></workbook>"""));
        Part("xl/_rels/workbook.xml.rels", s => Write(s, """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""));
        Part("xl/worksheets/sheet1.xml", sheet);
        if (sharedStrings is not null)
        {
            Part("xl/sharedStrings.xml", sharedStrings);
        }

        return path;
    }

    /// <summary>A text file (CSV) written in pieces.</summary>
    public static string Text(string name, Action<TextWriter> write)
    {
        var path = Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.csv");
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        write(w);
        return path;
    }

    public static void Write(Stream s, string text) => s.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>The "billion laughs": ten entities each ten times the one before, expanding to a billion "lol"s if a DTD is processed.</summary>
    public static string BillionLaughs(string root) =>
        "<?xml version=\"1.0\"?><!DOCTYPE " + root + " [<!ENTITY lol \"lol\">" +
        string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">")) +
        "]>";
}
