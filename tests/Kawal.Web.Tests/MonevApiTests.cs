using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;

namespace Kawal.Web.Tests;

public class MonevApiTests
{
    [EngineTheory]
    public async Task Indicators_scorecard_reports_and_public_figures_over_http(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var admin = await Seed.ClientAsync(app, Role.Admin);
        var refresh = await admin.PostAsJsonAsync("/api/v1/monev/refresh", new { from = "2026-10", to = "2026-10" });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);

        var json = await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?region=35&period=2026-10");
        var values = json.GetProperty("values");
        Assert.Equal(1, values.GetProperty("participants.total").GetDecimal());
        Assert.Equal(1, values.GetProperty("participants.PU").GetDecimal());
        Assert.Equal(0, values.GetProperty("participants.BPU").GetDecimal());
        Assert.Equal(0, values.GetProperty("participants.JAKON").GetDecimal());
        Assert.Equal(0, values.GetProperty("participants.PMI").GetDecimal());
        Assert.Equal("Jawa Timur", json.GetProperty("regionName").GetString());
        var national = await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?period=2026-10");
        Assert.Equal(2, national.GetProperty("values").GetProperty("participants.total").GetDecimal());

        var bad = await admin.GetAsync("/api/v1/monev/indicators?period=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("period", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var board = await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/scorecard?level=province&period=2026-10");
        Assert.Equal(38, board.GetProperty("rows").GetArrayLength());

        var open = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/public/monev/indicators?region=35&period=2026-10");
        Assert.Equal(JsonValueKind.Null, open.GetProperty("values").GetProperty("participants.total").ValueKind); // one person: suppressed
        Assert.False(open.GetProperty("values").TryGetProperty("participants.sex.F", out _));

