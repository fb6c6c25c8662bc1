using System.Globalization;
using System.Text.RegularExpressions;
using Kawal.Identity;
using Kawal.Tests.Architecture;

namespace Kawal.Tests.Identity;

/// <summary>Who did something and what they did, as the pages show it: names and words, never the stored codes.</summary>
public partial class ActorNamesTests
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

    /// <summary>Every audit action the code writes as a literal has its words in AuditLabels (the audit page shows no codes).</summary>
    [Fact]
    public void Every_audit_action_written_has_a_label()
    {
        var root = ArchitectureTests.FindRepositoryRoot();
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in Event().Matches(text))
            {
                var first = text[(m.Index + m.Length)..].Split(", \"", 2)[0]; // up to the entity type
                actions.UnionWith(Literal().Matches(first).Select(l => l.Groups[1].Value));
            }
        }

        Assert.True(actions.Count > 30, $"only {actions.Count} actions found: is the scan still reading the sources?");
        var unlabelled = actions.Except(AuditLabels.KnownActions).ToList();
        Assert.True(unlabelled.Count == 0, "audit actions without words in AuditLabels: " + string.Join(", ", unlabelled));
    }

    [GeneratedRegex(@"new AuditEvent\(")]
    private static partial Regex Event();

    [GeneratedRegex(@"""([a-z_]+\.[a-z_]+)""")]
    private static partial Regex Literal();
}
