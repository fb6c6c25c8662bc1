using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;

namespace Kawal.Web.Tests;

public class RegistryApiTests
{
    private static readonly Dictionary<string, object> Employer = new()
    {
        ["npp"] = "35070002", ["name"] = "Dinas Pendidikan Kab. Malang", ["kind"] = "regional_gov", ["region_code"] = "35.07", ["risk_class"] = 1, ["size"] = "large",
    };

    [EngineTheory]
    public async Task Employers_are_created_read_updated_and_duplicates_refused(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");

        using var created = await officer.PostAsJsonAsync(new Uri("/api/v1/employers", UriKind.Relative), Employer);
        using var duplicate = await officer.PostAsJsonAsync(new Uri("/api/v1/employers", UriKind.Relative), Employer);
        using var invalid = await officer.PostAsJsonAsync(new Uri("/api/v1/employers", UriKind.Relative), new Dictionary<string, object>(Employer) { ["npp"] = "35070003", ["kind"] = "ngo", ["risk_class"] = 9 });
        using var updated = await officer.PutAsJsonAsync(new Uri("/api/v1/employers/35070002", UriKind.Relative), new Dictionary<string, object>(Employer) { ["risk_class"] = 2 });
        using var missing = await officer.PutAsJsonAsync(new Uri("/api/v1/employers/35079999", UriKind.Relative), Employer.Where(kv => kv.Key != "npp").ToDictionary());
        var one = await officer.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/employers/35070002", UriKind.Relative));
        var search = await officer.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/employers?name=pendidikan", UriKind.Relative));
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/employers/35070002", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["kind", "risk_class"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2, one.GetProperty("riskClass").GetInt32());
        Assert.Equal(1, search.GetProperty("total").GetInt32());
    }

    [EngineTheory]
    public async Task A_participant_is_registered_once_and_a_wage_change_keeps_history(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var person = new Dictionary<string, object>
        {
            ["nik"] = "3507016801920003", ["name"] = "Ani Rahmawati", ["segment"] = "PU", ["employer_npp"] = Seed.EmployerA, ["category"] = "non_asn",
            ["wage"] = "Rp 2.800.000", ["start_date"] = "2025-02-01",
        };

        using var created = await officer.PostAsJsonAsync(new Uri("/api/v1/participants", UriKind.Relative), person);
        using var again = await officer.PostAsJsonAsync(new Uri("/api/v1/participants", UriKind.Relative), person);
        using var raised = await officer.PutAsJsonAsync(new Uri("/api/v1/participants/3507016801920003", UriKind.Relative),
            person.Where(kv => kv.Key != "nik").ToDictionary(kv => kv.Key, kv => kv.Key == "wage" ? (object)3_000_000 : kv.Value));
        using var wrongBody = await officer.PostAsJsonAsync(new Uri("/api/v1/participants", UriKind.Relative), new { nik = "3507016801920004", name = "X", segment = "PU", start_date = "2025-02-01" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var after = await raised.Content.ReadFromJsonAsync<JsonElement>();
        var problem = await wrongBody.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Matches("^[0-9]{11}$", body.GetProperty("record").GetProperty("kpj").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var history = after.GetProperty("record").GetProperty("memberships")[0].GetProperty("history");
        Assert.Equal(3_000_000, history[1].GetProperty("newWage").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, wrongBody.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("nik", out _) || problem.GetProperty("errors").TryGetProperty("employer_npp", out _));
    }

    [EngineTheory]
    public async Task A_file_is_imported_over_http_with_a_dry_run_first_and_its_error_report(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var csv = "nik;nama;segmen;npp;upah;tanggal_mulai\n3507016801920003;Ani Rahmawati;PU;35070001;2.800.000;01/02/2025\n3507011203850009;Budi;PU;35070001;abc;01/02/2025\n1207011203850002;Togar;PU;12070001;3000000;01/02/2025\n";

        async Task<JsonElement> Upload(string query)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "honorer.csv");
            using var r = await officer.PostAsync(new Uri("/api/v1/imports/participants" + query, UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return await r.Content.ReadFromJsonAsync<JsonElement>();
        }

        var dry = await Upload("?dryRun=true");
        var real = await Upload("");
        var report = await officer.GetStringAsync(new Uri(real.GetProperty("errorReport").GetString()!, UriKind.Relative));
        var list = await officer.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/imports", UriKind.Relative));
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        using var forbidden = await monitor.GetAsync(new Uri($"/api/v1/imports/{real.GetProperty("importId").GetInt64()}", UriKind.Relative));

        Assert.Equal((3, 1, 2, true), (dry.GetProperty("rows").GetInt32(), dry.GetProperty("accepted").GetInt32(), dry.GetProperty("rejected").GetInt32(), dry.GetProperty("dryRun").GetBoolean()));
        Assert.Equal((1, 2), (real.GetProperty("created").GetInt32(), real.GetProperty("rejected").GetInt32()));
        Assert.Contains("wage", report, StringComparison.Ordinal);
        Assert.Contains("region.out_of_scope", report, StringComparison.Ordinal);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var admin = await Seed.ClientAsync(app, Role.Admin);
        var audit = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/admin/audit?action=import.report_download", UriKind.Relative));
        Assert.Equal(1, audit.GetProperty("total").GetInt32());
    }
}
