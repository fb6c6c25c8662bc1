using System.Text.RegularExpressions;
using Kawal.Rules;
using Kawal.Ui;

namespace Kawal.Tests.Ui;

/// <summary>Citations on pages: the legal basis in the reader's language, never the maintainers' notes (docs/rules.md keeps those).</summary>
public partial class CitationsTests
{
    [Theory]
    [InlineData("PP 45/2015 Art. 17(3); BPS CPI inflation 2025 [? derived: reproduces the 2026 limits 399,700 → 411,400, handbook §3.2, S7]",
        "Pasal 17 ayat (3) PP 45/2015; inflasi IHK BPS 2025", "PP 45/2015 Art. 17(3); BPS CPI inflation 2025")]
    [InlineData("PP 44/2015 Art. 16 and Annex I", "Pasal 16 dan Lampiran I PP 44/2015", "PP 44/2015 Art. 16 and Annex I")]
    [InlineData("PP 45/2015 Art. 29(3)-(4); derived: 7,000,000 × 1.0479 rounded down to Rp100 (handbook §3.2 [?])", "Pasal 29 ayat (3)–(4) PP 45/2015", "PP 45/2015 Art. 29(3)-(4)")]
    [InlineData("PP 45/2015 Art. 15-16: a pension or the accumulated contributions are paid from contributions made", "Pasal 15–16 PP 45/2015", "PP 45/2015 Art. 15-16")]
    [InlineData("PP 82/2019 Art. 25, 34 (handbook §4.3, S13)", "Pasal 25, 34 PP 82/2019", "PP 82/2019 Art. 25, 34")]
    [InlineData("PP 44/2015 Annex III table", "Lampiran III (tabel) PP 44/2015", "PP 44/2015 Annex III table")]
    [InlineData("UU 24/2011 (BPJS) Art. 14-15; PP 44/2015 Art. 5: benefits are for registered participants", "Pasal 14–15 UU 24/2011; Pasal 5 PP 44/2015", "UU 24/2011 Art. 14-15; PP 44/2015 Art. 5")]
    [InlineData("PP 46/2015 Art. 26 jo PP 60/2015; Permenaker 4/2022 Art. 3", "Pasal 26 PP 46/2015; PP 60/2015; Pasal 3 Permenaker 4/2022", "PP 46/2015 Art. 26; PP 60/2015; Permenaker 4/2022 Art. 3")]
    [InlineData("PP 45/2015 Art. 18(3); BPJS TK letter B/1226/022026", "Pasal 18 ayat (3) PP 45/2015; surat BPJS Ketenagakerjaan B/1226/022026", "PP 45/2015 Art. 18(3); BPJS Ketenagakerjaan letter B/1226/022026")]
    [InlineData("BPJS Ketenagakerjaan: BPU participants pay no late fine [✔ secondary; not in the handbook]", "BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan")]
    [InlineData("Kawal's school-age reading: SD 6-11, SMP from 12 (PP 82/2019 Art. 25)", "Pasal 25 PP 82/2019", "PP 82/2019 Art. 25")]
    public void A_citation_shows_its_legal_basis_in_the_reader_s_language(string raw, string indonesian, string english)
    {
        Assert.Equal(indonesian, Citations.Show(raw, english: false));
        Assert.Equal(english, Citations.Show(raw, english: true));
    }

    /// <summary>Every citation in the shipped catalogue shows a legal basis and none of the maintainers' marks, in both languages.</summary>
    [Fact]
    public void Every_catalogue_citation_shows_a_legal_basis_without_notes()
    {
        var citations = ParameterCatalogue.Default.All.SelectMany(p => p.Values).Select(v => v.Citation).Distinct().ToList();
        Assert.True(citations.Count > 100);
        foreach (var raw in citations)
        {
            foreach (var english in new[] { false, true })
            {
                var shown = Citations.Show(raw, english);
                Assert.False(string.IsNullOrWhiteSpace(shown), $"'{raw}' shows nothing");
                Assert.DoesNotMatch(NoteMarks(), shown);
                if (!english)
                {
                    Assert.DoesNotMatch(EnglishWords(), shown);
                }
            }
        }
    }

    [GeneratedRegex(@"handbook|\[|\]|§|verify|derived|reported|secondary|docs/|open question|\bS\d+\b")]
    internal static partial Regex NoteMarks();

    [GeneratedRegex(@"\bArt\.|\bAnnex\b|\band\b|\btable\b|\bletter\b|inflation")]
    internal static partial Regex EnglishWords();
}

/// <summary>Every claim reason and cause the rules know has an Indonesian label of its own (not the code).</summary>
public class ClaimLabelTests
{
    [Fact]
    public void Every_reason_and_cause_has_an_Indonesian_label()
    {
        foreach (var r in Kawal.Rules.Benefits.ClaimKinds.JhtReasons.Union(Kawal.Rules.Benefits.ClaimKinds.JkpCauses))
        {
            var (id, en) = Kawal.Claims.Pages.ClaimLabels.Reason(r);
            Assert.NotEqual(r, id);
            Assert.NotEqual(r, en);
        }
    }
}
