using Dapper;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Registry.Features;

/// <summary>An import as recorded: who imported which file, when, with what result.</summary>
public sealed record ImportRecord(long Id, string Kind, string FileName, string Checksum, string Format, string ImportedBy, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, bool DryRun, bool AllOrNothing, string Status, int Rows, int Accepted, int Rejected, int Created, int Updated, int Unchanged);

/// <summary>One rejected row of an import.</summary>
public sealed record ImportErrorRecord(int Row, string? Column, string Code, string MessageId, string MessageEn, string? Value);

/// <summary>
/// The import ledger: recent imports, and one import with its rejected rows. National roles with the import permission
/// see every import; everyone else sees the imports they ran themselves (others' are not found).
/// </summary>
public sealed class ListImportsHandler(Database db, TimeProvider time)
{
    private const string Columns =
        "id AS Id, kind AS Kind, file_name AS FileName, checksum AS Checksum, format AS Format, imported_by AS ImportedBy, started_at AS StartedAt, " +
        "finished_at AS FinishedAt, dry_run AS DryRun, all_or_nothing AS AllOrNothing, status AS Status, rows AS Rows, accepted AS Accepted, " +
        "rejected AS Rejected, created AS Created, updated AS Updated, unchanged AS Unchanged";

    public async Task<IReadOnlyList<ImportRecord>> ListAsync(Caller caller, int limit = 50, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryImport);
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM imports WHERE {Mine(caller)} ORDER BY id DESC LIMIT @limit",
            new { limit, caller.Actor }, cancellationToken: ct));
        var live = await LiveAsync(ct);
        return rows.Select(r => r.ToRecord(live)).ToList();
    }

    public Task<(ImportRecord Import, IReadOnlyList<ImportErrorRecord> Errors)?> GetAsync(long id, Caller caller, CancellationToken ct = default) =>
        GetAsync(id, caller, Permission.RegistryImport, null, ct);

    /// <summary>One import the caller may see; another module's imports are read with that module's permission and kind prefix.</summary>
    public async Task<(ImportRecord Import, IReadOnlyList<ImportErrorRecord> Errors)?> GetAsync(long id, Caller caller, Permission permission, string? kindPrefix, CancellationToken ct = default)
    {
        caller.Demand(permission);
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM imports WHERE id = @id AND {Mine(caller)}",
            new { id, caller.Actor }, cancellationToken: ct));
        if (row is not null && kindPrefix is not null && !row.Kind.StartsWith(kindPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (row is null)
        {
            return null;
        }

        var errors = await c.QueryAsync<ErrorRow>(new CommandDefinition(
            "SELECT row_number AS Row, column_name AS \"Column\", code AS Code, message_id AS MessageId, message_en AS MessageEn, value AS Value FROM import_errors WHERE import_id = @id ORDER BY row_number, id",
            new { id }, cancellationToken: ct));
        return (row.ToRecord(await LiveAsync(ct)), errors.Select(e => new ImportErrorRecord(e.Row, e.Column, e.Code, e.MessageId, e.MessageEn, e.Value)).ToList());
    }

    /// <summary>Records in the audit log that the caller downloaded an import's error report (it holds personal data).</summary>
    public async Task RecordExportAsync(long id, Caller caller, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await AuditLog.AppendAsync(c, tx, caller, time.GetUtcNow(), new AuditEvent("import.report_download", "import", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>When each kind's import lease was taken, for the kinds whose lease is still held by a live process.</summary>
    private async Task<IReadOnlyDictionary<string, DateTimeOffset>> LiveAsync(CancellationToken ct) =>
        (await new Leases(db, time).ListLiveAsync(ct)).Where(l => l.Kind == "import")
            .ToDictionary(l => l.Scope, l => l.Acquired, StringComparer.Ordinal);

    private static string Mine(Caller caller) => caller.Scope.IsNational && caller.EmployerNpp is null ? "1 = 1" : "imported_by = @Actor";

    private sealed class ErrorRow
    {
        public int Row { get; set; }
        public string? Column { get; set; }
        public string Code { get; set; } = "";
        public string MessageId { get; set; } = "";
        public string MessageEn { get; set; } = "";
        public string? Value { get; set; }
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string FileName { get; set; } = "";
        public string Checksum { get; set; } = "";
        public string Format { get; set; } = "";
        public string ImportedBy { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public bool DryRun { get; set; }
        public bool AllOrNothing { get; set; }
        public string Status { get; set; } = "";
        public int Rows { get; set; }
        public int Accepted { get; set; }
        public int Rejected { get; set; }
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }

        /// <summary>
        /// The record, honest about a run whose process died: "running" only while its kind's lease, taken before it
        /// started, is still held; otherwise "interrupted" (its committed batches stay, attributed to it).
        /// </summary>
        public ImportRecord ToRecord(IReadOnlyDictionary<string, DateTimeOffset> live) =>
            new(Id, Kind, FileName, Checksum, Format, ImportedBy, StartedAt, FinishedAt, DryRun, AllOrNothing,
                Status == "running" && !(live.TryGetValue(Kind, out var since) && since <= StartedAt) ? "interrupted" : Status,
                Rows, Accepted, Rejected, Created, Updated, Unchanged);
    }
}
