using System.Reflection;
using System.Text.RegularExpressions;
using Kawal.Data;
using Kawal.Rules;

namespace Kawal.Tests.Architecture;

/// <summary>
/// Every refusal a person can meet carries its Indonesian text beside the English message (<see cref="KawalException.Indonesian"/>):
/// pages show it to Indonesian readers (FormStep), the API as <c>detailId</c>. The English message stays what the API and the
/// tests know.
/// </summary>
public partial class RefusalLanguageTests
{
    /// <summary>
    /// Not scanned: the operator's command line and the demo seeder's options (English, like the rest of the CLI), and
    /// Kawal.Data, whose one refusal (<see cref="LeaseHeldException"/>) writes its Indonesian in its constructor.
    /// </summary>
    private static readonly string[] Skipped = ["src/Kawal/Cli/", "src/Kawal/Demo/", "src/Kawal.Data/"];

    /// <summary>
    /// The refusals scanned. <see cref="NotFoundException"/> is among them: a page shows its own not-found text, but the API
    /// answers its message as the 404's <c>detail</c>, with the Indonesian as <c>detailId</c>.
    /// </summary>
    private static readonly HashSet<string> Refusals = ["UsageException", "ConflictException", "ForbiddenException", "ImportFileException", "NotFoundException",
        .. SelfTranslating().Keys.Select(t => t.Name)];

    /// <summary>Files whose plain <see cref="KawalException"/>s reach a person too (the account and key stores behind the admin pages and API).</summary>
    private static readonly string[] PlainRefusals = ["src/Kawal.Identity/Accounts/UserStore.cs", "src/Kawal.Identity/Accounts/ApiKeyStore.cs"];

    /// <summary>Subclasses of the refusals whose domain constructor writes the Indonesian text itself, each with an example.</summary>
    private static Dictionary<Type, Func<KawalException>> SelfTranslating() => new()
    {
        [typeof(NoRuleException)] = () => new NoRuleException("jkk.rate", new DateOnly(2010, 1, 1), [new ParameterValue(new DateOnly(2015, 7, 1), null, 0.24m, "PP 44/2015")]),
        [typeof(LeaseHeldException)] = () => new LeaseHeldException(
            new LeaseRequest("billing", "2026-03", "cli:test", "penagihan iuran 2026-03", "the billing run of 2026-03"),
            new LeaseHolding("billing", "2026-03", "holder", "host", 1, "cli:operator", "the billing run of 2026-03", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)),
    };

    [Fact]
    public void Every_refusal_in_the_modules_carries_its_Indonesian_text()
    {
        var root = ArchitectureTests.FindRepositoryRoot();
        var missing = new List<string>();
        var seen = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var path = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (path.Contains("/bin/", StringComparison.Ordinal) || path.Contains("/obj/", StringComparison.Ordinal) || Skipped.Any(s => path.StartsWith(s, StringComparison.Ordinal)))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (Match m in Creation().Matches(text))
            {
                if (!(Refusals.Contains(m.Groups["type"].Value) || (m.Groups["type"].Value == "KawalException" && PlainRefusals.Contains(path))) || InCommentOrString(text, m.Index))
                {
                    continue;
                }

                seen++;
                var args = CSharp.Close(text, m.Index + m.Length - 1);
                var rest = args;
                while (rest < text.Length && char.IsWhiteSpace(text[rest]))
                {
                    rest++;
                }

                var initializer = rest < text.Length && text[rest] == '{' ? text[rest..CSharp.Close(text, rest)] : "";
                var firstArgument = text[(m.Index + m.Length)..args].TrimStart();
                var domainConstructor = SelfTranslating().Keys.Any(t => t.Name == m.Groups["type"].Value) && !firstArgument.StartsWith('"') && !firstArgument.StartsWith('$');
                if (!IndonesianSet().IsMatch(initializer) && !domainConstructor)
                {
                    var line = text.AsSpan(0, m.Index).Count('\n') + 1;
                    missing.Add($"{path}:{line}: {Regex.Replace(text[m.Index..Math.Min(args, m.Index + 160)], @"\s+", " ")}");
                }
            }
        }

