using Npgsql;

namespace Kawal.Data;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where Kawal's data lives, parsed from <c>--database</c> / <c>KAWAL_DATABASE</c>: <c>sqlite:PATH</c>, a PostgreSQL
/// connection string (<c>Host=…;Database=…;Username=…</c>) or URI (<c>postgres://user:pass@host:port/db</c>).
/// </summary>
public sealed record DatabaseSpec(Engine Engine, string ConnectionString, string Display)
{
    public const string DefaultSqlitePath = "kawal-data/kawal.db";

    /// <summary>For SQLite, the full path of the database file.</summary>
    public string? SqlitePath { get; private init; }

    /// <summary>
    /// For SQLite, whether the first connection may create a missing file. <see cref="Parse"/> allows it only at the
    /// default location (<c>./kawal-data/kawal.db</c>); a configured path elsewhere must exist, so that a mistyped
    /// path is refused instead of answered from a new, empty database. PostgreSQL databases are never created.
    /// </summary>
    public bool CreateIfMissing { get; init; } = true;

    public static DatabaseSpec Default(string baseDirectory) =>
        Sqlite(Path.Combine(baseDirectory, DefaultSqlitePath));

    public static DatabaseSpec Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        return new DatabaseSpec(Engine.Sqlite, $"Data Source={full};Mode=ReadWriteCreate;Pooling=True", $"sqlite:{full}")
        {
            SqlitePath = full,
        };
    }

    public static DatabaseSpec Parse(string? text, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default(baseDirectory);
        }

        var s = text.Trim();
        if (s.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = s["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new UsageException("database: 'sqlite:' needs a file path, e.g. sqlite:kawal-data/kawal.db", "database");
            }

            var spec = Sqlite(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
            return spec with { CreateIfMissing = spec.SqlitePath == Default(baseDirectory).SqlitePath };
        }

        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(FromUri(s));
        }

        if (s.Contains('=', StringComparison.Ordinal) && s.Contains("host", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Postgres(new NpgsqlConnectionStringBuilder(s));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"database: not a valid PostgreSQL connection string: {e.Message}", "database");
            }
        }

        throw new UsageException(
            "database: unrecognised value; use sqlite:PATH, a PostgreSQL connection string " +
            "(Host=…;Database=…;Username=…) or postgres://user:pass@host:port/db", "database");
    }

    private static DatabaseSpec Postgres(NpgsqlConnectionStringBuilder b)
    {
        if (string.IsNullOrEmpty(b.Host))
        {
            throw new UsageException("database: the PostgreSQL connection string has no Host", "database");
        }

        if (b.Timeout == 15)
        {
            b.Timeout = 10;
        }

        var display = $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        return new DatabaseSpec(Engine.Postgres, b.ConnectionString, display);
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new UsageException("database: not a valid postgres:// URI (postgres://user:pass@host:port/db)", "database");
        }

        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432 };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            b.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            b.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        var db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            b.Database = Uri.UnescapeDataString(db);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try
            {
                b[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"database: unsupported URI option '{kv[0]}': {e.Message}", "database");
            }
        }

        return b;
    }

    /// <summary>
    /// PostgreSQL sessions named for the node that opens them (<c>Application Name=kawal-NODE</c>, seen in
    /// <c>pg_stat_activity</c> and the server's logs), unless the connection string names one already.
    /// </summary>
    public DatabaseSpec ForNode(string node)
    {
        if (Engine != Engine.Postgres)
        {
            return this;
        }

        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!string.IsNullOrEmpty(b.ApplicationName))
        {
            return this;
        }

        b.ApplicationName = $"kawal-{node}";
        return this with { ConnectionString = b.ConnectionString };
    }

    public override string ToString() => Display;
}
