using System.Net;
using System.Text.RegularExpressions;
using Kawal.Cli;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kawal.Web.Tests;

/// <summary>
/// Kawal with the standard demo (what <c>serve --demo</c> seeds), crawled as every demo account and anonymously: every
/// same-origin link reachable from the landing page and the menus (a few per URL pattern) answers without a server error,
/// a page never answers raw JSON, and every download a page offers succeeds for that account.
/// </summary>
public sealed partial class PageCrawlTests(ITestOutputHelper output)
{
    private const int PerPattern = 2;

    private static readonly string[] BadAddresses = ["/wilayah/99", "/klaim/abc", "/klaim/999999", "/iuran/pembayar/tidak%20ada", "/iuran/pembayar/employer%3A0", "/monev/wilayah/99",
        "/monev/adresat/tidak-ada", "/registri/peserta/abc", "/tidak/ada"];
    private const int PerAccount = 1500;

    [Fact]
    public async Task Every_page_reachable_by_every_demo_account_answers_without_a_server_error()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using (var scope = app.Services.CreateScope())
        {
            await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, TextWriter.Null, CancellationToken.None);
        }

        var failures = new List<string>();
        foreach (var account in DemoUsers.Accounts.Select(a => a.Username).Prepend(null))
        {
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
            if (account is not null)
            {
                using var login = await LoginTests.PostLoginAsync(client, account, DemoUsers.Password, await LoginTests.TokenAsync(client));
                Assert.True(login.IsSuccessStatusCode || login.StatusCode == HttpStatusCode.Redirect, $"{account} could not sign in: {login.StatusCode}");
            }

            var (visited, bad) = await CrawlAsync(client);
            output.WriteLine($"{account ?? "anonymous"}: {visited} addresses, {bad.Count} failing");
            failures.AddRange(bad.Select(b => $"{account ?? "anonymous"}: {b}"));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The English side is not empty: the check above would otherwise pass for nothing.</summary>
    [Fact]
    public void The_English_side_of_the_catalogue_is_known()
    {
        Assert.True(EnglishSide.Count > 500, $"only {EnglishSide.Count} English texts found");
        Assert.Equal("Rules catalogue", EnglishSide.FindIn("Katalog aturan · Rules catalogue"));
        Assert.Null(EnglishSide.FindIn("Katalog aturan · Status · Total JKK"));
    }

    /// <summary>Malformed, unknown and out-of-range addresses answer a 4xx page in Indonesian with the layout, never a 500 or JSON.</summary>
    [Fact]
    public async Task Bad_addresses_answer_an_Indonesian_page_not_an_error()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var admin = await Seed.UserAsync(app, "admin.crawl", Role.Admin);
        var regency = await Seed.UserAsync(app, "kab.crawl", Role.RegencyOfficer, "35.07");
        foreach (var user in new[] { admin.Username, regency.Username })
        {
            using var client = app.CreateClient();
            using (await LoginTests.PostLoginAsync(client, user, "Rahasia-Kawal-2026", await LoginTests.TokenAsync(client)))
            {
            }

            string[] outOfRegion = user == regency.Username ? ["/monev/wilayah/12", "/monev/wilayah/35", "/kepatuhan/wilayah/12", "/monev/komitmen/12", "/monev/komitmen/35"] : [];
            foreach (var path in BadAddresses.Concat(outOfRegion))
            {
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                var code = (int)response.StatusCode;
                Assert.True(code is >= 400 and < 500, $"{user} {path}: {code}");
                Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
                Assert.Contains("lang=\"id\"", body, StringComparison.Ordinal);
                Assert.Matches("<h1[^>]*>(Halaman tidak ditemukan|Akses ditolak|Permintaan tidak valid)</h1>", body);
            }
        }
    }

    private static async Task<(int Visited, List<string> Bad)> CrawlAsync(HttpClient client)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var patterns = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        var bad = new List<string>();
        while (queue.Count > 0 && seen.Count < PerAccount)
        {
            var url = queue.Dequeue();
            var pattern = Pattern(url);
            if (!seen.Add(url) || patterns.GetValueOrDefault(pattern) >= PerPattern)
            {
                continue;
            }

            patterns[pattern] = patterns.GetValueOrDefault(pattern) + 1;
            using var response = await client.GetAsync(url);
            var code = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            var api = url.StartsWith("/api/", StringComparison.Ordinal);
            if (code >= 500)
            {
                bad.Add($"{url} answered {code}");
            }
            else if (api && code >= 400)
            {
                bad.Add($"{url} (a download the page offers) answered {code}");
            }
            else if (!api && type.Contains("json", StringComparison.Ordinal))
            {
                bad.Add($"{url} answered raw JSON ({code})");
            }

            if (type == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync();
                var text = WebUtility.HtmlDecode(Tags().Replace(html, " "));
                if (DeveloperNote().Match(text) is { Success: true } note)
                {
                    bad.Add($"{url} shows a note meant for the maintainers: …{text[Math.Max(0, note.Index - 60)..Math.Min(text.Length, note.Index + 60)]}…");
                }

                var words = WebUtility.HtmlDecode(Tags().Replace(Code().Replace(html, " "), " "));
                if (EnglishSide.FindAllIn(words) is { Count: > 0 } english)
                {
                    bad.Add($"{url} shows English on an Indonesian page: \"{string.Join("\", \"", english)}\"");
                }

                if (RawFormat().Matches(words) is { Count: > 0 } raw)
                {
                    bad.Add($"{url} shows a value in its stored form instead of the reader's: \"{string.Join("\", \"", raw.Select(m => m.Value).Distinct().Take(5))}\"");
                }

                if (StoredCode().Matches(words) is { Count: > 0 } codes)
                {
                    bad.Add($"{url} shows a code instead of its words: \"{string.Join("\", \"", codes.Select(m => m.Value).Distinct().Take(5))}\"");
                }

                if (AuditLabels.KnownActions.Where(a => words.Contains(" " + a + " ", StringComparison.Ordinal)).Take(5).ToList() is { Count: > 0 } actions)
                {
                    bad.Add($"{url} shows an audit action as its code: \"{string.Join("\", \"", actions)}\"");
                }

                foreach (Match m in Href().Matches(html))
                {
                    var link = WebUtility.HtmlDecode(m.Groups[1].Value).Split('#')[0];
                    if (link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) && !link.StartsWith("/keluar", StringComparison.Ordinal)
                        && !link.StartsWith("/bahasa/", StringComparison.Ordinal) && !seen.Contains(link)) // stays Indonesian
                    {
                        queue.Enqueue(link);
                    }
                }
            }
        }

        return (seen.Count, bad);
    }

    /// <summary>A URL's pattern: digits as N, the query's names without their values.</summary>
    private static string Pattern(string url)
    {
        var parts = url.Split('?', 2);
        var path = Digits().Replace(parts[0], "N");
        return parts.Length == 1 ? path : path + "?" + string.Join('&', parts[1].Split('&').Select(p => p.Split('=')[0]).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    /// <summary>Marks of the rules catalogue's maintainer notes and the handbook's references, which belong in docs/rules.md only.</summary>
    [GeneratedRegex(@"handbook|\[\?|\[✔|choice, verify|open question|§\d|docs/[a-z]")]
    private static partial Regex DeveloperNote();

    /// <summary>Dates as stored (<c>2026-11-17</c>, <c>2026-12-07T14:46</c>) and amounts as numbers with a unit (<c>20000000 rupiah</c>) instead of <c>17 November 2026</c> and <c>Rp20.000.000</c>.</summary>
    [GeneratedRegex(@"(?<![\w.-])\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?(?![\w-])|\d+ rupiah")]
    private static partial Regex RawFormat();

    /// <summary>
    /// Codes as stored instead of the words people read: actors (<c>user:demo.jaksa</c>, <c>demo:kepatuhan-cabang</c>,
    /// <c>key:…</c>, <c>job:…</c>, <c>cli:…</c> → ActorName), prosecutors' offices (<c>kejari:35.07</c>), evidence kinds
    /// (<c>commitment:regulation</c>) and snake_case codes (<c>employer_npp</c>, <c>monev_denominators</c>, <c>non_asn</c>).
    /// </summary>
    [GeneratedRegex(@"(?<![\w/.-])(?:(?:user|demo|key|job|cli|system|kejari|kejati|commitment):[\w.-]+|[a-z]+(?:_[a-z]+)+)(?![\w/.-])")]
    private static partial Regex StoredCode();

    /// <summary>Identifiers shown as code (rule parameter ids, file names) are not words of either language.</summary>
    [GeneratedRegex("<code>[^<]*</code>")]
    private static partial Regex Code();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
