using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Kawal.Data;
using Microsoft.AspNetCore.Identity;

namespace Kawal.Identity;

public sealed record NewUser(string Username, string? DisplayName, Role Role, string? Region, string? EmployerNpp, string Password, bool IsDemo = false);

public sealed record UserRecord(long Id, string Username, string DisplayName, Role Role, string? RegionCode, string? EmployerNpp, bool IsActive, bool IsDemo,
    int FailedLogins, DateTimeOffset? LockedUntil, string SecurityStamp, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt)
{
    public Caller ToCaller() => Principals.Caller($"user:{Username}", Role, RegionCode, EmployerNpp);
}

public enum LoginOutcome
{
    Success,
    Invalid,
    LockedOut,
}

public sealed record LoginResult(LoginOutcome Outcome, UserRecord? User, DateTimeOffset? LockedUntil);

/// <summary>
/// Local accounts: passwords hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2), the policy of
/// <see cref="PasswordPolicy"/>, lockout for <see cref="LockoutMinutes"/> minutes after <see cref="MaxFailures"/>
/// failures in a row. Every change is audited in its own transaction.
/// </summary>
public sealed partial class UserStore(Database db, TimeProvider time, IEmployerDirectory? employers = null)
{
    public const int MaxFailures = 5;
    public const int LockoutMinutes = 15;

    private static readonly PasswordHasher<string> Hasher = new();

    private const string Select =
        "SELECT id AS Id, username AS Username, display_name AS DisplayName, role AS RoleText, region_code AS RegionCode, employer_npp AS EmployerNpp, " +
        "is_active AS IsActive, is_demo AS IsDemo, failed_logins AS FailedLogins, locked_until AS LockedUntil, security_stamp AS SecurityStamp, " +
        "created_at AS CreatedAt, last_login_at AS LastLoginAt FROM users";

