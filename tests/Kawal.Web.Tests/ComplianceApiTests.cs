using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

public class ComplianceApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static bool Verify(string pem, JsonElement answer)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key.VerifyData(Convert.FromBase64String(answer.GetProperty("payload").GetString()!), Convert.FromBase64String(answer.GetProperty("signature").GetString()!),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    [EngineTheory]
    public async Task The_licensing_check_answers_three_statuses_signed_with_the_published_key(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        // Deli Serdang's PT Sawit Deli is billed for January–March 2026 and never pays; Malang's employer pays.
        using (var scope = app.Services.CreateScope())
        {
            var billing = scope.ServiceProvider.GetRequiredService<BillingRunner>();
            var payments = scope.ServiceProvider.GetRequiredService<PaymentsHandler>();
            var db = scope.ServiceProvider.GetRequiredService<Database>();
            for (var p = new Period(2026, 1); p <= new Period(2026, 3); p = p.Next)
            {
                await billing.RunAsync(new BillingRequest(p, null, Caller.Operator("billing")), null, CancellationToken.None);
                await using var c = await db.OpenAsync();
                var (number, amount, due) = await Dapper.SqlMapper.QuerySingleAsync<(string, long, DateOnly)>(c,
                    "SELECT b.bill_number, b.amount, b.due_date FROM bills b JOIN payers y ON y.id = b.payer_id WHERE b.period = @p AND y.payer_key = @k", new { p = p.ToString(), k = "employer:" + Seed.EmployerA });
                await payments.RecordAsync(new PaymentInput($"TRF-{number}", null, number, amount, due.ToIso(), "bank"), Caller.Operator("teller"));
            }
        }

        var ptsp = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07", scopes: ["compliance:check"]);
        var noScope = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07", scopes: ["registry.read"]);
        var published = await app.CreateClient().GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/public-key"));
        var pem = published.GetProperty("publicKeyPem").GetString()!;

        var compliant = await ptsp.GetFromJsonAsync<JsonElement>(U($"/api/v1/compliance/check?npp={Seed.EmployerA}"));
        Assert.Equal("compliant", compliant.GetProperty("status").GetString());
        Assert.Equal(1, compliant.GetProperty("activeWorkers").GetInt64());
        Assert.Equal(published.GetProperty("keyId").GetString(), compliant.GetProperty("keyId").GetString());
        Assert.True(Verify(pem, compliant));

        // The check is national: a licensing office anywhere may ask about a business anywhere.
        var behind = await ptsp.GetFromJsonAsync<JsonElement>(U($"/api/v1/compliance/check?npp={Seed.EmployerB}"));
        Assert.Equal("non_compliant", behind.GetProperty("status").GetString());
        Assert.True(behind.GetProperty("arrears").GetInt64() > 0);
        Assert.Contains("overdue", behind.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.True(Verify(pem, behind));

        var unknown = await ptsp.GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/check?nib=1111111111111"));
        Assert.Equal("not_registered", unknown.GetProperty("status").GetString());
        Assert.True(Verify(pem, unknown));

        // The signed payload carries the same answer; a changed payload or signature does not verify.
        using var signed = JsonDocument.Parse(Convert.FromBase64String(behind.GetProperty("payload").GetString()!));
        Assert.Equal("non_compliant", signed.RootElement.GetProperty("status").GetString());
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(behind.GetProperty("payload").GetString()!)).Replace("non_compliant", "compliant", StringComparison.Ordinal));
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(pem);
            Assert.False(key.VerifyData(forged, Convert.FromBase64String(behind.GetProperty("signature").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        // Scope, input and audit.
        Assert.Equal(HttpStatusCode.Forbidden, (await noScope.GetAsync(U($"/api/v1/compliance/check?npp={Seed.EmployerA}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(U($"/api/v1/compliance/check?npp={Seed.EmployerA}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ptsp.GetAsync(U("/api/v1/compliance/check?nib=123"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ptsp.GetAsync(U("/api/v1/compliance/check"))).StatusCode);
        using (var scope = app.Services.CreateScope())
        {
            await using var c = await scope.ServiceProvider.GetRequiredService<Database>().OpenAsync();
            Assert.Equal(3, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM audit_log WHERE action = 'compliance.check'"));
        }

        // Detection and the monev indicators over HTTP: the arrears case is found; the recovery indicators are there (zero).
        var branch = await Seed.ClientAsync(app, Role.BpjsOfficer, "12");
        using (var detect = await branch.PostAsJsonAsync(U("/api/v1/compliance/detect"), new { }))
        {
            Assert.Equal(HttpStatusCode.OK, detect.StatusCode);
        }

        var cases = await branch.GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/cases?kind=arrears"));
        Assert.Equal(1, cases.GetProperty("total").GetInt32());
        var admin = await Seed.ClientAsync(app, Role.Admin);
        var values = (await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/monev/indicators?region=12&period=2026-03"))).GetProperty("values");
        Assert.Equal(0m, values.GetProperty("compliance.skk_count").GetDecimal());
        Assert.Equal(JsonValueKind.Null, values.GetProperty("compliance.recovery_pct").ValueKind);
    }
}
