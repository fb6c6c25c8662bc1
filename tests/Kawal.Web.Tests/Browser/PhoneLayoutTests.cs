using Kawal.Cli;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kawal.Web.Tests.Browser;

/// <summary>
/// The standard demo as every demo account on a phone (390 px), a tablet (768 px) and a laptop (1366 px): the landing
/// page, every menu link and a detail page or two linked from the lists. No page is wider than a phone's or a tablet's
/// screen, no inline style or script is refused by the content-security policy, no page raises a script error, and on
/// a phone the menu is collapsed until its toggle is pressed (no script needed).
/// </summary>
public sealed class PhoneLayoutTests(ITestOutputHelper output)
{
    private static readonly int[] Widths = [390, 768, 1366];
    private const int DetailsPerAccount = 2;

    // Pages the same for every account but for the menu (checked on every account's landing page): visited once.
    private static readonly string[] Shared = ["/wilayah", "/simulasi", "/aturan", "/api-docs"];

    /// <summary>Where the screenshots of the monev dashboard and the open menu at 390 px go, when set.</summary>
    private static readonly string? Shots = Environment.GetEnvironmentVariable("KAWAL_SCREENSHOTS");

    // The elements sticking out past the right edge, for the failure message.
    private const string Overflow = """
        () => {
            const w = window.innerWidth;
            if (document.documentElement.scrollWidth <= w) return null;
            const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
                .filter(e => !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 0.5))
                .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
            return document.documentElement.scrollWidth + 'px > ' + w + 'px: ' + wide.join(', ');
        }
        """;

    [BrowserFact]
    public async Task Every_demo_role_s_pages_fit_a_phone_and_a_tablet_and_break_no_policy()
    {
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, TextWriter.Null, CancellationToken.None);
        }

        var failures = new List<string>();
        var visits = 0;
        var once = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in DemoUsers.Accounts.Select(a => a.Username))
        {
            var page = await kawal.SignInAsync("/masuk", account, DemoUsers.Password);
            var problems = new List<string>();
            page.Console += (_, m) =>
            {
                if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)))
                {
                    problems.Add($"console {m.Type}: {m.Text}");
                }
            };
            page.PageError += (_, e) => problems.Add($"page error: {e}");
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync(kawal.BaseUrl + "/");
            failures.AddRange((await MenuProblemsAsync(page)).Select(p => $"{account}: {p}"));

            var menu = await page.Locator("nav.main a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            var paths = menu.Prepend("/").Where(p => p.StartsWith('/') && (!Shared.Contains(p) || once.Add(p))).Distinct().ToList();
            var details = new List<string>();
            var fromMenu = paths.Count;
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                problems.Clear();
                await page.SetViewportSizeAsync(Widths[0], 844);
                var response = await page.GotoAsync(kawal.BaseUrl + path);
                visits++;
                if (response is null || response.Status >= 500)
                {
                    failures.Add($"{account} {path}: status {response?.Status}");
                }

                foreach (var width in Widths)
                {
                    await page.SetViewportSizeAsync(width, 844);
                    if (width < 1000 && await page.EvaluateAsync<string?>(Overflow) is { } wide)
                    {
                        failures.Add($"{account} {path} at {width}: page is wider than the screen, {wide}");
                    }
                }

                failures.AddRange(problems.Select(p => $"{account} {path}: {p}"));
                if (i < fromMenu && details.Count < DetailsPerAccount
                    && await FirstDetailAsync(page) is { } detail && !paths.Contains(detail) && once.Add(detail))
                {
                    details.Add(detail);
                    paths.Add(detail);
                }

                if (Shots is not null && path == "/monev" && account == "demo.monev")
                {
                    await page.SetViewportSizeAsync(390, 844);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "monev-390.png"), FullPage = true });
                }
            }

            output.WriteLine($"{account}: {paths.Count} pages (menu: {menu.Length} links) × {Widths.Length} widths ({string.Join(' ', paths)})");
            await page.Context.CloseAsync();
        }

        output.WriteLine($"{visits} page loads");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>At 390 px the menu's links are hidden until its toggle is pressed; at 1366 px they show without it.</summary>
    private static async Task<IReadOnlyList<string>> MenuProblemsAsync(IPage page)
    {
        var links = page.Locator("nav.main a");
        var toggle = page.GetByTestId("menu-toggle");
        if (await toggle.CountAsync() == 0 || !await toggle.IsVisibleAsync())
        {
            return ["at 390 px there is no visible menu toggle"];
        }

        if (await links.First.IsVisibleAsync())
        {
            return ["at 390 px the menu is open before its toggle is pressed"];
        }

        await toggle.ClickAsync();
        if (!await links.Last.IsVisibleAsync())
        {
            return ["at 390 px the menu does not open when its toggle is pressed"];
        }

        if (Shots is not null && await page.Locator("[data-testid=account]").CountAsync() > 0 && page.Url.EndsWith('/') && await links.CountAsync() > 10)
        {
            Directory.CreateDirectory(Shots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, "menu-open-390.png") });
        }

        await page.SetViewportSizeAsync(1366, 844);
        var wide = await toggle.IsVisibleAsync() || !await links.First.IsVisibleAsync() ? "at 1366 px the menu is behind a toggle" : null;
        await page.SetViewportSizeAsync(390, 844);
        return wide is null ? [] : [wide];
    }

    /// <summary>The first page a list's table links to (a participant, a claim, a region…), not a download.</summary>
    private static async Task<string?> FirstDetailAsync(IPage page)
    {
        var hrefs = await page.Locator("table.data tbody a[href^='/']").EvaluateAllAsync<string[]>("links => links.slice(0, 5).map(a => a.getAttribute('href'))");
        return hrefs.FirstOrDefault(h => !h.StartsWith("/api/", StringComparison.Ordinal) && !h.Contains(".csv", StringComparison.Ordinal));
    }
}
