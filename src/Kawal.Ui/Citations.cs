using System.Text;
using System.Text.RegularExpressions;

namespace Kawal.Ui;

/// <summary>
/// Legal citations as people read them. The rules catalogue and the rules' checks keep a citation as written for the
/// maintainers — the instrument and article, and often a note on where the figure was found or how it was chosen
/// (<c>PP 45/2015 Art. 17(3); BPS CPI inflation 2025 [? derived …, handbook §3.2]</c>). Pages and reports show only the
/// legal basis and the named sources, in the reader's language: <c>Pasal 17 ayat (3) PP 45/2015; inflasi IHK BPS 2025</c>
/// (English: <c>PP 45/2015 Art. 17(3); BPS CPI inflation 2025</c>). The notes stay in the catalogue and docs/rules.md.
/// </summary>
public static partial class Citations
{
    /// <summary>The citation's legal basis in the current UI language; empty when it names none.</summary>
    public static string Show(string? citation) => Show(citation, L.IsEnglish);

    public static string Show(string? citation, bool english)
    {
        if (string.IsNullOrWhiteSpace(citation))
        {
            return "";
        }

        var parts = new List<(int At, string Text)>();
        foreach (Match m in Instrument().Matches(citation))
        {
            parts.Add((m.Index, Reference(m, english)));
        }

        foreach (Match m in Inflation().Matches(citation))
        {
            parts.Add((m.Index, english ? $"BPS CPI inflation {m.Groups["year"].Value}" : $"inflasi IHK BPS {m.Groups["year"].Value}"));
        }

        foreach (Match m in Letter().Matches(citation))
        {
            parts.Add((m.Index, english ? $"BPJS Ketenagakerjaan letter {m.Groups["no"].Value}" : $"surat BPJS Ketenagakerjaan {m.Groups["no"].Value}"));
        }

        if (parts.Count == 0 && citation.StartsWith("BPJS Ketenagakerjaan", StringComparison.Ordinal))
        {
            parts.Add((0, "BPJS Ketenagakerjaan"));
        }

        return string.Join("; ", parts.OrderBy(p => p.At).Select(p => p.Text).Distinct(StringComparer.Ordinal));
    }

    private static string Reference(Match m, bool english)
    {
        var instrument = Space().Replace(m.Groups["instrument"].Value, " ");
        var qualifiers = m.Groups["qualifiers"].Value.Trim().TrimStart(',').Trim();
        if (qualifiers.Length == 0)
        {
            return instrument;
        }

        if (english)
        {
            return $"{instrument} {Space().Replace(qualifiers, " ")}";
        }

        var id = new StringBuilder();
        foreach (Match q in Qualifier().Matches(qualifiers))
        {
            if (id.Length > 0)
            {
                id.Append(q.Groups["join"].Value.Trim() switch { "," => ", ", "jo" or "jo." => " jo. ", _ => " dan " });
            }

            if (q.Groups["article"].Success)
            {
                id.Append("Pasal ").Append(Article(q.Groups["article"].Value));
            }
            else
            {
                id.Append("Lampiran ").Append(q.Groups["annex"].Value).Append(q.Groups["table"].Success ? " (tabel)" : "");
            }
        }

        return $"{id} {instrument}";
    }

    /// <summary><c>17(3)</c> → <c>17 ayat (3)</c>; <c>29(3)-(4)</c> → <c>29 ayat (3)–(4)</c>; <c>15-16</c> → <c>15–16</c>; <c>25, 34</c> stays.</summary>
    private static string Article(string text) =>
        Paragraph().Replace(Space().Replace(text.Trim(), " "), m => $"{m.Groups["n"].Value} ayat {m.Groups["p"].Value}").Replace(")-(", ")–(", StringComparison.Ordinal)
            .Replace("-", "–", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<instrument>\b(?:UU|PP|Perpres|Permenaker|Permendikbud|Permensos|Inpres|Perpu)\s+\d+/\d{4})(?:\s*\([A-Za-z]+\))?(?<qualifiers>(?:\s*(?:,|and|jo\.?)?\s*(?:Art\.\s*\d+[A-Z]?(?:\(\d+\))?(?:\s*-\s*(?:\(\d+\)|\d+(?:\(\d+\))?))?(?:\s*,\s*\d+[A-Z]?(?:\(\d+\))?)*|Annex\s+[IVX]+(?:\s+table)?))*)")]
    private static partial Regex Instrument();

    [GeneratedRegex(@"(?<join>\s*(?:,|and|jo\.?)?\s*)(?:Art\.\s*(?<article>\d+[A-Z]?(?:\(\d+\))?(?:\s*-\s*(?:\(\d+\)|\d+(?:\(\d+\))?))?(?:\s*,\s*\d+[A-Z]?(?:\(\d+\))?)*)|Annex\s+(?<annex>[IVX]+)(?<table>\s+table)?)")]
    private static partial Regex Qualifier();

    [GeneratedRegex(@"(?<n>\d+[A-Z]?)(?<p>\(\d+\))")]
    private static partial Regex Paragraph();

    [GeneratedRegex(@"BPS CPI inflation (?<year>\d{4})")]
    private static partial Regex Inflation();

    [GeneratedRegex(@"BPJS TK letter (?<no>[A-Z]/[\d/]+)")]
    private static partial Regex Letter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
