using System.Text;

namespace Kawal.Registry.Import;

/// <summary>A row of a spreadsheet: its number as a person sees it (the header is row 1) and its cells by column.</summary>
public sealed record TabularRow(int Number, IReadOnlyList<string> Cells, IReadOnlySet<int> NumericCells);

/// <summary>Reads a CSV or XLSX file as a header and a stream of rows, in bounded memory, held to its <see cref="ImportLimits"/>.</summary>
public abstract class TabularFile : IDisposable
{
    public abstract string Format { get; }

    public abstract IReadOnlyList<string> Header { get; }

    public abstract IEnumerable<TabularRow> Rows();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Opens a file, deciding by content (ZIP signature: XLSX; otherwise UTF-8 CSV), held to <paramref name="limits"/> (default <see cref="ImportLimits.Default"/>).</summary>
    public static TabularFile Open(string path, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        switch (Sniff(path))
        {
            case null:
                throw new ImportFileException("file.missing", $"file not found: {path}") { Indonesian = $"berkas tidak ditemukan: {path}" };
            case "empty":
                throw new ImportFileException("file.empty", $"{Path.GetFileName(path)} is empty (0 bytes)") { Indonesian = $"{Path.GetFileName(path)} kosong (0 byte)" };
            case "xlsx":
                return XlsxFile.OpenWorkbook(path, limits);
            case "xls":
                throw new ImportFileException("file.format", $"{Path.GetFileName(path)} is an old Excel (.xls) workbook: save it as .xlsx or CSV UTF-8")
                {
                    Indonesian = $"{Path.GetFileName(path)} adalah buku kerja Excel lama (.xls): simpan sebagai .xlsx atau CSV UTF-8",
                };
            case "binary":
                throw new ImportFileException("file.binary", $"{Path.GetFileName(path)} is not a CSV or XLSX file (it contains binary data)")
                {
                    Indonesian = $"{Path.GetFileName(path)} bukan berkas CSV atau XLSX (berisi data biner)",
                };
            default:
                CheckUtf8(path);
                return new CsvFile(path, limits);
        }
    }

    /// <summary>What a file looks like from its first bytes: null (missing), empty, xlsx, xls, binary or csv.</summary>
    internal static string? Sniff(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var head = new byte[8192];
        int read;
        using (var probe = File.OpenRead(path))
        {
            read = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        return read switch
        {
            0 => "empty",
            >= 4 when head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 => "xlsx",
            >= 8 when head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0 => "xls",
            _ when head.AsSpan(0, read).Contains((byte)0) => "binary",
            _ => "csv",
        };
    }

    /// <summary>A first pass over the whole file: a byte that is not UTF-8 stops the import before anything is saved.</summary>
    private static void CheckUtf8(string path)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[1 << 17];
        long offset = 0;
        var line = 1;
        using var stream = File.OpenRead(path);
        int n;
        while ((n = stream.Read(bytes, 0, bytes.Length)) > 0)
        {
            try
            {
                decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
            }
            catch (DecoderFallbackException e)
            {
                var at = offset + Math.Max(0, e.Index);
                line += bytes.AsSpan(0, (int)Math.Min(n, Math.Max(0, at - offset))).Count((byte)'\n');
                throw new ImportFileException("file.encoding",
                    $"{Path.GetFileName(path)} is not UTF-8 (line {line}): it looks like Windows-1252/ANSI. In Excel choose 'Save as → CSV UTF-8' and import again; nothing was imported")
                {
                    Indonesian = $"{Path.GetFileName(path)} bukan UTF-8 (baris {line}): tampaknya Windows-1252/ANSI. Di Excel pilih 'Simpan sebagai → CSV UTF-8' lalu impor lagi; tidak ada yang diimpor",
                    Row = line,
                };
            }

            line += bytes.AsSpan(0, n).Count((byte)'\n');
            offset += n;
        }
    }
}