        Assert.True(seen > 200, $"only {seen} refusals found: is the scan still reading the sources?");
        Assert.True(missing.Count == 0, $"{missing.Count} refusal(s) without {{ Indonesian = \"…\" }} (write it for an officer: what is wrong, what to do, the field in words):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Refusal_subclasses_write_their_Indonesian_text()
    {
        string[] names = ["Kawal.Kernel", "Kawal.Data", "Kawal.Ui", "Kawal.Rules", "Kawal.Regions", "Kawal.Identity", "Kawal.Registry", "Kawal.Contributions", "Kawal.Claims",
            "Kawal.Compliance", "Kawal.Monev", "Kawal"];
        var bases = new[] { typeof(UsageException), typeof(ConflictException), typeof(Kawal.Identity.ForbiddenException) };
        var subclasses = names.SelectMany(n => Assembly.Load(n).GetTypes())
            .Where(t => t != typeof(NotFoundException) && !bases.Contains(t) && bases.Any(b => b.IsAssignableFrom(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        var known = SelfTranslating();

        // A new refusal type must be added to SelfTranslating (its constructor writes the Indonesian text) or be thrown with an initializer.
        Assert.Equal(known.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal), subclasses);
        Assert.All(known, k => Assert.False(string.IsNullOrWhiteSpace(k.Value().Indonesian), k.Key.Name));
    }

    /// <summary>Whether the position is inside a comment or a string literal on its line (a <c>new …Exception(</c> in prose).</summary>
    private static bool InCommentOrString(string text, int at)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var before = text[start..at];
        return before.TrimStart().StartsWith("//", StringComparison.Ordinal) || before.TrimStart().StartsWith('*') || before.Count(c => c == '"') % 2 == 1;
    }

    [GeneratedRegex(@"\bnew\s+(?<type>\w+Exception)\s*\(")]
    private static partial Regex Creation();

    [GeneratedRegex(@"\bIndonesian\s*=")]
    private static partial Regex IndonesianSet();

    /// <summary>Just enough of C#'s lexical rules to find where a bracket closes: strings (verbatim, interpolated, raw), characters, comments.</summary>
    private static class CSharp
    {
        /// <summary>The index just after the bracket that closes the one at <paramref name="open"/>.</summary>
        public static int Close(string s, int open)
        {
            var depth = 0;
            for (var i = open; i < s.Length; i++)
            {
                var c = s[i];
                var next = i + 1 < s.Length ? s[i + 1] : '\0';
                if (c is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '}')
                {
                    if (--depth == 0)
                    {
                        return i + 1;
                    }
                }
                else if (c == '/' && next == '/')
                {
                    i = s.IndexOf('\n', i);
                }
                else if (c == '/' && next == '*')
                {
                    i = s.IndexOf("*/", i, StringComparison.Ordinal) + 1;
                }
                else if (c == '\'')
                {
                    i = next == '\\' ? s.IndexOf('\'', i + 3) : i + 2;
                }
                else if (c == '"' || (c is '$' or '@' && StringFollows(s, i)))
                {
                    i = SkipString(s, i) - 1;
                }
            }

            throw new InvalidOperationException($"no closing bracket for the one at {open}");
        }

        private static bool StringFollows(string s, int i)
        {
            while (i < s.Length && s[i] is '$' or '@')
            {
                i++;
            }

            return i < s.Length && s[i] == '"';
        }

        /// <summary>The index just after the string literal starting at <paramref name="i"/> (at its <c>$</c>, <c>@</c> or quote).</summary>
        private static int SkipString(string s, int i)
        {
            var interpolated = false;
            var verbatim = false;
            for (; s[i] != '"'; i++)
            {
                interpolated |= s[i] == '$';
                verbatim |= s[i] == '@';
            }

            if (string.CompareOrdinal(s, i, "\"\"\"", 0, 3) == 0)
            {
                return s.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal) + 3;
            }

            for (i++; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '\\' && !verbatim)
                {
                    i++;
                }
                else if (c == '"' && verbatim && i + 1 < s.Length && s[i + 1] == '"')
                {
                    i++;
                }
                else if (c == '"')
                {
                    return i + 1;
                }
                else if (interpolated && c == '{')
                {
                    i = i + 1 < s.Length && s[i + 1] == '{' ? i + 1 : Close(s, i) - 1;
                }
            }

            throw new InvalidOperationException("unterminated string");
        }
    }
}
