using System.Net;
using System.Text.RegularExpressions;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Web.Tests;

public partial class PageTests
{
    private static async Task<(HttpStatusCode Status, string Html)> Get(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<a href=\"/wilayah/(\\d\\d)\" data-code=\"(\\d\\d)\"")]
    private static partial Regex MapLink();

    [EngineTheory]
    public async Task Home_is_Indonesian_with_a_map_of_38_linked_provinces(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);

        var (status, html) = await Get(app.CreateClient(), "/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"id\">", html, StringComparison.Ordinal);
        Assert.Contains("Beranda", html, StringComparison.Ordinal);
        var links = MapLink().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(38, links.Select(l => l.Item1).Distinct().Count());
        Assert.All(links, l => Assert.Equal(l.Item1, l.Item2));
        Assert.Contains("<title>Kalimantan Selatan</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_map_of_2021_has_34_provinces()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        var (_, html) = await Get(app.CreateClient(), "/?tanggal=2021-08-01");

        var codes = Regex.Matches(html, "data-code=\"(\\d\\d)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(34, codes.Count);
        Assert.DoesNotContain("96", codes);
        Assert.Contains("href=\"/wilayah/91?tanggal=2021-08-01\"", html, StringComparison.Ordinal);
        Assert.Contains("17 Maret 2022", (await Get(app.CreateClient(), "/?tanggal=2022-03-17")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_is_selectable_and_remembered()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var switched = await client.GetAsync(new Uri("/bahasa/en?kembali=/wilayah/63", UriKind.Relative));
        var cookie = switched.Headers.GetValues("Set-Cookie").Single();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/wilayah/63");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var page = await client.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/wilayah/63", switched.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Regencies and cities (13)", html, StringComparison.Ordinal);
        Assert.Contains("Bahasa Indonesia", html, StringComparison.Ordinal);
        Assert.Contains("17 March 2022", (await Get(client, "/?tanggal=2022-03-17&lang=en")).Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Language_switch_never_redirects_off_site(string target)
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/bahasa/en?kembali=" + Uri.EscapeDataString(target), UriKind.Relative));

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [EngineTheory]
    public async Task A_province_page_lists_its_regencies_and_cities(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);

        var (status, html) = await Get(app.CreateClient(), "/wilayah/63");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Kalimantan Selatan", html, StringComparison.Ordinal);
        Assert.Contains("Kabupaten dan kota (13)", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/wilayah/63.71\">Kota Banjarmasin</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_region_and_unknown_page_are_404_with_a_message()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();

        var (regionStatus, regionHtml) = await Get(client, "/wilayah/99");
        var (pageStatus, pageHtml) = await Get(client, "/tidak-ada");

        Assert.Equal(HttpStatusCode.NotFound, regionStatus);
        Assert.Contains("Tidak ada wilayah dengan kode 99", regionHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, pageStatus);
        Assert.Contains("Halaman tidak ditemukan", pageHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_are_escaped_in_pages()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        var (_, html) = await Get(app.CreateClient(), "/wilayah/%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }
}
