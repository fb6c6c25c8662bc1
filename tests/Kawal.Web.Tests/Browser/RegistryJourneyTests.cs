using Kawal.Identity;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class RegistryJourneyTests
{
    [BrowserFact]
    public async Task A_regency_officer_signs_in_checks_a_file_saves_it_and_finds_the_worker()
    {
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserStore>().AddAsync(
                new NewUser("petugas.malang", "Petugas Kab. Malang", Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), Caller.Operator("test"));
            await scope.ServiceProvider.GetRequiredService<RegisterRecordsHandler>().RegisterEmployerAsync(new Dictionary<string, string?>
            {
                ["npp"] = "35070001", ["name"] = "Pemkab Malang", ["kind"] = "regional_gov", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "large",
            }, Caller.Operator("test"));
        }

        var file = Path.Combine(Path.GetTempPath(), $"honorer-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "nik;nama;segmen;npp;kategori;upah;tanggal_mulai\n3507016801920003;Ani Rahmawati;PU;35070001;non_asn;2.800.000;01/02/2025\n3507011203850009;Budi;PU;35070001;non_asn;abc;01/02/2025\n");
        var page = await kawal.Browser.NewPageAsync();

        await page.GotoAsync(kawal.BaseUrl + "/registri/impor");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/masuk"));
        await page.Locator("input[name=username]").FillAsync("petugas.malang");
        await page.Locator("input[name=password]").FillAsync("Rahasia-Kawal-2026");
        await page.Locator("form[data-testid=login-form] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account")).ToContainTextAsync("Petugas Kab. Malang");

        await page.Locator("input[name=file]").SetInputFilesAsync(file);
        await page.GetByTestId("upload-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-summary")).ToContainTextAsync("2 baris: 1 diterima, 1 ditolak.");
        await Assertions.Expect(page.GetByTestId("error-report")).ToBeVisibleAsync();
        await page.GetByTestId("confirm-form").Locator("button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-summary")).ToContainTextAsync("Dibuat 1");
        await Assertions.Expect(page.GetByTestId("past-imports").Locator("tbody tr")).ToHaveCountAsync(2);

        await page.GotoAsync(kawal.BaseUrl + "/registri/peserta?nama=ani");
        await page.GetByTestId("participants").Locator("tbody a").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("participant-name")).ToHaveTextAsync("Ani Rahmawati");
        await Assertions.Expect(page.GetByTestId("participant-nik")).ToHaveTextAsync("3507016801920003");
        await Assertions.Expect(page.GetByTestId("membership")).ToContainTextAsync("Rp2.800.000");
        File.Delete(file);
    }
}
