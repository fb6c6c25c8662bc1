using System.Data.Common;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Regions;

namespace Kawal.Registry.Features;

/// <summary>The outcome of registering one record: created, updated or unchanged — or the errors, each naming its field.</summary>
public sealed record RegistrationResult(string Outcome, IReadOnlyList<RowError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>Whether a registration may create, update, or both (the API's POST creates, PUT updates; pages and imports do both).</summary>
public enum RegistrationMode
{
    CreateOrUpdate,
    CreateOnly,
    UpdateOnly,
}

/// <summary>
/// Registers or updates one participant membership, or one employer, entered by an officer (API, page). It is a one-row
/// import without a ledger entry: the same validation, the same error codes, the same scope check, the same writes
/// and history as a file. Fields are the import's column names (<c>nik</c>, <c>name</c>, <c>segment</c>, <c>wage</c>…).
/// The change and an audit entry with the record before and after commit together.
/// </summary>
public sealed class RegisterRecordsHandler(Database db, RegionLookup regionLookup, TimeProvider time)
{
    public async Task<RegistrationResult> RegisterParticipantAsync(IReadOnlyDictionary<string, string?> fields, Caller caller,
        RegistrationMode mode = RegistrationMode.CreateOrUpdate, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryWrite);
        var (row, map) = OneRow(fields, Columns.Participants);
        var (valid, errors) = new ParticipantRowValidator(await regionLookup.LoadAsync(ct), time.Today()).Validate(row, map);
        if (valid is null)
        {
            return new RegistrationResult("rejected", errors);
        }

        var nik = valid.Participant.Nik;
        return await WriteAsync(caller, "participant", mode, ctx => ParticipantSnapshotAsync(ctx, nik), ctx => ExistsAsync(ctx, "participants p", "p.nik = @key", RegistryScope.Participant(caller, "p"), nik),
            ctx => ImportParticipantsHandler.WriteAsync(ctx, [valid], new Dictionary<string, ImportParticipantsHandler.EmployerRef?>(StringComparer.Ordinal), ct), ct);
    }

    public async Task<RegistrationResult> RegisterEmployerAsync(IReadOnlyDictionary<string, string?> fields, Caller caller,
        RegistrationMode mode = RegistrationMode.CreateOrUpdate, CancellationToken ct = default)
    {
        caller.Demand(Permission.RegistryWrite);
        var (row, map) = OneRow(fields, Columns.Employers);
        var (employer, errors) = ImportEmployersHandler.Validate(row, map, await regionLookup.LoadAsync(ct));
        if (employer is null)
        {
            return new RegistrationResult("rejected", errors);
        }

        return await WriteAsync(caller, "employer", mode, ctx => EmployerSnapshotAsync(ctx, employer.Npp, ct), ctx => ExistsAsync(ctx, "employers e", "e.npp = @key", RegistryScope.Employer(caller, "e"), employer.Npp),
            ctx => ImportEmployersHandler.WriteAsync(ctx, [new ImportEmployersHandler.EmployerRow(1, employer)], ct), ct);
    }

    private async Task<RegistrationResult> WriteAsync(Caller caller, string entity, RegistrationMode mode, Func<BatchContext, Task<(string? Id, string? Region, object? State)>> snapshot,
        Func<BatchContext, Task<(bool Exists, bool Visible)>> exists, Func<BatchContext, Task<IReadOnlyList<(RowResult Result, IReadOnlyList<RowError> Errors)>>> write, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var ctx = new BatchContext(c, tx, db.Dialect, null, time.GetUtcNow(), time.Today(), caller);
        var (found, visible) = await exists(ctx);
        if (mode == RegistrationMode.CreateOnly && found)
        {
            throw new ConflictException(entity == "employer" ? "an employer with this NPP is already registered" : "a participant with this NIK is already registered",
                entity == "employer" ? "npp" : "nik") { Indonesian = entity == "employer" ? "Pemberi kerja dengan NPP ini sudah terdaftar." : "Peserta dengan NIK ini sudah terdaftar." };
        }

        if (mode == RegistrationMode.UpdateOnly && !visible)
        {
            throw new NotFoundException($"no {entity} with this key in your scope") { Indonesian = entity == "employer" ? "Pemberi kerja itu tidak ditemukan atau di luar wilayah Anda." : "Peserta itu tidak ditemukan atau di luar wilayah Anda." };
        }

        var before = await snapshot(ctx);
        var (result, errors) = (await write(ctx))[0];
        if (result == RowResult.Rejected)
        {
            await tx.RollbackAsync(ct);
            return new RegistrationResult("rejected", errors);
        }

        if (result != RowResult.Unchanged)
        {
            var after = await snapshot(ctx);
            await AuditLog.AppendAsync(c, tx, caller, ctx.Now, new AuditEvent($"{entity}.{(result == RowResult.Created ? "create" : "update")}", entity, after.Id,
                before.State, after.State, after.Region), ct);
        }

        await tx.CommitAsync(ct);
        return new RegistrationResult(result.ToString().ToLowerInvariant(), []);
    }

    private static async Task<(bool, bool)> ExistsAsync(BatchContext ctx, string table, string key, string scope, string value)
    {
        var visible = await ctx.Connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            $"SELECT CASE WHEN {scope} THEN 1 ELSE 0 END FROM {table} WHERE {key}", RegistryScope.Args(ctx.Caller, new { key = value }), ctx.Transaction));
        return (visible is not null, visible == 1);
    }

    /// <summary>The participant as the audit log keeps it: KPJ as the id; NIK only masked; all memberships.</summary>
    private static async Task<(string?, string?, object?)> ParticipantSnapshotAsync(BatchContext ctx, string nik)
    {
        var person = await ctx.Connection.QuerySingleOrDefaultAsync<RegistryQueries.ParticipantRow>(new CommandDefinition(
            $"{RegistryQueries.ParticipantSelect} WHERE p.nik = @nik", new { nik }, ctx.Transaction));
        if (person is null)
        {
            return (null, null, null);
        }

        var memberships = (await ctx.Connection.QueryAsync<RegistryQueries.MembershipRow>(new CommandDefinition(
            $"{RegistryQueries.MembershipSelect} WHERE m.participant_id = @Id ORDER BY m.valid_from, m.id", new { person.Id }, ctx.Transaction))).ToList();
        return (person.Kpj, memberships.LastOrDefault()?.RegionCode ?? person.Domicile,
            new { nik = Nik.Mask(nik), kpj = person.Kpj, name = person.Name, domicile = person.Domicile, memberships });
    }

    private static async Task<(string?, string?, object?)> EmployerSnapshotAsync(BatchContext ctx, string npp, CancellationToken ct) =>
        await ImportEmployersHandler.CurrentAsync(ctx, npp, ct) is { } e ? (e.Npp, e.RegionCode, e) : (null, null, null);

    /// <summary>The fields as a one-row table with a header, so that the import's column rules apply unchanged.</summary>
    private static (TabularRow Row, ColumnMap Map) OneRow(IReadOnlyDictionary<string, string?> fields, IReadOnlyList<ColumnSpec> specs)
    {
        var unknown = fields.Keys.Where(k => !specs.Any(s => s.Name == k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown field(s): {string.Join(", ", unknown)}", unknown[0]) { Indonesian = $"Isian tidak dikenal: {string.Join(", ", unknown)}." };
        }

        var header = fields.Keys.ToList();
        try
        {
            return (new TabularRow(1, header.Select(h => fields[h] ?? "").ToList(), new HashSet<int>()), ColumnMap.For(header, specs));
        }
        catch (ImportFileException e)
        {
            throw new UsageException(e.Message, specs.First(s => s.Required && !fields.ContainsKey(s.Name)).Name) { Indonesian = e.Indonesian };
        }
    }
}

/// <summary>Implements the identity module's question "does this employer exist?" for employer accounts and keys.</summary>
internal sealed class EmployerDirectory(Database db) : IEmployerDirectory
{
    public async Task<bool> ExistsAsync(string npp, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM employers WHERE npp = @npp", new { npp }, cancellationToken: ct)) > 0;
    }
}
