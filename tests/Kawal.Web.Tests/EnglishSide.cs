using System.Text.RegularExpressions;
using Kawal.Rules;

namespace Kawal.Web.Tests;

/// <summary>
/// The English side of the presentation catalogue: every English text written beside its Indonesian one in the sources
/// (<c>L.T("…", "…")</c> anywhere, <c>("…", "…")</c> label pairs in pages and <c>*Labels.cs</c>) and the rules
/// catalogue's English descriptions and group names. An Indonesian page that shows one of them shows the wrong side.
/// Only texts that differ from their Indonesian side and appear in no Indonesian text are kept, so words both languages
/// share ("Status", "Total", "JKK") never count.
/// </summary>
public static partial class EnglishSide
{
    private static readonly Lazy<(Regex Matcher, int Count)> Built = new(Build);

    public static int Count => Built.Value.Count;

    /// <summary>The first English-side text found in a page's visible text, or null.</summary>
    public static string? FindIn(string text) => Built.Value.Matcher.Match(text) is { Success: true } m ? m.Value : null;

    /// <summary>Every distinct English-side text found in a page's visible text.</summary>
    public static IReadOnlyList<string> FindAllIn(string text) =>
        Built.Value.Matcher.Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

    private static (Regex, int) Build()
    {
        var root = RepositoryRoot();
        var pairs = new List<(string Id, string En)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            var labels = file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith("Labels.cs", StringComparison.Ordinal);
            foreach (Match m in (labels ? Pair() : TranslateCall()).Matches(source))
            {
                pairs.Add((Unescape(m.Groups["id"].Value), Unescape(m.Groups["en"].Value)));
            }
        }

        foreach (var p in ParameterCatalogue.Default.All)
        {
            pairs.Add((p.Keterangan, p.Description));
            pairs.Add((p.Kelompok, p.Group));
        }

        var indonesian = string.Join('\n', pairs.Select(p => p.Id));
        var english = pairs
            .Where(p => p.En != p.Id && p.En.Length >= 4 && p.En.Any(char.IsLetter) && !p.En.Contains('{', StringComparison.Ordinal))
            .Select(p => p.En.Trim())
            .Where(en => !Regex.IsMatch(indonesian, $@"(?<!\w){Regex.Escape(en)}(?!\w)"))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(en => en.Length)
            .ToList();
        var pattern = string.Join('|', english.Select(Regex.Escape));
        return (new Regex($@"(?<!\w)(?:{pattern})(?!\w)", RegexOptions.Compiled | RegexOptions.CultureInvariant), english.Count);
    }

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kawal.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""L\.T\(\s*"(?<id>(?:[^"\\]|\\.)*)"\s*,\s*"(?<en>(?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex TranslateCall();

    [GeneratedRegex("""\(\s*"(?<id>(?:[^"\\]|\\.)*)"\s*,\s*"(?<en>(?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex Pair();
}
