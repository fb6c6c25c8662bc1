using System.Net;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// Sessions end on the server (SessionStore): signing out, the idle and absolute limits, a new password and a disabled
/// account make the cookie — and every copy of it, on every process sharing the database — worthless.
/// </summary>
public class SessionTests
{
    private const string User = "petugas.malang";

    [EngineTheory]
    public async Task A_copied_cookie_stops_working_after_sign_out(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.UserAsync(app, User, Role.RegencyOfficer, "35.07");
        var (browser, cookie) = await SignInAsync(app);
        var thief = Copy(app, cookie);

        using var before = await thief.GetAsync(Me);
        using var pageBefore = await thief.GetAsync(Participants);
        using var logout = await SignOutAsync(browser);
        using var after = await thief.GetAsync(Me);
        using var pageAfter = await thief.GetAsync(Participants);
        var ended = await EndReasonsAsync(app);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pageBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, pageAfter.StatusCode);
        Assert.StartsWith("/masuk?kembali=", pageAfter.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(["sign_out"], ended);
    }

    [EngineTheory]
    public async Task A_session_ends_after_the_idle_limit_and_each_request_extends_it(Engine engine)
    {
        var clock = new FixedTime(TimeProvider.System.GetUtcNow());
        await using var app = await KawalFactory.StartAsync(engine, services: s => s.AddSingleton<TimeProvider>(clock));
        await Seed.UserAsync(app, User, Role.RegencyOfficer, "35.07");
        var (browser, _) = await SignInAsync(app);

        var statuses = await AsTimePassesAsync(clock, browser, 20, 20, 29, 31);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], statuses);
        Assert.Equal(["idle"], await EndReasonsAsync(app));
    }

    [EngineTheory]
    public async Task A_session_ends_at_the_absolute_limit_however_busy(Engine engine)
    {
        var clock = new FixedTime(TimeProvider.System.GetUtcNow());
        var settings = new Dictionary<string, string?> { [SessionLimits.IdleKey] = "45", [SessionLimits.AbsoluteKey] = "1" };
        await using var app = await KawalFactory.StartAsync(engine, settings, s => s.AddSingleton<TimeProvider>(clock));
        await Seed.UserAsync(app, User, Role.RegencyOfficer, "35.07");
        var (browser, _) = await SignInAsync(app);

        var statuses = await AsTimePassesAsync(clock, browser, 20, 20, 19, 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], statuses);
    }

    [EngineTheory]
    public async Task The_server_ends_a_session_at_its_absolute_limit_even_while_the_cookie_lives(Engine engine)
    {
        // The cookie's own expiry is set to the absolute limit too; here the session table alone must refuse it.
        var clock = new FixedTime(TimeProvider.System.GetUtcNow());
        var settings = new Dictionary<string, string?> { [SessionLimits.IdleKey] = "45", [SessionLimits.AbsoluteKey] = "1" };
        await using var app = await KawalFactory.StartAsync(engine, settings, s => s.AddSingleton<TimeProvider>(clock));
        var user = await Seed.UserAsync(app, User, Role.RegencyOfficer, "35.07");
        using var scope = app.Services.CreateScope();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionStore>();
        var token = await sessions.StartAsync(user.Id);

        var live = new List<bool>();
        foreach (var minutes in new[] { 20, 20, 19, 2 })
        {
            clock.Now += TimeSpan.FromMinutes(minutes);
            live.Add(await sessions.ValidateAsync(token, user.Id));
        }

        Assert.Equal([true, true, true, false], live);
        Assert.False(await sessions.ValidateAsync(token + "0", user.Id));
        Assert.Equal(["expired"], await EndReasonsAsync(app));
    }

    [EngineTheory]
    public async Task Disabling_an_account_or_setting_its_password_ends_its_sessions(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.UserAsync(app, User, Role.RegencyOfficer, "35.07");
        var (first, _) = await SignInAsync(app);
        var (second, _) = await SignInAsync(app);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserStore>();

        await users.SetPasswordAsync(User, "Sandi-Baru-Kawal-2026", Caller.Operator("test"));
        using var afterPassword = await first.GetAsync(Me);
        var (third, _) = await SignInAsync(app, "Sandi-Baru-Kawal-2026");
        await users.SetActiveAsync(User, false, Caller.Operator("test"));
        using var afterDisable = await third.GetAsync(Me);

        Assert.Equal(HttpStatusCode.Unauthorized, afterPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync(Me)).StatusCode);
        Assert.Equal(["user.disable", "user.password", "user.password"], await EndReasonsAsync(app));
    }

    [EngineTheory]
    public async Task Two_serve_processes_sharing_the_database_share_the_end_of_a_session(Engine engine)
    {
        await using var one = await KawalFactory.StartAsync(engine);
        await using var two = one.Sibling();
        await Seed.UserAsync(one, User, Role.RegencyOfficer, "35.07");
        var (browser, cookie) = await SignInAsync(one);
        var elsewhere = Copy(two, cookie);

        using var before = await elsewhere.GetAsync(Me);
        using var logout = await SignOutAsync(browser);
        using var after = await elsewhere.GetAsync(Me);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private static readonly Uri Me = new("/api/v1/me", UriKind.Relative);
    private static readonly Uri Participants = new("/registri/peserta", UriKind.Relative);

    /// <summary>After each of the pauses (minutes), the status of one request of the signed-in browser.</summary>
    private static async Task<List<HttpStatusCode>> AsTimePassesAsync(FixedTime clock, HttpClient browser, params int[] minutes)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var m in minutes)
        {
            clock.Now += TimeSpan.FromMinutes(m);
            using var r = await browser.GetAsync(Me);
            statuses.Add(r.StatusCode);
        }

        return statuses;
    }

    /// <summary>Signs in through the form; returns the browser (cookies kept) and its session cookie as a Cookie header.</summary>
    internal static async Task<(HttpClient Browser, string Cookie)> SignInAsync(KawalFactory app, string password = "Rahasia-Kawal-2026")
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = await LoginTests.PostLoginAsync(browser, User, password, await LoginTests.TokenAsync(browser));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return (browser, SessionCookie(login));
    }

    /// <summary>The session cookie a response set, as a request's Cookie header value (every chunk of it).</summary>
    internal static string SessionCookie(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("kawal-session", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));

    /// <summary>Another client presenting a copy of the cookie, as someone who lifted it from the browser would.</summary>
    private static HttpClient Copy(KawalFactory app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>Signs out with the layout's form, giving <paramref name="kembali"/> as the return address when there is one.</summary>
    internal static async Task<HttpResponseMessage> SignOutAsync(HttpClient browser, string? kembali = null)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = await LoginTests.TokenAsync(browser, "/") };
        if (kembali is not null)
        {
            form["kembali"] = kembali;
        }

        return await browser.PostAsync(new Uri("/keluar", UriKind.Relative), new FormUrlEncodedContent(form));
    }

    private static async Task<List<string>> EndReasonsAsync(KawalFactory app)
    {
        await using var c = await app.Db.Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT end_reason FROM sessions WHERE ended_ms IS NOT NULL ORDER BY end_reason")).ToList();
    }
}
