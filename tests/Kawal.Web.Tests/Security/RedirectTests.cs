using System.Net;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Ui;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// Return addresses (<c>kembali</c>) lead only to local paths: every place that takes one — the language switch, sign-in
/// and sign-out — sends each hostile address of the table home instead, and keeps the local ones.
/// </summary>
public class RedirectTests
{
    /// <summary>Hostile return addresses as they stand in a link's query string (percent-encoded as an attacker writes them).</summary>
    public static readonly string[] Hostile =
    [
        "//evil.example/",
        "%2F%2Fevil.example%2F",
        "///evil.example/",
        "/%09/evil.example/",
        "%09//evil.example/",
        "/%0D%0A/evil.example/",
        "/%0A/evil.example/",
        "/%0D/evil.example/",
        "/%00/evil.example/",
        "/%7F/evil.example/",
        "/%5Cevil.example/",
        "/%5C/evil.example/",
        "%5C%5Cevil.example/",
        "/%255Cevil.example/",
        "/%252F/evil.example/",
        "/%2509/evil.example/",
        "%252F%252Fevil.example/",
        "/%25252F%25252Fevil.example/",
        "/.%2F/evil.example/",
        "/%252E%252E/%252Fevil.example/",
        "%20//evil.example/",
        "/%E3%80%82/evil.example/",
        "https://evil.example/",
        "https:%2F%2Fevil.example/",
        "javascript:alert(1)",
        "evil.example",
        "",
    ];

    /// <summary>Local return addresses, encoded as the layout's language link writes them, and the path each must keep.</summary>
    public static readonly (string Query, string Path)[] Local =
    [
        ("%2F", "/"),
        ("%2Fwilayah", "/wilayah"),
        ("%2Fregistri%2Fpeserta%3Fq%3DSri%2520Wahyuni", "/registri/peserta?q=Sri%20Wahyuni"),
        ("%2Faturan%3Fdasar%3Dhttps%3A%2F%2Fperaturan.go.id", "/aturan?dasar=https://peraturan.go.id"),
        ("%2Fapi%2Fv1%2Fme", "/api/v1/me"),
    ];

    public static TheoryData<string> HostileData() => [.. Hostile];

    [Theory]
    [MemberData(nameof(HostileData))]
    public void A_hostile_return_address_is_not_local(string query)
    {
        var arrives = Uri.UnescapeDataString(query);

        Assert.False(LocalPath.IsLocal(arrives));
        Assert.Equal("/", LocalPath.OrHome(arrives));
    }

    [Fact]
    public async Task The_language_switch_returns_only_to_local_paths()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = Client(app);

        await AssertLeadsOnlyHomeOrLocalAsync(query => client.GetAsync(new Uri($"/bahasa/en?kembali={query}", UriKind.Relative)));
    }

    [Fact]
    public async Task Sign_in_returns_only_to_local_paths()
    {
        await using var app = await SignInAppAsync();

        await AssertLeadsOnlyHomeOrLocalAsync(async query =>
        {
            var client = Client(app);
            return await LoginTests.PostLoginAsync(client, "petugas.malang", "Rahasia-Kawal-2026", await LoginTests.TokenAsync(client), $"?kembali={query}");
        });
    }

    [Fact]
    public async Task Sign_out_returns_only_to_local_paths()
    {
        await using var app = await SignInAppAsync();

        // The form carries the address as it arrives once the query string is decoded.
        await AssertLeadsOnlyHomeOrLocalAsync(async query =>
        {
            var (browser, _) = await SessionTests.SignInAsync(app);
            return await SessionTests.SignOutAsync(browser, Uri.UnescapeDataString(query));
        });
    }

    /// <summary>Each address of the table, through <paramref name="send"/>: the hostile ones lead home, the local ones where they said.</summary>
    private static async Task AssertLeadsOnlyHomeOrLocalAsync(Func<string, Task<HttpResponseMessage>> send)
    {
        var results = new List<(string Query, string? Target)>();
        foreach (var (query, _) in Table())
        {
            using var r = await send(query);
            // A NUL in a posted form is refused outright (400) before the handler runs: no redirect at all, which is as safe.
            results.Add((query, r.StatusCode == HttpStatusCode.BadRequest && query.Contains("%00", StringComparison.Ordinal) ? "/" : Target(r)));
        }

        Assert.Equal(Table().Select(t => (t.Query, (string?)t.Path)), results);
    }

    /// <summary>An app with the signing-in officer, whose sign-in limit the table's many sign-ins stay under.</summary>
    private static async Task<KawalFactory> SignInAppAsync()
    {
        var app = await KawalFactory.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Kawal:RateLimits:Login"] = "1000" });
        await Seed.UserAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        return app;
    }

    private static IEnumerable<(string Query, string Path)> Table() => Hostile.Select(h => (h, "/")).Concat(Local);

    private static HttpClient Client(KawalFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// Where the redirect leads, as a path on this site, or the whole address when it leads elsewhere. The test server's
    /// origin is http://localhost; a browser resolves the Location header against it as done here.
    /// </summary>
    private static string? Target(HttpResponseMessage r)
    {
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"{r.RequestMessage?.RequestUri}: {r.StatusCode}");
        var origin = new Uri("http://localhost/");
        var to = new Uri(origin, r.Headers.Location!);
        return to.GetLeftPart(UriPartial.Authority) == origin.GetLeftPart(UriPartial.Authority) ? to.PathAndQuery : to.AbsoluteUri;
    }
}
