using BenchmarkDotNet.Attributes;
using Kawal.Data;
using Kawal.Regions.Features.ListRegions;

namespace Kawal.Bench;

/// <summary>What an empty data folder costs on first start, and the commonest reference query.</summary>
[MemoryDiagnoser]
public class FoundationBenchmarks
{
    private string _folder = "";
    private Database _db = default!;
    private ListRegionsHandler _regions = default!;

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Directory.CreateTempSubdirectory("kawal-bench-").FullName;
        _db = new Database(DatabaseSpec.Sqlite(Path.Combine(_folder, "query.db")));
        await new MigrationRunner(_db, Modules.Data, TimeProvider.System).MigrateAsync();
        _regions = new ListRegionsHandler(_db, TimeProvider.System);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    /// <summary>Create an SQLite database, apply every migration and load the regions reference data.</summary>
    [Benchmark]
    public async Task<int> MigrateFreshSqliteDatabase()
    {
        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
        await using var db = new Database(DatabaseSpec.Sqlite(file));
        var report = await new MigrationRunner(db, Modules.Data, TimeProvider.System).MigrateAsync();
        return report.Applied.Count;
    }

    /// <summary>The 38 provinces valid today (home page, map).</summary>
    [Benchmark]
    public async Task<int> ListProvinces() =>
        (await _regions.HandleAsync(new ListRegions("province", null, null))).Regions.Count;
}
