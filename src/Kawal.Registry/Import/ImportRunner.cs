using System.Data.Common;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Domain;

namespace Kawal.Registry.Import;

/// <summary>What an import is asked to do.</summary>
/// <remarks>
/// <paramref name="Demo"/>: the rows are synthetic (kawal demo seed) and are written with <c>is_demo</c> set.
/// <paramref name="Wait"/>: when an import of the same kind is running (on any node), wait for it instead of refusing;
/// <paramref name="Waiting"/> is told once, with who holds it.
/// </remarks>
public sealed record ImportRequest(string FilePath, Caller Caller, string ReportFolder, bool DryRun = false, bool AllOrNothing = false, string? FileName = null, bool Demo = false,
    bool Wait = false, Action<LeaseHolding>? Waiting = null);

/// <summary>The outcome, as <c>--json</c> prints it and the API returns it.</summary>
public sealed record ImportSummary(long ImportId, string Kind, string Status, bool DryRun, int Rows, int Accepted, int Rejected, int Created, int Updated, int Unchanged, string? ErrorReport);

internal enum RowResult
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>The connection and transaction a batch is written in, and who writes it.</summary>
internal sealed record BatchContext(DbConnection Connection, DbTransaction? Transaction, ISqlDialect Dialect, long? ImportId, DateTimeOffset Now, DateOnly Today, Caller Caller, bool Demo = false)
{
    public string Actor => Caller.Actor;

    /// <summary>A rejection for a row whose region lies outside the caller's scope.</summary>
    public RowError? OutOfScope(int row, string column, string? regionCode) => Caller.Scope.Covers(regionCode) ? null
        : new RowError(row, column, "region.out_of_scope", $"Wilayah {regionCode} di luar wilayah kewenangan Anda ({Caller.Scope})",
            $"Region {regionCode} is outside your region ({Caller.Scope})", regionCode);
}

/// <summary>A row that passed validation, waiting to be written with its batch.</summary>
public interface IImportRow
{
    int RowNumber { get; }
}

/// <summary>
/// Runs an import: reads the file, validates each row in memory, writes valid rows set-based in batches of
/// <see cref="BatchSize"/>, commits each batch (or once, for --all-or-nothing and --dry-run, which rolls back), and
/// records the import with its counts and rejected rows.
/// A run interrupted at any point leaves only whole batches; running the same file again completes it, creating nothing
/// twice (every write is an upsert keyed by NIK, NPP and membership).
/// </summary>
internal sealed class ImportRunner(Database db, TimeProvider time)
{
    public const int BatchSize = 4000;

    public delegate (T? Row, IReadOnlyList<RowError> Errors) Validator<T>(TabularRow row, ColumnMap map);

    /// <summary>Writes a batch; returns one result per row, in order (a row may still be rejected by a check needing the database).</summary>
    public delegate Task<IReadOnlyList<(RowResult Result, IReadOnlyList<RowError> Errors)>> BatchWriter<T>(BatchContext context, IReadOnlyList<T> rows, CancellationToken ct);

