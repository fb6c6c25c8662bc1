using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class MapJourneyTests
{
    [BrowserFact]
    public async Task Clicking_a_province_on_the_map_shows_its_regencies()
    {
        await using var kawal = await LiveKawal.StartAsync();
        var page = await kawal.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

        await page.GotoAsync(kawal.BaseUrl + "/");
        await Assertions.Expect(page.Locator("[data-testid=map] a")).ToHaveCountAsync(38);
        await page.Locator("[data-testid=map] a[data-code='63']").ClickAsync();

        // Enhanced navigation changes the URL with pushState; poll the URL rather than wait for a load event.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/wilayah/63$"));
        await Assertions.Expect(page.GetByTestId("region-name")).ToHaveTextAsync("Kalimantan Selatan");
        var children = page.GetByTestId("children");
        await Assertions.Expect(children.Locator("tbody tr")).ToHaveCountAsync(13);
        await Assertions.Expect(children).ToContainTextAsync("Kota Banjarmasin");
        await Assertions.Expect(children).ToContainTextAsync("Kabupaten Hulu Sungai Selatan");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kawal-province-63.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task The_language_link_switches_to_English_and_back()
    {
        await using var kawal = await LiveKawal.StartAsync();
        var page = await kawal.Browser.NewPageAsync();

        await page.GotoAsync(kawal.BaseUrl + "/wilayah/63");
        await page.GetByTestId("language").ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToContainTextAsync("Regencies and cities");
        await page.GetByTestId("language").ClickAsync();

        await Assertions.Expect(page.Locator("h2")).ToContainTextAsync("Kabupaten dan kota");
        Assert.EndsWith("/wilayah/63", page.Url, StringComparison.Ordinal);
    }
}
