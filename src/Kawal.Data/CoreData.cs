namespace Kawal.Data;

/// <summary>The core module: tables every module relies on (reference-data ledger).</summary>
public static class CoreData
{
    public static DataModule Module { get; } = new("core", typeof(CoreData).Assembly);
}
