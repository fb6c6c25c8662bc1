using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;

namespace Kawal.Identity;

public sealed record NewApiKey(string Name, Role Role, string? Region, string? EmployerNpp, IReadOnlyList<string>? Scopes);

public sealed record ApiKeyInfo(long Id, string Name, string Prefix, Role Role, string? RegionCode, string? EmployerNpp, IReadOnlyList<string> Scopes,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The key, shown once when created, and its stored description.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Secret);

/// <summary>
/// API keys for machine clients. A key is <c>kawal_PREFIX_SECRET</c>: the prefix finds the row, the SHA-256 of the whole
/// key is compared in constant time (keys carry 256 random bits, so a fast hash suffices; the key itself is never
/// stored). A key's scopes are a subset of its role's permissions; by default all of them.
/// </summary>
public sealed class ApiKeyStore(Database db, TimeProvider time, IEmployerDirectory? employers = null)
{
    private const string Select =
        "SELECT id AS Id, name AS Name, prefix AS Prefix, role AS RoleText, region_code AS RegionCode, employer_npp AS EmployerNpp, scopes AS Scopes, " +
        "created_by AS CreatedBy, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt, key_hash AS KeyHash FROM api_keys";

    public async Task<CreatedApiKey> CreateAsync(NewApiKey key, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        var name = key.Name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new UsageException("the key needs a name of 1 to 100 characters (who uses it, e.g. 'DPMPTSP Kab. Banyuwangi')", "name") { Indonesian = "Beri nama kunci API, 1 sampai 100 karakter: siapa yang memakainya (misalnya 'DPMPTSP Kab. Banyuwangi')." };
        }

        var region = Principals.CheckAssignment(key.Role, key.Region, key.EmployerNpp);
        var allowed = Permissions.Of(key.Role);
        var scopes = key.Scopes is { Count: > 0 } ? key.Scopes.Select(Permissions.Parse).Distinct().ToList() : allowed.OrderBy(p => p).ToList();
        if (scopes.Where(s => !allowed.Contains(s)).Select(s => (Permission?)s).FirstOrDefault() is { } extra)
        {
            throw new UsageException($"the scope {extra.Name()} is not among the permissions of the role {key.Role.Name()}", "scopes") { Indonesian = $"Cakupan {extra.Name()} ({extra.LabelId()}) tidak termasuk wewenang peran {key.Role.LabelId()}." };
        }

        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"kawal_{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
        var now = time.GetUtcNow();
        var scopeText = string.Join(' ', scopes.Select(s => s.Name()));
        await using var c = await db.OpenAsync(ct);
        await Principals.CheckReferencesAsync(c, region, key.EmployerNpp, employers, ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO api_keys (name, prefix, key_hash, role, region_code, employer_npp, scopes, created_by, created_at)
            VALUES (@name, @prefix, @Hash, @Role, @Region, @EmployerNpp, @scopeText, @Actor, @now) RETURNING id
            """, new { name, prefix, Hash = HashOf(secret), Role = key.Role.Name(), Region = region?.Value, EmployerNpp = key.EmployerNpp?.Trim(), scopeText, caller.Actor, now },
            tx, cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("api_key.create", "api_key", prefix,
            After: new { name, role = key.Role.Name(), region = region?.Value, employer = key.EmployerNpp, scopes = scopeText }, RegionCode: region?.Value), ct);
        await tx.CommitAsync(ct);
        return new CreatedApiKey(new ApiKeyInfo(id, name, prefix, key.Role, region?.Value, key.EmployerNpp?.Trim(), scopes.Select(s => s.Name()).ToList(), caller.Actor, now, null, null), secret);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<KeyRow>(new CommandDefinition($"{Select} ORDER BY id", cancellationToken: ct))).Select(r => r.ToInfo()).ToList();
    }

    /// <summary>Revokes a key by its prefix (shown in lists); requests with it get 401 from then on.</summary>
    public async Task RevokeAsync(string prefix, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now, revoked_by = @Actor WHERE prefix = @prefix AND revoked_at IS NULL", new { now, caller.Actor, prefix }, tx, cancellationToken: ct));
        if (n == 0)
        {
            throw new NotFoundException($"no active API key has the prefix '{prefix}'") { Indonesian = $"Tidak ada kunci API aktif dengan awalan '{prefix}'." };
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("api_key.revoke", "api_key", prefix), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The caller a presented key stands for, or null when it is unknown, malformed or revoked.</summary>
    public async Task<(Caller Caller, long KeyId)?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != "kawal" || parts[1].Length != 12)
        {
            return null;
        }

        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition($"{Select} WHERE prefix = @p", new { p = parts[1] }, cancellationToken: ct));
        if (row is null || row.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.KeyHash), Encoding.ASCII.GetBytes(HashOf(presented))))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET last_used_at = @now WHERE id = @Id", new { now, row.Id }, cancellationToken: ct));
        }

        var info = row.ToInfo();
        var caller = Principals.Caller($"key:{info.Prefix}:{info.Name}", info.Role, info.RegionCode, info.EmployerNpp, info.Scopes.Select(Permissions.Parse).ToHashSet())
            with { Person = info.CreatedBy };
        return (caller, info.Id);
    }

    /// <summary>
    /// The person behind an actor as recorded on a workflow step: a key's creator for <c>key:PREFIX:NAME</c>, the actor
    /// itself otherwise. Used for four eyes inside the step's transaction.
    /// </summary>
    public static async Task<string> PersonOfAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string? actor, CancellationToken ct)
    {
        if (actor is null || !actor.StartsWith("key:", StringComparison.Ordinal) || actor.Split(':') is not { Length: >= 3 } parts)
        {
            return actor ?? "";
        }

        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT created_by FROM api_keys WHERE prefix = @p", new { p = parts[1] }, tx, cancellationToken: ct)) ?? actor;
    }

    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private sealed class KeyRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string RoleText { get; set; } = "";
        public string? RegionCode { get; set; }
        public string? EmployerNpp { get; set; }
        public string Scopes { get; set; } = "";
        public string CreatedBy { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? LastUsedAt { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
        public string KeyHash { get; set; } = "";

        public ApiKeyInfo ToInfo() => new(Id, Name, Prefix, Roles.Parse(RoleText), RegionCode, EmployerNpp,
            Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), CreatedBy, CreatedAt, LastUsedAt, RevokedAt);
    }
}
