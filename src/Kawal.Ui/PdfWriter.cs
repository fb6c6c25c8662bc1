using System.Globalization;
using System.Text;

namespace Kawal.Ui;

/// <summary>
/// A small PDF 1.4 writer: A4 pages of text in the standard Helvetica fonts (WinAnsi encoding, nothing to embed, so
/// the report renders the same on any server without fonts installed), filled rectangles and lines. Content streams
/// are left uncompressed. See docs/architecture.md (departure 13) for why not PDFsharp.
/// </summary>
public sealed class PdfWriter
{
    public const double PageWidth = 595, PageHeight = 842, Margin = 48;

    private readonly List<(StringBuilder Content, bool Landscape)> _pages = [];
    private StringBuilder _page = null!;

    public PdfWriter() => NewPage();

    /// <summary>Distance from the page's top of the next line.</summary>
    public double Y { get; set; }

    public int PageCount => _pages.Count;

    /// <summary>Starts a page: A4 portrait, or landscape for a table too wide for it.</summary>
    public void NewPage(bool landscape = false)
    {
        _page = new StringBuilder();
        _pages.Add((_page, landscape));
        Y = Margin;
    }

    /// <summary>Whether the current page is landscape.</summary>
    public bool Landscape => _pages[^1].Landscape;

    /// <summary>The current page's width and height in points.</summary>
    public double CurrentWidth => Landscape ? PageHeight : PageWidth;

    public double CurrentHeight => Landscape ? PageWidth : PageHeight;

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit.</summary>
    public void Need(double height)
    {
        if (Y + height > CurrentHeight - Margin)
        {
            NewPage(Landscape);
        }
    }

    public void Text(double x, double top, double size, string text, bool bold = false, bool right = false)
    {
        var t = Encode(text);
        var width = Width(text, size);
        var left = right ? x - width : x;
        _page.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {N(size)} Tf {N(left)} {N(CurrentHeight - top - size)} Td (").Append(t).Append(") Tj ET\n");
    }

    public void Rect(double x, double top, double w, double h, string rgb)
    {
        var (r, g, b) = Rgb(rgb);
        _page.Append(CultureInfo.InvariantCulture, $"{N(r)} {N(g)} {N(b)} rg {N(x)} {N(CurrentHeight - top - h)} {N(w)} {N(h)} re f 0 0 0 rg\n");
    }

    public void Line(double x1, double top1, double x2, double top2, double width = 0.5)
    {
        _page.Append(CultureInfo.InvariantCulture, $"{N(width)} w {N(x1)} {N(CurrentHeight - top1)} m {N(x2)} {N(CurrentHeight - top2)} l S\n");
    }

    /// <summary>Approximate width of Helvetica text (average glyph widths; enough to wrap and right-align).</summary>
    public static double Width(string text, double size) => text.Sum(ch => ch switch
    {
        ' ' or '.' or ',' or ':' or ';' or 'i' or 'l' or 'j' or 'I' or '\'' or '|' => 0.28,
        'm' or 'w' or 'M' or 'W' => 0.83,
        >= 'A' and <= 'Z' => 0.67,
        >= '0' and <= '9' => 0.556,
        _ => 0.52,
    }) * size;

    /// <summary>Splits text into lines no wider than <paramref name="width"/>.</summary>
    public static IEnumerable<string> Wrap(string text, double size, double width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && Width(candidate, size) > width)
            {
                yield return line.ToString();
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>The document; every page's foot carries the title, "halaman X dari Y" and, when given, the footnote (source, generation and data dates).</summary>
    public byte[] ToBytes(string title, string? footnote = null)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "", // pages, filled below
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            $"<< /Title ({Encode(title)}) /Producer (Kawal) >>",
        };
        var kids = new List<int>();
        var footerFont = 8.0;
        for (var i = 0; i < _pages.Count; i++)
        {
            var footer = $"{title} - halaman {i + 1} dari {_pages.Count}";
            var (page, landscape) = _pages[i];
            var content = page + string.Create(CultureInfo.InvariantCulture, $"BT /F1 {N(footerFont)} Tf {N(Margin)} {N(Margin / 2)} Td ({Encode(footer)}) Tj ET\n");
            if (footnote is not null)
            {
                content += string.Create(CultureInfo.InvariantCulture, $"BT /F1 {N(footerFont - 1)} Tf {N(Margin)} {N((Margin / 2) - 10)} Td ({Encode(footnote)}) Tj ET\n");
            }

            objects.Add($"<< /Length {Latin1(content).Length} >>\nstream\n{content}endstream");
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(landscape ? PageHeight : PageWidth)} {N(landscape ? PageWidth : PageHeight)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {objects.Count} 0 R >>");
            kids.Add(objects.Count);
        }

        objects[1] = $"<< /Type /Pages /Kids [{string.Join(" ", kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>";
        using var output = new MemoryStream();
        void Write(string s)
        {
            var bytes = Latin1(s);
            output.Write(bytes, 0, bytes.Length);
        }

        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = output.Position;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            sb.Append(o.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Write(sb.ToString());
        return output.ToArray();
    }

    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>Text as a PDF string body in WinAnsi: escapes, the few Windows-1252 punctuation marks, '?' for what it lacks.</summary>
    public static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = ch switch
            {
                '–' => '\u0096',
                '—' => '\u0097',
                '…' => '\u0085',
                '‘' => '\u0091',
                '’' => '\u0092',
                '“' => '\u0093',
                '”' => '\u0094',
                '•' => '\u0095',
                '≥' => '\0',
                '≤' => '\0',
                _ => ch is >= ' ' and <= '~' or >= '\u00a0' and <= '\u00ff' ? ch : '?',
            };
            if (ch == '≥')
            {
                sb.Append(">=");
                continue;
            }

            if (ch == '≤')
            {
                sb.Append("<=");
                continue;
            }

            if (c is '(' or ')' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static (double R, double G, double B) Rgb(string hex)
    {
        var h = hex.TrimStart('#');
        double P(int i) => int.Parse(h.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
        return (P(0), P(2), P(4));
    }

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
