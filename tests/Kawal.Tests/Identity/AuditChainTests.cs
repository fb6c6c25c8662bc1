using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;

namespace Kawal.Tests.Identity;

public class AuditChainTests
{
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
    public async Task A_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(Engine engine)
    {
        await using var t = await WithEntriesAsync(engine);
        await using (var c = await t.Database.OpenAsync())
        {
            var e = (await c.QueryAsync<AuditQueries.AuditRow>(AuditQueries.Select + " WHERE seq = 2")).Single().ToEntry() with { Actor = "cli:someone-else" };
            await Tamper(t, $"UPDATE audit_log SET actor = 'cli:someone-else', hash = '{AuditLog.HashOf(e)}' WHERE seq = 2");
        }

        var v = await new AuditVerifier(t.Database).VerifyAsync();

        Assert.Equal((false, 3L), (v.Ok, v.BrokenAt!.Value));
        Assert.Contains("does not link", v.Problem, StringComparison.Ordinal);
    }

    /// <summary>What an attacker with the database owner's rights could do: switch off the guard and change the table.</summary>
    internal static async Task Tamper(TestDatabase t, string sql)
    {
        await using var c = await t.Database.OpenAsync();
        if (t.Spec.Engine == Engine.Postgres)
        {
            await c.ExecuteAsync($"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; {sql}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;");
        }
        else
        {
            await c.ExecuteAsync($"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql};");
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
