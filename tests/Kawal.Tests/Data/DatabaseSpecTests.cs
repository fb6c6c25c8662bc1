using Kawal.Data;
using Npgsql;

namespace Kawal.Tests.Data;

public class DatabaseSpecTests
{
    private const string Base = "/srv/kawal";

    [Fact]
    public void Default_is_an_sqlite_file_in_kawal_data()
    {
        var spec = DatabaseSpec.Parse(null, Base);
        Assert.Equal(Engine.Sqlite, spec.Engine);
        Assert.Equal("/srv/kawal/kawal-data/kawal.db", spec.SqlitePath);
    }

    [Theory]
    [InlineData("sqlite:data/k.db", "/srv/kawal/data/k.db")]
    [InlineData("sqlite:/var/lib/kawal/k.db", "/var/lib/kawal/k.db")]
    [InlineData("SQLITE:k.db", "/srv/kawal/k.db")]
    public void Sqlite_paths_are_made_absolute(string text, string path) => Assert.Equal(path, DatabaseSpec.Parse(text, Base).SqlitePath);

    [Fact]
    public void Accepts_a_postgres_connection_string()
    {
        var spec = DatabaseSpec.Parse("Host=db.local;Port=5433;Database=kawal;Username=kawal;Password=s3cret", Base);
        Assert.Equal(Engine.Postgres, spec.Engine);
        var b = new NpgsqlConnectionStringBuilder(spec.ConnectionString);
        Assert.Equal(("db.local", 5433, "kawal", "kawal", "s3cret"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.DoesNotContain("s3cret", spec.Display, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_postgres_uri_with_escaped_password_and_options()
    {
        var spec = DatabaseSpec.Parse("postgres://kawal:p%40ss%3Aword@10.1.2.3:6543/monev?sslmode=disable", Base);
        var b = new NpgsqlConnectionStringBuilder(spec.ConnectionString);
        Assert.Equal(("10.1.2.3", 6543, "monev", "kawal", "p@ss:word", SslMode.Disable), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
        Assert.Equal("postgres://kawal@10.1.2.3:6543/monev", spec.Display);
    }

    [Fact]
    public void Uri_without_port_uses_5432() =>
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(DatabaseSpec.Parse("postgresql://u@h/db", Base).ConnectionString).Port);

    [Theory]
    [InlineData("mysql://root@localhost/kawal")]
    [InlineData("kawal.db")]
    [InlineData("sqlite:")]
    [InlineData("Host=x;Bogus Key=1")]
    [InlineData("postgres://")]
    [InlineData("postgres://u@h/db?nonsense=1")]
    public void Malformed_values_are_a_usage_error_naming_the_database(string text)
    {
        var e = Assert.Throws<UsageException>(() => DatabaseSpec.Parse(text, Base));
        Assert.Equal("database", e.Field);
        Assert.StartsWith("database:", e.Message, StringComparison.Ordinal);
    }
}
