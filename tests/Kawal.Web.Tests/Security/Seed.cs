using System.Net.Http.Headers;
using Kawal.Identity;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

/// <summary>Two employers and two workers in two regions (Kab. Malang 35.07 and Kab. Deli Serdang 12.07), and helpers to act as a role.</summary>
internal static class Seed
{
    public const string EmployerA = "35070001";
    public const string EmployerB = "12070001";
    public const string NikA = "3507015505900001"; // woman born 15 May 1990, registered in Kab. Malang
    public const string NikB = "1207011203850002"; // man born 12 Mar 1985, registered in Kab. Deli Serdang

    public static async Task RegistryAsync(KawalFactory app)
    {
        using var scope = app.Services.CreateScope();
        var h = scope.ServiceProvider.GetRequiredService<RegisterRecordsHandler>();
        var op = Caller.Operator("seed");
        foreach (var (npp, name, region) in new[] { (EmployerA, "Pemkab Malang", "35.07"), (EmployerB, "PT Sawit Deli", "12.07") })
        {
            var r = await h.RegisterEmployerAsync(new Dictionary<string, string?>
            {
                ["npp"] = npp, ["name"] = name, ["kind"] = region == "35.07" ? "regional_gov" : "private", ["region_code"] = region, ["risk_class"] = "2", ["size"] = "large",
            }, op);
            Assert.True(r.Ok, string.Join("; ", r.Errors.Select(e => e.MessageEn)));
        }

        foreach (var (nik, name, npp) in new[] { (NikA, "Sri Wahyuni", EmployerA), (NikB, "Togar Siregar", EmployerB) })
        {
            var r = await h.RegisterParticipantAsync(new Dictionary<string, string?>
            {
                ["nik"] = nik, ["name"] = name, ["segment"] = "PU", ["employer_npp"] = npp, ["wage"] = "3500000", ["start_date"] = "2025-01-01", ["phone"] = "081234567890",
            }, op);
            Assert.True(r.Ok, string.Join("; ", r.Errors.Select(e => e.MessageEn)));
        }
    }

    private static int _owners;

    /// <summary>
    /// An HTTP client acting with an API key of the role (all of the role's permissions). Each key belongs to a person of
    /// its own (keys count as the person who created them for four eyes), unless <paramref name="owner"/> names one.
    /// </summary>
    public static async Task<HttpClient> ClientAsync(KawalFactory app, Role role, string? region = null, string? npp = null, IReadOnlyList<string>? scopes = null, Caller? owner = null)
    {
        using var scope = app.Services.CreateScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>()
            .CreateAsync(new NewApiKey($"test {role.Name()} {region}", role, region, npp, scopes),
                owner ?? Caller.Operator(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test{Interlocked.Increment(ref _owners)}")));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        return client;
    }

    public static async Task<UserRecord> UserAsync(KawalFactory app, string username, Role role, string? region = null, string password = "Rahasia-Kawal-2026")
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserStore>().AddAsync(new NewUser(username, null, role, region, null, password), Caller.Operator("test"));
    }
}
