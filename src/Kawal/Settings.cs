using Kawal.Data;
using Microsoft.Extensions.Configuration;

namespace Kawal;

/// <summary>Where settings come from: <c>--database</c>, then <c>Kawal:Database</c> configuration, then <c>KAWAL_DATABASE</c>.</summary>
public static class Settings
{
    public const string DatabaseKey = "Kawal:Database";
    public const string DatabaseVariable = "KAWAL_DATABASE";

    public static string? DatabaseText(IConfiguration? configuration, string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : configuration?[DatabaseKey] is { Length: > 0 } fromConfig ? fromConfig
        : Environment.GetEnvironmentVariable(DatabaseVariable);

    /// <summary>Folder of the data-protection keys: <c>Kawal:KeysPath</c>, else <c>keys/</c> beside the SQLite file, else <c>./kawal-data/keys</c>.</summary>
    public static string KeysPath(IConfiguration configuration)
    {
        if (configuration["Kawal:KeysPath"] is { Length: > 0 } configured)
        {
            return configured;
        }

        return Path.Combine(DataFolder(ResolveDatabase(configuration)), "keys");
    }

    /// <summary>Where Kawal keeps files beside its database: the SQLite file's folder, else <c>./kawal-data</c>.</summary>
    public static string DataFolder(DatabaseSpec spec) =>
        spec.SqlitePath is { } file ? Path.GetDirectoryName(file)! : Path.Combine(Directory.GetCurrentDirectory(), "kawal-data");

    public static DatabaseSpec ResolveDatabase(IConfiguration? configuration, string? option = null) =>
        DatabaseSpec.Parse(DatabaseText(configuration, option), Directory.GetCurrentDirectory());
}
