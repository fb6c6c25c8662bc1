using System.Net;
using System.Net.Http.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// Every role (and the anonymous public) against every endpoint family, in its own region and another, on both
/// engines. The expected statuses are written out here, independently of the code's permission matrix, from
/// docs/security.md: 401 without credentials, 403 outside the role, 404 outside the region.
/// </summary>
public class RoleRegionMatrixTests
{
    private static readonly string[] Actors = ["admin", "monitor", "province", "regency", "bpjs", "prosecutor", "employer", "public", "anonymous"];

    // Columns follow Actors. Region A is Kab. Malang (35.07, inside the officers' scope), B is Kab. Deli Serdang (12.07).
    private static readonly (string Family, string Method, string Url, int[] Expected)[] Matrix =
    [
        ("regions (public)", "GET", "/api/v1/regions/35", [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("who am I", "GET", "/api/v1/me", [200, 200, 200, 200, 200, 200, 200, 200, 401]),
        ("employer, own region", "GET", $"/api/v1/employers/{Seed.EmployerA}", [200, 200, 200, 200, 200, 403, 200, 403, 401]),
        ("employer, other region", "GET", $"/api/v1/employers/{Seed.EmployerB}", [200, 200, 404, 404, 404, 403, 404, 403, 401]),
        ("employer search", "GET", "/api/v1/employers", [200, 200, 200, 200, 200, 403, 200, 403, 401]),
        ("participant, own region", "GET", $"/api/v1/participants/{Seed.NikA}", [200, 200, 200, 200, 200, 403, 200, 403, 401]),
        ("participant, other region", "GET", $"/api/v1/participants/{Seed.NikB}", [200, 200, 404, 404, 404, 403, 404, 403, 401]),
        ("update employer, own region", "PUT", $"/api/v1/employers/{Seed.EmployerA}", [200, 403, 200, 200, 200, 403, 403, 403, 401]),
        ("update employer, other region", "PUT", $"/api/v1/employers/{Seed.EmployerB}", [200, 403, 404, 404, 404, 403, 403, 403, 401]),
        ("imports", "GET", "/api/v1/imports", [200, 403, 200, 200, 200, 403, 403, 403, 401]),
        ("licensing check", "GET", $"/api/v1/licensing/employers/{Seed.EmployerA}", [200, 200, 200, 200, 200, 403, 403, 403, 401]),
        ("users (administration)", "GET", "/api/v1/admin/users", [200, 403, 403, 403, 403, 403, 403, 403, 401]),
        ("API keys (administration)", "GET", "/api/v1/admin/api-keys", [200, 403, 403, 403, 403, 403, 403, 403, 401]),
        ("audit log", "GET", "/api/v1/admin/audit", [200, 403, 403, 403, 403, 403, 403, 403, 401]),
        ("monev indicators, own region", "GET", "/api/v1/monev/indicators?region=35.07&period=2026-10", [200, 200, 200, 200, 200, 200, 403, 200, 401]),
        ("monev indicators, other region", "GET", "/api/v1/monev/indicators?region=12.07&period=2026-10", [200, 200, 404, 404, 404, 404, 403, 200, 401]),
        ("monev scorecard of a province", "GET", "/api/v1/monev/scorecard?level=regency&parent=12&period=2026-10", [200, 200, 404, 404, 404, 404, 403, 200, 401]),
        ("public monev figures", "GET", "/api/v1/public/monev/indicators?region=35&period=2026-10", [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("monev commitments", "GET", "/api/v1/monev/commitments", [200, 200, 200, 200, 200, 403, 403, 403, 401]),
        ("monev refresh", "POST", "/api/v1/monev/refresh", [200, 200, 403, 403, 403, 403, 403, 403, 401]),
    ];

    [EngineTheory]
    public async Task Each_role_in_each_region_gets_what_the_matrix_says(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        HttpClient[] clients =
        [
            await Seed.ClientAsync(app, Role.Admin),
            await Seed.ClientAsync(app, Role.NationalMonitor),
            await Seed.ClientAsync(app, Role.ProvinceOfficer, "35"),
            await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07"),
            await Seed.ClientAsync(app, Role.BpjsOfficer, "35.07"),
            await Seed.ClientAsync(app, Role.Prosecutor, "35.07"),
            await Seed.ClientAsync(app, Role.Employer, npp: Seed.EmployerA),
            await Seed.ClientAsync(app, Role.Public),
            app.CreateClient(),
        ];

        var wrong = new List<string>();
        foreach (var (family, method, url, expected) in Matrix)
        {
            for (var i = 0; i < Actors.Length; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
                if (method == "POST")
                {
                    request.Content = JsonContent.Create(new Dictionary<string, string> { ["from"] = "2026-10", ["to"] = "2026-10" });
                }

                if (method == "PUT")
                {
                    var a = url.EndsWith(Seed.EmployerA, StringComparison.Ordinal);
                    request.Content = JsonContent.Create(new Dictionary<string, string>
                    {
                        ["name"] = a ? "Pemkab Malang" : "PT Sawit Deli", ["kind"] = a ? "regional_gov" : "private", ["region_code"] = a ? "35.07" : "12.07",
                        ["risk_class"] = "2", ["size"] = "large",
                    });
                }

                using var response = await clients[i].SendAsync(request);
                if ((int)response.StatusCode != expected[i])
                {
                    wrong.Add($"{family} as {Actors[i]}: expected {expected[i]}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(wrong);
    }
}
