using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kawal.Data;

/// <summary>
/// The connection factory for one configured database. Opening a connection sets it up for Kawal
/// (SQLite: WAL, busy timeout, foreign keys) and turns engine failures into one clear <see cref="KawalException"/>.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    /// <summary>
    /// Command timeout (seconds) of set-based statements of batch jobs — summary refresh, arrears status, demo seeding —
    /// which at national scale (millions of memberships) run longer than the drivers' 30-second default for requests.
    /// </summary>
    public const int JobTimeout = 3600;

    private static int _sqliteReady;
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Database> Owners = new();
    private readonly NpgsqlDataSource? _postgres;
    private volatile bool _sqliteFileReady;
    private Lazy<byte[]>? _auditKey;

    public Database(DatabaseSpec spec)
    {
        Spec = spec;
        TypeHandlers.Register();
        if (spec.Engine == Engine.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(WithoutJit(spec.ConnectionString));
            Dialect = new PostgresDialect();
        }
        else
        {
            if (Interlocked.Exchange(ref _sqliteReady, 1) == 0)
            {
                SQLitePCL.Batteries_V2.Init();
            }

            Dialect = new SqliteDialect();
        }
    }

    /// <summary>
    /// Kawal's sessions run with PostgreSQL's JIT compiler off, unless the connection string's <c>Options</c> say
    /// otherwise: batch look-ups whose cost the planner over-estimates (statistics lag while an import grows a table)
    /// otherwise spend more time compiling than running — a third of a registry import's CPU was LLVM. See docs/operations.md.
    /// </summary>
    public static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options is not { } options || !options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }

        return builder.ConnectionString;
    }

    public DatabaseSpec Spec { get; }
    public ISqlDialect Dialect { get; }
    public Engine Engine => Spec.Engine;

    /// <summary>
    /// The secret that keys the audit chain (HMAC-SHA256), loaded by the host from a file outside the database
    /// (<c>audit.key</c> in the keys folder); appending to the audit log without it is refused.
    /// </summary>
    public byte[]? AuditKey => _auditKey?.Value;

    /// <summary>Loads <see cref="AuditKey"/> at its first use (so that commands which never touch the audit log do not need the keys folder).</summary>
    public Func<byte[]>? AuditKeyLoader
    {
        get;
        init
        {
            field = value;
            _auditKey = value is null ? null : new Lazy<byte[]>(value);
        }
    }

    private NpgsqlDataSource? _reads;

    /// <summary>
    /// A PostgreSQL standby for reads that may lag a little (dashboards, reports, statistics, searches):
    /// <c>Kawal:ReadDatabase</c> (docs/operations.md). Null: everything reads the primary.
    /// </summary>
    public string? ReadConnectionString
    {
        get;
        init
        {
            field = value;
            _reads = value is null ? null : NpgsqlDataSource.Create(WithoutJit(value));
        }
    }

    /// <summary>Raised when the standby cannot be reached and a read falls back to the primary (for the log and metrics).</summary>
    public event Action<Exception>? ReadFallback;

    /// <summary>
    /// A connection for a read that tolerates the standby's lag: the standby when one is configured and reachable,
    /// else the primary. Writes, and reads that must see the caller's own write, use <see cref="OpenAsync"/>.
    /// </summary>
    public async Task<DbConnection> OpenReadAsync(CancellationToken ct = default)
    {
        if (_reads is null)
        {
            return await OpenAsync(ct);
        }

        try
        {
            var c = await _reads.OpenConnectionAsync(ct);
            Owners.AddOrUpdate(c, this);
            return c;
        }
        catch (NpgsqlException e)
        {
            ReadFallback?.Invoke(e);
            return await OpenAsync(ct);
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var c = Spec.Engine == Engine.Postgres ? await OpenPostgresAsync(ct) : await OpenSqliteAsync(ct);
        Owners.AddOrUpdate(c, this);
        return c;
    }

    /// <summary>The database a connection was opened from (null for a connection opened elsewhere).</summary>
    public static Database? Of(DbConnection connection) => Owners.TryGetValue(connection, out var db) ? db : null;

    private async Task<DbConnection> OpenPostgresAsync(CancellationToken ct)
    {
        try
        {
            return await _postgres!.OpenConnectionAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new KawalException($"PostgreSQL database {Spec.Display} does not exist: create it first (CREATE DATABASE, " +
                                     "docs/operations.md); Kawal does not create PostgreSQL databases", e);
        }
        catch (PostgresException e)
        {
            throw new KawalException($"PostgreSQL at {Spec.Display} refused the connection: {e.MessageText} ({e.SqlState})", e);
        }
        catch (NpgsqlException e)
        {
            var why = e.InnerException is SocketException or TimeoutException or IOException
                ? e.InnerException.Message
                : e.Message;
            throw new KawalException($"cannot reach PostgreSQL at {Spec.Display}: {why}", e);
        }
    }

    private async Task<DbConnection> OpenSqliteAsync(CancellationToken ct)
    {
        if (!_sqliteFileReady)
        {
            if (!Spec.CreateIfMissing && !File.Exists(Spec.SqlitePath))
            {
                throw new KawalException($"database {Spec.Display} does not exist: check the configured database (--database, KAWAL_DATABASE, " +
                                         "Kawal:Database), or create it with kawal db migrate or --create-database");
            }

            CreateDataFolder();
        }

        var connection = new SqliteConnection(Spec.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"; // per connection
            await cmd.ExecuteNonQueryAsync(ct);
            if (!_sqliteFileReady)
            {
                // Once per database: reading sqlite_master makes a corrupt or foreign file fail here, at the first open,
                // rather than at first use; journal_mode=WAL is persistent in the file.
                cmd.CommandText = "SELECT count(*) FROM sqlite_master";
                await cmd.ExecuteScalarAsync(ct);
                cmd.CommandText = "PRAGMA journal_mode = WAL";
                await cmd.ExecuteNonQueryAsync(ct);
                _sqliteFileReady = true;
            }

            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new KawalException(DescribeSqlite(e), e);
        }
    }

    private void CreateDataFolder()
    {
        try
        {
            var folder = Path.GetDirectoryName(Spec.SqlitePath!);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KawalException($"cannot create the data folder for {Spec.Display}: {e.Message}", e);
        }
    }

    private string DescribeSqlite(SqliteException e) => e.SqliteErrorCode switch
    {
        26 => $"{Spec.Display} is not a Kawal database: the file is corrupt or not an SQLite database",
        11 => $"{Spec.Display} is corrupt (SQLite reports a malformed database image)",
        8 => $"cannot write to {Spec.Display}: the file or its folder is read-only",
        14 => $"cannot open {Spec.Display}: the folder is missing or not writable",
        10 => $"cannot read or write {Spec.Display}: disk I/O error",
        _ => $"SQLite error on {Spec.Display}: {e.Message}",
    };

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_reads is not null)
        {
            await _reads.DisposeAsync();
        }
    }
}
