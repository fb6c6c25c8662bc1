using System.Globalization;
using Kawal.Data;
using Kawal.Registry.Import;
using Microsoft.Extensions.Configuration;

namespace Kawal;

/// <summary>
/// Where settings come from. The database, in one precedence (docs/operations.md, "Configuration"): the <c>--database</c>
/// option, else <c>KAWAL_DATABASE</c>, else configuration <c>Kawal:Database</c> (environment <c>Kawal__Database</c>, then
/// <c>appsettings.{Environment}.json</c>, then <c>appsettings.json</c>), else <c>sqlite:./kawal-data/kawal.db</c>. The
/// order is that of the configuration sources: <see cref="AddDatabaseSources"/> adds the variable and the option last.
/// </summary>
public static class Settings
{
    public const string DatabaseKey = "Kawal:Database";
    public const string DatabaseVariable = "KAWAL_DATABASE";

    /// <summary><c>true</c>: a missing SQLite file is created (as <c>--create-database</c> does); otherwise only at the default location.</summary>
    public const string CreateDatabaseKey = "Kawal:CreateDatabase";

    /// <summary>
    /// A command's configuration, from the sources of <c>kawal serve</c>'s host in its order: <c>appsettings.json</c> and
    /// <c>appsettings.{Environment}.json</c> in the current folder (or <paramref name="folder"/>), environment variables, then
    /// <see cref="AddDatabaseSources"/>.
    /// </summary>
    public static IConfiguration Configuration(string? databaseOption = null, string? folder = null)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } a ? a
            : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } d ? d : "Production";
        var builder = new ConfigurationBuilder()
            .SetBasePath(folder ?? Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        return AddDatabaseSources(builder, databaseOption).Build();
    }

    /// <summary>
    /// Adds, after the configuration's other sources, <c>KAWAL_DATABASE</c> and then the <c>--database</c> option as
    /// <c>Kawal:Database</c>, so that each overrides what comes before it.
    /// </summary>
    public static IConfigurationBuilder AddDatabaseSources(IConfigurationBuilder builder, string? databaseOption = null)
    {
        foreach (var value in new[] { Environment.GetEnvironmentVariable(DatabaseVariable), databaseOption })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                builder.AddInMemoryCollection([new KeyValuePair<string, string?>(DatabaseKey, value)]);
            }
        }

        if (Environment.GetEnvironmentVariable(ReadDatabaseVariable) is { } read && !string.IsNullOrWhiteSpace(read))
        {
            builder.AddInMemoryCollection([new KeyValuePair<string, string?>(ReadDatabaseKey, read)]);
        }

        return builder;
    }

    public const string ReadDatabaseKey = "Kawal:ReadDatabase";
    public const string ReadDatabaseVariable = "KAWAL_READ_DATABASE";

    /// <summary>
    /// The standby <c>serve</c> reads dashboards, reports, statistics and searches from: <c>serve --read-database</c>,
    /// else <c>KAWAL_READ_DATABASE</c>, else <c>Kawal:ReadDatabase</c>; null when none (everything reads the primary).
    /// PostgreSQL only, named <c>NODE-read</c> on the server.
    /// </summary>
    public static string? ReadConnection(IConfiguration configuration, DatabaseSpec primary)
    {
        if (configuration[ReadDatabaseKey] is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var spec = DatabaseSpec.Parse(text, Directory.GetCurrentDirectory());
        if (primary.Engine != Engine.Postgres || spec.Engine != Engine.Postgres)
        {
            throw new UsageException($"{ReadDatabaseKey} needs PostgreSQL for both the database and its standby", ReadDatabaseKey)
            {
                Indonesian = $"{ReadDatabaseKey} hanya untuk PostgreSQL, baik basis data utama maupun cadangannya (standby).",
            };
        }

        return spec.ForNode(Node(configuration) + "-read").ConnectionString;
    }

    /// <summary>The database as configured (<see cref="AddDatabaseSources"/> gave it its precedence); null for the default.</summary>
    public static string? DatabaseText(IConfiguration configuration) =>
        configuration[DatabaseKey] is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    /// <summary>Folder of the data-protection keys: <c>Kawal:KeysPath</c>, else <c>keys/</c> beside the SQLite file, else <c>./kawal-data/keys</c>.</summary>
    public static string KeysPath(IConfiguration configuration)
    {
        if (configuration["Kawal:KeysPath"] is { Length: > 0 } configured)
        {
            return configured;
        }

        return Path.Combine(DataFolder(ResolveDatabase(configuration)), "keys");
    }

    /// <summary>The audit checkpoint file: <c>Kawal:AuditCheckpoints</c>, else <c>audit-checkpoints.log</c> in the data folder.</summary>
    public static string AuditCheckpointsPath(IConfiguration configuration, DatabaseSpec spec) =>
        configuration["Kawal:AuditCheckpoints"] is { Length: > 0 } configured ? configured : Path.Combine(DataFolder(spec), Kawal.Identity.AuditCheckpoints.FileName);

    /// <summary>Where Kawal keeps files beside its database: the SQLite file's folder, else <c>./kawal-data</c>.</summary>
    public static string DataFolder(DatabaseSpec spec) =>
        spec.SqlitePath is { } file ? Path.GetDirectoryName(file)! : Path.Combine(Directory.GetCurrentDirectory(), "kawal-data");

    /// <summary>The settings section of the upload and import limits (docs/operations.md); a key not given keeps its default.</summary>
    public const string UploadsSection = "Kawal:Uploads";

    /// <summary>The limits of uploaded files from <c>Kawal:Uploads:*</c>, each key named as its property; a value out of range stops the server.</summary>
    public static ImportLimits UploadLimits(IConfiguration configuration)
    {
        var d = ImportLimits.Default;
        long Get(string name, long fallback, long max)
        {
            var text = configuration[$"{UploadsSection}:{name}"];
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
                ? value
                : throw new UsageException($"{UploadsSection}:{name} must be a whole number from 1 to {max}, not '{text}'")
                {
                    Indonesian = $"Pengaturan {UploadsSection}:{name} harus bilangan bulat 1 sampai {max}, bukan '{text}'.",
                };
        }

        return new ImportLimits
        {
            MaxUploadBytes = Get(nameof(d.MaxUploadBytes), d.MaxUploadBytes, long.MaxValue),
            MaxRows = (int)Get(nameof(d.MaxRows), d.MaxRows, ImportLimits.SheetRows - 1),
            MaxColumns = (int)Get(nameof(d.MaxColumns), d.MaxColumns, ImportLimits.SheetColumns),
            MaxFieldChars = (int)Get(nameof(d.MaxFieldChars), d.MaxFieldChars, int.MaxValue),
            MaxLineChars = (int)Get(nameof(d.MaxLineChars), d.MaxLineChars, int.MaxValue),
            MaxSharedStrings = (int)Get(nameof(d.MaxSharedStrings), d.MaxSharedStrings, int.MaxValue),
            MaxSharedStringChars = Get(nameof(d.MaxSharedStringChars), d.MaxSharedStringChars, long.MaxValue),
            MaxUncompressedBytes = Get(nameof(d.MaxUncompressedBytes), d.MaxUncompressedBytes, long.MaxValue),
            MaxCompressionRatio = (int)Get(nameof(d.MaxCompressionRatio), d.MaxCompressionRatio, int.MaxValue),
        };
    }

    /// <summary>
    /// The configured database. A missing SQLite file is created at the default location, or elsewhere when
    /// <paramref name="create"/> (<c>--create-database</c>, <c>db migrate</c>, <c>serve --demo</c>) or
    /// <c>Kawal:CreateDatabase</c> says so; otherwise the first connection refuses it (docs/operations.md).
    /// </summary>
    public static DatabaseSpec ResolveDatabase(IConfiguration configuration, bool create = false)
    {
        var spec = DatabaseSpec.Parse(DatabaseText(configuration), Directory.GetCurrentDirectory()).ForNode(Node(configuration));
        return create || IsTrue(configuration, CreateDatabaseKey) ? spec with { CreateIfMissing = true } : spec;
    }

    public const string MigrateOnStartKey = "Kawal:MigrateOnStart";

    /// <summary>
    /// Whether <c>serve</c> applies pending migrations on start (<c>Kawal:MigrateOnStart</c>; <c>serve --migrate</c> and
    /// <c>serve --demo</c> set it): by default yes on SQLite (one office, one process), no on PostgreSQL, where
    /// <c>kawal db migrate</c> runs as the schema's owner and nodes serve as a role that may only read and write rows.
    /// A current schema is never touched either way.
    /// </summary>
    public static bool MigrateOnStart(IConfiguration configuration, DatabaseSpec spec) =>
        configuration[MigrateOnStartKey] is { Length: > 0 } ? IsTrue(configuration, MigrateOnStartKey) : spec.Engine == Engine.Sqlite;

    public const string NodeKey = "Kawal:Node";

    /// <summary>This process's name among the nodes sharing a database: <c>Kawal:Node</c>, else the machine name and process id.</summary>
    public static string Node(IConfiguration configuration) =>
        configuration[NodeKey] is { } node && !string.IsNullOrWhiteSpace(node)
            ? node.Trim()
            : string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}");

    private static bool IsTrue(IConfiguration configuration, string key) =>
        configuration[key] is { } text && !string.IsNullOrWhiteSpace(text) && (bool.TryParse(text.Trim(), out var value)
            ? value
            : throw new UsageException($"{key} must be true or false, not '{text}'") { Indonesian = $"Pengaturan {key} harus true atau false, bukan '{text}'." });
}
