using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kawal.Web.Tests.Security;

public class HardeningTests
{
    [Fact]
    public async Task Pages_carry_a_strict_csp_frame_denial_and_no_inline_script()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();

        foreach (var path in new[] { "/", "/masuk", "/wilayah", "/simulasi", "/aturan" })
        {
            using var r = await client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await r.Content.ReadAsStringAsync();
            var csp = r.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=\"", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_only()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://kawal.example.go.id") });
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://kawal.example.go.id") });

        using var secure = await https.GetAsync(new Uri("/", UriKind.Relative));
        using var plain = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_server_failure_is_a_plain_500_without_a_stack_trace()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var admin = await Seed.ClientAsync(app, Role.Admin);
        await using (var c = await app.Db.Database.OpenAsync())
        {
            await c.ExecuteAsync("ALTER TABLE employers RENAME TO employers_gone");
        }

        using var r = await admin.GetAsync(new Uri("/api/v1/employers", UriKind.Relative));
        var body = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("employers_gone", body, StringComparison.Ordinal);
        Assert.DoesNotContain("no such table", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_personal_data_permission_nik_and_phone_are_masked()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        await Seed.RegistryAsync(app);
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");

        var masked = await monitor.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/participants/{Seed.NikA}", UriKind.Relative));
        var list = await monitor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/participants", UriKind.Relative));
        using var byNikPrefix = await monitor.GetAsync(new Uri("/api/v1/participants?nik=3507", UriKind.Relative));
        var full = await officer.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/participants/{Seed.NikA}", UriKind.Relative));

        Assert.Equal("3507************", masked.GetProperty("nik").GetString());
        Assert.Equal(JsonValueKind.Null, masked.GetProperty("phone").ValueKind);
        Assert.Equal("1990", masked.GetProperty("birthDate").GetString()); // the year only: with the date, the masked digits come back
        Assert.Equal(JsonValueKind.Null, masked.GetProperty("sex").ValueKind);
        Assert.All(list.GetProperty("items").EnumerateArray(), p =>
        {
            Assert.Matches("^[0-9]{4}[*]{12}$", p.GetProperty("nik").GetString());
            Assert.Matches("^[0-9]{4}$", p.GetProperty("birthDate").GetString());
            Assert.Equal(JsonValueKind.Null, p.GetProperty("sex").ValueKind);
        });
        Assert.Equal(HttpStatusCode.Forbidden, byNikPrefix.StatusCode);
        Assert.Equal(Seed.NikA, full.GetProperty("nik").GetString());
        Assert.Equal("081234567890", full.GetProperty("phone").GetString());
    }
}
