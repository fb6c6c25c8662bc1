using System.Globalization;

namespace Kawal.Data;

/// <summary>Kawal's value types as SQLite stores them (the same conventions as <see cref="TypeHandlers"/>).</summary>
public static class SqliteValues
{
    public static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToIso(),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        Period p => p.ToString(),
        Rupiah r => r.Value,
        bool b => b ? 1L : 0L,
        _ => value,
    };
}
