using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class MonevJourneyTests
{
    [BrowserFact]
    public async Task The_national_monitor_drills_down_from_the_nation_to_a_province_to_a_regency()
    {
        await using var kawal = await LiveKawal.StartAsync();
        var month = Period.Of(kawal.Services.GetRequiredService<TimeProvider>().Today());
        using (var scope = kawal.Services.CreateScope())
        {
            var sp = scope.ServiceProvider;
            var op = Caller.Operator("test");
            await sp.GetRequiredService<UserStore>().AddAsync(new NewUser("tim.monev", "Tim Monev Kemenko PMK", Role.NationalMonitor, null, null, "Rahasia-Kawal-2026"), op);
            var registry = sp.GetRequiredService<RegisterRecordsHandler>();
            await registry.RegisterEmployerAsync(new Dictionary<string, string?>
            {
                ["npp"] = "35070001", ["name"] = "Pemkab Malang", ["kind"] = "regional_gov", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "large",
            }, op);
            foreach (var (nik, name) in new[] { ("3507016801920003", "Ani"), ("3507011203850009", "Budi") })
            {
                var result = await registry.RegisterParticipantAsync(new Dictionary<string, string?>
                {
                    ["nik"] = nik, ["name"] = name, ["segment"] = "PU", ["employer_npp"] = "35070001", ["category"] = "non_asn", ["wage"] = "2800000",
                    ["start_date"] = month.FirstDay.AddMonths(-3).ToIso(),
                }, op);
                Assert.True(result.Ok, string.Join("; ", result.Errors.Select(e => e.MessageEn)));
            }

            await sp.GetRequiredService<SummaryRefresher>().RefreshAsync(month, month, op);
        }

        var page = await kawal.Browser.NewPageAsync();
        await page.GotoAsync(kawal.BaseUrl + "/monev");
        await page.Locator("input[name=username]").FillAsync("tim.monev");
        await page.Locator("input[name=password]").FillAsync("Rahasia-Kawal-2026");
        await page.Locator("form[data-testid=login-form] button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/monev"));
        await Assertions.Expect(page.GetByTestId("headline").Locator("li[data-key='participants.total'] .value")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("children").Locator("tbody tr")).ToHaveCountAsync(38);

        await page.Locator("svg[data-testid=map] a[data-code='35']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/monev/wilayah/35\\?"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Jawa Timur");
        var malang = page.GetByTestId("children").Locator("tr[data-code='35.07']");
        await Assertions.Expect(malang).ToContainTextAsync("Kabupaten Malang");
        await Assertions.Expect(malang.Locator("td").Nth(3)).ToHaveTextAsync("2");

        await malang.Locator("a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/monev/wilayah/35.07\\?"));
        await Assertions.Expect(page.GetByTestId("crumbs")).ToContainTextAsync("Jawa Timur");
        await Assertions.Expect(page.GetByTestId("headline").Locator("li[data-key='participants.category.non_asn'], li[data-key='participants.PU'] .value").First).ToContainTextAsync("2");
        await Assertions.Expect(page.GetByTestId("categories").Locator("g[data-label='non_asn']")).ToContainTextAsync("2");
        await Assertions.Expect(page.GetByTestId("commitments")).ToContainTextAsync("Belum ada komitmen");
        await page.GotoAsync(kawal.BaseUrl + "/monev/adresat/bupati:35.07");
        await Assertions.Expect(page.GetByTestId("addressee-title")).ToHaveTextAsync("Bupati Malang");
        await Assertions.Expect(page.GetByTestId("obligations").Locator("tr[data-obligation='R5']")).ToContainTextAsync("belum ada komitmen");
        var csv = await page.APIRequest.GetAsync(kawal.BaseUrl + $"/api/v1/monev/tables/trend.csv?region=35.07&indicator=participants.total&to={month}");
        Assert.Equal(200, csv.Status);
        Assert.Contains($"{month},2", await csv.TextAsync(), StringComparison.Ordinal);
    }
}
