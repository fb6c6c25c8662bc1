using System.Globalization;
using Kawal.Identity;

namespace Kawal.Tests.Identity;

/// <summary>Who did something, as the pages show it: a name or a word, never the stored actor.</summary>
public class ActorNamesTests
{
    private static readonly ActorNames.Known Directory = new(
        new Dictionary<string, string> { ["demo.jaksa"] = "Jaksa Kejari Kab. Malang", ["tanpa.nama"] = "" },
        new Dictionary<string, string> { ["ab12cd34"] = "user:demo.jaksa" });

    [Theory]
    [InlineData("user:demo.jaksa", "Jaksa Kejari Kab. Malang", "Jaksa Kejari Kab. Malang")]
    [InlineData("user:tanpa.nama", "tanpa.nama", "tanpa.nama")]
    [InlineData("user:hilang", "hilang", "hilang")]
    [InlineData("key:ab12cd34:DPMPTSP Kab. Malang", "kunci API “DPMPTSP Kab. Malang” milik Jaksa Kejari Kab. Malang", "API key “DPMPTSP Kab. Malang” of Jaksa Kejari Kab. Malang")]
    [InlineData("key:ffff0000:Lama", "kunci API “Lama”", "API key “Lama”")]
    [InlineData("demo:kepatuhan-cabang", "Data demo", "Demo data")]
    [InlineData("cli:demo", "Data demo", "Demo data")]
    [InlineData("job:monev-refresh", "Sistem", "System")]
    [InlineData("system:billing", "Sistem", "System")]
    [InlineData("cli:root", "Operator server (root)", "Server operator (root)")]
    public void An_actor_is_shown_by_name_or_as_a_word(string actor, string indonesian, string english)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("id");
            Assert.Equal(indonesian, ActorNames.Show(actor, Directory));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal(english, ActorNames.Show(actor, Directory));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
