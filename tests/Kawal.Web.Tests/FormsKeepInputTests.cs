using System.Net;
using System.Text.RegularExpressions;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Web.Tests.Security;

namespace Kawal.Web.Tests;

/// <summary>
/// A refused form comes back with what the user typed and the message beside the field it concerns (commitments,
/// visits, users, API keys; claims in the browser journey), not an empty form with a message at the top.
/// </summary>
public sealed partial class FormsKeepInputTests
{
    [Fact]
    public async Task A_refused_commitment_keeps_its_fields_and_says_which_one_is_wrong()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "kab.form", Role.RegencyOfficer, "35.07");
        var html = await PostAsync(client, "/monev/komitmen/35.07", "save", new()
        {
            ["kind"] = "regulation", ["regType"] = "perda", ["regNumber"] = "7 Tahun 2026", ["regDate"] = "2026-02-31", ["regTitle"] = "Perlindungan pekerja rentan", ["regStatus"] = "enacted",
        });
        Assert.Contains("value=\"7 Tahun 2026\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Perlindungan pekerja rentan\"", html, StringComparison.Ordinal);
        Assert.Matches("<option value=\"perda\" selected", html);
        Assert.Matches("<option value=\"enacted\" selected", html);
        Assert.Contains("data-testid=\"field-error-regDate\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_commitment_keeps_its_target_groups_ticked_and_offers_them_in_words()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "kab.groups", Role.RegencyOfficer, "35.07");
        var html = await PostAsync(client, "/monev/komitmen/35.07", "save", new() { ["kind"] = "apbd", ["amount"] = "banyak", ["targetGroups"] = "vulnerable" });
        Assert.Matches("<input type=\"checkbox\" name=\"targetGroups\" value=\"vulnerable\" checked", html);
        Assert.Matches("<input type=\"checkbox\" name=\"targetGroups\" value=\"non_asn\" />", html);
        Assert.Contains("Pekerja rentan", html, StringComparison.Ordinal);
        Assert.DoesNotContain("placeholder=\"non_asn", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"field-error-amount\"", html, StringComparison.Ordinal);
    }

    /// <summary>The arrears page asks for its date with a date field, and a date it cannot read is refused in Indonesian.</summary>
    [Fact]
    public async Task The_arrears_date_is_a_date_field_refused_in_Indonesian()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "bpjs.date", Role.BpjsOfficer, "35.07");
        var html = await client.GetStringAsync(new Uri("/iuran/tunggakan?tanggal=31-12-2026", UriKind.Relative));
        Assert.Contains("<input type=\"date\" name=\"tanggal\" value=\"31-12-2026\" />", html, StringComparison.Ordinal);
        Assert.Contains("Per tanggal: &#x27;31-12-2026&#x27; bukan tanggal yang sah.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("YYYY", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_visit_keeps_its_fields_and_says_which_one_is_wrong()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "monev.form", Role.NationalMonitor, null);
        var html = await PostAsync(client, "/monev/kunjungan", "visit", new()
        {
            ["date"] = "2099-01-01", ["place"] = "Kantor Bupati Malang", ["team"] = "Kemenko PMK", ["regions"] = "35.07", ["findings"] = "Belum ada perkada.",
            ["action1"] = "Terbitkan perkada", ["owner1"] = "35.07", ["due1"] = "2099-03-01",
        });
        Assert.Contains("value=\"Kantor Bupati Malang\"", html, StringComparison.Ordinal);
        Assert.Contains(">Belum ada perkada.</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Terbitkan perkada\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"field-error-date\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_user_keeps_its_fields_and_says_which_one_is_wrong()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "admin.form", Role.Admin, null);
        var html = await PostAsync(client, "/admin/pengguna", "add-user", new()
        {
            ["New.Username"] = "petugas.baru", ["New.DisplayName"] = "Petugas Baru", ["New.Role"] = "regency_officer", ["New.Region"] = "99.99", ["New.Password"] = "Rahasia-Kawal-2026",
        });
        Assert.Contains("value=\"petugas.baru\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Petugas Baru\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"field-error-region\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_api_key_keeps_its_fields_and_says_which_one_is_wrong()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var client = await SignedInAsync(app, "admin.key", Role.Admin, null);
        var html = await PostAsync(client, "/admin/kunci-api", "add-key", new()
        {
            ["New.Name"] = "DPMPTSP Kabupaten Malang", ["New.Role"] = "regency_officer", ["New.Region"] = "99.99", ["New.Scopes"] = "licensing.check",
        });
        Assert.Contains("value=\"DPMPTSP Kabupaten Malang\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"field-error-region\"", html, StringComparison.Ordinal);
    }

    internal static async Task<HttpClient> SignedInAsync(KawalFactory app, string username, Role role, string? region)
    {
        await Seed.UserAsync(app, username, role, region);
        var client = app.CreateClient();
        using (await LoginTests.PostLoginAsync(client, username, "Rahasia-Kawal-2026", await LoginTests.TokenAsync(client)))
        {
        }

        return client;
    }

    private static async Task<string> PostAsync(HttpClient client, string path, string form, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        fields["_handler"] = form;
        fields["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {response.StatusCode}\n{html[..Math.Min(html.Length, 2000)]}");
        return html;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
