using Kawal.Data;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Regions;

namespace Kawal.Registry.Features;

/// <summary>The outcome of registering one record: created, updated or unchanged — or the errors, each naming its field.</summary>
public sealed record RegistrationResult(string Outcome, IReadOnlyList<RowError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Registers or updates one participant membership, or one employer, entered by an officer (API, page). It is a one-row
/// import without a ledger entry: the same validation, the same error codes, the same writes and history as a file.
/// Fields are the import's column names (<c>nik</c>, <c>name</c>, <c>segment</c>, <c>employer_npp</c>, <c>wage</c>…).
/// </summary>
public sealed class RegisterRecordsHandler(Database db, RegionLookup regionLookup, TimeProvider time)
{
    public async Task<RegistrationResult> RegisterParticipantAsync(IReadOnlyDictionary<string, string?> fields, string actor, CancellationToken ct = default)
    {
        var (row, map) = OneRow(fields, Columns.Participants);
        var (valid, errors) = new ParticipantRowValidator(await regionLookup.LoadAsync(ct), time.Today()).Validate(row, map);
        if (valid is null)
        {
            return new RegistrationResult("rejected", errors);
        }

        return await WriteAsync(actor, ctx => ImportParticipantsHandler.WriteAsync(ctx, [valid], new Dictionary<string, ImportParticipantsHandler.EmployerRef?>(StringComparer.Ordinal), ct), ct);
    }

    public async Task<RegistrationResult> RegisterEmployerAsync(IReadOnlyDictionary<string, string?> fields, string actor, CancellationToken ct = default)
    {
        var (row, map) = OneRow(fields, Columns.Employers);
        var (employer, errors) = ImportEmployersHandler.Validate(row, map, await regionLookup.LoadAsync(ct));
        if (employer is null)
        {
            return new RegistrationResult("rejected", errors);
        }

        return await WriteAsync(actor, async ctx => [await ImportEmployersHandler.WriteAsync(ctx, new ImportEmployersHandler.EmployerRow(1, employer), ct)], ct);
    }

    private async Task<RegistrationResult> WriteAsync(string actor, Func<BatchContext, Task<IReadOnlyList<(RowResult Result, IReadOnlyList<RowError> Errors)>>> write, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (result, errors) = (await write(new BatchContext(c, tx, db.Dialect, null, time.GetUtcNow(), time.Today(), actor)))[0];
        if (result == RowResult.Rejected)
        {
            await tx.RollbackAsync(ct);
            return new RegistrationResult("rejected", errors);
        }

        await tx.CommitAsync(ct);
        return new RegistrationResult(result.ToString().ToLowerInvariant(), []);
    }

    /// <summary>The fields as a one-row table with a header, so that the import's column rules apply unchanged.</summary>
    private static (TabularRow Row, ColumnMap Map) OneRow(IReadOnlyDictionary<string, string?> fields, IReadOnlyList<ColumnSpec> specs)
    {
        var unknown = fields.Keys.Where(k => !specs.Any(s => s.Name == k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown field(s): {string.Join(", ", unknown)}", unknown[0]);
        }

        var header = fields.Keys.ToList();
        try
        {
            return (new TabularRow(1, header.Select(h => fields[h] ?? "").ToList(), new HashSet<int>()), ColumnMap.For(header, specs));
        }
        catch (ImportFileException e)
        {
            throw new UsageException(e.Message, specs.First(s => s.Required && !fields.ContainsKey(s.Name)).Name);
        }
    }
}
