using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;

namespace Kawal.Data;

/// <summary>
/// What a batch asks to hold exclusively: a <paramref name="Kind"/> of run (<c>billing</c>, <c>pensions</c>,
/// <c>monev-refresh</c>, <c>compliance-detect</c>, <c>import</c>) and its <paramref name="Scope"/> within the kind (a month,
/// an import kind, <c>all</c>). <paramref name="Indonesian"/> and <paramref name="English"/> name the run for the person
/// refused (<c>penagihan iuran 2026-03</c>, <c>the billing run of 2026-03</c>).
/// </summary>
public sealed record LeaseRequest(string Kind, string Scope, string Actor, string Indonesian, string English);

/// <summary>Who holds a lease, as the <c>leases</c> table records it.</summary>
public sealed record LeaseHolding(string Kind, string Scope, string Holder, string Host, int Pid, string Actor, string Description, DateTimeOffset Acquired, DateTimeOffset Expires);

/// <summary>
/// Another process, on this machine or another node, holds the scope: the run is refused (HTTP 409, CLI exit 1) and nothing
/// was written. A holder that died stops holding at <see cref="LeaseHolding.Expires"/> (on this machine: at once).
/// </summary>
public sealed class LeaseHeldException : ConflictException
{
    public LeaseHeldException(LeaseRequest request, LeaseHolding held)
        : base($"{held.Description} is already running (started by {held.Actor} on {held.Host}, process {held.Pid}, at {Utc(held.Acquired)}); " +
               $"it must finish first. If that process has stopped, its hold lapses at {Utc(held.Expires)}.")
    {
        Held = held;
        Indonesian = $"{Capital(request.Indonesian)} tidak dapat dimulai: proses yang sama sedang berjalan (dimulai oleh {held.Actor} di {held.Host}, proses {held.Pid}, " +
                     $"pukul {Utc(held.Acquired)}); tunggu sampai selesai. Jika proses itu sudah berhenti, kuncinya lepas pukul {Utc(held.Expires)}.";
    }

    public LeaseHeldException()
    {
    }

    public LeaseHeldException(string message)
        : base(message)
    {
    }

    public LeaseHeldException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public LeaseHolding? Held { get; }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>
/// The run's lease was taken by another process (it had lapsed: this process stalled past its expiry, or its clock is far
/// off). The batch being written was rolled back; the run stops so that two runs never write one scope.
/// </summary>
public sealed class LeaseLostException : KawalException
{
    public LeaseLostException(LeaseRequest request)
        : base($"{request.English} stopped: its exclusive hold lapsed and another process may have taken it over; the last batch was not written")
        => Indonesian = $"{request.Indonesian} berhenti: kuncinya lepas dan mungkin diambil proses lain; batch terakhir tidak ditulis";

    public LeaseLostException()
    {
    }

    public LeaseLostException(string message)
        : base(message)
    {
    }

    public LeaseLostException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Exclusive batch runs across processes and nodes: a run holds a row of <c>leases</c> for its scope, taken atomically
/// (an upsert that only replaces a lapsed row), renewed in the background every third of <see cref="Ttl"/> and, where the
/// run writes in batches, inside each batch's transaction (<see cref="Lease.FenceAsync"/>), so a run whose lease lapsed
/// and was taken over cannot commit another batch. A dead holder's lease lapses after <see cref="Ttl"/>; one on this
/// machine whose process is gone is taken over at once. Expiry is on the holders' clocks: nodes keep them in step (NTP),
/// far closer than <see cref="Ttl"/>.
/// </summary>
public sealed class Leases(Database db, TimeProvider time)
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(60);

    private static readonly (int Pid, long StartedMs) Self = SelfProcess();

    /// <summary>How long a lease lasts without renewal.</summary>
    public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary>How often a waiting acquirer tries again.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>This machine's name as leases record it (shown to people).</summary>
    public static string Host { get; } = Environment.MachineName;

    /// <summary>
    /// Where this process's ids mean something: the machine's id, its boot and its process-id namespace (Linux). Only a
    /// holder with the same identity is looked up by process id; a container or a cloned machine that shares the host name
    /// does not (its lease lapses after <see cref="Ttl"/>).
    /// </summary>
    public static string Machine { get; } = MachineIdentity();

    /// <summary>
    /// Takes the scope, or throws <see cref="LeaseHeldException"/> naming the holder. With <paramref name="wait"/>, tries
    /// again every <see cref="Poll"/> until it is free (calling <paramref name="waiting"/> once, with the holder) or
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<Lease> AcquireAsync(LeaseRequest request, bool wait = false, Action<LeaseHolding>? waiting = null, CancellationToken ct = default)
    {
        var holder = Guid.NewGuid().ToString("N");
        var told = false;
        while (true)
        {
            var held = await TryAcquireAsync(request, holder, ct);
            if (held is null)
            {
                return new Lease(this, request, holder);
            }

            if (!wait)
            {
                throw new LeaseHeldException(request, held);
            }

            if (!told)
            {
                waiting?.Invoke(held);
                told = true;
            }

            await Task.Delay(Poll, ct);
        }
    }

