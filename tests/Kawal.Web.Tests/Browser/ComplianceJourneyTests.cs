using Kawal.Compliance.Features;
using Kawal.Contributions.Features;
using Kawal.Identity;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class ComplianceJourneyTests
{
    [BrowserFact]
    public async Task A_branch_detects_arrears_and_warns_and_the_prosecutor_records_a_recovery_on_the_office_page()
    {
        await using var kawal = await LiveKawal.StartAsync();
        var today = kawal.Services.GetRequiredService<TimeProvider>().Today();
        long caseId;
        using (var scope = kawal.Services.CreateScope())
        {
            var sp = scope.ServiceProvider;
            var op = Caller.Operator("test");
            await sp.GetRequiredService<UserStore>().AddAsync(new NewUser("cabang.malang", "BPJS Malang", Role.BpjsOfficer, "35.07", null, "Rahasia-Kawal-2026"), op);
            await sp.GetRequiredService<UserStore>().AddAsync(new NewUser("jaksa.malang", "Jaksa Kejari Malang", Role.Prosecutor, "35.07", null, "Rahasia-Kawal-2026"), op);
            var registry = sp.GetRequiredService<RegisterRecordsHandler>();
            await registry.RegisterEmployerAsync(new Dictionary<string, string?>
            {
                ["npp"] = "35070001", ["name"] = "PT Tunggak Malang", ["kind"] = "private", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "small",
            }, op);
            await registry.RegisterParticipantAsync(new Dictionary<string, string?>
            {
                ["nik"] = "3507015505900001", ["name"] = "Sri", ["segment"] = "PU", ["employer_npp"] = "35070001", ["wage"] = "3000000", ["programmes"] = "JKK,JKM,JHT",
                ["start_date"] = Period.Of(today).AddMonths(-8).FirstDay.ToIso(),
            }, op);
            var billing = sp.GetRequiredService<BillingRunner>();
            for (var p = Period.Of(today).AddMonths(-8); p <= Period.Of(today).AddMonths(-5); p = p.Next)
            {
                await billing.RunAsync(new BillingRequest(p, null, op), null, CancellationToken.None);
            }
        }

        var branch = await kawal.SignInAsync("/kepatuhan", "cabang.malang");
        await branch.GetByTestId("detect-form").Locator("button").ClickAsync();
        await Assertions.Expect(branch.GetByTestId("compliance-message")).ToContainTextAsync("kasus baru");
        var row = branch.GetByTestId("case-list").Locator("tr[data-kind=arrears]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.Locator("a").ClickAsync();
        await Assertions.Expect(branch.GetByTestId("case-status")).ToHaveAttributeAsync("data-status", "detected");
        await branch.GetByTestId("warn-form").Locator("button").ClickAsync();
        await Assertions.Expect(branch.GetByTestId("case-status")).ToHaveAttributeAsync("data-status", "warning1");
        var letter = await branch.APIRequest.GetAsync(kawal.BaseUrl + await branch.GetByTestId("letter-warning1").GetAttributeAsync("href"));
        Assert.Equal("application/pdf", letter.Headers["content-type"]);
        // Letter 2 too early is refused, in Indonesian, with the date it may be sent.
        await branch.GetByTestId("warn-form").Locator("button").ClickAsync();
        await Assertions.Expect(branch.GetByTestId("case-error")).ToContainTextAsync("Teguran II baru dapat dikirim sesudah");
        caseId = long.Parse(branch.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        // Letter 2 and the SKK, dated in the past through the handler (the 10 working days have to pass).
        using (var scope = kawal.Services.CreateScope())
        {
            var cases = scope.ServiceProvider.GetRequiredService<Cases>();
            var officer = new Caller("cli:test", Role.BpjsOfficer, RegionScope.Of(RegionCode.Parse("35.07")), Permissions.Of(Role.BpjsOfficer));
            await cases.CloseAsync(caseId, new CloseInput("resolved", null, "letter 1 today was a test"), officer);
            await scope.ServiceProvider.GetRequiredService<ComplianceDetector>().RunAsync(today.AddDays(-40), officer);
            var id = (await cases.ListAsync(new CaseSearch("detected", "arrears"), officer)).Items.Single().Id;
            await cases.WarnAsync(id, 1, new WarningInput(today.AddDays(-40).ToIso()), officer);
            await cases.WarnAsync(id, 2, new WarningInput(today.AddDays(-24).ToIso()), officer);
            await cases.HandOverAsync(id, new SkkInput("SKK-7/2026", today.AddDays(-5).ToIso(), null), officer);
            caseId = id;
        }

        var jaksa = await kawal.SignInAsync("/kepatuhan/kejaksaan/kejari:35.07", "jaksa.malang");
        await Assertions.Expect(jaksa.GetByTestId("office-cases").Locator("tbody tr")).ToHaveCountAsync(1);
        await jaksa.GetByTestId("office-cases").Locator("a").ClickAsync();
        await jaksa.GetByTestId("recover-form").Locator("input[name=reference]").FillAsync("KEJARI-MLG-1");
        await jaksa.GetByTestId("recover-form").Locator("input[name=amount]").FillAsync("100000");
        await jaksa.GetByTestId("recover-form").Locator("button").ClickAsync();
        await Assertions.Expect(jaksa.GetByTestId("case-message")).ToContainTextAsync("pembayaran");
        await Assertions.Expect(jaksa.GetByTestId("recovered")).ToHaveTextAsync("Rp100.000");
        await jaksa.GotoAsync(kawal.BaseUrl + "/kepatuhan/kejaksaan/kejari:35.07");
        await Assertions.Expect(jaksa.GetByTestId("office-summary")).ToContainTextAsync("dipulihkan Rp100.000");
    }
}
