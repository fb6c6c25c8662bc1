using Kawal.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kawal.Web.Tests;

/// <summary>
/// The real Kawal host (Program.CreateHostBuilder, as <c>kawal serve</c> uses) on a test database of its own.
/// <paramref name="services"/> runs after the app's own registrations (a clock to move, a test peer address);
/// <see cref="Sibling"/> starts a second host on the same database and keys, as a second <c>serve</c> process;
/// <see cref="Peer"/> one on the same database with a keys folder of its own, as a node on another machine.
/// </summary>
public sealed class KawalFactory(TestDatabase db, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    private string _keys = Directory.CreateTempSubdirectory("kawal-keys-").FullName;
    private bool _sibling;
    private bool _ownKeys = true;

    public static async Task<KawalFactory> StartAsync(Kawal.Data.Engine engine, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(await TestDatabase.CreateAsync(engine), settings, services);

    public TestDatabase Db => db;

    /// <summary>Another host on this one's database and data-protection keys; disposing it leaves both to this one.</summary>
    public KawalFactory Sibling()
    {
        var other = new KawalFactory(db, extra, services) { _sibling = true, _ownKeys = false };
        Directory.Delete(other._keys);
        other._keys = _keys;
        return other;
    }

    /// <summary>
    /// Another host on this one's database with a keys folder of its own, as a node on another machine is: it shares
    /// only what the database holds, and the audit key file every node is given (unless <paramref name="auditKey"/>
    /// gives it another one). Disposing it leaves the database to this one.
    /// </summary>
    public KawalFactory Peer(byte[]? auditKey = null)
    {
        var other = new KawalFactory(db, extra, services) { _sibling = true };
        if (auditKey is not null)
        {
            File.WriteAllText(Path.Combine(other._keys, Kawal.Identity.AuditKey.FileName), Convert.ToHexStringLower(auditKey));
        }

        return other;
    }

    /// <summary>This host's keys folder (data-protection keys before they moved to the database, the audit key, checkpoints).</summary>
    public string KeysFolder => _keys;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        db.ShareAuditKey(_keys);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Settings.DatabaseKey] = db.ConnectionText,
            [Settings.CreateDatabaseKey] = "true", // the test database's SQLite file is new
            [Settings.MigrateOnStartKey] = "true", // each test's schema is new, on PostgreSQL too
            ["Kawal:KeysPath"] = _keys,
            ["Kawal:AuditCheckpoints"] = Path.Combine(_keys, Kawal.Identity.AuditCheckpoints.FileName),
            // Tests refresh the monev summaries when they mean to; MonevApiTests turns the job on to test it.
            [Kawal.Monev.Features.RefreshJob.MinutesKey] = "0",
            [Kawal.Monev.Features.PublishedWarmup.MonthsKey] = "0", // tests compute what they read

        }).AddInMemoryCollection(extra ?? new Dictionary<string, string?>()));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }

        return base.CreateHost(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_sibling)
        {
            await db.DisposeAsync();
        }

        if (_ownKeys)
        {
            Directory.Delete(_keys, true);
        }
    }
}