    /// <summary>The leases held now (lapsed ones too, marked by their expiry), for <c>kawal leases list</c>.</summary>
    public async Task<IReadOnlyList<LeaseHolding>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition($"{Select} ORDER BY kind, scope", cancellationToken: ct))).Select(r => r.Holding).ToList();
    }

    /// <summary>The leases still held: not lapsed, and not held by a process on this machine that has ended.</summary>
    public async Task<IReadOnlyList<LeaseHolding>> ListLiveAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition(Select, cancellationToken: ct)))
            .Where(r => r.Holding.Expires >= now && !(r.Machine == Machine && !Alive((int)r.Pid, r.ProcessStartedMs)))
            .Select(r => r.Holding).ToList();
    }

    /// <summary>Null when taken; else who holds it.</summary>
    private async Task<LeaseHolding?> TryAcquireAsync(LeaseRequest request, string holder, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var args = new
        {
            request.Kind, request.Scope, holder, host = Host, machine = Machine, pid = Self.Pid, started = Self.StartedMs, request.Actor, description = request.English, now,
            expires = now + (long)Ttl.TotalMilliseconds,
        };
        // Inserted, or a lapsed row replaced: RETURNING gives the row only then (both engines). A row its holder has locked
        // in an open batch (the fence) is waited for only briefly: then it is held.
        if (await TryUpsertAsync(c, args, ct) == holder)
        {
            return null;
        }

        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE kind = @Kind AND scope = @Scope", args, cancellationToken: ct));
        if (row is null)
        {
            return await TryAcquireAsync(request, holder, ct); // released in between
        }

        // A holder on this machine whose process is gone (killed, crashed) holds nothing: take it over now (compare and set on
        // its holder id, so of two processes doing this one wins).
        if (row.Machine == Machine && !Alive((int)row.Pid, row.ProcessStartedMs))
        {
            var replaced = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE leases SET holder = @holder, host = @host, machine = @machine, pid = @pid, process_started_ms = @started, actor = @Actor, description = @description,
                    acquired_ms = @now, expires_ms = @expires
                WHERE kind = @Kind AND scope = @Scope AND holder = @old
                """, new { args.Kind, args.Scope, holder, args.host, args.machine, args.pid, args.started, args.Actor, args.description, now, args.expires, old = row.Holder },
                cancellationToken: ct));
            if (replaced == 1)
            {
                return null;
            }

            return await TryAcquireAsync(request, holder, ct);
        }

        return row.Holding;
    }

    /// <summary>
    /// The upsert, waiting at most about two seconds for a row lock (PostgreSQL <c>lock_timeout</c>) or the write lock
    /// (SQLite <c>busy_timeout</c>): a holder inside a long batch (an all-or-nothing import) is then reported as the holder
    /// instead of the acquirer hanging until a raw time-out. Null when it could not write.
    /// </summary>
    private async Task<string?> TryUpsertAsync(DbConnection c, object args, CancellationToken ct)
    {
        const string Upsert = """
            INSERT INTO leases (kind, scope, holder, host, machine, pid, process_started_ms, actor, description, acquired_ms, expires_ms)
            VALUES (@Kind, @Scope, @holder, @host, @machine, @pid, @started, @Actor, @description, @now, @expires)
            ON CONFLICT (kind, scope) DO UPDATE SET holder = excluded.holder, host = excluded.host, machine = excluded.machine, pid = excluded.pid,
                process_started_ms = excluded.process_started_ms, actor = excluded.actor, description = excluded.description,
                acquired_ms = excluded.acquired_ms, expires_ms = excluded.expires_ms
            WHERE leases.expires_ms < @now
            RETURNING holder
            """;
        if (db.Engine == Engine.Postgres)
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync(new CommandDefinition("SET LOCAL lock_timeout = '2s'", transaction: tx, cancellationToken: ct));
            try
            {
                var taken = await c.ExecuteScalarAsync<string?>(new CommandDefinition(Upsert, args, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                return taken;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == "55P03") // lock_not_available
            {
                await tx.RollbackAsync(ct);
                return null;
            }
        }

        await c.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 2000", cancellationToken: ct)); // reset by the next open
        try
        {
            // Microsoft.Data.Sqlite retries a busy database itself until the command's time-out: 2 s, not the default 30.
            return await c.ExecuteScalarAsync<string?>(new CommandDefinition(Upsert, args, commandTimeout: 2, cancellationToken: ct));
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return null;
        }
    }

    internal async Task<bool> RenewAsync(DbConnection c, DbTransaction? tx, LeaseRequest request, string holder, CancellationToken ct)
    {
        var expires = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)Ttl.TotalMilliseconds;
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE leases SET expires_ms = @expires WHERE kind = @Kind AND scope = @Scope AND holder = @holder",
            new { request.Kind, request.Scope, holder, expires }, tx, cancellationToken: ct)) == 1;
    }

    internal async Task<bool> RenewAsync(LeaseRequest request, string holder, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await RenewAsync(c, null, request, holder, ct);
    }

    internal async Task ReleaseAsync(LeaseRequest request, string holder)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM leases WHERE kind = @Kind AND scope = @Scope AND holder = @holder", new { request.Kind, request.Scope, holder }));
    }

    private const string Select = "SELECT kind AS Kind, scope AS Scope, holder AS Holder, host AS Host, machine AS Machine, pid AS Pid, process_started_ms AS ProcessStartedMs, actor AS Actor, " +
                                  "description AS Description, acquired_ms AS AcquiredMs, expires_ms AS ExpiresMs FROM leases";

    private static bool Alive(int pid, long startedMs)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return Math.Abs(new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() - startedMs) < 2000;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // exited while looked at
        }
    }

    private static string MachineIdentity()
    {
        static string Read(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllText(path).Trim() : "";
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }

        string pidNamespace;
        try
        {
            pidNamespace = File.ResolveLinkTarget("/proc/self/ns/pid", false)?.ToString() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            pidNamespace = "";
        }

        return $"{Environment.MachineName}|{Read("/etc/machine-id")}|{Read("/proc/sys/kernel/random/boot_id")}|{pidNamespace}";
    }

    private static (int, long) SelfProcess()
    {
        using var p = Process.GetCurrentProcess();
        return (p.Id, new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds());
    }

    private sealed class Row
    {
        public string Kind { get; set; } = "";
        public string Scope { get; set; } = "";
        public string Holder { get; set; } = "";
        public string Host { get; set; } = "";
        public string Machine { get; set; } = "";
        public long Pid { get; set; }
        public long ProcessStartedMs { get; set; }
        public string Actor { get; set; } = "";
        public string Description { get; set; } = "";
        public long AcquiredMs { get; set; }
        public long ExpiresMs { get; set; }

        public LeaseHolding Holding => new(Kind, Scope, Holder, Host, (int)Pid, Actor, Description,
            DateTimeOffset.FromUnixTimeMilliseconds(AcquiredMs), DateTimeOffset.FromUnixTimeMilliseconds(ExpiresMs));
    }
}

/// <summary>
/// A held lease: renewed in the background until disposed, then released. <see cref="Lost"/> is cancelled when a renewal
/// finds it taken, or when renewals failed until it lapsed; <see cref="FenceAsync"/> inside a batch's transaction renews it
/// there and refuses the batch if it is no longer this run's.
/// </summary>
public sealed class Lease : IAsyncDisposable
{
    private readonly Leases leases;
    private readonly string holder;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task heartbeat;
    private int disposed;

    internal Lease(Leases leases, LeaseRequest request, string holder)
    {
        this.leases = leases;
        Request = request;
        this.holder = holder;
        heartbeat = Task.Run(HeartbeatAsync);
    }

    public LeaseRequest Request { get; }

    /// <summary>Cancelled when the lease is no longer this run's.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>
    /// Renews the lease inside the batch's transaction: committed with the batch, and a lease another process took makes the
    /// batch fail (<see cref="LeaseLostException"/>, rolled back with it). On PostgreSQL the renewed row stays locked until
    /// the batch commits, so no acquirer can take it over in between.
    /// </summary>
    public async Task FenceAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        if (!await leases.RenewAsync(c, tx, Request, holder, ct))
        {
            await lost.CancelAsync();
            throw new LeaseLostException(Request);
        }
    }

    /// <summary>Stops renewing and releases the lease; safe to call twice, and when the database is gone (it then lapses).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        try
        {
            await heartbeat;
        }
#pragma warning disable CA1031 // the heartbeat's end, whatever it was, must not hide the run's own outcome
        catch (Exception)
        {
            // stopped
        }

        try
        {
            await leases.ReleaseAsync(Request, holder);
        }
        catch (Exception)
        {
            // the database is gone (or the host is shutting down): the lease lapses by itself after its expiry
        }
#pragma warning restore CA1031

        stop.Dispose();
        lost.Dispose();
    }

    /// <summary>
    /// Renews every third of the lease's life. The lease counts as lost only when a renewal finds it is no longer this run's
    /// (another process took it over, or it was removed) — not when the database was slow or busy (a long write of another
    /// process on SQLite, a restart): that is retried, and a lapsed lease nobody took is renewed again.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        var every = leases.Ttl / 3;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(every, stop.Token);
            try
            {
                if (!await leases.RenewAsync(Request, holder, stop.Token))
                {
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (Exception e) when (e is DbException or KawalException or TimeoutException or InvalidOperationException)
            {
                // not answered: try again at the next beat
            }
        }
    }
}
