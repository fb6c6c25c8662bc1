using Kawal.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Kawal.Web.Tests;

/// <summary>The real Kawal host (Program.CreateHostBuilder, as <c>kawal serve</c> uses) on a test database of its own.</summary>
public sealed class KawalFactory(TestDatabase db, IDictionary<string, string?>? extra = null) : WebApplicationFactory<Program>
{
    private readonly string _keys = Directory.CreateTempSubdirectory("kawal-keys-").FullName;

    public static async Task<KawalFactory> StartAsync(Kawal.Data.Engine engine, IDictionary<string, string?>? settings = null) => new(await TestDatabase.CreateAsync(engine), settings);

    public TestDatabase Db => db;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Settings.DatabaseKey] = db.ConnectionText,
            ["Kawal:KeysPath"] = _keys,
            // Tests refresh the monev summaries when they mean to; MonevApiTests turns the job on to test it.
            [Kawal.Monev.Features.RefreshJob.MinutesKey] = "0",
        }).AddInMemoryCollection(extra ?? new Dictionary<string, string?>()));
        return base.CreateHost(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await db.DisposeAsync();
        Directory.Delete(_keys, true);
    }
}
