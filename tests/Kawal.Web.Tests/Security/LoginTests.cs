using System.Net;
using System.Text.RegularExpressions;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kawal.Web.Tests.Security;

public partial class LoginTests
{
    private static HttpClient Browser(KawalFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    internal static async Task<string> TokenAsync(HttpClient client, string path = "/masuk")
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenIn(html);
    }

    /// <summary>The antiforgery token of the first form in a page.</summary>
    internal static string TokenIn(string html) => TokenPattern().Match(html).Groups[1].Value;

    internal static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string username, string password, string? token, string query = "")
    {
        var form = new Dictionary<string, string> { ["_handler"] = "login", ["username"] = username, ["password"] = password };
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }

        return await client.PostAsync(new Uri("/masuk" + query, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    [EngineTheory]
    public async Task A_person_signs_in_gets_a_secure_session_and_signs_out(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        var client = Browser(app);

        using var login = await PostLoginAsync(client, "Petugas.Malang", "Rahasia-Kawal-2026", await TokenAsync(client), "?kembali=%2Fapi%2Fv1%2Fme");
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kawal-session=", StringComparison.Ordinal));
        var me = await client.GetStringAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.True(login.StatusCode == HttpStatusCode.Redirect, await login.Content.ReadAsStringAsync());
        Assert.EndsWith("/api/v1/me", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"role\":\"regency_officer\"", me, StringComparison.Ordinal);
        Assert.Contains("\"region\":\"35.07\"", me, StringComparison.Ordinal);

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var logout = await client.PostAsync(new Uri("/keluar", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenPattern().Match(home).Groups[1].Value,
        }));
        using var after = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_rejected()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        var client = Browser(app);
        await TokenAsync(client); // the antiforgery cookie is set, but the form lacks the token

        using var login = await PostLoginAsync(client, "petugas.malang", "Rahasia-Kawal-2026", null);
        using var logout = await client.PostAsync(new Uri("/keluar", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.False(login.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("kawal-session=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
    }

    [EngineTheory]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        var client = Browser(app);
        var token = await TokenAsync(client);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < UserStore.MaxFailures; i++)
        {
            using var wrong = await PostLoginAsync(client, "petugas.malang", $"Salah-Sandi-{i}-2026", token);
            statuses.Add(wrong.StatusCode);
        }

        using var right = await PostLoginAsync(client, "petugas.malang", "Rahasia-Kawal-2026", token);
        var page = await right.Content.ReadAsStringAsync();

        Assert.All(statuses.Take(UserStore.MaxFailures - 1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.Forbidden, statuses[^1]);
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("Akun terkunci", page, StringComparison.Ordinal);
        Assert.False(right.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("kawal-session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pages_that_need_a_role_send_strangers_to_sign_in_and_others_to_access_denied()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        var client = Browser(app);

        using var anonymous = await client.GetAsync(new Uri("/admin/audit", UriKind.Relative));
        using var _ = await PostLoginAsync(client, "petugas.malang", "Rahasia-Kawal-2026", await TokenAsync(client));
        using var officer = await client.GetAsync(new Uri("/admin/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("http://localhost/masuk?kembali=", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, officer.StatusCode);
        Assert.Contains("/akses-ditolak", officer.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Kawal:RateLimits:Login"] = "3" });
        var client = Browser(app);
        var token = await TokenAsync(client);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await PostLoginAsync(client, "nobody", "Salah-Sandi-2026", token);
            statuses.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
