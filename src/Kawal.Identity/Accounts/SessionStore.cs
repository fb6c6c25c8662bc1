using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;
using Microsoft.Extensions.Configuration;

namespace Kawal.Identity;

/// <summary>
/// How long a sign-in lasts (settings <c>Kawal:Sessions:IdleMinutes</c> and <c>Kawal:Sessions:AbsoluteHours</c>): a session
/// ends after <see cref="Idle"/> without a request, and <see cref="Absolute"/> after sign-in whatever its use.
/// </summary>
public sealed record SessionLimits(TimeSpan Idle, TimeSpan Absolute)
{
    public const string IdleKey = "Kawal:Sessions:IdleMinutes";
    public const string AbsoluteKey = "Kawal:Sessions:AbsoluteHours";

    public static SessionLimits Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12));

    /// <summary>
    /// The last request is written at most this often (a minute, or a tenth of the idle limit when shorter), so that a
    /// busy page does not write on every request; idle expiry is therefore measured to within that much, never later.
    /// </summary>
    public TimeSpan TouchEvery => Idle / 10 < TimeSpan.FromMinutes(1) ? Idle / 10 : TimeSpan.FromMinutes(1);

    public static SessionLimits From(IConfiguration configuration)
    {
        var idle = Positive(configuration, IdleKey, Default.Idle.TotalMinutes);
        var absolute = Positive(configuration, AbsoluteKey, Default.Absolute.TotalHours);
        var limits = new SessionLimits(TimeSpan.FromMinutes(idle), TimeSpan.FromHours(absolute));
        return limits.Idle <= limits.Absolute
            ? limits
            : throw new KawalException($"{IdleKey} ({idle} minutes) must not be longer than {AbsoluteKey} ({absolute} hours)");
    }

    private static double Positive(IConfiguration configuration, string key, double fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new KawalException($"{key} must be a positive number, not '{text}'");
    }
}

/// <summary>
/// Server-side sign-in sessions (table <c>sessions</c>), so that a session can end before its cookie does: signing out,
/// idle and absolute limits, a new password and a disabled account end it in the database, and every process sharing
/// the database refuses its cookie from the next request. The cookie holds a random 256-bit token; the table holds
/// only its SHA-256.
/// </summary>
public sealed class SessionStore(Database db, TimeProvider time, SessionLimits limits)
{
    public SessionLimits Limits => limits;

    /// <summary>Opens a session for the user; returns the token for the cookie. Sessions past any limit are purged here.</summary>
    public async Task<string> StartAsync(long userId, CancellationToken ct = default)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // A day past the absolute limit nothing can revive a session; the rows were kept that long for inspection.
        var purgeBefore = now - (long)(limits.Absolute + TimeSpan.FromDays(1)).TotalMilliseconds;
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM sessions WHERE created_ms < @purgeBefore", new { purgeBefore }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sessions (token_hash, user_id, created_ms, seen_ms) VALUES (@hash, @userId, @now, @now)",
            new { hash = Hash(token), userId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>
    /// Whether the session is live for this user; a live session's last request is recorded (see
    /// <see cref="SessionLimits.TouchEvery"/>), one past a limit is ended with the limit as its reason.
    /// </summary>
    public async Task<bool> ValidateAsync(string token, long userId, CancellationToken ct = default)
    {
        var hash = Hash(token);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long UserId, long CreatedMs, long SeenMs, long? EndedMs)>(new CommandDefinition(
            "SELECT user_id, created_ms, seen_ms, ended_ms FROM sessions WHERE token_hash = @hash", new { hash }, cancellationToken: ct));
        if (row == default || row.UserId != userId || row.EndedMs is not null)
        {
            return false;
        }

        var expired = now >= row.CreatedMs + (long)limits.Absolute.TotalMilliseconds ? "expired"
            : now >= row.SeenMs + (long)limits.Idle.TotalMilliseconds ? "idle"
            : null;
        if (expired is not null)
        {
            await EndAsync(c, null, "token_hash = @hash", new { hash }, now, expired, ct);
            return false;
        }

        if (now - row.SeenMs < (long)limits.TouchEvery.TotalMilliseconds)
        {
            return true;
        }

        // Ended by another request or process since the read: the update finds no live row.
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET seen_ms = @now WHERE token_hash = @hash AND ended_ms IS NULL", new { now, hash }, cancellationToken: ct)) == 1;
    }

    /// <summary>Ends one session (signing out); its cookie, and every copy of it, is refused from then on.</summary>
    public async Task EndAsync(string token, string reason, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await EndAsync(c, null, "token_hash = @hash", new { hash = Hash(token) }, time.GetUtcNow().ToUnixTimeMilliseconds(), reason, ct);
    }

    /// <summary>Ends every live session of the user called <paramref name="username"/>, inside the caller's transaction.</summary>
    internal static Task EndAllAsync(DbConnection c, DbTransaction tx, string username, DateTimeOffset now, string reason, CancellationToken ct) =>
        EndAsync(c, tx, "user_id = (SELECT id FROM users WHERE username = @username)", new { username }, now.ToUnixTimeMilliseconds(), reason, ct);

    private static async Task EndAsync(DbConnection c, DbTransaction? tx, string where, object args, long now, string reason, CancellationToken ct)
    {
        var p = new DynamicParameters(args);
        p.Add("now", now);
        p.Add("reason", reason);
        await c.ExecuteAsync(new CommandDefinition($"UPDATE sessions SET ended_ms = @now, end_reason = @reason WHERE {where} AND ended_ms IS NULL", p, tx, cancellationToken: ct));
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
