using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;

namespace Kawal.Tests.Identity;

public class AuditChainTests
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);
    private static readonly FixedTime Time = new(new DateTimeOffset(2026, 11, 21, 9, 30, 15, 123, TimeSpan.FromHours(7)).AddTicks(4567));

    private static async Task<TestDatabase> WithEntriesAsync(Engine engine)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        var users = new UserStore(t.Database, Time);
        await users.AddAsync(new NewUser("admin.pusat", "Admin Pusat", Role.Admin, null, null, "Rahasia-Kawal-2026"), Caller.Operator("root"));
        await users.AddAsync(new NewUser("petugas.malang", null, Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), Caller.Operator("root"));
        await users.SignInAsync("petugas.malang", "Salah-Sandi-2026");
        await users.SetActiveAsync("petugas.malang", false, Caller.Operator("root"));
        return t;
    }

    [EngineTheory]
    public async Task Every_change_is_chained_and_the_chain_verifies(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await using var c = await t.Database.OpenAsync();

        var entries = (await c.QueryAsync<(long Seq, string Action, string Actor, string PrevHash, string Hash)>(
            "SELECT seq, action, actor, prev_hash, hash FROM audit_log ORDER BY seq")).ToList();
        var verification = await new AuditVerifier(t.Database).VerifyAsync();

        Assert.Equal(["user.create", "user.create", "login.failed", "user.disable"], entries.Select(e => e.Action));
        Assert.Equal(["cli:root", "cli:root", "user:petugas.malang", "cli:root"], entries.Select(e => e.Actor));
        Assert.Equal(AuditLog.Genesis, entries[0].PrevHash);
        Assert.All(entries.Skip(1).Zip(entries), p => Assert.Equal(p.Second.Hash, p.First.PrevHash));
        Assert.Equal(new AuditVerification(true, 4, null, null), verification);
    }

    [EngineTheory]
    public async Task The_log_refuses_updates_and_deletes(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await using var c = await t.Database.OpenAsync();

        var update = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("UPDATE audit_log SET actor = 'someone' WHERE seq = 2"));
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("DELETE FROM audit_log WHERE seq = 4"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task An_edited_entry_is_found_by_verify(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await Tamper(t, "UPDATE audit_log SET after_json = replace(after_json, 'regency_officer', 'admin') WHERE seq = 2");

        var v = await new AuditVerifier(t.Database).VerifyAsync();

        Assert.False(v.Ok);
        Assert.Equal(2, v.BrokenAt);
        Assert.Contains("altered", v.Problem, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_deleted_entry_in_the_middle_or_at_the_end_is_found(Engine engine)
    {
        await using var middle = await WithEntriesAsync(engine);
        await using var end = await WithEntriesAsync(engine);
        await Tamper(middle, "DELETE FROM audit_log WHERE seq = 3");
        await Tamper(end, "DELETE FROM audit_log WHERE seq = 4");

        var m = await new AuditVerifier(middle.Database).VerifyAsync();
        var e = await new AuditVerifier(end.Database).VerifyAsync();

        Assert.Equal((false, 3L), (m.Ok, m.BrokenAt!.Value));
        Assert.Equal((false, 4L), (e.Ok, e.BrokenAt!.Value));
        Assert.Contains("removed", e.Problem, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_rewrite_with_recomputed_unkeyed_hashes_and_head_is_found(Engine engine)
    {
        // The owner edits entry 2 and recomputes every later hash and the head as the unkeyed chain did (no audit key).
        await using var t = await WithEntriesAsync(engine);
        await t.Checkpoints(Time).WriteAsync();
        await RecomputeUnkeyedAsync(t, 2, e => e with { Actor = "cli:someone-else" });

        var v = await new AuditVerifier(t.Database, t.Checkpoints(Time)).VerifyAsync();
        var withoutCheckpoints = await new AuditVerifier(t.Database).VerifyAsync();

        Assert.Equal((false, 2L), (v.Ok, v.BrokenAt!.Value));
        Assert.Contains("rewrite at entry 2", v.Problem, StringComparison.Ordinal);
        Assert.Equal((false, 2L), (withoutCheckpoints.Ok, withoutCheckpoints.BrokenAt!.Value));
    }

    [EngineTheory]
    public async Task A_removed_tail_with_the_head_reset_is_found_by_the_checkpoint(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await t.Checkpoints(Time).WriteAsync();
        await using (var c = await t.Database.OpenAsync())
        {
            var hash2 = await c.ExecuteScalarAsync<string>("SELECT hash FROM audit_log WHERE seq = 2");
            await Tamper(t, $"DELETE FROM audit_log WHERE seq > 2; UPDATE audit_head SET seq = 2, hash = '{hash2}' WHERE id = 1");
        }

        var v = await new AuditVerifier(t.Database, t.Checkpoints(Time)).VerifyAsync();

        Assert.Equal((false, 3L), (v.Ok, v.BrokenAt!.Value));
        Assert.Contains("(truncation)", v.Problem, StringComparison.Ordinal);
        Assert.Contains("(head reset)", v.Problem, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KawalException>(() => t.Checkpoints(Time).WriteAsync());
    }

    [EngineTheory]
    public async Task An_emptied_log_with_the_head_reset_is_found_by_the_checkpoint(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await t.Checkpoints(Time).WriteAsync();
        var empty = engine == Engine.Postgres ? "TRUNCATE audit_log" : "DELETE FROM audit_log";
        await Tamper(t, $"{empty}; UPDATE audit_head SET seq = 0, hash = '{AuditLog.Genesis}' WHERE id = 1");

        var v = await new AuditVerifier(t.Database, t.Checkpoints(Time)).VerifyAsync();

        Assert.Equal((false, 0L, 1L), (v.Ok, v.Entries, v.BrokenAt!.Value));
        Assert.Contains("entries 1–4 were removed (truncation)", v.Problem, StringComparison.Ordinal);
        Assert.Contains("(head reset)", v.Problem, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_head_reset_alone_is_found_by_the_checkpoint(Engine engine) =>
        Assert.Contains("(head reset)", await ProblemAfterCheckpointAsync(engine, (t, _) => Tamper(t, "UPDATE audit_head SET seq = 3 WHERE id = 1")), StringComparison.Ordinal);

    [EngineTheory]
    public async Task A_forged_checkpoint_is_found(Engine engine) =>
        Assert.Contains("not signed", await ProblemAfterCheckpointAsync(engine, (t, cp) =>
            File.WriteAllTextAsync(t.Checkpoints(Time).Path, System.Text.Json.JsonSerializer.Serialize(cp with { Seq = 2 }, WebJson) + "\n")), StringComparison.Ordinal);

    /// <summary>Takes a checkpoint, runs the attack, and returns what verify reports (failing when it finds nothing).</summary>
    private static async Task<string> ProblemAfterCheckpointAsync(Engine engine, Func<TestDatabase, AuditCheckpoint, Task> attack)
    {
        await using var t = await WithEntriesAsync(engine);
        await attack(t, await t.Checkpoints(Time).WriteAsync());
        var v = await new AuditVerifier(t.Database, t.Checkpoints(Time)).VerifyAsync();
        Assert.False(v.Ok);
        return v.Problem!;
    }

    [EngineTheory]
    public async Task Checkpoints_are_appended_only_when_the_chain_moved(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        var checkpoints = t.Checkpoints(Time);

        var first = await checkpoints.WriteAsync();
        var again = await checkpoints.WriteAsync();
        await new UserStore(t.Database, Time).SetActiveAsync("petugas.malang", true, Caller.Operator("root"));
        var third = await checkpoints.WriteAsync();

        Assert.Equal((4L, 1L), (first.Seq, first.KeyedFrom));
        Assert.Equal(first, again);
        Assert.Equal(5L, third.Seq);
        Assert.Equal([first, third], checkpoints.Read());
        Assert.True((await new AuditVerifier(t.Database, checkpoints).VerifyAsync()).Ok);
    }

    [EngineTheory]
    public async Task Entries_hashed_before_the_key_still_verify(Engine engine)
    {
        // A log written before migration 0003: its entries carry the unkeyed hash; the first checkpoint records where the keyed ones begin.
        await using var t = await WithEntriesAsync(engine);
        await RecomputeUnkeyedAsync(t, 1, e => e);
        await new UserStore(t.Database, Time).SetActiveAsync("petugas.malang", true, Caller.Operator("root"));
        var cp = await t.Checkpoints(Time).WriteAsync();

        var v = await new AuditVerifier(t.Database, t.Checkpoints(Time)).VerifyAsync();

        Assert.Equal(5L, cp.KeyedFrom);
        Assert.Equal(new AuditVerification(true, 5, null, null), v);
    }

    [Fact]
    public async Task Postgres_refuses_truncate_of_the_audit_tables()
    {
        if (TestEngines.PostgresAdmin is null)
        {
            return;
        }

        await using var t = await WithEntriesAsync(Engine.Postgres);
        await using var c = await t.Database.OpenAsync();

        var log = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("TRUNCATE audit_log"));
        var head = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync("TRUNCATE audit_head"));

        Assert.Contains("TRUNCATE refused", log.Message, StringComparison.Ordinal);
        Assert.Contains("TRUNCATE refused", head.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites entries from <paramref name="from"/> on (changed by <paramref name="change"/> at that entry) with unkeyed hashes, and the head to match.</summary>
    private static async Task RecomputeUnkeyedAsync(TestDatabase t, long from, Func<AuditEntry, AuditEntry> change)
    {
        await using var c = await t.Database.OpenAsync();
        var entries = (await c.QueryAsync<AuditQueries.AuditRow>(AuditQueries.Select + " ORDER BY seq")).Select(r => r.ToEntry()).ToList();
        var prev = from == 1 ? AuditLog.Genesis : entries.Single(e => e.Seq == from - 1).Hash;
        var sql = new System.Text.StringBuilder();
        foreach (var original in entries.Where(e => e.Seq >= from))
        {
            var e = (original.Seq == from ? change(original) : original) with { PrevHash = prev };
            e = e with { Hash = AuditLog.HashOf(e) };
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE audit_log SET actor = '{e.Actor}', prev_hash = '{e.PrevHash}', hash = '{e.Hash}' WHERE seq = {e.Seq};\n");
            prev = e.Hash;
        }

        sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE audit_head SET hash = '{prev}' WHERE id = 1");
        await Tamper(t, sql.ToString());
    }

    /// <summary>What an attacker with the database owner's rights could do: switch off the guard and change the table.</summary>
    internal static async Task Tamper(TestDatabase t, string sql)
    {
        await using var c = await t.Database.OpenAsync();
        if (t.Spec.Engine == Engine.Postgres)
        {
            await c.ExecuteAsync($"ALTER TABLE audit_log DISABLE TRIGGER USER; {sql}; ALTER TABLE audit_log ENABLE TRIGGER USER;");
        }
        else
        {
            await c.ExecuteAsync($"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_no_delete; {sql};");
        }
    }
}

public class AuditConcurrencyTests
{
    [EngineTheory]
    public async Task Concurrent_writers_never_fork_the_chain(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var register = new Kawal.Registry.Features.RegisterRecordsHandler(t.Database, new Kawal.Regions.RegionLookup(t.Database), TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(1, 24).Select(i => Task.Run(() => register.RegisterEmployerAsync(new Dictionary<string, string?>
        {
            ["npp"] = $"3507{i:0000}", ["name"] = $"Desa {i}", ["kind"] = "village", ["region_code"] = "35.07", ["risk_class"] = "1", ["size"] = "micro",
        }, Caller.Operator($"writer{i}")))));
        await using var c = await t.Database.OpenAsync();
        var seqs = (await c.QueryAsync<long>("SELECT seq FROM audit_log ORDER BY seq")).ToList();

        Assert.All(results, r => Assert.Equal("created", r.Outcome));
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), seqs);
        Assert.True((await new AuditVerifier(t.Database).VerifyAsync()).Ok);
    }
}
