using System.Globalization;
using Kawal.Data;
using Kawal.Registry.Import;
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

    public static DatabaseSpec ResolveDatabase(IConfiguration? configuration, string? option = null) =>
        DatabaseSpec.Parse(DatabaseText(configuration, option), Directory.GetCurrentDirectory());
}
