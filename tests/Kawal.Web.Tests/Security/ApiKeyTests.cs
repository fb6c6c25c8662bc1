using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

public class ApiKeyTests
{
    private static readonly string[] RegistryRead = ["registry.read"];
    private static readonly string[] StatsRead = ["stats.read"];

    [EngineTheory]
    public async Task A_key_works_as_bearer_or_header_within_its_scopes_until_revoked(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
        var created = await keys.CreateAsync(new NewApiKey("DPMPTSP Kab. Malang", Role.RegencyOfficer, "35.07", null, ["licensing.check"]), Caller.Operator("test"));
        var header = app.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", created.Secret);
        var bearer = app.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", created.Secret);

        using var check = await header.GetAsync(new Uri($"/api/v1/licensing/employers/{Seed.EmployerA}", UriKind.Relative));
        var status = await check.Content.ReadFromJsonAsync<JsonElement>();
        using var viaBearer = await bearer.GetAsync(new Uri($"/api/v1/licensing/employers/{Seed.EmployerA}", UriKind.Relative));
        using var outsideScopes = await header.GetAsync(new Uri($"/api/v1/employers/{Seed.EmployerA}", UriKind.Relative));
        await keys.RevokeAsync(created.Info.Prefix, Caller.Operator("test"));
        using var revoked = await header.GetAsync(new Uri($"/api/v1/licensing/employers/{Seed.EmployerA}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.True(status.GetProperty("registered").GetBoolean());
        Assert.True(status.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, viaBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outsideScopes.StatusCode);
        Assert.Equal("application/problem+json", outsideScopes.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("Bearer", revoked.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_key_is_stored_only_as_a_hash_and_a_wrong_or_malformed_key_is_401()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
        var created = await keys.CreateAsync(new NewApiKey("OSS", Role.NationalMonitor, null, null, null), Caller.Operator("test"));
        await using var c = await app.Db.Database.OpenAsync();
        var stored = await Dapper.SqlMapper.QuerySingleAsync<string>(c, "SELECT key_hash || ' ' || scopes FROM api_keys");

        var forged = created.Secret[..^4] + "0000";
        var results = new List<HttpStatusCode>();
        foreach (var k in new[] { forged, "kawal_nope", "not-a-key" })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", k);
            using var r = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
            results.Add(r.StatusCode);
        }

        Assert.DoesNotContain(created.Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret.Split('_')[2], stored, StringComparison.Ordinal);
        Assert.Contains("monev.write", stored, StringComparison.Ordinal);
        Assert.All(results, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    [Fact]
    public async Task A_key_cannot_hold_a_scope_its_role_lacks()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var admin = await Seed.ClientAsync(app, Role.Admin);

        using var bad = await admin.PostAsJsonAsync(new Uri("/api/v1/admin/api-keys", UriKind.Relative),
            new { name = "Kejari", role = "prosecutor", region = "35.07", scopes = RegistryRead });
        using var good = await admin.PostAsJsonAsync(new Uri("/api/v1/admin/api-keys", UriKind.Relative),
            new { name = "Kejari", role = "prosecutor", region = "35.07", scopes = StatsRead });
        var body = await good.Content.ReadFromJsonAsync<JsonElement>();
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes", out _));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        Assert.StartsWith("kawal_", body.GetProperty("key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_api_calls_are_rate_limited_per_client()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Kawal:RateLimits:Public"] = "2" });
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await client.GetAsync(new Uri("/api/v1/regions/35", UriKind.Relative));
            statuses.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
