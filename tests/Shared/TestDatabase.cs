using Dapper;
using Kawal.Data;
using Npgsql;

namespace Kawal.Testing;

/// <summary>
/// A database of its own for one test: a fresh SQLite file in a temporary folder, or a fresh PostgreSQL schema
/// on the server named by <c>KAWAL_TEST_POSTGRES</c>. Dropped on dispose. Tests never share state.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _schema;

    private TestDatabase(DatabaseSpec spec, string? folder, string? schema)
    {
        Spec = spec;
        _folder = folder;
        _schema = schema;
        // The audit key where the CLI run on this database finds it (keys/ beside the SQLite file, ./kawal-data/keys for PostgreSQL).
        Database = new Database(spec) { AuditKeyLoader = () => Kawal.Identity.AuditKey.LoadOrCreate(AuditKeyPath) };
    }

    /// <summary>The data folder the CLI uses for this database: the SQLite file's folder, else <c>./kawal-data</c>.</summary>
    public string DataFolder => _folder ?? Path.Combine(Directory.GetCurrentDirectory(), "kawal-data");

    /// <summary>The audit key file of this database; a web host on it gets a copy in its keys folder, so both write one chain.</summary>
    public string AuditKeyPath => Path.Combine(DataFolder, "keys", Kawal.Identity.AuditKey.FileName);

    /// <summary>Gives a host's keys folder this database's audit key (before the host starts).</summary>
    public void ShareAuditKey(string keysFolder)
    {
        _ = Database.AuditKey; // created on first use
        Directory.CreateDirectory(keysFolder);
        var target = Path.Combine(keysFolder, Kawal.Identity.AuditKey.FileName);
        if (!File.Exists(target))
        {
            File.Copy(AuditKeyPath, target);
        }
    }

    /// <summary>An audit checkpoint file of this database's own (beside the SQLite file; in the temp folder for PostgreSQL).</summary>
    public Kawal.Identity.AuditCheckpoints Checkpoints(TimeProvider? time = null) =>
        new(Database, _folder is not null ? Path.Combine(_folder, Kawal.Identity.AuditCheckpoints.FileName)
            : Path.Combine(Path.GetTempPath(), "kawal-tests", $"{_schema}.{Kawal.Identity.AuditCheckpoints.FileName}"), time ?? TimeProvider.System);

    public DatabaseSpec Spec { get; }
    public Database Database { get; }

    /// <summary>The text to give <c>--database</c> / <c>Kawal:Database</c> for this database.</summary>
    public string ConnectionText => Spec.Engine == Engine.Sqlite ? $"sqlite:{Spec.SqlitePath}" : Spec.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(Engine engine)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        if (engine == Engine.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "kawal-tests", id);
            Directory.CreateDirectory(folder);
            return new TestDatabase(DatabaseSpec.Sqlite(Path.Combine(folder, "kawal.db")), folder, null);
        }

        var admin = TestEngines.PostgresAdmin ?? throw new InvalidOperationException($"{TestEngines.PostgresVariable} is not set");
        var schema = "t_" + id;
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            await c.ExecuteAsync($"CREATE SCHEMA {schema}");
        }

        var b = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema };
        return new TestDatabase(DatabaseSpec.Parse(b.ConnectionString, Path.GetTempPath()), null, schema);
    }

    /// <summary>A database with every module's migrations and reference data applied.</summary>
    public static async Task<TestDatabase> MigratedAsync(Engine engine)
    {
        var db = await CreateAsync(engine);
        await new MigrationRunner(db.Database, Modules.Data, TimeProvider.System).MigrateAsync();
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is removed with the temp folder later; it never affects another test.
            }
        }

        if (_schema is not null)
        {
            await using var c = new NpgsqlConnection(TestEngines.PostgresAdmin);
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }
    }
}