    public async Task<ImportSummary> RunAsync<T>(ImportRequest request, string kind, IReadOnlyList<ColumnSpec> columns, Validator<T> validate, BatchWriter<T> write, CancellationToken ct,
        Permission permission = Permission.RegistryImport)
        where T : class, IImportRow
    {
        request.Caller.Demand(permission);
        using var file = TabularFile.Open(request.FilePath);
        var map = ColumnMap.For(file.Header, columns);
        var checksum = await ChecksumAsync(request.FilePath, ct);
        var fileName = request.FileName ?? Path.GetFileName(request.FilePath);
        // One import of a kind at a time, on any node (two files naming one NIK or NPP would race on its upsert); each
        // batch renews the lease in its own transaction.
        await using var lease = await new Leases(db, time).AcquireAsync(new LeaseRequest("import", kind, request.Caller.Actor,
            $"impor {kind}", $"an import of {kind}"), request.Wait, request.Waiting, ct);
        await using var c = await db.OpenAsync(ct);
        var importId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO imports (kind, file_name, checksum, format, imported_by, started_at, dry_run, all_or_nothing, status)
            VALUES (@kind, @fileName, @checksum, @Format, @Actor, @Now, @DryRun, @AllOrNothing, 'running') RETURNING id
            """, new { kind, fileName, checksum, file.Format, request.Caller.Actor, Now = time.GetUtcNow(), request.DryRun, request.AllOrNothing }, cancellationToken: ct));

        Directory.CreateDirectory(request.ReportFolder);
        var reportPath = Path.Combine(request.ReportFolder, $"import-{importId}-{kind}-errors.csv");
        int rows = 0, rejected = 0, created = 0, updated = 0, unchanged = 0;
        var single = request.DryRun || request.AllOrNothing;
        await using (var report = new StreamWriter(reportPath, false, new UTF8Encoding(true)))
        {
            await report.WriteLineAsync(ImportReport.Header);
            var tx = await c.BeginTransactionAsync(ct);
            async Task Flush(List<T> batch)
            {
                if (batch.Count == 0)
                {
                    return;
                }

                await lease.FenceAsync(c, tx, ct);
                var now = time.GetUtcNow();
                var results = await write(new BatchContext(c, tx, db.Dialect, importId, now, time.Today(), request.Caller, request.Demo), batch, ct);
                var counts = new int[4];
                foreach (var (result, errors) in results)
                {
                    counts[(int)result]++;
                    if (result == RowResult.Rejected)
                    {
                        await WriteErrors(report, errors);
                    }
                }

                (created, updated, unchanged, rejected) = (created + counts[(int)RowResult.Created], updated + counts[(int)RowResult.Updated],
                    unchanged + counts[(int)RowResult.Unchanged], rejected + counts[(int)RowResult.Rejected]);
                // The batch's audit entry commits with the batch; per-row old and new values are in membership_history.
                await AuditLog.AppendAsync(c, tx, request.Caller, now, new AuditEvent("import.batch", "import", importId.ToString(CultureInfo.InvariantCulture), After: new
                {
                    kind, firstRow = batch[0].RowNumber, lastRow = batch[^1].RowNumber, created = counts[(int)RowResult.Created], updated = counts[(int)RowResult.Updated],
                    unchanged = counts[(int)RowResult.Unchanged], rejected = counts[(int)RowResult.Rejected],
                }), ct);

                if (!single)
                {
                    await tx.CommitAsync(ct);
                    await tx.DisposeAsync();
                    tx = await c.BeginTransactionAsync(ct);
                }
            }

            // The file is read and validated on another thread, a chunk ahead of the writer (at most two chunks wait),
            // so that parsing overlaps the database's work on the previous batch.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var chunks = Channel.CreateBounded<Chunk<T>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var reader = Task.Run(() => ReadAsync(file, map, validate, chunks.Writer, stop.Token), CancellationToken.None); // always runs, so the channel is always completed
            try
            {
                try
                {
                    await foreach (var chunk in chunks.Reader.ReadAllAsync(CancellationToken.None))
                    {
                        rows += chunk.Rows;
                        rejected += chunk.Rejected;
                        foreach (var errors in chunk.Invalid)
                        {
                            await WriteErrors(report, errors);
                        }

                        await Flush(chunk.Valid);
                    }
                }
                catch
                {
                    await stop.CancelAsync();
                    await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (reader.Exception?.InnerException is { } readError and not OperationCanceledException)
                    {
                        ExceptionDispatchInfo.Throw(readError); // the file's own failure, not the channel's echo of it
                    }

                    throw;
                }

                await reader;
                var keep = !request.DryRun && !(request.AllOrNothing && rejected > 0);
                if (keep)
                {
                    await tx.CommitAsync(ct);
                }
                else
                {
                    await tx.RollbackAsync(ct);
                }
            }
            finally
            {
                await tx.DisposeAsync();
            }
        }

        var status = request.AllOrNothing && rejected > 0 && !request.DryRun ? "rolled_back" : "completed";
        await RecordErrorsAsync(c, importId, reportPath, ct);
        var finished = time.GetUtcNow();
        await using (var done = await c.BeginTransactionAsync(ct))
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE imports SET status = @status, finished_at = @finished, rows = @rows, accepted = @accepted, rejected = @rejected,
                    created = @created, updated = @updated, unchanged = @unchanged WHERE id = @importId
                """, new { status, finished, rows, accepted = rows - rejected, rejected, created, updated, unchanged, importId }, done, cancellationToken: ct));
            await AuditLog.AppendAsync(c, done, request.Caller, finished, new AuditEvent(request.DryRun ? "import.dry_run" : "import.finish", "import",
                importId.ToString(CultureInfo.InvariantCulture), After: new { kind, fileName, checksum, status, rows, rejected, created, updated, unchanged }), ct);
            await done.CommitAsync(ct);
        }
        return new ImportSummary(importId, kind, status, request.DryRun, rows, rows - rejected, rejected, created, updated, unchanged, rejected > 0 ? reportPath : null);
    }

    /// <summary>A run of rows as read: the valid ones (at most a batch), the rejected ones' errors, how many were read.</summary>
    private sealed class Chunk<T>
    {
        public List<T> Valid { get; } = new(BatchSize);
        public List<IReadOnlyList<RowError>> Invalid { get; } = [];
        public int Rows { get; set; }
        public int Rejected { get; set; }
    }

    /// <summary>Reads and validates the file into chunks of a batch of valid rows (or four batches' worth of rows, when many are rejected).</summary>
    private static async Task ReadAsync<T>(TabularFile file, ColumnMap map, Validator<T> validate, ChannelWriter<Chunk<T>> output, CancellationToken ct)
        where T : class, IImportRow
    {
        try
        {
            var chunk = new Chunk<T>();
            foreach (var row in file.Rows())
            {
                chunk.Rows++;
                var (valid, errors) = validate(row, map);
                if (valid is null)
                {
                    chunk.Rejected++;
                    chunk.Invalid.Add(errors);
                }
                else
                {
                    chunk.Valid.Add(valid);
                }

                if (chunk.Valid.Count == BatchSize || chunk.Rows == 4 * BatchSize)
                {
                    await output.WriteAsync(chunk, ct);
                    chunk = new Chunk<T>();
                }
            }

            if (chunk.Rows > 0)
            {
                await output.WriteAsync(chunk, ct);
            }

            output.Complete();
        }
        catch (Exception e)
        {
            output.Complete(e);
            throw;
        }
    }

    private static async Task WriteErrors(StreamWriter report, IReadOnlyList<RowError> errors)
    {
        foreach (var e in errors)
        {
            await report.WriteLineAsync(ImportReport.Line(e));
        }
    }

    /// <summary>Copies the report into <c>import_errors</c> so that the import can be listed with its errors later.</summary>
    private static async Task RecordErrorsAsync(DbConnection c, long importId, string reportPath, CancellationToken ct)
    {
        using var csv = new CsvFile(reportPath, ImportLimits.Default);
        var batch = new List<object>(500);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var r in csv.Rows())
        {
            batch.Add(new
            {
                importId,
                Row = int.Parse(r.Cells[0], CultureInfo.InvariantCulture),
                Column = r.Cells[1].Length == 0 ? null : r.Cells[1],
                Code = r.Cells[2],
                MessageId = r.Cells[3],
                MessageEn = r.Cells[4],
                Value = r.Cells.Count > 5 ? r.Cells[5] : null,
            });
            if (batch.Count == 500)
            {
                await InsertErrors(c, tx, batch, ct);
            }
        }

        await InsertErrors(c, tx, batch, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task InsertErrors(DbConnection c, DbTransaction tx, List<object> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO import_errors (import_id, row_number, column_name, code, message_id, message_en, value) VALUES (@importId, @Row, @Column, @Code, @MessageId, @MessageEn, @Value)",
            batch, tx, cancellationToken: ct));
        batch.Clear();
    }

    private static async Task<string> ChecksumAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
