using System.Data.Common;
using System.Reflection;

namespace Kawal.Data;

/// <summary>What a module contributes to the database: its migrations and the reference data it loads.</summary>
public sealed record DataModule(string Name, Assembly Assembly, IReadOnlyList<IReferenceDataLoader> ReferenceData, string ResourcePrefix = MigrationSource.DefaultPrefix)
{
    public DataModule(string name, Assembly assembly)
        : this(name, assembly, [])
    {
    }

    /// <summary>The module's migrations, read from its assembly once.</summary>
    public MigrationSource Migrations { get; } = new(Name, Assembly, ResourcePrefix);
}

/// <summary>
/// Loads shipped reference data (regions, boundaries, labour force…) after migrations, inside the same exclusive
/// transaction. Must be idempotent: a second run with the same data changes nothing.
/// </summary>
public interface IReferenceDataLoader
{
    /// <summary>Stable name, e.g. <c>regions</c>; recorded in <c>reference_data</c> with the data's checksum.</summary>
    string Name { get; }

    /// <summary>A checksum of the data this build ships; loading is skipped when the database holds the same one.</summary>
    string Checksum { get; }

    /// <summary>Writes the data; returns the number of rows it holds.</summary>
    Task<int> LoadAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken ct);
}
