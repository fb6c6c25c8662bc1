using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Registry.Domain;

namespace Kawal.Registry.Import;

/// <summary>What an import is asked to do.</summary>
public sealed record ImportRequest(string FilePath, string Actor, string ReportFolder, bool DryRun = false, bool AllOrNothing = false, string? FileName = null);

/// <summary>The outcome, as <c>--json</c> prints it and the API returns it.</summary>
public sealed record ImportSummary(long ImportId, string Kind, string Status, bool DryRun, int Rows, int Accepted, int Rejected, int Created, int Updated, int Unchanged, string? ErrorReport);

internal enum RowResult
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>The connection and transaction a row is written in, and helpers for its errors.</summary>
internal sealed record RowContext(TabularRow Row, ColumnMap Map, DbConnection Connection, DbTransaction? Transaction, long ImportId, DateTimeOffset Now, string Actor);

/// <summary>
/// Runs an import: reads the file, validates and writes row by row, commits every <see cref="BatchSize"/> rows (or once,
/// for --all-or-nothing and --dry-run, which rolls back), and records the import with its counts and rejected rows.
/// A run interrupted at any point leaves only whole batches; running the same file again completes it, creating nothing
/// twice (every write is an upsert keyed by NIK, NPP and membership).
/// </summary>
internal sealed class ImportRunner(Database db, TimeProvider time)
{
    public const int BatchSize = 1000;

    public delegate Task<(RowResult Result, IReadOnlyList<RowError> Errors)> RowHandler(RowContext context, CancellationToken ct);

    public async Task<ImportSummary> RunAsync(ImportRequest request, string kind, IReadOnlyList<ColumnSpec> columns, RowHandler handle, CancellationToken ct)
    {
        using var file = TabularFile.Open(request.FilePath);
        var map = ColumnMap.For(file.Header, columns);
        var checksum = await ChecksumAsync(request.FilePath, ct);
        var fileName = request.FileName ?? Path.GetFileName(request.FilePath);
        await using var c = await db.OpenAsync(ct);
        var importId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO imports (kind, file_name, checksum, format, imported_by, started_at, dry_run, all_or_nothing, status)
            VALUES (@kind, @fileName, @checksum, @Format, @Actor, @Now, @DryRun, @AllOrNothing, 'running') RETURNING id
            """, new { kind, fileName, checksum, file.Format, request.Actor, Now = time.GetUtcNow(), request.DryRun, request.AllOrNothing }, cancellationToken: ct));

        Directory.CreateDirectory(request.ReportFolder);
        var reportPath = Path.Combine(request.ReportFolder, $"import-{importId}-{kind}-errors.csv");
        int rows = 0, rejected = 0, created = 0, updated = 0, unchanged = 0;
        var single = request.DryRun || request.AllOrNothing;
        await using (var report = new StreamWriter(reportPath, false, new UTF8Encoding(true)))
        {
            await report.WriteLineAsync("row,column,code,message_id,message_en,value");
            var tx = await c.BeginTransactionAsync(ct);
            try
            {
                foreach (var row in file.Rows())
                {
                    rows++;
                    var (result, errors) = await handle(new RowContext(row, map, c, tx, importId, time.GetUtcNow(), request.Actor), ct);
                    switch (result)
                    {
                        case RowResult.Created: created++; break;
                        case RowResult.Updated: updated++; break;
                        case RowResult.Unchanged: unchanged++; break;
                        default:
                            rejected++;
                            foreach (var e in errors)
                            {
                                await report.WriteLineAsync(ReportLine(e));
                            }

                            break;
                    }

                    if (!single && rows % BatchSize == 0)
                    {
                        await tx.CommitAsync(ct);
                        await tx.DisposeAsync();
                        tx = await c.BeginTransactionAsync(ct);
                    }
                }

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
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE imports SET status = @status, finished_at = @Now, rows = @rows, accepted = @accepted, rejected = @rejected,
                created = @created, updated = @updated, unchanged = @unchanged WHERE id = @importId
            """, new { status, Now = time.GetUtcNow(), rows, accepted = rows - rejected, rejected, created, updated, unchanged, importId }, cancellationToken: ct));
        return new ImportSummary(importId, kind, status, request.DryRun, rows, rows - rejected, rejected, created, updated, unchanged, rejected > 0 ? reportPath : null);
    }

    private static string ReportLine(RowError e) => string.Join(',', new[]
    {
        e.RowNumber.ToString(CultureInfo.InvariantCulture), e.Column ?? "", e.Code, e.MessageId, e.MessageEn, Values.NeutraliseForExport(e.Value),
    }.Select(Quote));

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r', ';']) >= 0 || s.StartsWith('\'') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>Copies the report into <c>import_errors</c> so that the import can be listed with its errors later.</summary>
    private static async Task RecordErrorsAsync(DbConnection c, long importId, string reportPath, CancellationToken ct)
    {
        using var csv = new CsvFile(reportPath);
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
