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
/// <paramref name="Limits"/>: what the file may hold (default <see cref="ImportLimits.Default"/>; the web server's come from its settings).
/// </remarks>
public sealed record ImportRequest(string FilePath, Caller Caller, string ReportFolder, bool DryRun = false, bool AllOrNothing = false, string? FileName = null, bool Demo = false,
    bool Wait = false, Action<LeaseHolding>? Waiting = null, ImportLimits? Limits = null);

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

    /// <summary>Changes of personal data written by the batch (old and new values), audited with the batch's entry.</summary>
    public List<AuditEvent> Changes { get; } = [];

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
        var fileName = request.FileName ?? Path.GetFileName(request.FilePath);
        TabularFile? opened = null;
        ColumnMap map;
        try
        {
            opened = TabularFile.Open(request.FilePath, request.Limits);
            map = ColumnMap.For(opened.Header, columns);
        }
        catch (ImportFileException refused) when (refused.Code != "file.missing")
        {
            opened?.Dispose();
            // A file refused before its first row is still recorded, with why: who sent what is never lost.
            refused.ImportId = await RecordRefusalAsync(request, kind, fileName, refused, ct);
            throw;
        }

        using var file = opened;
        var checksum = await ChecksumAsync(request.FilePath, ct);
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
        try
        {
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
                    var ctx = new BatchContext(c, tx, db.Dialect, importId, now, time.Today(), request.Caller, request.Demo);
                    var results = await write(ctx, batch, ct);
                    var counts = new int[4];
                    foreach (var (result, errors) in results)
                    {
                        counts[(int)result]++;
                        if (result == RowResult.Rejected)
                        {
                            await WriteErrors(report, errors, map);
                        }
                    }

                    (created, updated, unchanged, rejected) = (created + counts[(int)RowResult.Created], updated + counts[(int)RowResult.Updated],
                        unchanged + counts[(int)RowResult.Unchanged], rejected + counts[(int)RowResult.Rejected]);
                    // The batch's audit entry commits with the batch, followed by one entry per person whose personal data
                    // the batch changed (old and new values); memberships' old and new values are in membership_history.
                    await AuditLog.AppendAsync(c, tx, request.Caller, now, [new AuditEvent("import.batch", "import", importId.ToString(CultureInfo.InvariantCulture), After: new
                    {
                        kind, firstRow = batch[0].RowNumber, lastRow = batch[^1].RowNumber, created = counts[(int)RowResult.Created], updated = counts[(int)RowResult.Updated],
                        unchanged = counts[(int)RowResult.Unchanged], rejected = counts[(int)RowResult.Rejected],
                    }), .. ctx.Changes], ct);

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
                                await WriteErrors(report, errors, map);
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

        }
        catch (Exception e)
        {
            // The file failed half-way (past a limit, unreadable) or the run was stopped: the import is recorded as failed,
            // with the batches already committed, the rows rejected so far and why it stopped; never left running.
            var counts = new Counts(rows, rejected, single ? 0 : created, single ? 0 : updated, single ? 0 : unchanged);
            try
            {
                await RecordFailureAsync(c, request, kind, importId, reportPath, counts, e);
            }
            catch (Exception unrecorded) when (unrecorded is DbException or IOException or InvalidOperationException)
            {
                // The database (or the report's folder) failed too: the error that stopped the import is the one to tell.
            }

            if (e is ImportFileException refused)
            {
                refused.ImportId = importId;
            }

            throw;
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

    private sealed record Counts(int Rows, int Rejected, int Created, int Updated, int Unchanged);

    /// <summary>The error that stops an import, as its ledger records it (row 0 when no row is at fault).</summary>
    private static RowError Stop(Exception e) => e switch
    {
        ImportFileException f => new RowError(f.Row ?? 0, null, f.Code, f.Indonesian ?? f.Message, f.Message, null),
        OperationCanceledException => new RowError(0, null, "import.cancelled", "Impor dihentikan sebelum selesai", "The import was stopped before it finished", null),
        _ => new RowError(0, null, "import.error", "Impor berhenti karena kesalahan di server", "The import stopped on a server error", null),
    };

    /// <summary>A file refused before its first row: a finished import of no rows, status failed, with the reason as its error.</summary>
    private async Task<long> RecordRefusalAsync(ImportRequest request, string kind, string fileName, ImportFileException refused, CancellationToken ct)
    {
        var checksum = await ChecksumAsync(request.FilePath, ct);
        var format = TabularFile.Sniff(request.FilePath) ?? "missing";
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var importId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO imports (kind, file_name, checksum, format, imported_by, started_at, finished_at, dry_run, all_or_nothing, status)
            VALUES (@kind, @fileName, @checksum, @format, @Actor, @now, @now, @DryRun, @AllOrNothing, 'failed') RETURNING id
            """, new { kind, fileName, checksum, format, request.Caller.Actor, now, request.DryRun, request.AllOrNothing }, tx, cancellationToken: ct));
        var error = Stop(refused);
        await InsertErrors(c, tx, [ErrorRow(importId, error)], ct);
        await AuditLog.AppendAsync(c, tx, request.Caller, now, new AuditEvent("import.failed", "import", importId.ToString(CultureInfo.InvariantCulture),
            After: new { kind, fileName, checksum, status = "failed", code = error.Code }), ct);
        await tx.CommitAsync(ct);
        return importId;
    }

    /// <summary>Marks a started import failed: its counts so far, the rejected rows reported so far, and why it stopped.</summary>
    private async Task RecordFailureAsync(DbConnection c, ImportRequest request, string kind, long importId, string reportPath, Counts counts, Exception e)
    {
        // Recorded whatever stopped the run (a cancelled request too): nothing here may be cancelled.
        var ct = CancellationToken.None;
        var error = Stop(e);
        var finished = time.GetUtcNow();
        if (File.Exists(reportPath))
        {
            await RecordErrorsAsync(c, importId, reportPath, ct);
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        await InsertErrors(c, tx, [ErrorRow(importId, error)], ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE imports SET status = 'failed', finished_at = @finished, rows = @Rows, accepted = @accepted, rejected = @Rejected,
                created = @Created, updated = @Updated, unchanged = @Unchanged WHERE id = @importId
            """, new { finished, counts.Rows, accepted = counts.Rows - counts.Rejected, counts.Rejected, counts.Created, counts.Updated, counts.Unchanged, importId }, tx,
            cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, request.Caller, finished, new AuditEvent("import.failed", "import", importId.ToString(CultureInfo.InvariantCulture),
            After: new { kind, status = "failed", code = error.Code, counts.Rows, counts.Rejected, counts.Created, counts.Updated, counts.Unchanged }), ct);
        await tx.CommitAsync(ct);
    }

    private static object ErrorRow(long importId, RowError e) =>
        new { importId, Row = e.RowNumber, e.Column, e.Code, e.MessageId, e.MessageEn, e.Value };

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

    /// <summary>Writes a rejected row's errors, each column named as the file names it.</summary>
    private static async Task WriteErrors(StreamWriter report, IReadOnlyList<RowError> errors, ColumnMap map)
    {
        foreach (var e in errors)
        {
            await report.WriteLineAsync(ImportReport.Line(e with { Column = map.Heading(e.Column) }));
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
