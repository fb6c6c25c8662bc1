using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class CalculatorJourneyTests
{
    [BrowserFact]
    public async Task An_officer_computes_a_contribution_and_reads_why()
    {
        await using var kawal = await LiveKawal.StartAsync();
        var page = await kawal.Browser.NewPageAsync();

        await page.GotoAsync(kawal.BaseUrl + "/simulasi");
        var form = page.GetByTestId("contribution-form");
        await form.Locator("select[name=segment]").SelectOptionAsync("PU");
        await form.Locator("input[name=period]").FillAsync("2026-03");
        await form.Locator("input[name=wage]").FillAsync("12.000.000");
        await form.Locator("select[name=riskClass]").SelectOptionAsync("3");
        await form.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(page.GetByTestId("total")).ToHaveTextAsync("Rp1.159.389");
        await page.GetByText("Mengapa jumlah ini?").ClickAsync();
        await Assertions.Expect(page.GetByTestId("trace").Locator("table")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("trace")).ToContainTextAsync("B/1226/022026");
        Assert.Contains("wage=12.000.000", page.Url, StringComparison.Ordinal);
    }
}
