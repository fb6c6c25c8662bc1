using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Data;

/// <summary>The leases that make batch runs exclusive across processes and nodes (Leases.cs).</summary>
public class LeaseTests
{
    private static readonly LeaseRequest Month = new("billing", "2026-10", "operator", "penagihan iuran 2026-10", "the billing run of 2026-10");

    private static FixedTime Clock() => new(new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.Zero));

    [EngineTheory]
    public async Task A_held_scope_is_refused_naming_its_holder_and_other_scopes_are_not(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var leases = new Leases(t.Database, Clock());
        await using var held = await leases.AcquireAsync(Month);

        var refused = await Assert.ThrowsAsync<LeaseHeldException>(() => leases.AcquireAsync(Month with { Actor = "someone.else" }));
        Assert.Equal("operator", refused.Held!.Actor);
        Assert.Equal(Leases.Host, refused.Held.Host);
        Assert.Equal("the billing run of 2026-10 is already running (started by operator on " + Leases.Host + ", process " + Environment.ProcessId +
                     ", at 2026-11-21 03:00:00 UTC); it must finish first. If that process has stopped, its hold lapses at 2026-11-21 03:01:00 UTC.", refused.Message);
        Assert.StartsWith("Penagihan iuran 2026-10 tidak dapat dimulai: proses yang sama sedang berjalan (dimulai oleh operator", refused.Indonesian, StringComparison.Ordinal);

        await using var otherMonth = await leases.AcquireAsync(Month with { Scope = "2026-09" });
        await using var otherKind = await leases.AcquireAsync(Month with { Kind = "pensions" });
        Assert.Equal(3, (await leases.ListAsync()).Count);
    }

    [EngineTheory]
    public async Task A_released_scope_can_be_taken_again(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var leases = new Leases(t.Database, Clock());
        await (await leases.AcquireAsync(Month)).DisposeAsync();

        await using var again = await leases.AcquireAsync(Month);
        Assert.Single(await leases.ListAsync());
    }

    [EngineTheory]
    public async Task A_lease_of_another_node_is_refused_until_it_lapses_then_taken_over(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        await InsertForeignAsync(t, expires: clock.Now.AddSeconds(30));
        var leases = new Leases(t.Database, clock);

        var refused = await Assert.ThrowsAsync<LeaseHeldException>(() => leases.AcquireAsync(Month));
        Assert.Equal("node-2", refused.Held!.Host);

        clock.Now = clock.Now.AddSeconds(31); // node-2 stopped renewing: its lease lapsed
        await using var taken = await leases.AcquireAsync(Month);
        var row = Assert.Single(await leases.ListAsync());
        Assert.Equal(Leases.Host, row.Host);
        Assert.Equal(clock.Now.AddSeconds(60), row.Expires);
    }

    [EngineTheory]
    public async Task A_lease_of_a_dead_process_on_this_machine_is_taken_over_at_once(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        var dead = await EndedProcessAsync();
        await InsertForeignAsync(t, expires: clock.Now.AddSeconds(50), host: Leases.Host, pid: dead);

        await using var taken = await new Leases(t.Database, clock).AcquireAsync(Month);
        Assert.Equal(Environment.ProcessId, Assert.Single(await new Leases(t.Database, clock).ListAsync()).Pid);
    }

    /// <summary>A container or cloned machine with this host name but other process ids: its lease lapses, it is not taken over by pid.</summary>
    [EngineTheory]
    public async Task A_lease_of_another_machine_with_this_host_name_is_not_taken_over_by_process_id(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        var dead = await EndedProcessAsync();
        await InsertForeignAsync(t, expires: clock.Now.AddSeconds(50), host: Leases.Host, pid: dead, machine: Leases.Machine + "-container");

        await Assert.ThrowsAsync<LeaseHeldException>(() => new Leases(t.Database, clock).AcquireAsync(Month));
    }

    /// <summary>
    /// While the holder is inside a batch (its fence has the row locked; on SQLite, the write lock), a second run is refused
    /// within seconds, naming the holder — not left hanging until a raw time-out.
    /// </summary>
    [EngineTheory]
    public async Task A_second_run_is_refused_promptly_while_the_holder_is_inside_a_long_batch(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        var leases = new Leases(t.Database, clock);
        await using var lease = await leases.AcquireAsync(Month);
        await using var c = await t.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await lease.FenceAsync(c, tx, CancellationToken.None);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<LeaseHeldException>(() => leases.AcquireAsync(Month with { Actor = "second" }));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"refused after {watch.Elapsed}");
        Assert.Equal("operator", refused.Held!.Actor);
        await tx.CommitAsync();
    }

    [EngineTheory]
    public async Task Disposing_a_lease_twice_or_after_the_database_is_gone_is_harmless(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var lease = await new Leases(t.Database, Clock()).AcquireAsync(Month);
        await lease.DisposeAsync();
        await lease.DisposeAsync();

        var spec = t.Spec;
        var other = new Database(spec);
        var orphan = await new Leases(other, Clock()).AcquireAsync(Month);
        await other.DisposeAsync();
        await orphan.DisposeAsync(); // the lease lapses by itself
    }

    [EngineTheory]
    public async Task A_lease_of_a_live_process_on_this_machine_is_refused(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        await InsertForeignAsync(t, expires: clock.Now.AddSeconds(50), host: Leases.Host, pid: self.Id, started: self.StartTime.ToUniversalTime());

        await Assert.ThrowsAsync<LeaseHeldException>(() => new Leases(t.Database, clock).AcquireAsync(Month));
    }

    [EngineTheory]
    public async Task A_waiting_acquirer_takes_the_scope_when_it_is_released(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var leases = new Leases(t.Database, Clock()) { Poll = TimeSpan.FromMilliseconds(50) };
        var first = await leases.AcquireAsync(Month);
        LeaseHolding? told = null;

        var waiting = leases.AcquireAsync(Month with { Actor = "second" }, wait: true, waiting: h => told = h);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        Assert.Equal("operator", told?.Actor);

        await first.DisposeAsync();
        await using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("second", Assert.Single(await leases.ListAsync()).Actor);
    }

    [EngineTheory]
    public async Task The_fence_renews_inside_the_batch_and_refuses_a_batch_once_the_lease_is_another_s(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        var leases = new Leases(t.Database, clock);
        await using var lease = await leases.AcquireAsync(Month);
        await using var c = await t.Database.OpenAsync();

        clock.Now = clock.Now.AddSeconds(40);
        await using (var tx = await c.BeginTransactionAsync())
        {
            await lease.FenceAsync(c, tx, CancellationToken.None);
            await tx.CommitAsync();
        }

        Assert.Equal(clock.Now.AddSeconds(60), Assert.Single(await leases.ListAsync()).Expires);
        Assert.False(lease.Lost.IsCancellationRequested);

        await c.ExecuteAsync("UPDATE leases SET holder = 'other-node'");
        await using (var tx = await c.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => lease.FenceAsync(c, tx, CancellationToken.None));
        }

        Assert.True(lease.Lost.IsCancellationRequested);
    }

    [EngineTheory]
    public async Task The_heartbeat_keeps_a_lease_and_notices_when_it_was_taken(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var clock = Clock();
        var leases = new Leases(t.Database, clock) { Ttl = TimeSpan.FromMilliseconds(300) };
        await using var lease = await leases.AcquireAsync(Month);
        clock.Now = clock.Now.AddMinutes(5);

        await WaitUntil(async () => (await leases.ListAsync())[0].Expires == clock.Now.AddMilliseconds(300));
        Assert.False(lease.Lost.IsCancellationRequested);

        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE leases SET holder = 'other-node'");
        }

        await WaitUntil(() => Task.FromResult(lease.Lost.IsCancellationRequested));
    }

    /// <summary>The id of a process that has ended: no live process has it (until the system reuses it).</summary>
    private static async Task<int> EndedProcessAsync()
    {
        using var ended = System.Diagnostics.Process.Start("true")!;
        await ended.WaitForExitAsync();
        return ended.Id;
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    private static async Task InsertForeignAsync(TestDatabase t, DateTimeOffset expires, string host = "node-2", int pid = 4242, DateTimeOffset? started = null, string? machine = null)
    {
        await using var c = await t.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO leases (kind, scope, holder, host, machine, pid, process_started_ms, actor, description, acquired_ms, expires_ms)
            VALUES (@Kind, @Scope, 'foreign', @host, @machine, @pid, @started, 'node2.operator', 'the billing run of 2026-10', @acquired, @expires)
            """,
            new
            {
                Month.Kind, Month.Scope, host, machine = machine ?? (host == Leases.Host ? Leases.Machine : host), pid, started = (started ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds(),
                acquired = expires.AddMinutes(-1).ToUnixTimeMilliseconds(), expires = expires.ToUnixTimeMilliseconds(),
            });
    }
}
