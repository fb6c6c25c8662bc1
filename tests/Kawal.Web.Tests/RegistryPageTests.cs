using System.Net;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Web.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kawal.Web.Tests;

public class RegistryPageTests
{
    private static async Task<HttpClient> SignedInAsync(KawalFactory app, string username, Role role, string? region)
    {
        await Seed.UserAsync(app, username, role, region);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = await LoginTests.PostLoginAsync(client, username, "Rahasia-Kawal-2026", await LoginTests.TokenAsync(client));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task Registry_pages_show_only_the_officers_region_and_mask_for_the_monitor()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        await Seed.RegistryAsync(app);
        var officer = await SignedInAsync(app, "petugas.malang", Role.RegencyOfficer, "35.07");
        var monitor = await SignedInAsync(app, "tim.monev", Role.NationalMonitor, null);

        var list = await officer.GetStringAsync(new Uri("/registri/pemberi-kerja", UriKind.Relative));
        var employerPage = await officer.GetStringAsync(new Uri($"/registri/pemberi-kerja/{Seed.EmployerA}", UriKind.Relative));
        using var other = await officer.GetAsync(new Uri($"/registri/pemberi-kerja/{Seed.EmployerB}", UriKind.Relative));
        using var otherPerson = await officer.GetAsync(new Uri($"/registri/peserta/{Seed.NikB}", UriKind.Relative));
        var own = await officer.GetStringAsync(new Uri($"/registri/peserta/{Seed.NikA}", UriKind.Relative));
        var masked = await monitor.GetStringAsync(new Uri("/registri/peserta", UriKind.Relative));
        using var importPage = await monitor.GetAsync(new Uri("/registri/impor", UriKind.Relative));

        Assert.Contains("Pemkab Malang", list, StringComparison.Ordinal);
        Assert.DoesNotContain("PT Sawit Deli", list, StringComparison.Ordinal);
        Assert.Contains("Sri Wahyuni", employerPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("dalam wilayah Anda", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherPerson.StatusCode);
        Assert.Contains(Seed.NikA, own, StringComparison.Ordinal);
        Assert.Contains("081234567890", own, StringComparison.Ordinal);
        Assert.Contains("3507************", masked, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed.NikA, masked, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"nik\"", masked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, importPage.StatusCode);
        Assert.Contains("/akses-ditolak", importPage.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
