using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;

namespace Kawal.Web.Tests;

public class ContributionApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>Two API runs during a command-line run of the month answered 500; now 409 naming the run in progress.</summary>
    [EngineTheory]
    public async Task A_billing_run_while_another_bills_the_month_answers_409_naming_it(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var branch = await Seed.ClientAsync(app, Role.BpjsOfficer, "35.07");
        await using (await new Leases(app.Db.Database, TimeProvider.System).AcquireAsync(
            Kawal.Contributions.Features.BillingRunner.LeaseFor(new Period(2025, 6), null, Caller.Operator("operator"))))
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => branch.PostAsJsonAsync(U("/api/v1/billing/runs"), new { period = "2025-06", region = "35.07" })));
            foreach (var refused in answers)
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.StartsWith("the billing run of 2025-06 is already running (started by cli:operator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                refused.Dispose();
            }
        }

        using var run = await branch.PostAsJsonAsync(U("/api/v1/billing/runs"), new { period = "2025-06", region = "35.07" });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
    }

    [EngineTheory]
    public async Task Billing_payments_and_statements_over_http_respect_role_and_region(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var branch = await Seed.ClientAsync(app, Role.BpjsOfficer, "35.07");
        var regency = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var otherRegency = await Seed.ClientAsync(app, Role.RegencyOfficer, "12.07");
        var employerA = await Seed.ClientAsync(app, Role.Employer, npp: Seed.EmployerA);
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var anonymous = app.CreateClient();

        using (var national = await branch.PostAsJsonAsync(U("/api/v1/billing/runs"), new { period = "2025-06" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, national.StatusCode); // a branch bills its own area only
        }

        using (var denied = await regency.PostAsJsonAsync(U("/api/v1/billing/runs"), new { period = "2025-06", region = "35.07" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var run = await branch.PostAsJsonAsync(U("/api/v1/billing/runs"), new { period = "2025-06", region = "35.07" });
        var summary = await run.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal((1, 1), (summary.GetProperty("memberships").GetInt32(), summary.GetProperty("bills").GetInt32()));
        var total = summary.GetProperty("total").GetInt64();
        Assert.True(total > 0);

        var statement = await employerA.GetFromJsonAsync<JsonElement>(U("/api/v1/payers/employer%3A35070001/statement"));
        var bill = statement.GetProperty("bills")[0];
        Assert.Equal(total, bill.GetProperty("amount").GetInt64());
        var number = bill.GetProperty("number").GetString();

        using (var paid = await branch.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-1", bill = number, amount = total, date = "2025-07-10", channel = "VA BRI" }))
        {
            Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        }

        using (var same = await branch.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-1", bill = number, amount = total, date = "2025-07-10" }))
        using (var conflict = await branch.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-1", payer = Seed.EmployerA, amount = 1, date = "2025-07-10" }))
        using (var unknown = await branch.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-2", payer = "employer:35079999", amount = 1, date = "2025-07-10" }))
        using (var zero = await branch.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-3", payer = Seed.EmployerA, amount = 0, date = "2025-07-10" }))
        using (var byRegency = await regency.PostAsJsonAsync(U("/api/v1/payments"), new { reference = "BRI-4", payer = Seed.EmployerA, amount = 1, date = "2025-07-10" }))
        {
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
            Assert.True((await zero.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("amount", out _));
            Assert.Equal(HttpStatusCode.Forbidden, byRegency.StatusCode);
        }

        var after = await regency.GetFromJsonAsync<JsonElement>(U("/api/v1/payers/employer%3A35070001/statement"));
        Assert.Equal((0L, total), (after.GetProperty("balance").GetInt64(), after.GetProperty("paid").GetInt64()));
        Assert.Equal("paid", after.GetProperty("bills")[0].GetProperty("status").GetString());

        // Out of scope is not found; without an account, 401.
        Assert.Equal(HttpStatusCode.NotFound, (await otherRegency.GetAsync(U("/api/v1/payers/employer%3A35070001/statement"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await employerA.GetAsync(U($"/api/v1/bills/{number}x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U("/api/v1/payers/employer%3A35070001/statement"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherRegency.GetAsync(U("/api/v1/budgets/35.07"))).StatusCode);

        // The bill explains itself: lines and the cited parameter values.
        var detail = await employerA.GetFromJsonAsync<JsonElement>(U($"/api/v1/bills/{number}"));
        Assert.Equal(1, detail.GetProperty("lines").GetArrayLength());
        Assert.Contains(detail.GetProperty("parameters").GetProperty("PU").EnumerateArray(), p => p.GetProperty("id").GetString() == "pu.jkk.rate.class2");

        var totals = await monitor.GetFromJsonAsync<JsonElement>(U("/api/v1/contributions/totals?from=2025-01&to=2025-12"));
        var row = totals.EnumerateArray().Single();
        Assert.Equal(("35", "2025-06", total, total), (row.GetProperty("regionCode").GetString(), row.GetProperty("period").GetString(), row.GetProperty("billed").GetInt64(), row.GetProperty("collected").GetInt64()));
        var arrears = await monitor.GetFromJsonAsync<JsonElement>(U("/api/v1/arrears"));
        Assert.Equal(0, arrears.GetProperty("outstanding").GetInt64());

        // The employer's page shows its statement in Indonesian rupiah.
        var page = await employerA.GetStringAsync(U("/iuran/pembayar/employer%3A35070001"));
        Assert.Contains("Pemkab Malang", page, StringComparison.Ordinal);
        Assert.Contains("Lunas", page, StringComparison.Ordinal);
        Assert.Contains("Rp", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"arrears\"", await monitor.GetStringAsync(U("/iuran/tunggakan")), StringComparison.Ordinal);
        Assert.Contains("Juni 2025", await monitor.GetStringAsync(U("/iuran?dari=2025-01")), StringComparison.Ordinal); // months in words
    }
}
