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

    private static async Task<IPage> SignInAsync(LiveKawal kawal, string path, string user)
    {
        var page = await kawal.Browser.NewPageAsync();
        await page.GotoAsync(kawal.BaseUrl + path);
        await page.Locator("input[name=username]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync("Rahasia-Kawal-2026");
        await page.Locator("form[data-testid=login-form] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(path.Contains("kunjungan", StringComparison.Ordinal) ? "Kunjungan" : "Komitmen daerah");
        return page;
    }

    [BrowserFact]
    public async Task A_regency_enters_and_evidences_a_commitment_its_province_verifies_and_the_nation_accepts_on_the_web()
    {
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserStore>();
            var op = Caller.Operator("test");
            await users.AddAsync(new NewUser("op.malang", "Operator Kab. Malang", Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), op);
            await users.AddAsync(new NewUser("op.jatim", "Operator Jawa Timur", Role.ProvinceOfficer, "35", null, "Rahasia-Kawal-2026"), op);
            await users.AddAsync(new NewUser("tim.monev", "Tim Monev", Role.NationalMonitor, null, null, "Rahasia-Kawal-2026"), op);
        }

        var regency = await SignInAsync(kawal, "/monev/komitmen/35.07", "op.malang");
        var form = regency.GetByTestId("commitment-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("ptsp");
        await form.Locator("input[name=ptspRequired]").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(regency.GetByTestId("commitment-error")).ToContainTextAsync("isi dasar hukum"); // the field at fault is named, in Indonesian
        form = regency.GetByTestId("commitment-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("ptsp");
        await form.Locator("input[name=ptspRequired]").CheckAsync();
        await form.Locator("input[name=legalBasis]").FillAsync("Perbup Malang 5/2026");
        await form.Locator("input[name=effectiveDate]").FillAsync("2026-03-01");
        await form.Locator("button[type=submit]").ClickAsync();
        var row = regency.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "draft");
        var evidence = Path.Combine(Path.GetTempPath(), $"perbup-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(evidence, "%PDF-1.4 Perbup Malang 5/2026");
        await row.Locator("input[type=file]").SetInputFilesAsync(evidence);
        await row.GetByTestId("evidence-form").Locator("button").ClickAsync();
        await Assertions.Expect(regency.GetByTestId("commitment-message")).ToContainTextAsync("SHA-256");
        File.Delete(evidence);
        await regency.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp] button[value=submit]").ClickAsync();
        await Assertions.Expect(regency.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp]")).ToHaveAttributeAsync("data-status", "submitted");

        var province = await SignInAsync(kawal, "/monev/komitmen/35.07", "op.jatim");
        await province.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp] button[value=verify]").ClickAsync();
        await Assertions.Expect(province.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp]")).ToHaveAttributeAsync("data-status", "verified");

        var national = await SignInAsync(kawal, "/monev/komitmen/35.07", "tim.monev");
        await Assertions.Expect(national.GetByTestId("commitment-form")).ToHaveCountAsync(0); // the national team does not enter a region's commitments
        await national.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp] button[value=accept]").ClickAsync();
        await Assertions.Expect(national.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp]")).ToHaveAttributeAsync("data-status", "accepted");
        await Assertions.Expect(national.GetByTestId("commitment-list").Locator("tr[data-kind=ptsp]")).ToContainTextAsync("perbup-");
    }

    [BrowserFact]
    public async Task The_national_team_records_a_visit_and_the_owner_region_follows_up_its_recommendation()
    {
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserStore>();
            var op = Caller.Operator("test");
            await users.AddAsync(new NewUser("tim.monev", "Tim Monev", Role.NationalMonitor, null, null, "Rahasia-Kawal-2026"), op);
            await users.AddAsync(new NewUser("op.karo", "Operator Kab. Karo", Role.RegencyOfficer, "12.06", null, "Rahasia-Kawal-2026"), op);
        }

        var national = await SignInAsync(kawal, "/monev/kunjungan", "tim.monev");
        var form = national.GetByTestId("visit-form");
        await form.Locator("input[name=date]").FillAsync("2022-03-17");
        await form.Locator("input[name=place]").FillAsync("Kabanjahe, Kabupaten Karo");
        await form.Locator("input[name=team]").FillAsync("Kemenko PMK, Kemendagri, BPJS Ketenagakerjaan");
        await form.Locator("input[name=regions]").FillAsync("12.06");
        await form.Locator("textarea[name=findings]").FillAsync("Perbup belum terbit; pekerja rentan belum dianggarkan");
        await form.Locator("input[name=action1]").FillAsync("Terbitkan Perbup perlindungan jaminan sosial ketenagakerjaan");
        await form.Locator("input[name=owner1]").FillAsync("12.06");
        await form.Locator("input[name=due1]").FillAsync("2022-06-30");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(national.GetByTestId("visit-message")).ToContainTextAsync("1 rekomendasi");
        await Assertions.Expect(national.GetByTestId("visit-list")).ToContainTextAsync("Kabanjahe");

        var karo = await SignInAsync(kawal, "/monev/kunjungan", "op.karo");
        await Assertions.Expect(karo.GetByTestId("visit-form")).ToHaveCountAsync(0);
        var row = karo.GetByTestId("recommendation-list").Locator("tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("lewat tenggat");
        await row.Locator("select[name=status]").SelectOptionAsync("in_progress");
        await row.Locator("input[name=followUp]").FillAsync("Rancangan Perbup di bagian hukum");
        await row.Locator("button").ClickAsync();
        await Assertions.Expect(karo.GetByTestId("visit-message")).ToContainTextAsync("dalam proses");
        await Assertions.Expect(karo.GetByTestId("recommendation-list").Locator("tbody tr").First).ToHaveAttributeAsync("data-status", "in_progress");
    }
}