    public async Task<UserRecord> AddAsync(NewUser user, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        var username = user.Username.Trim().ToLowerInvariant();
        if (!UsernamePattern().IsMatch(username))
        {
            throw new UsageException("the username must be 3 to 40 characters: lowercase letters, digits, dot, dash or underscore", "username") { Indonesian = "Nama pengguna harus 3 sampai 40 karakter: huruf kecil, angka, titik, tanda hubung atau garis bawah." };
        }

        var region = Principals.CheckAssignment(user.Role, user.Region, user.EmployerNpp);
        if (PasswordPolicy.Check(user.Password, username) is { } weak)
        {
            throw new UsageException(weak.En, "password") { Indonesian = weak.Id };
        }

        await using var c = await db.OpenAsync(ct);
        await Principals.CheckReferencesAsync(c, region, user.EmployerNpp, employers, ct);
        var now = time.GetUtcNow();
        await using var tx = await c.BeginTransactionAsync(ct);
        long id;
        try
        {
            id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO users (username, display_name, password_hash, role, region_code, employer_npp, is_active, is_demo, security_stamp, created_at, updated_at)
                VALUES (@username, @DisplayName, @Hash, @Role, @Region, @EmployerNpp, @True, @IsDemo, @Stamp, @now, @now) RETURNING id
                """, new
                {
                    username, DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? username : user.DisplayName.Trim(), Hash = Hasher.HashPassword(username, user.Password),
                    Role = user.Role.Name(), Region = region?.Value, EmployerNpp = user.EmployerNpp?.Trim(), True = true, user.IsDemo, Stamp = NewStamp(), now,
                }, tx, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new ConflictException($"the username '{username}' is taken", "username") { Indonesian = $"Nama pengguna '{username}' sudah dipakai; pilih nama lain." };
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("user.create", "user", username,
            After: new { role = user.Role.Name(), region = region?.Value, employer = user.EmployerNpp, demo = user.IsDemo }, RegionCode: region?.Value), ct);
        await tx.CommitAsync(ct);
        return (await FindAsync(c, "id = @id", new { id }, ct))!;
    }

    public async Task<UserRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await FindAsync(c, "id = @id", new { id }, ct);
    }

    public async Task<UserRecord?> FindByNameAsync(string username, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await FindAsync(c, "username = @username", new { username = username.Trim().ToLowerInvariant() }, ct);
    }

    public async Task<IReadOnlyList<UserRecord>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.IdentityManage);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<UserRow>(new CommandDefinition($"{Select} ORDER BY username", cancellationToken: ct))).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Checks a password. Failures count towards lockout; a locked account fails even with the right password.</summary>
    public async Task<LoginResult> SignInAsync(string username, string password, CancellationToken ct = default)
    {
        var name = username.Trim().ToLowerInvariant();
        await using var c = await db.OpenAsync(ct);
        var user = await FindAsync(c, "username = @name", new { name }, ct);
        var now = time.GetUtcNow();
        if (user is null || !user.IsActive)
        {
            // Same work as a real check, so that timing does not tell which usernames exist.
            Hasher.VerifyHashedPassword(name, DummyHash, password);
            return new LoginResult(LoginOutcome.Invalid, null, null);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            return new LoginResult(LoginOutcome.LockedOut, null, until);
        }

        var stored = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT password_hash FROM users WHERE id = @Id", new { user.Id }, cancellationToken: ct));
        var verdict = Hasher.VerifyHashedPassword(user.Username, stored!, password);
        await using var tx = await c.BeginTransactionAsync(ct);
        var caller = user.ToCaller();
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedLogins + 1;
            DateTimeOffset? lockUntil = failures >= MaxFailures ? now.AddMinutes(LockoutMinutes) : null;
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET failed_logins = @failures, locked_until = @lockUntil WHERE id = @Id",
                new { failures = lockUntil is null ? failures : 0, lockUntil, user.Id }, tx, cancellationToken: ct));
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent(lockUntil is null ? "login.failed" : "login.locked", "user", user.Username,
                After: new { failures, lockedUntil = lockUntil }), ct);
            await tx.CommitAsync(ct);
            return lockUntil is null ? new LoginResult(LoginOutcome.Invalid, null, null) : new LoginResult(LoginOutcome.LockedOut, null, lockUntil);
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user.Username, password) : stored;
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = @now, password_hash = @rehash WHERE id = @Id",
            new { now, rehash, user.Id }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("login.ok", "user", user.Username), ct);
        await tx.CommitAsync(ct);
        return new LoginResult(LoginOutcome.Success, user with { FailedLogins = 0, LockedUntil = null, LastLoginAt = now }, null);
    }

    /// <summary>Sets a new password (policy applies), clears a lockout and ends the user's sessions (new security stamp).</summary>
    public Task SetPasswordAsync(string username, string password, Caller caller, CancellationToken ct = default)
    {
        if (PasswordPolicy.Check(password, username.Trim().ToLowerInvariant()) is { } weak)
        {
            throw new UsageException(weak.En, "password") { Indonesian = weak.Id };
        }

        return ChangeAsync(username, caller, "user.password", "password_hash = @Hash, failed_logins = 0, locked_until = NULL",
            name => new { Hash = Hasher.HashPassword(name, password) }, null, ct);
    }

    /// <summary>Disables or re-enables an account; either ends its sessions.</summary>
    public Task SetActiveAsync(string username, bool active, Caller caller, CancellationToken ct = default) =>
        ChangeAsync(username, caller, active ? "user.enable" : "user.disable", "is_active = @Active", _ => new { Active = active }, new { active }, ct);

    private async Task ChangeAsync(string username, Caller caller, string action, string set, Func<string, object> values, object? after, CancellationToken ct)
    {
        caller.Demand(Permission.IdentityManage);
        var name = username.Trim().ToLowerInvariant();
        await using var c = await db.OpenAsync(ct);
        var now = time.GetUtcNow();
        await using var tx = await c.BeginTransactionAsync(ct);
        var args = new DynamicParameters(values(name));
        args.Add("name", name);
        args.Add("Stamp", NewStamp());
        args.Add("now", now);
        var n = await c.ExecuteAsync(new CommandDefinition($"UPDATE users SET {set}, security_stamp = @Stamp, updated_at = @now WHERE username = @name", args, tx, cancellationToken: ct));
        if (n == 0)
        {
            throw new NotFoundException($"no user is called '{name}'") { Indonesian = $"Tidak ada akun dengan nama pengguna '{name}'." };
        }

        // The new security stamp already refuses the account's cookies; ending the rows says so in the sessions table.
        await SessionStore.EndAllAsync(c, tx, name, now, action, ct);
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent(action, "user", name, After: after), ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<UserRecord?> FindAsync(System.Data.Common.DbConnection c, string where, object args, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"{Select} WHERE {where}", args, cancellationToken: ct)))?.ToRecord();

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static readonly string DummyHash = Hasher.HashPassword("x", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    [GeneratedRegex("^[a-z0-9._-]{3,40}$")]
    private static partial Regex UsernamePattern();

    private sealed class UserRow
    {
        public long Id { get; set; }
        public string Username { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string RoleText { get; set; } = "";
        public string? RegionCode { get; set; }
        public string? EmployerNpp { get; set; }
        public bool IsActive { get; set; }
        public bool IsDemo { get; set; }
        public int FailedLogins { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
        public string SecurityStamp { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? LastLoginAt { get; set; }

        public UserRecord ToRecord() => new(Id, Username, DisplayName, Roles.Parse(RoleText), RegionCode, EmployerNpp, IsActive, IsDemo, FailedLogins,
            LockedUntil, SecurityStamp, CreatedAt, LastLoginAt);
    }
}

/// <summary>Implemented by the registry: whether an employer NPP exists (for employer accounts and keys).</summary>
public interface IEmployerDirectory
{
    Task<bool> ExistsAsync(string npp, CancellationToken ct);
}
