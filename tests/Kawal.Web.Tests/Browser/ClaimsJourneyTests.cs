using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

public class ClaimsJourneyTests
{
    private const string Nik = "3507015505900001";

    [BrowserFact]
    public async Task An_officer_takes_a_death_claim_another_approves_and_pays_it_and_it_shows_on_the_participant_page()
    {
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            var sp = scope.ServiceProvider;
            var op = Caller.Operator("test");
            foreach (var user in new[] { "petugas.a", "petugas.b" })
            {
                await sp.GetRequiredService<UserStore>().AddAsync(new NewUser(user, user, Role.BpjsOfficer, "35.07", null, "Rahasia-Kawal-2026"), op);
            }

            var registry = sp.GetRequiredService<RegisterRecordsHandler>();
            await registry.RegisterEmployerAsync(new Dictionary<string, string?>
            {
                ["npp"] = "35070001", ["name"] = "Pemkab Malang", ["kind"] = "regional_gov", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "large",
            }, op);
            var r = await registry.RegisterParticipantAsync(new Dictionary<string, string?>
            {
                ["nik"] = Nik, ["name"] = "Sri Wahyuni", ["segment"] = "PU", ["employer_npp"] = "35070001", ["category"] = "non_asn", ["wage"] = "3500000", ["start_date"] = "2025-01-01",
            }, op);
            Assert.True(r.Ok, string.Join("; ", r.Errors.Select(e => e.MessageEn)));
            var billing = sp.GetRequiredService<BillingRunner>();
            var payments = sp.GetRequiredService<PaymentsHandler>();
            var db = sp.GetRequiredService<Database>();
            for (var p = new Period(2025, 1); p <= new Period(2025, 6); p = p.Next)
            {
                await billing.RunAsync(new BillingRequest(p, null, op), null, CancellationToken.None);
                await using var c = await db.OpenAsync();
                var (number, amount, due) = await c.QuerySingleAsync<(string, long, DateOnly)>("SELECT bill_number, amount, due_date FROM bills WHERE period = @p", new { p = p.ToString() });
                await payments.RecordAsync(new PaymentInput($"TRF-{number}", null, number, amount, due.ToIso(), "bank"), op);
            }
        }

        // Officer A takes the claim; the form asserts nothing about contributions.
        var a = await kawal.SignInAsync($"/klaim/baru?nik={Nik}", "petugas.a");
        var form = a.GetByTestId("claim-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("JKM|death");
        await form.Locator("input[name=eventDate]").FillAsync("2025-07-20");
        foreach (var doc in new[] { "kartu_peserta", "ktp", "kk", "buku_rekening", "akta_kematian", "surat_ahli_waris" })
        {
            await form.Locator($"input[name=documents][value={doc}]").CheckAsync();
        }

        // Refused (a death claim needs heirs): the message stands beside the heirs, in Indonesian, and nothing typed is lost.
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(a.GetByTestId("field-error-heirs")).ToContainTextAsync("Klaim kematian memerlukan ahli waris");
        form = a.GetByTestId("claim-form");
        await Assertions.Expect(form.Locator("input[name=eventDate]")).ToHaveValueAsync("2025-07-20");
        await Assertions.Expect(form.Locator("select[name=kind]")).ToHaveValueAsync("JKM|death");
        await Assertions.Expect(form.Locator("input[name=nik]")).ToHaveValueAsync(Nik);
        await Assertions.Expect(form.Locator("input[name=documents][value=akta_kematian]")).ToBeCheckedAsync();

        await form.Locator("input[name=heirName1]").FillAsync("Agus Salim");
        await form.Locator("select[name=heirRelation1]").SelectOptionAsync("spouse");
        await form.Locator("input[name=heirBank1]").FillAsync("0011223344");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(a).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/klaim/\\d+$"));
        await Assertions.Expect(a.GetByTestId("claim-status")).ToHaveAttributeAsync("data-status", "submitted");
        await Assertions.Expect(a.GetByTestId("benefit-total")).ToContainTextAsync("Rp42.000.000");
        await Assertions.Expect(a.GetByTestId("benefit-trace")).ToContainTextAsync("PP 82/2019");
        await Assertions.Expect(a.GetByTestId("claim-checks")).ToContainTextAsync("membership.active");
        var url = a.Url;

        // Verification names the missing document, then succeeds when it is ticked.
        await a.GetByTestId("verify-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(a.GetByTestId("claim-error")).ToContainTextAsync("Dokumen wajib belum diserahkan: KTP ahli waris");
        await a.GetByTestId("verify-form").Locator("input[value=ktp_ahli_waris]").CheckAsync();
        await a.GetByTestId("verify-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(a.GetByTestId("claim-status")).ToHaveAttributeAsync("data-status", "verified");

        // Four eyes: A cannot approve what A took.
        await a.GetByTestId("approve-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(a.GetByTestId("claim-error")).ToContainTextAsync("Prinsip empat mata");
        await Assertions.Expect(a.GetByTestId("claim-status")).ToHaveAttributeAsync("data-status", "verified");

        // Officer B approves and records the transfer.
        var b = await kawal.SignInAsync(new Uri(url).PathAndQuery, "petugas.b");
        await b.GetByTestId("approve-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(b.GetByTestId("claim-status")).ToHaveAttributeAsync("data-status", "approved");
        await b.GetByTestId("pay-form").Locator("input[name=reference]").FillAsync("BNI-2025-0001");
        await b.GetByTestId("pay-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(b.GetByTestId("claim-status")).ToHaveAttributeAsync("data-status", "paid");
        await Assertions.Expect(b.GetByTestId("claim-payments")).ToContainTextAsync("BNI-2025-0001");

        // The participant page lists the claim.
        await b.GotoAsync(kawal.BaseUrl + $"/registri/peserta/{Nik}");
        await Assertions.Expect(b.GetByTestId("participant-claims").Locator("tr[data-status=paid]")).ToHaveCountAsync(1);
    }
}
