using System.Net;
using Kawal.Data;
using Kawal.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// Kawal behind a TLS-terminating proxy (Kawal:ForwardedHeaders): forwarded headers count only from a listed proxy.
/// The test server has no TCP peer, so a startup filter sets the peer's address from <see cref="TestPeer.Header"/>
/// before anything else runs, as Kestrel would from the socket. Addresses are from the documentation ranges.
/// </summary>
public class ProxyTests
{
    private const string Proxy = "192.0.2.10";
    private const string Stranger = "203.0.113.5";

    private static readonly Dictionary<string, string?> BehindProxy = new()
    {
        ["Kawal:ForwardedHeaders:Enabled"] = "true",
        ["Kawal:ForwardedHeaders:KnownProxies"] = Proxy,
    };

    [Fact]
    public async Task Https_forwarded_by_the_trusted_proxy_makes_the_session_cookie_secure_and_sends_hsts()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, BehindProxy, TestPeer.Add);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");

        var viaProxy = await SignInAsync(app, Proxy, "198.51.100.7", "https");
        var direct = await SignInAsync(app, Stranger, "198.51.100.7", "https");

        Assert.Contains("max-age=31536000", viaProxy.Hsts, StringComparison.Ordinal);
        Assert.All(viaProxy.Cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(viaProxy.Cookies, c => c.StartsWith("kawal-session", StringComparison.Ordinal));
        Assert.Null(direct.Hsts);
        Assert.All(direct.Cookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(direct.Cookies, c => c.StartsWith("kawal-session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_enabled()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, services: TestPeer.Add);
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");

        var signIn = await SignInAsync(app, "127.0.0.1", "198.51.100.7", "https");

        Assert.Null(signIn.Hsts);
        Assert.All(signIn.Cookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rotating_x_forwarded_for_from_an_untrusted_peer_does_not_evade_the_sign_in_limit(bool proxyConfigured)
    {
        var settings = new Dictionary<string, string?>(proxyConfigured ? BehindProxy : []) { ["Kawal:RateLimits:Login"] = "3" };
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, settings, TestPeer.Add);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await PostLoginAsync(app, Stranger, $"198.51.100.{i + 1}");
            statuses.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Behind_the_trusted_proxy_the_limit_counts_the_client_the_proxy_saw()
    {
        var settings = new Dictionary<string, string?>(BehindProxy) { ["Kawal:RateLimits:Login"] = "3" };
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, settings, TestPeer.Add);

        // The client writes its own X-Forwarded-For, rotating; the proxy appends the address it saw. Only that one counts.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await PostLoginAsync(app, Proxy, $"203.0.113.{i + 10}, 198.51.100.7");
            statuses.Add(r.StatusCode);
        }

        using var otherClient = await PostLoginAsync(app, Proxy, "198.51.100.8");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, otherClient.StatusCode);
    }

    private sealed record SignIn(string? Hsts, IReadOnlyList<string> Cookies);

    /// <summary>
    /// Signs in from <paramref name="peer"/> with forwarded headers, keeping cookies by hand (a client that believes it
    /// speaks plain HTTP would not send back a Secure cookie). Returns the sign-in's HSTS header and every cookie set.
    /// </summary>
    private static async Task<SignIn> SignInAsync(KawalFactory app, string peer, string forwardedFor, string proto)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://kawal.example.go.id"), AllowAutoRedirect = false, HandleCookies = false });
        using var page = await client.SendAsync(Request(HttpMethod.Get, "/masuk", peer, forwardedFor, proto));
        var html = await page.Content.ReadAsStringAsync();
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        using var post = Request(HttpMethod.Post, "/masuk", peer, forwardedFor, proto);
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["username"] = "petugas.malang", ["password"] = "Rahasia-Kawal-2026",
            ["__RequestVerificationToken"] = LoginTests.TokenIn(html),
        });
        using var login = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        cookies.AddRange(login.Headers.GetValues("Set-Cookie"));
        return new SignIn(login.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts.Single() : null, cookies);
    }

    /// <summary>A sign-in post with a wrong password from <paramref name="peer"/> claiming to forward <paramref name="forwardedFor"/>.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(KawalFactory app, string peer, string forwardedFor)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var page = await client.SendAsync(Request(HttpMethod.Get, "/masuk", peer, forwardedFor, null));
        var token = LoginTests.TokenIn(await page.Content.ReadAsStringAsync());
        using var post = Request(HttpMethod.Post, "/masuk", peer, forwardedFor, null);
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["username"] = "nobody", ["password"] = "Salah-Sandi-2026", ["__RequestVerificationToken"] = token,
        });
        return await client.SendAsync(post);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string peer, string forwardedFor, string? proto)
    {
        var r = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        r.Headers.Add(TestPeer.Header, peer);
        r.Headers.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null)
        {
            r.Headers.Add("X-Forwarded-Proto", proto);
        }

        return r;
    }
}

/// <summary>Sets the connection's remote address from a test header, first in the pipeline, as Kestrel sets it from the socket.</summary>
internal sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public static void Add(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestPeer>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, following) =>
        {
            if (http.Request.Headers[Header] is [{ } peer])
            {
                http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            }

            return following(http);
        });
        next(app);
    };
}