        var pdf = await admin.GetAsync("/api/v1/monev/reports/region/35.07?period=2026-10&format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-1.4", System.Text.Encoding.Latin1.GetString(await pdf.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        var xlsx = await admin.GetAsync("/api/v1/monev/reports/national?period=2026-10&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var province = await Seed.ClientAsync(app, Role.ProvinceOfficer, "35");
        Assert.Equal(HttpStatusCode.Forbidden, (await province.GetAsync("/api/v1/monev/reports/national?period=2026-10&format=csv")).StatusCode);
        var csv = await province.GetStringAsync("/api/v1/monev/tables/children.csv?period=2026-10");
        Assert.Contains("35.07,Kabupaten Malang", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("12.07", csv, StringComparison.Ordinal);

        var addressees = await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/addressees?date=2021-06-01");
        Assert.Equal(24, addressees.GetProperty("central").GetInt32());
        Assert.Equal(34, addressees.GetProperty("governors").GetInt32());
        Assert.Equal(416, addressees.GetProperty("regents").GetInt32());
        Assert.Equal(98, addressees.GetProperty("mayors").GetInt32());
        Assert.Equal(38, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/addressees")).GetProperty("governors").GetInt32());
    }

    [EngineTheory]
    public async Task Without_a_month_the_dashboard_and_its_api_open_on_the_last_complete_month_computed(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var admin = await Seed.ClientAsync(app, Role.Admin);
        var current = Period.Of(((TimeProvider)app.Services.GetService(typeof(TimeProvider))!).Today());
        var complete = current.AddMonths(-2); // the month before the current one is not computed: the one before that is the last complete one
        foreach (var p in new[] { complete, current })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/monev/refresh", new { from = p.ToString(), to = p.ToString() })).StatusCode);
        }

        var json = await admin.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators?region=35");
        Assert.Equal(complete.ToString(), json.GetProperty("period").GetString());
        Assert.Equal(current.ToString(), (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/monev/indicators?region=35&period={current}")).GetProperty("period").GetString());
        var csv = await admin.GetAsync("/api/v1/monev/tables/children.csv?region=35");
        Assert.Equal($"monev-35-{complete}.csv", csv.Content.Headers.ContentDisposition!.FileName?.Trim('"'));

        var html = await admin.GetStringAsync("/monev/wilayah/35");
        var months = new[] { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember" };
        Assert.Contains($"Menampilkan {months[complete.Month - 1]} {complete.Year}, bulan lengkap terakhir yang sudah dihitung", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{complete}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"default-period\"", await admin.GetStringAsync($"/monev/wilayah/35?periode={current}"), StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task Commitments_flow_over_http_with_an_evidence_upload(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var regency = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var province = await Seed.ClientAsync(app, Role.ProvinceOfficer, "35");
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var saved = await regency.PostAsJsonAsync("/api/v1/monev/commitments", new { region = "35.07", fiscalYear = 2026, kind = "ptsp", ptspRequired = true, legalBasis = "Perbup 5/2026", effectiveDate = "2026-03-01" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var id = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var missing = await regency.PostAsJsonAsync("/api/v1/monev/commitments", new { region = "35.07", fiscalYear = 2026, kind = "ptsp", ptspRequired = true });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("legalBasis", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var form = new MultipartFormDataContent { { new ByteArrayContent("Perbup 5/2026"u8.ToArray()), "file", "perbup-5-2026.pdf" } };
        var upload = await regency.PostAsync($"/api/v1/monev/commitments/{id}/evidence", form);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var evidence = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await regency.PostAsync($"/api/v1/monev/commitments/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.PostAsync($"/api/v1/monev/commitments/{id}/verify", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await province.PostAsync($"/api/v1/monev/commitments/{id}/verify", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await province.PostAsync($"/api/v1/monev/commitments/{id}/verify", null)).StatusCode);
        var accepted = await monitor.PostAsync($"/api/v1/monev/commitments/{id}/accept", null);
        Assert.Equal("accepted", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var file = await monitor.GetAsync($"/api/v1/monev/commitments/{id}/evidence/{evidence}");
        Assert.Equal("Perbup 5/2026", await file.Content.ReadAsStringAsync());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("Perbup 5/2026"u8.ToArray())), file.Headers.GetValues("X-Checksum-SHA256").Single());
        var other = await Seed.ClientAsync(app, Role.RegencyOfficer, "12.07");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/monev/commitments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/monev/commitments/{id}/evidence/{evidence}")).StatusCode);
    }

    [EngineTheory]
    public async Task Monev_imports_over_http_return_their_error_report(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var monitor = await Seed.ClientAsync(app, Role.NationalMonitor);
        var regency = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var denominators = "region_code,year,kind,value,source\n35.07,2026,non_asn,1200,BKN 2022\n99.99,2026,non_asn,5,BKN\n"u8.ToArray();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(denominators), "file", "penyebut.csv" } })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await regency.PostAsync("/api/v1/monev/imports/denominators", form)).StatusCode);
        }

        using (var form = new MultipartFormDataContent { { new ByteArrayContent(denominators), "file", "penyebut.csv" } })
        {
            var response = await monitor.PostAsync("/api/v1/monev/imports/denominators", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((1, 1), (summary.GetProperty("created").GetInt32(), summary.GetProperty("rejected").GetInt32()));
            var report = summary.GetProperty("errorReport").GetString()!;
            Assert.StartsWith("/api/v1/monev/imports/", report, StringComparison.Ordinal);
            var csv = await monitor.GetStringAsync(report);
            Assert.Contains("3,region_code,region.unknown", csv, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await regency.GetAsync(report)).StatusCode); // not the regency's import
        }

        var commitments = "region_code,fiscal_year,kind,ptsp_required,legal_basis,effective_date\n35.07,2026,ptsp,ya,Perbup 5/2026,01/03/2026\n35.08,2026,ptsp,tidak,,\n"u8.ToArray();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(commitments), "file", "komitmen.csv" } })
        {
            var response = await regency.PostAsync("/api/v1/monev/imports/commitments?dryRun=true", form);
            var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((true, 1, 1), (summary.GetProperty("dryRun").GetBoolean(), summary.GetProperty("created").GetInt32(), summary.GetProperty("rejected").GetInt32()));
            var list = await regency.GetFromJsonAsync<JsonElement>("/api/v1/monev/commitments?region=35.07");
            Assert.Equal(0, list.GetArrayLength()); // a dry run saves nothing
        }
    }

    [EngineTheory]
    public async Task Serve_refreshes_the_monev_summaries_by_itself(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine, new Dictionary<string, string?> { [Kawal.Monev.Features.RefreshJob.MinutesKey] = "15" });
        await Seed.RegistryAsync(app);
        var today = Period.Of(TimeProvider.System.Today()).ToString();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long rows = 0;
        while (rows == 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            await using var c = await app.Db.Database.OpenAsync();
            rows = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM monev_refresh WHERE period = @today", new { today });
        }

        Assert.Equal(1, rows);
    }
}
