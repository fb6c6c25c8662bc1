using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kawal.Data;

namespace Kawal.Web.Tests;

/// <summary>
/// The committed OpenAPI document: any API change shows in review as a change of Snapshots/openapi.v1.json.
/// After an intended change run the tests with KAWAL_UPDATE_SNAPSHOTS=1 and commit the new file.
/// </summary>
public class OpenApiTests
{
    [Fact]
    public async Task The_api_matches_the_committed_snapshot()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var json = await app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var actual = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var file = Path.Combine(Repository.Root, "tests", "Kawal.Web.Tests", "Snapshots", "openapi.v1.json");

        if (Environment.GetEnvironmentVariable("KAWAL_UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(file, actual);
        }

        var expected = File.Exists(file) ? await File.ReadAllTextAsync(file) : "";
        if (expected != actual)
        {
            await File.WriteAllTextAsync(Path.ChangeExtension(file, ".received.json"), actual);
        }

        Assert.True(expected == actual, $"The API changed: compare {file} with the .received.json beside it; if intended, rerun with KAWAL_UPDATE_SNAPSHOTS=1 and commit.");
    }

    [Fact]
    public async Task The_browsable_api_page_is_served()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        using var response = await app.CreateClient().GetAsync(new Uri("/api-docs/index.html", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

internal static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Kawal.slnx not found");
        }
    }
}
