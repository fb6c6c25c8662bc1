using System.Net;
using System.Text.Json;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Web.Tests;

public class ApiTests
{
    internal static async Task<(HttpStatusCode Status, string? Type, JsonElement Body)> GetJson(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone());
    }

    [EngineTheory]
    public async Task Regions_of_a_date_and_level(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var client = app.CreateClient();

        var (status, _, body) = await GetJson(client, "/api/v1/regions?level=province&date=2021-08-01");
        var (_, _, now) = await GetJson(client, "/api/v1/regions?level=province");
        var (_, _, kalsel) = await GetJson(client, "/api/v1/regions?parent=63");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(34, body.GetProperty("total").GetInt32());
        Assert.Equal("2021-08-01", body.GetProperty("date").GetString());
        Assert.Equal(38, now.GetProperty("items").GetArrayLength());
        Assert.Equal(13, kalsel.GetProperty("total").GetInt32());
        var first = kalsel.GetProperty("items")[0];
        Assert.Equal("63.01", first.GetProperty("code").GetString());
        Assert.Equal("63", first.GetProperty("parentCode").GetString());
    }

    [EngineTheory]
    public async Task A_region_with_parent_children_and_validity(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);

        var (status, _, papua) = await GetJson(app.CreateClient(), "/api/v1/regions/91?date=2021-08-01");
        var (_, _, merauke) = await GetJson(app.CreateClient(), "/api/v1/regions/91.01");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Papua", papua.GetProperty("name").GetString());
        Assert.Equal(29, papua.GetProperty("children").GetArrayLength());
        Assert.Equal("2022-07-25", merauke.GetProperty("validTo").GetString());
        Assert.Equal("93.01", merauke.GetProperty("successor").GetProperty("code").GetString());
        Assert.Equal("91", merauke.GetProperty("parent").GetProperty("code").GetString());
    }

    [EngineTheory]
    public async Task Unknown_region_is_404_problem_details(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);

        var (status, type, body) = await GetJson(app.CreateClient(), "/api/v1/regions/99.99");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Contains("99.99", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Tidak ada wilayah dengan kode '99.99'.", body.GetProperty("detailId").GetString());
    }

    [Theory]
    [InlineData("/api/v1/regions?level=village", "level")]
    [InlineData("/api/v1/regions?date=2021-02-30", "date")]
    [InlineData("/api/v1/regions?parent=6", "parent")]
    [InlineData("/api/v1/regions/63?date=tomorrow", "date")]
    public async Task Bad_input_is_400_naming_the_field(string url, string field)
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        var (status, type, body) = await GetJson(app.CreateClient(), url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detailId").GetString()));
    }

    [EngineTheory]
    public async Task Health_reports_the_database(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);

        var (status, _, body) = await GetJson(app.CreateClient(), "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(engine.ToString().ToLowerInvariant(), body.GetProperty("database").GetProperty("engine").GetString());
        Assert.Equal(0, body.GetProperty("database").GetProperty("pendingMigrations").GetInt32());
    }
}
