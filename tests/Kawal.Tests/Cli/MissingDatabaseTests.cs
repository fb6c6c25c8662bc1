using Kawal.Testing;
using Npgsql;
using static Kawal.Tests.Cli.CliHarness;

namespace Kawal.Tests.Cli;

/// <summary>
/// A command pointed at a database that does not exist refuses it, rather than answering from (or writing to) a new,
/// empty one; db migrate, serve --demo, --create-database and the default ./kawal-data/kawal.db create an SQLite file.
/// </summary>
public sealed class MissingDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kawal-missing-").FullName;

    private string File(string name) => Path.Combine(_folder, "sub", name);

    [Theory]
    [InlineData("users", "list")]
    [InlineData("db", "status")]
    [InlineData("db", "leases")]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    public async Task A_missing_sqlite_file_is_refused_and_not_created(params string[] command)
    {
        var (exit, output, err) = await Run([.. command, "--database", $"sqlite:{File("typo.db")}"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"kawal: database sqlite:{File("typo.db")} does not exist: check the configured database", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Equal("", output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "sub")), "the refused command created the folder");
    }

    [Fact]
    public async Task Create_database_and_db_migrate_create_it()
    {
        var listed = await Run("users", "list", "--database", $"sqlite:{File("asked.db")}", "--create-database");
        var migrated = await Run("db", "migrate", "--database", $"sqlite:{File("migrated.db")}");
        var status = await Run("db", "status", "--database", $"sqlite:{File("migrated.db")}");

        Assert.Equal(0, listed.Exit);
        Assert.True(System.IO.File.Exists(File("asked.db")));
        Assert.Equal(0, migrated.Exit);
        Assert.Equal(0, status.Exit);
    }

    [Fact]
    public void Only_the_default_location_is_created_without_being_asked()
    {
        Assert.True(Kawal.Data.DatabaseSpec.Parse(null, _folder).CreateIfMissing);
        Assert.True(Kawal.Data.DatabaseSpec.Parse("sqlite:kawal-data/kawal.db", _folder).CreateIfMissing);
        Assert.True(Kawal.Data.DatabaseSpec.Parse($"sqlite:{_folder}/kawal-data/kawal.db", _folder).CreateIfMissing);
        Assert.False(Kawal.Data.DatabaseSpec.Parse("sqlite:kawal-data/other.db", _folder).CreateIfMissing);
        Assert.False(Kawal.Data.DatabaseSpec.Parse("sqlite:/var/lib/kawal/kawal.db", _folder).CreateIfMissing);
    }

    [Theory]
    [InlineData("db", "migrate", "--create-database")]
    [InlineData("db", "status")]
    [InlineData("users", "list")]
    public async Task A_missing_postgres_database_is_refused_with_its_name(params string[] command)
    {
        if (TestEngines.PostgresAdmin is not { } admin)
        {
            return; // PostgreSQL only (KAWAL_TEST_POSTGRES)
        }

        var missing = new NpgsqlConnectionStringBuilder(admin) { Database = "kawal_missing_" + Guid.NewGuid().ToString("N")[..8] };
        var (exit, _, err) = await Run([.. command, "--database", missing.ConnectionString]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"kawal: PostgreSQL database postgres://{missing.Username}@{missing.Host}:{missing.Port}/{missing.Database} does not exist: create it first", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }
}
