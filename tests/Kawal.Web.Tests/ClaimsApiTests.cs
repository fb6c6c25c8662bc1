using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

public class ClaimsApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>Sri Wahyuni (Kab. Malang) billed and paid for the twelve months of 2025 through the ledger's own handlers.</summary>
    private static async Task LedgerAsync(KawalFactory app)
    {
        await Seed.RegistryAsync(app);
        using var scope = app.Services.CreateScope();
        var billing = scope.ServiceProvider.GetRequiredService<BillingRunner>();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentsHandler>();
        var db = scope.ServiceProvider.GetRequiredService<Database>();
        for (var p = new Period(2025, 1); p <= new Period(2025, 12); p = p.Next)
        {
            await billing.RunAsync(new BillingRequest(p, "35.07", Caller.Operator("billing")), null, CancellationToken.None);
            await using var c = await db.OpenAsync();
            var (number, amount, due) = await Dapper.SqlMapper.QuerySingleAsync<(string, long, DateOnly)>(c, "SELECT bill_number, amount, due_date FROM bills WHERE period = @p", new { p = p.ToString() });
            await payments.RecordAsync(new PaymentInput($"TRF-{number}", null, number, amount, due.ToIso(), "bank"), Caller.Operator("teller"));
        }
    }

    private static readonly string[] DeathDocuments = ["kartu_peserta", "ktp", "kk", "buku_rekening", "akta_kematian", "surat_ahli_waris", "ktp_ahli_waris"];

    /// <summary>
    /// Four eyes by person: an administrator who mints API keys of the BPJS officer role cannot take a claim with one and
    /// approve it with another (both are the administrator); an officer of its own can.
    /// </summary>
    [Fact]
    public async Task Keys_minted_by_one_administrator_are_one_person_for_four_eyes()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        await LedgerAsync(app);
        var admin = Caller.Operator("admin.nakal");
        var taker = await Seed.ClientAsync(app, Role.BpjsOfficer, "35.07", owner: admin);
        var ownApprover = await Seed.ClientAsync(app, Role.BpjsOfficer, "35", owner: admin);
        var colleague = await Seed.ClientAsync(app, Role.BpjsOfficer, "35");
        using var created = await taker.PostAsJsonAsync(U("/api/v1/claims"), new
        {
            nik = Seed.NikA, programme = "JKM", kind = "death", eventDate = "2026-01-10",
            heirs = new object[] { new { name = "Agus Salim", relation = "spouse", birthDate = "1988-02-01", bankAccount = "0011223344" } },
            documents = DeathDocuments,
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using (var verify = await taker.PostAsJsonAsync(U($"/api/v1/claims/{id}/verify"), new { }))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        using (var self = await ownApprover.PostAsync(U($"/api/v1/claims/{id}/approve"), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
            Assert.Contains("four eyes", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var approve = await colleague.PostAsync(U($"/api/v1/claims/{id}/approve"), null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
    }

    [EngineTheory]
    public async Task A_claim_over_http_from_intake_to_payment_with_four_eyes_scope_and_statistics(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await LedgerAsync(app);
        var taker = await Seed.ClientAsync(app, Role.BpjsOfficer, "35.07");
        var approver = await Seed.ClientAsync(app, Role.BpjsOfficer, "35");
        var outside = await Seed.ClientAsync(app, Role.BpjsOfficer, "12.07");
        var regency = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var admin = await Seed.ClientAsync(app, Role.Admin);
        var body = new
        {
            nik = Seed.NikA, programme = "JKM", kind = "death", eventDate = "2026-01-10",
            heirs = new object[] { new { name = "Agus Salim", relation = "spouse", birthDate = "1988-02-01", bankAccount = "0011223344" }, new { name = "Nia", relation = "child", birthDate = "2015-09-09", bankAccount = "0011223355" } },
            documents = new[] { "kartu_peserta", "ktp", "kk", "buku_rekening", "akta_kematian", "surat_ahli_waris", "ktp_ahli_waris" },
        };

        using (var denied = await regency.PostAsJsonAsync(U("/api/v1/claims"), body))
        using (var notHere = await outside.PostAsJsonAsync(U("/api/v1/claims"), body))
        using (var bad = await taker.PostAsJsonAsync(U("/api/v1/claims"), new { nik = Seed.NikA, programme = "JKM", kind = "death", eventDate = "10/01/2026" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, notHere.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("eventDate", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var created = await taker.PostAsJsonAsync(U("/api/v1/claims"), body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var claim = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = claim.GetProperty("id").GetInt64();
        Assert.Equal("submitted", claim.GetProperty("status").GetString());
        Assert.Equal(42_000_000, claim.GetProperty("benefit").GetProperty("total").GetInt64());
        Assert.Contains(claim.GetProperty("benefit").GetProperty("trace").EnumerateArray(), s => s.GetProperty("parameterId").GetString() == "jkm.lump_sum");
        Assert.Equal($"/api/v1/claims/{id}", created.Headers.Location!.OriginalString);
        // Twelve paid months: no scholarship through JKM (needs 36), and the check says why.
        Assert.False(claim.GetProperty("benefit").GetProperty("scholarshipEligible").GetBoolean());

        using (var again = await taker.PostAsJsonAsync(U("/api/v1/claims"), body))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // one open claim per event
        }

        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync(U($"/api/v1/claims/{id}"))).StatusCode);
        using (var verify = await taker.PostAsJsonAsync(U($"/api/v1/claims/{id}/verify"), new { }))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        using (var self = await taker.PostAsync(U($"/api/v1/claims/{id}/approve"), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode); // four eyes
        }

        using (var approve = await approver.PostAsync(U($"/api/v1/claims/{id}/approve"), null))
        {
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        }

        using (var pay = await approver.PostAsJsonAsync(U($"/api/v1/claims/{id}/pay"), new { reference = "BNI-KLM-77", paidOn = "2026-02-02" }))
        using (var payAgain = await approver.PostAsJsonAsync(U($"/api/v1/claims/{id}/pay"), new { reference = "BNI-KLM-77", paidOn = "2026-02-02" }))
        {
            Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
            Assert.Equal(HttpStatusCode.OK, payAgain.StatusCode);
            var paid = await payAgain.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("paid", paid.GetProperty("status").GetString());
            Assert.Equal(2, paid.GetProperty("payments").GetArrayLength());
        }

        var list = await approver.GetFromJsonAsync<JsonElement>(U("/api/v1/claims?status=paid&programme=JKM"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(42_000_000, list.GetProperty("items")[0].GetProperty("paid").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await approver.GetAsync(U("/api/v1/claims?status=lost"))).StatusCode);

        var stats = await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/claims/stats?region=35&from=2026-01&to=2026-12"));
        Assert.Equal((1, 42_000_000L), (stats.GetProperty("cases").GetInt64(), stats.GetProperty("amount").GetInt64()));

        // The claim joins the monev indicators of its month and region.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync(U("/api/v1/monev/refresh"), new { from = "2026-02", to = "2026-02" })).StatusCode);
        var indicators = (await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/monev/indicators?region=35.07&period=2026-02"))).GetProperty("values");
        Assert.Equal((1m, 42_000_000m, 42_000_000m), (indicators.GetProperty("claims.count").GetDecimal(), indicators.GetProperty("claims.amount").GetDecimal(),
            indicators.GetProperty("claims.JKM.amount").GetDecimal()));
        var elsewhere = (await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/monev/indicators?region=12&period=2026-02"))).GetProperty("values");
        Assert.Equal(0m, elsewhere.GetProperty("claims.amount").GetDecimal());

        // JHT statement over HTTP.
        var statement = await approver.GetFromJsonAsync<JsonElement>(U($"/api/v1/jht/{Seed.NikA}/statement?year=2025"));
        Assert.True(statement.GetProperty("contributions").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync(U($"/api/v1/jht/{Seed.NikA}/statement?year=2025"))).StatusCode);
    }
}
