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

        return await WriteAsync(caller, "employer", mode, ctx => EmployerSnapshotAsync(ctx, employer.Npp), ctx => ExistsAsync(ctx, "employers e", "e.npp = @key", RegistryScope.Employer(caller, "e"), employer.Npp),
            async ctx => [await ImportEmployersHandler.WriteAsync(ctx, new ImportEmployersHandler.EmployerRow(1, employer), ct)], ct);
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
                entity == "employer" ? "npp" : "nik");
        }

        if (mode == RegistrationMode.UpdateOnly && !visible)
        {
            throw new NotFoundException($"no {entity} with this key in your scope");
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

    /// <summary>The participant as the audit log keeps it: KPJ as the id; NIK only masked.</summary>
    private static async Task<(string?, string?, object?)> ParticipantSnapshotAsync(BatchContext ctx, string nik)
    {
        var person = await ctx.Connection.QuerySingleOrDefaultAsync<PersonSnapshot>(new CommandDefinition(
            "SELECT id AS Id, kpj AS Kpj, name AS Name, domicile_region_code AS Domicile FROM participants WHERE nik = @nik", new { nik }, ctx.Transaction));
        if (person is null)
        {
            return (null, null, null);
        }

        var memberships = (await ctx.Connection.QueryAsync<MembershipSnapshot>(new CommandDefinition(
            """
            SELECT m.segment AS Segment, e.npp AS Employer, m.category AS Category, m.payer_kind AS PayerKind, m.payer_ref AS PayerRef, m.programmes AS Programmes,
                   m.wage AS Wage, m.valid_from AS ValidFrom, m.valid_to AS ValidTo, m.status AS Status, m.region_code AS Region
            FROM memberships m LEFT JOIN employers e ON e.id = m.employer_id WHERE m.participant_id = @Id ORDER BY m.valid_from, m.id
            """, new { person.Id }, ctx.Transaction))).ToList();
        return (person.Kpj, memberships.LastOrDefault()?.Region ?? person.Domicile,
            new { nik = Nik.Mask(nik), kpj = person.Kpj, name = person.Name, domicile = person.Domicile, memberships });
    }

    private static async Task<(string?, string?, object?)> EmployerSnapshotAsync(BatchContext ctx, string npp)
    {
        var e = await ctx.Connection.QuerySingleOrDefaultAsync<EmployerSnapshot>(new CommandDefinition(
            "SELECT npp AS Npp, nib AS Nib, name AS Name, kind AS Kind, region_code AS Region, risk_class AS RiskClass, size AS Size, address AS Address, status AS Status FROM employers WHERE npp = @npp",
            new { npp }, ctx.Transaction));
        return e is null ? (null, null, null) : (e.Npp, e.Region, e);
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

    internal sealed class PersonSnapshot
    {
        public long Id { get; set; }
        public string? Kpj { get; set; }
        public string Name { get; set; } = "";
        public string Domicile { get; set; } = "";
    }

    internal sealed class MembershipSnapshot
    {
        public string Segment { get; set; } = "";
        public string? Employer { get; set; }
        public string Category { get; set; } = "";
        public string PayerKind { get; set; } = "";
        public string? PayerRef { get; set; }
        public string Programmes { get; set; } = "";
        public long Wage { get; set; }
        public DateOnly ValidFrom { get; set; }
        public DateOnly? ValidTo { get; set; }
        public string Status { get; set; } = "";
        public string Region { get; set; } = "";
    }

    internal sealed class EmployerSnapshot
    {
        public string Npp { get; set; } = "";
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Region { get; set; } = "";
        public int RiskClass { get; set; }
        public string Size { get; set; } = "";
        public string? Address { get; set; }
        public string Status { get; set; } = "";
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
