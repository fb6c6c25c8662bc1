using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;

namespace Kawal.Web.Tests;

public class RulesApiTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Contribution_is_computed_with_its_trace()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        var (status, body) = await Post(app.CreateClient(), "/api/v1/calc/contribution", new { segment = "PU", period = "2026-03", wage = 12_000_000, riskClass = 3 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(808_526, body.GetProperty("employerTotal").GetInt64());
        Assert.Equal(350_863, body.GetProperty("workerTotal").GetInt64());
        Assert.Equal(11_000, body.GetProperty("governmentTotal").GetInt64());
        Assert.Equal(1_159_389, body.GetProperty("total").GetInt64());
        Assert.Equal("JKK", body.GetProperty("lines")[0].GetProperty("programme").GetString());
        Assert.Contains(body.GetProperty("trace").EnumerateArray(), s => s.GetProperty("parameterId").GetString() == "pu.jp.wage_cap"
            && s.GetProperty("citation").GetString()!.Contains("B/1226/022026", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jkm", """{"deathDate":"2026-01-10","contributionMonths":48}""", 42_000_000, "scholarshipMaximum", 174_000_000)]
    [InlineData("jkp", """{"terminationDate":"2025-06-01","wage":8000000}""", 18_000_000, "base", 5_000_000)]
    [InlineData("jp", """{"startDate":"2025-06-01","contributionMonths":240,"averageWage":8000000}""", 1_600_000, "monthlyPension", 1_600_000)]
    [InlineData("retirement-age", """{"year":2031}""", 61, "age", 61)]
    public async Task Benefits_are_computed(string kind, string json, long total, string field, long value)
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await app.CreateClient().PostAsync(new Uri($"/api/v1/calc/benefits/{kind}", UriKind.Relative), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(total, body.GetProperty("total").GetInt64());
        Assert.Equal(value, body.GetProperty(field).GetInt64());
        Assert.Equal(kind, body.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("/api/v1/calc/contribution", """{"segment":"XYZ","period":"2026-03"}""", "segment")]
    [InlineData("/api/v1/calc/contribution", """{"segment":"PU","period":"2026-03","wage":-1}""", "wage")]
    [InlineData("/api/v1/calc/contribution", """{"segment":"PU","period":"2014-03","wage":1000000}""", "date")]
    [InlineData("/api/v1/calc/benefits/pension", """{}""", "kind")]
    [InlineData("/api/v1/calc/benefits/fine", """{"amount":1000,"due":"2026-13-01","paid":"2026-01-01"}""", "due")]
    public async Task Invalid_input_is_400_naming_the_field(string url, string json, string field)
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await app.CreateClient().PostAsync(new Uri(url, UriKind.Relative), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task The_catalogue_and_a_value_on_a_date()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();

        var all = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/rules/parameters", UriKind.Relative))).RootElement;
        var cap = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/rules/parameters/pu.jp.wage_cap?date=2021-05-01", UriKind.Relative))).RootElement;
        using var unknown = await client.GetAsync(new Uri("/api/v1/rules/parameters/no.such", UriKind.Relative));
        using var gap = await client.GetAsync(new Uri("/api/v1/rules/parameters/jp.benefit.minimum?date=2019-01-01", UriKind.Relative));

        Assert.True(all.GetArrayLength() >= 100);
        var jkp = all.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "jkp.rate.recomposed_jkm");
        Assert.Equal(2, jkp.GetProperty("values").GetArrayLength());
        Assert.Equal(8_754_600, cap.GetProperty("value").GetInt64());
        Assert.Equal("2021-03-01", cap.GetProperty("from").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, gap.StatusCode);
    }
}
