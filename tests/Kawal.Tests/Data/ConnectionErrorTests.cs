using Kawal.Data;

namespace Kawal.Tests.Data;

public class ConnectionErrorTests
{
    [Fact]
    public async Task Unreachable_postgres_is_one_clear_message()
    {
        await using var db = new Database(DatabaseSpec.Parse("Host=127.0.0.1;Port=1;Username=kawal;Database=kawal;Timeout=3", "/"));

        var e = await Assert.ThrowsAsync<KawalException>(() => db.OpenAsync());

        Assert.StartsWith("cannot reach PostgreSQL at postgres://kawal@127.0.0.1:1/kawal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_sqlite_file_is_named_as_such()
    {
        var folder = Directory.CreateTempSubdirectory("kawal-corrupt-").FullName;
        var file = Path.Combine(folder, "kawal.db");
        await File.WriteAllTextAsync(file, string.Concat(Enumerable.Repeat("this is not an SQLite database. ", 200)));
        var before = await File.ReadAllBytesAsync(file);
        await using var db = new Database(DatabaseSpec.Sqlite(file));

        var e = await Assert.ThrowsAsync<KawalException>(() => new MigrationRunner(db, Modules.Data, TimeProvider.System).MigrateAsync());

        Assert.Contains("is not a Kawal database: the file is corrupt or not an SQLite database", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
        Directory.Delete(folder, true);
    }

    /// <summary>Tests run as root in CI, where file modes do not stop writes; /proc is a folder nobody can create files in.</summary>
    [Fact]
    public async Task A_data_folder_that_cannot_be_written_is_named()
    {
        await using var db = new Database(DatabaseSpec.Sqlite("/proc/kawal-test/kawal.db"));

        var e = await Assert.ThrowsAsync<KawalException>(() => db.OpenAsync());

        Assert.StartsWith("cannot create the data folder for sqlite:/proc/kawal-test/kawal.db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_in_a_folder_that_refuses_new_files_is_named()
    {
        await using var db = new Database(DatabaseSpec.Sqlite("/proc/kawal.db"));

        var e = await Assert.ThrowsAsync<KawalException>(() => db.OpenAsync());

        Assert.Contains("sqlite:/proc/kawal.db", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
    }
}
